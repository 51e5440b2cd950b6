# Publish and subscribe state changes of a local user (on_{audio,video}_publish_state_changed,
# on_{audio,video}_subscribe_state_changed): direct trampolines and their dispatched twins.
# Dispatched, they travel as a video_event blob (_video_dispatch.pxi): track = 0 audio / 1 video,
# a = old state, b = new state, c = elapsed ms; the channel is the item's second string.

cdef enum:
    EV_V_PUBLISH_STATE = 217
    EV_V_SUBSCRIBE_STATE = 218

_PUBLISH_STATE_TARGETS = ("_on_audio_publish_state_changed", "_on_video_publish_state_changed")
_SUBSCRIBE_STATE_TARGETS = ("_on_audio_subscribe_state_changed", "_on_video_subscribe_state_changed")


cdef void _tr_publish_state(AGORA_HANDLE u, int video, const char* channel, int old_state, int new_state,
                            int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, _PUBLISH_STATE_TARGETS[video], (_text(channel), old_state, new_state, elapsed))

cdef void _tr_subscribe_state(AGORA_HANDLE u, int video, const char* channel, const char* user_id, int old_state,
                              int new_state, int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, _SUBSCRIBE_STATE_TARGETS[video], (_text(channel), _text(user_id), old_state, new_state,
                                                             elapsed))

cdef void _tr_audio_publish_state(AGORA_HANDLE u, const char* channel, int old_state, int new_state,
                                  int elapsed) noexcept nogil:
    _tr_publish_state(u, 0, channel, old_state, new_state, elapsed)

cdef void _tr_video_publish_state(AGORA_HANDLE u, const char* channel, int old_state, int new_state,
                                  int elapsed) noexcept nogil:
    _tr_publish_state(u, 1, channel, old_state, new_state, elapsed)

cdef void _tr_audio_subscribe_state(AGORA_HANDLE u, const char* channel, const char* user_id, int old_state,
                                    int new_state, int elapsed) noexcept nogil:
    _tr_subscribe_state(u, 0, channel, user_id, old_state, new_state, elapsed)

cdef void _tr_video_subscribe_state(AGORA_HANDLE u, const char* channel, const char* user_id, int old_state,
                                    int new_state, int elapsed) noexcept nogil:
    _tr_subscribe_state(u, 1, channel, user_id, old_state, new_state, elapsed)


cdef void _dpush_state(AGORA_HANDLE u, int kind, int video, const char* channel, const char* user_id,
                       int old_state, int new_state, int elapsed) noexcept nogil:
    _dpush_event(u, kind, user_id, channel, video, old_state, new_state, elapsed, NULL)

cdef void _dtr_audio_publish_state(AGORA_HANDLE u, const char* channel, int old_state, int new_state,
                                   int elapsed) noexcept nogil:
    _dpush_state(u, EV_V_PUBLISH_STATE, 0, channel, NULL, old_state, new_state, elapsed)

cdef void _dtr_video_publish_state(AGORA_HANDLE u, const char* channel, int old_state, int new_state,
                                   int elapsed) noexcept nogil:
    _dpush_state(u, EV_V_PUBLISH_STATE, 1, channel, NULL, old_state, new_state, elapsed)

cdef void _dtr_audio_subscribe_state(AGORA_HANDLE u, const char* channel, const char* user_id, int old_state,
                                     int new_state, int elapsed) noexcept nogil:
    _dpush_state(u, EV_V_SUBSCRIBE_STATE, 0, channel, user_id, old_state, new_state, elapsed)

cdef void _dtr_video_subscribe_state(AGORA_HANDLE u, const char* channel, const char* user_id, int old_state,
                                     int new_state, int elapsed) noexcept nogil:
    _dpush_state(u, EV_V_SUBSCRIBE_STATE, 1, channel, user_id, old_state, new_state, elapsed)


cdef void _deliver_stream_state(dq_item* it, video_event* e):
    if it.kind == EV_V_PUBLISH_STATE:
        _call_target(_user_targets, it.handle, _PUBLISH_STATE_TARGETS[e.track], (_text(it.s2), e.a, e.b, e.c))
    else:
        _call_target(_user_targets, it.handle, _SUBSCRIBE_STATE_TARGETS[e.track],
                     (_text(it.s2), _text(it.s1), e.a, e.b, e.c))
