# --------------------------------------------------------------------------
# Statistics: the track getters (each returns a dict of the engine's struct,
# freed before returning) and on_transport_stats, direct or dispatched.

cdef enum:
    EV_TRANSPORT_STATS = 230


def remote_audio_stats(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "get_statistics")
    cdef remote_audio_track_stats* s
    with nogil:
        s = api.remote_audio_track_get_statistics(h)
    if s == NULL:
        raise AgoraError("agora_remote_audio_track_get_statistics (no statistics for this track)", -3)
    try:
        return s[0]
    finally:
        api.remote_audio_track_destroy_statistics(h, s)


def user_local_audio_stats(uintptr_t user):
    cdef AGORA_HANDLE h = _ptr(user, "get_local_audio_statistics")
    cdef local_audio_detailed_stats* s
    with nogil:
        s = api.local_user_get_local_audio_statistics(h)
    if s == NULL:
        raise AgoraError("agora_local_user_get_local_audio_statistics (no statistics for this user)", -3)
    try:
        values = <dict>s[0]
        values["codec_name"] = s[0].codec_name[:strnlen(s[0].codec_name, sizeof(s[0].codec_name))].decode("utf-8", "replace")
        return values
    finally:
        api.local_user_destroy_local_audio_statistics(h, s)


def remote_video_stats(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "get_statistics")
    cdef remote_video_track_stats* s
    with nogil:
        s = api.remote_video_track_get_statistics(h)
    if s == NULL:
        raise AgoraError("agora_remote_video_track_get_statistics (no statistics for this track)", -3)
    try:
        return s[0]
    finally:
        api.remote_video_track_destroy_statistics(h, s)


def local_video_stats(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "get_statistics")
    cdef local_video_track_stats* s
    with nogil:
        s = api.local_video_track_get_statistics(h)
    if s == NULL:
        raise AgoraError("agora_local_video_track_get_statistics (no statistics for this track)", -3)
    try:
        return s[0]
    finally:
        api.local_video_track_destroy_statistics(h, s)


cdef void _tr_transport_stats(AGORA_HANDLE c, const rtc_stats* s) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_transport_stats", (s[0],))


cdef void _dtr_transport_stats(AGORA_HANDLE c, const rtc_stats* s) noexcept nogil:
    cdef rtc_stats* copy = <rtc_stats*>malloc(sizeof(rtc_stats))
    if copy == NULL:
        return
    copy[0] = s[0]
    dq_route_push_blob(FAMILY_CONN, EV_TRANSPORT_STATS, <uintptr_t>c, NULL, NULL, copy)


cdef void _deliver_transport_stats(dq_item* it):
    cdef rtc_stats* s = <rtc_stats*>it.frame.buffer
    it.frame.buffer = NULL
    try:
        stats = s[0]
    finally:
        free(s)
    _call_target(_conn_targets, it.handle, "_on_transport_stats", (stats,))
