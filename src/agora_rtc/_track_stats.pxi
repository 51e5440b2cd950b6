# Periodic track statistics (on_local_audio_track_statistics, on_remote_audio_track_statistics,
# on_local_video_track_statistics, on_remote_video_track_statistics; every 2 s with
# on_transport_stats), direct and dispatched. Targets get (which, track handle, dict of the struct).

cdef enum:
    EV_TRACK_STATS = 231
    STATS_LOCAL_AUDIO = 0
    STATS_REMOTE_AUDIO = 1
    STATS_LOCAL_VIDEO = 2
    STATS_REMOTE_VIDEO = 3

ctypedef struct track_stats_blob:
    int which
    uintptr_t track
    local_audio_stats local_audio
    remote_audio_track_stats remote_audio
    local_video_track_stats local_video
    remote_video_track_stats remote_video


cdef object _track_stats_dict(const track_stats_blob* b):
    if b.which == STATS_LOCAL_AUDIO:
        return b.local_audio
    if b.which == STATS_REMOTE_AUDIO:
        return b.remote_audio
    if b.which == STATS_LOCAL_VIDEO:
        return b.local_video
    return b.remote_video


cdef void _track_stats_event(AGORA_HANDLE u, track_stats_blob* b, bint dispatched) noexcept nogil:
    cdef track_stats_blob* copy
    if dispatched:
        copy = <track_stats_blob*>malloc(sizeof(track_stats_blob))
        if copy == NULL:
            return
        copy[0] = b[0]
        dq_route_push_blob(FAMILY_USER, EV_TRACK_STATS, <uintptr_t>u, NULL, NULL, copy)
    elif agora_python_ready():
        with gil:
            _user_event(u, "_on_track_statistics", (b.which, b.track, _track_stats_dict(b)))


cdef void _deliver_track_stats(dq_item* it):
    cdef track_stats_blob* b = <track_stats_blob*>it.frame.buffer
    it.frame.buffer = NULL
    try:
        args = (b.which, b.track, _track_stats_dict(b))
    finally:
        free(b)
    _call_target(_user_targets, it.handle, "_on_track_statistics", args)


cdef void _stats_local_audio(AGORA_HANDLE u, const local_audio_stats* s, bint dispatched) noexcept nogil:
    cdef track_stats_blob b
    memset(&b, 0, sizeof(b))
    b.which = STATS_LOCAL_AUDIO
    b.local_audio = s[0]
    _track_stats_event(u, &b, dispatched)

cdef void _stats_remote_audio(AGORA_HANDLE u, AGORA_HANDLE t, const remote_audio_track_stats* s,
                              bint dispatched) noexcept nogil:
    cdef track_stats_blob b
    memset(&b, 0, sizeof(b))
    b.which, b.track = STATS_REMOTE_AUDIO, <uintptr_t>t
    b.remote_audio = s[0]
    _track_stats_event(u, &b, dispatched)

cdef void _stats_local_video(AGORA_HANDLE u, AGORA_HANDLE t, const local_video_track_stats* s,
                             bint dispatched) noexcept nogil:
    cdef track_stats_blob b
    memset(&b, 0, sizeof(b))
    b.which, b.track = STATS_LOCAL_VIDEO, <uintptr_t>t
    b.local_video = s[0]
    _track_stats_event(u, &b, dispatched)

cdef void _stats_remote_video(AGORA_HANDLE u, AGORA_HANDLE t, const remote_video_track_stats* s,
                              bint dispatched) noexcept nogil:
    cdef track_stats_blob b
    memset(&b, 0, sizeof(b))
    b.which, b.track = STATS_REMOTE_VIDEO, <uintptr_t>t
    b.remote_video = s[0]
    _track_stats_event(u, &b, dispatched)


cdef void _tr_local_audio_stats(AGORA_HANDLE u, const local_audio_stats* s) noexcept nogil:
    _stats_local_audio(u, s, False)

cdef void _dtr_local_audio_stats(AGORA_HANDLE u, const local_audio_stats* s) noexcept nogil:
    _stats_local_audio(u, s, True)

cdef void _tr_remote_audio_stats(AGORA_HANDLE u, AGORA_HANDLE t, const remote_audio_track_stats* s) noexcept nogil:
    _stats_remote_audio(u, t, s, False)

cdef void _dtr_remote_audio_stats(AGORA_HANDLE u, AGORA_HANDLE t, const remote_audio_track_stats* s) noexcept nogil:
    _stats_remote_audio(u, t, s, True)

cdef void _tr_local_video_stats(AGORA_HANDLE u, AGORA_HANDLE t, const local_video_track_stats* s) noexcept nogil:
    _stats_local_video(u, t, s, False)

cdef void _dtr_local_video_stats(AGORA_HANDLE u, AGORA_HANDLE t, const local_video_track_stats* s) noexcept nogil:
    _stats_local_video(u, t, s, True)

cdef void _tr_remote_video_stats(AGORA_HANDLE u, AGORA_HANDLE t, const remote_video_track_stats* s) noexcept nogil:
    _stats_remote_video(u, t, s, False)

cdef void _dtr_remote_video_stats(AGORA_HANDLE u, AGORA_HANDLE t, const remote_video_track_stats* s) noexcept nogil:
    _stats_remote_video(u, t, s, True)
