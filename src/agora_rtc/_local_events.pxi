# Local track states, publish start, what remote users publish, remote video size / first rendered frame /
# stream info (local-user observer), role changes, network type and quality (connection observer): direct
# trampolines and their dispatched twins. One mapping per observer (_user_call, _conn_call) turns an event's
# numbers into the target method and its arguments for both paths. Dispatched, local-user events travel as a
# video_event blob (_dpush_event: track, a, b, c), connection events as an item's i1, i2 and s1.

cdef enum:
    EV_L_LOCAL_TRACK_STATE = 240  # track; a: 0 audio / 1 video, b: state, c: error
    EV_L_PUBLISH_START = 241      # track; a: 0 audio / 1 video
    EV_L_USER_INFO = 242          # user; a: msg, b: value
    EV_L_USER_STATE = 243         # user; a: REMOTE_USER_STATE bits
    EV_L_VIDEO_SIZE = 244         # user; a: width, b: height, c: rotation
    EV_L_RENDERED = 245           # user; a: width, b: height, c: elapsed
    EV_L_STREAM_INFO = 246        # track: the uid; a: stream type, b: downscale level, c: level count
    EV_C_CHANGE_ROLE = 247        # i1: old role, i2: new role
    EV_C_NETWORK_TYPE = 248       # i1: network type
    EV_C_NETWORK_QUALITY = 249    # s1: user; i1: tx, i2: rx quality
    EV_LOCAL_EVENTS_END = 250

_LOCAL_STATE_TARGETS = ("_on_local_audio_track_state_changed", "_on_local_video_track_state_changed")
_PUBLISH_START_TARGETS = ("_on_audio_track_publish_start", "_on_video_track_publish_start")


cdef tuple _user_call(int kind, str user_id, uintptr_t track, int a, int b, int c):
    """(LocalUser method, arguments) of a local-user event."""
    if kind == EV_L_LOCAL_TRACK_STATE:
        return _LOCAL_STATE_TARGETS[a], (track, b, c)
    if kind == EV_L_PUBLISH_START:
        return _PUBLISH_START_TARGETS[a], (track,)
    if kind == EV_L_USER_INFO:
        return "_on_user_info_updated", (user_id, a, b)
    if kind == EV_L_USER_STATE:
        return "_on_user_state_changed", (user_id, <uint32_t>a)
    if kind == EV_L_VIDEO_SIZE:
        return "_on_video_size_changed", (user_id, a, b, c)
    if kind == EV_L_RENDERED:
        return "_on_first_remote_video_frame_rendered", (user_id, a, b, c)
    return "_on_remote_video_stream_info_updated", (<uid_t>track, a, b, c)


cdef tuple _conn_call(int kind, str user_id, int a, int b):
    """(RTCConnection method, arguments) of a connection event."""
    if kind == EV_C_CHANGE_ROLE:
        return "_on_change_role_success", (a, b)
    if kind == EV_C_NETWORK_TYPE:
        return "_on_network_type_changed", (a,)
    return "_on_user_network_quality", (user_id, a, b)


cdef void _user_direct(AGORA_HANDLE u, int kind, const char* user_id, uintptr_t track, int a, int b,
                       int c) noexcept with gil:
    try:
        name, args = _user_call(kind, _text(user_id), track, a, b, c)
    except BaseException:
        _report("local user event")
        return
    _user_event(u, name, args)


cdef void _conn_direct(AGORA_HANDLE conn, int kind, const char* user_id, int a, int b) noexcept with gil:
    try:
        name, args = _conn_call(kind, _text(user_id), a, b)
    except BaseException:
        _report("connection event")
        return
    _conn_event(conn, name, args)


cdef void _user_ev(AGORA_HANDLE u, int kind, const char* user_id, uintptr_t track, int a, int b, int c,
                   bint dispatched) noexcept nogil:
    if dispatched:
        _dpush_event(u, kind, user_id, NULL, track, a, b, c, NULL)
    elif agora_python_ready():
        _user_direct(u, kind, user_id, track, a, b, c)


cdef void _conn_ev(AGORA_HANDLE conn, int kind, const char* user_id, int a, int b, bint dispatched) noexcept nogil:
    if dispatched:
        dq_route_push(FAMILY_CONN, kind, <uintptr_t>conn, a, b, user_id, NULL, NULL)
    elif agora_python_ready():
        _conn_direct(conn, kind, user_id, a, b)


cdef void _deliver_local_event(dq_item* it):
    cdef video_event e
    if it.kind >= EV_C_CHANGE_ROLE:
        name, args = _conn_call(it.kind, _text(it.s1), it.i1, it.i2)
        _call_target(_conn_targets, it.handle, name, args)
        return
    memcpy(&e, it.frame.buffer, sizeof(video_event))
    free(it.frame.buffer)
    it.frame.buffer = NULL
    name, args = _user_call(it.kind, _text(it.s1), e.track, e.a, e.b, e.c)
    _call_target(_user_targets, it.handle, name, args)


# ---- the observer slots: (direct, dispatched) pairs ----

cdef void _tr_local_audio_state(AGORA_HANDLE u, AGORA_HANDLE t, int state, int error) noexcept nogil:
    _user_ev(u, EV_L_LOCAL_TRACK_STATE, NULL, <uintptr_t>t, 0, state, error, False)

cdef void _dtr_local_audio_state(AGORA_HANDLE u, AGORA_HANDLE t, int state, int error) noexcept nogil:
    _user_ev(u, EV_L_LOCAL_TRACK_STATE, NULL, <uintptr_t>t, 0, state, error, True)

cdef void _tr_local_video_state(AGORA_HANDLE u, AGORA_HANDLE t, int state, int error) noexcept nogil:
    _user_ev(u, EV_L_LOCAL_TRACK_STATE, NULL, <uintptr_t>t, 1, state, error, False)

cdef void _dtr_local_video_state(AGORA_HANDLE u, AGORA_HANDLE t, int state, int error) noexcept nogil:
    _user_ev(u, EV_L_LOCAL_TRACK_STATE, NULL, <uintptr_t>t, 1, state, error, True)

cdef void _tr_audio_publish_start(AGORA_HANDLE u, AGORA_HANDLE t) noexcept nogil:
    _user_ev(u, EV_L_PUBLISH_START, NULL, <uintptr_t>t, 0, 0, 0, False)

cdef void _dtr_audio_publish_start(AGORA_HANDLE u, AGORA_HANDLE t) noexcept nogil:
    _user_ev(u, EV_L_PUBLISH_START, NULL, <uintptr_t>t, 0, 0, 0, True)

cdef void _tr_video_publish_start(AGORA_HANDLE u, AGORA_HANDLE t) noexcept nogil:
    _user_ev(u, EV_L_PUBLISH_START, NULL, <uintptr_t>t, 1, 0, 0, False)

cdef void _dtr_video_publish_start(AGORA_HANDLE u, AGORA_HANDLE t) noexcept nogil:
    _user_ev(u, EV_L_PUBLISH_START, NULL, <uintptr_t>t, 1, 0, 0, True)

cdef void _tr_user_info(AGORA_HANDLE u, const char* user_id, int msg, int val) noexcept nogil:
    _user_ev(u, EV_L_USER_INFO, user_id, 0, msg, val, 0, False)

cdef void _dtr_user_info(AGORA_HANDLE u, const char* user_id, int msg, int val) noexcept nogil:
    _user_ev(u, EV_L_USER_INFO, user_id, 0, msg, val, 0, True)

cdef void _tr_user_state(AGORA_HANDLE u, const char* user_id, uint32_t state) noexcept nogil:
    _user_ev(u, EV_L_USER_STATE, user_id, 0, <int>state, 0, 0, False)

cdef void _dtr_user_state(AGORA_HANDLE u, const char* user_id, uint32_t state) noexcept nogil:
    _user_ev(u, EV_L_USER_STATE, user_id, 0, <int>state, 0, 0, True)

cdef void _tr_video_size(AGORA_HANDLE u, const char* user_id, int width, int height, int rotation) noexcept nogil:
    _user_ev(u, EV_L_VIDEO_SIZE, user_id, 0, width, height, rotation, False)

cdef void _dtr_video_size(AGORA_HANDLE u, const char* user_id, int width, int height, int rotation) noexcept nogil:
    _user_ev(u, EV_L_VIDEO_SIZE, user_id, 0, width, height, rotation, True)

cdef void _tr_video_rendered(AGORA_HANDLE u, const char* user_id, int width, int height, int elapsed) noexcept nogil:
    _user_ev(u, EV_L_RENDERED, user_id, 0, width, height, elapsed, False)

cdef void _dtr_video_rendered(AGORA_HANDLE u, const char* user_id, int width, int height, int elapsed) noexcept nogil:
    _user_ev(u, EV_L_RENDERED, user_id, 0, width, height, elapsed, True)

cdef void _stream_info_ev(AGORA_HANDLE u, const remote_video_stream_info* i, bint dispatched) noexcept nogil:
    if i != NULL:
        _user_ev(u, EV_L_STREAM_INFO, NULL, i.uid, i.stream_type, i.current_downscale_level,
                 i.total_downscale_level_counts, dispatched)

cdef void _tr_stream_info(AGORA_HANDLE u, const remote_video_stream_info* i) noexcept nogil:
    _stream_info_ev(u, i, False)

cdef void _dtr_stream_info(AGORA_HANDLE u, const remote_video_stream_info* i) noexcept nogil:
    _stream_info_ev(u, i, True)

# new_role_options (NULL from some engines) is not passed on: the official observer has no such parameter.
cdef void _tr_change_role(AGORA_HANDLE c, int old_role, int new_role, const client_role_options* o) noexcept nogil:
    _conn_ev(c, EV_C_CHANGE_ROLE, NULL, old_role, new_role, False)

cdef void _dtr_change_role(AGORA_HANDLE c, int old_role, int new_role, const client_role_options* o) noexcept nogil:
    _conn_ev(c, EV_C_CHANGE_ROLE, NULL, old_role, new_role, True)

cdef void _tr_network_type(AGORA_HANDLE c, int network_type) noexcept nogil:
    _conn_ev(c, EV_C_NETWORK_TYPE, NULL, network_type, 0, False)

cdef void _dtr_network_type(AGORA_HANDLE c, int network_type) noexcept nogil:
    _conn_ev(c, EV_C_NETWORK_TYPE, NULL, network_type, 0, True)

cdef void _tr_network_quality(AGORA_HANDLE c, const char* user_id, int tx, int rx) noexcept nogil:
    _conn_ev(c, EV_C_NETWORK_QUALITY, user_id, tx, rx, False)

cdef void _dtr_network_quality(AGORA_HANDLE c, const char* user_id, int tx, int rx) noexcept nogil:
    _conn_ev(c, EV_C_NETWORK_QUALITY, user_id, tx, rx, True)
