# --------------------------------------------------------------------------
# Video observers, direct or dispatched. Dispatched (see _dispatch.h): the
# engine thread copies each frame once into one malloc'd blob -- a header, the
# I420 planes packed, alpha, metadata; or the encoded bytes -- and queues it
# without the GIL; the consumer gives the blob to a VideoFrame that owns it
# (valid after the callback, no second copy).

cdef extern from "_dispatch.h" nogil:
    int dq_route_push_blob(int family, int kind, uintptr_t handle, const char* s1, const char* s2, void* blob)

cdef enum:
    FAMILY_VIDEO = 8
    EV_VIDEO_FRAME = 200
    EV_ENCODED_FRAME = 201

ctypedef struct video_blob:
    int type, width, height, rotation, avsync_type, alpha_mode, has_alpha, metadata_size
    int64_t render_time_ms

ctypedef struct encoded_blob:
    encoded_video_frame_info info
    uid_t uid
    size_t length


cdef inline void _copy_rows(uint8_t* dst, const uint8_t* src, size_t cols, size_t rows, int stride) noexcept nogil:
    cdef size_t r
    if <size_t>stride == cols:
        memcpy(dst, src, cols * rows)
    else:
        for r in range(rows):
            memcpy(dst + r * cols, src + r * <size_t>stride, cols)


cdef void _dtr_video_frame(AGORA_HANDLE o, const char* channel_id, const char* user_id,
                           const video_frame* f) noexcept nogil:
    if f.width <= 0 or f.height <= 0 or f.y_buffer == NULL or f.u_buffer == NULL or f.v_buffer == NULL:
        return
    cdef size_t w = f.width, h = f.height, cw = (w + 1) // 2, ch = (h + 1) // 2
    cdef size_t luma = w * h, chroma = cw * ch
    cdef int meta = f.metadata_size if f.metadata_buffer != NULL and f.metadata_size > 0 else 0
    cdef int alpha = f.alpha_buffer != NULL
    cdef video_blob* b = <video_blob*>malloc(sizeof(video_blob) + luma + 2 * chroma + (luma if alpha else 0) + meta)
    if b == NULL:
        return
    b.type = f.type
    b.width = f.width
    b.height = f.height
    b.rotation = f.rotation
    b.avsync_type = f.avsync_type
    b.alpha_mode = f.alpha_mode
    b.has_alpha = alpha
    b.metadata_size = meta
    b.render_time_ms = f.render_time_ms
    cdef uint8_t* p = <uint8_t*>(b + 1)
    _copy_rows(p, f.y_buffer, w, h, f.y_stride)
    _copy_rows(p + luma, f.u_buffer, cw, ch, f.u_stride)
    _copy_rows(p + luma + chroma, f.v_buffer, cw, ch, f.v_stride)
    p += luma + 2 * chroma
    if alpha:
        memcpy(p, f.alpha_buffer, luma)
        p += luma
    if meta:
        memcpy(p, f.metadata_buffer, meta)
    dq_route_push_blob(FAMILY_VIDEO, EV_VIDEO_FRAME, <uintptr_t>o, user_id, channel_id, b)


cdef int _dtr_encoded_frame(AGORA_HANDLE o, uid_t uid, const uint8_t* data, size_t length,
                            const encoded_video_frame_info* info) noexcept nogil:
    cdef encoded_blob* b = <encoded_blob*>malloc(sizeof(encoded_blob) + length)
    if b == NULL:
        return 1
    b.info = info[0]
    b.uid = uid
    b.length = length
    memcpy(<uint8_t*>(b + 1), data, length)
    dq_route_push_blob(FAMILY_VIDEO, EV_ENCODED_FRAME, <uintptr_t>o, NULL, NULL, b)
    return 1


cdef video_frame_observer2 _video_observer_d
cdef video_encoded_frame_observer _encoded_observer_d
_video_observer_d.on_frame = _dtr_video_frame
_encoded_observer_d.on_encoded_video_frame = _dtr_encoded_frame


cdef VideoFrame _video_owned(video_blob* b, const char* channel_id, const char* user_id):
    """A frame that takes ownership of the blob (freed with the frame)."""
    cdef VideoFrame fr = VideoFrame.__new__(VideoFrame)
    cdef size_t luma = <size_t>b.width * b.height
    cdef size_t chroma = <size_t>((b.width + 1) // 2) * ((b.height + 1) // 2)
    cdef uint8_t* planes = <uint8_t*>(b + 1)
    fr._blob = b
    fr._y = planes
    fr._u = planes + luma
    fr._v = planes + luma + chroma
    fr.type = b.type
    fr.width = b.width
    fr.height = b.height
    fr.y_stride = b.width
    fr.u_stride = fr.v_stride = (b.width + 1) // 2
    fr.rotation = b.rotation
    fr.render_time_ms = b.render_time_ms
    fr.avsync_type = b.avsync_type
    fr.alpha_mode = b.alpha_mode
    cdef const char* tail = <const char*>(planes + luma + 2 * chroma)
    fr.alpha_buffer = tail[:luma] if b.has_alpha else None
    if b.has_alpha:
        tail += luma
    fr.metadata = tail[:b.metadata_size] if b.metadata_size else b""
    fr.channel_id = _text(channel_id)
    fr.user_id = _text(user_id)
    return fr


cdef void _deliver_video(dq_item* it):
    cdef void* blob = it.frame.buffer
    cdef encoded_blob* e
    it.frame.buffer = NULL
    try:
        target = _video_targets.get(it.handle)
        if target is None:
            free(blob)  # unregistered since it was queued
        elif it.kind == EV_VIDEO_FRAME:
            fr = _video_owned(<video_blob*>blob, it.s2, it.s1)
            target._on_frame(fr.channel_id, fr.user_id, fr)
        else:
            e = <encoded_blob*>blob
            try:
                data = (<const char*>(e + 1))[:e.length]
                info = _encoded_info(&e.info)
                uid, length = e.uid, e.length
            finally:
                free(blob)
            target._on_encoded_video_frame(uid, data, length, info)
    except BaseException:
        _report("video frame")


def user_register_video_observer(uintptr_t user, target, bint encoded=False, Dispatcher dispatcher=None):
    """Create an engine observer routed to *target* and register it; returns its handle.
    With a *dispatcher*, frames are copied once and delivered on its consumer."""
    cdef AGORA_HANDLE u = _ptr(user, "register_video_frame_observer")
    cdef AGORA_HANDLE o
    cdef int rc
    cdef video_frame_observer2* raw = &_video_observer if dispatcher is None else &_video_observer_d
    cdef video_encoded_frame_observer* enc = &_encoded_observer if dispatcher is None else &_encoded_observer_d
    with nogil:
        o = api.video_encoded_frame_observer_create(enc) if encoded else api.video_frame_observer2_create(raw)
    _created(o, "agora_video_encoded_frame_observer_create" if encoded else "agora_video_frame_observer2_create")
    _video_targets[<uintptr_t>o] = target
    if dispatcher is not None:
        route(<uintptr_t>o, FAMILY_VIDEO, dispatcher)
    with nogil:
        rc = (api.local_user_register_video_encoded_frame_observer(u, o) if encoded
              else api.local_user_register_video_frame_observer(u, o))
    if rc < 0:
        _video_targets.pop(<uintptr_t>o, None)
        dq_route_clear(<uintptr_t>o, FAMILY_VIDEO)
        with nogil:
            if encoded:
                api.video_encoded_frame_observer_destroy(o)
            else:
                api.video_frame_observer2_destroy(o)
        _check(rc, "agora_local_user_register_video_encoded_frame_observer" if encoded
               else "agora_local_user_register_video_frame_observer")
    return <uintptr_t>o


def user_unregister_video_observer(uintptr_t user, uintptr_t observer, bint encoded=False):
    """Unregister and destroy an observer made by user_register_video_observer
    (waits for a running callback of it; frames still queued for it are dropped)."""
    cdef AGORA_HANDLE u = _ptr(user, "unregister_video_frame_observer")
    cdef AGORA_HANDLE o = _ptr(observer, "unregister_video_frame_observer")
    cdef int rc
    with nogil:
        rc = (api.local_user_unregister_video_encoded_frame_observer(u, o) if encoded
              else api.local_user_unregister_video_frame_observer(u, o))
    # Forgotten before the engine frees it: a new observer may get its address at once.
    dq_route_clear(observer, FAMILY_VIDEO)
    _video_targets.pop(observer, None)
    with nogil:
        if encoded:
            api.video_encoded_frame_observer_destroy(o)
        else:
            api.video_frame_observer2_destroy(o)
    return _check(rc, "agora_local_user_unregister_video_frame_observer")


# --------------------------------------------------------------------------
# Local-user video events, dispatched: the same targets and arguments as the
# direct trampolines in _video.pxi, carried in one small blob.

cdef enum:
    EV_V_PUBLISH_SUCCESS = 210
    EV_V_UNPUBLISHED
    EV_V_INTRA_REQUEST
    EV_V_SUBSCRIBED
    EV_V_STATE
    EV_V_FIRST_FRAME
    EV_V_FIRST_DECODED

ctypedef struct video_event:
    uintptr_t track
    int a, b, c          # state, reason, elapsed / width, height, elapsed
    int has_info
    video_track_info info  # its channel_id travels as the item's second string


cdef void _dpush_event(AGORA_HANDLE u, int kind, const char* user_id, const char* channel, uintptr_t track, int a,
                       int b, int c, const video_track_info* info) noexcept nogil:
    """A local-user event as a video_event blob; *channel* travels as the item's second string."""
    cdef video_event* e = <video_event*>malloc(sizeof(video_event))
    if e == NULL:
        return
    memset(e, 0, sizeof(video_event))
    e.track = track
    e.a, e.b, e.c = a, b, c
    if info != NULL:
        e.info = info[0]
        e.info.channel_id = NULL
        e.has_info = 1
    dq_route_push_blob(FAMILY_USER, kind, <uintptr_t>u, user_id, channel, e)


cdef void _dpush_video_event(AGORA_HANDLE u, int kind, const char* user_id, AGORA_HANDLE track, int a, int b,
                             int c, const video_track_info* info) noexcept nogil:
    _dpush_event(u, kind, user_id, info.channel_id if info != NULL else NULL, <uintptr_t>track, a, b, c, info)


cdef void _dtr_video_publish_success(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    _dpush_video_event(u, EV_V_PUBLISH_SUCCESS, NULL, track, 0, 0, 0, NULL)

cdef void _dtr_video_unpublished(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    _dpush_video_event(u, EV_V_UNPUBLISHED, NULL, track, 0, 0, 0, NULL)

cdef void _dtr_intra_request(AGORA_HANDLE u) noexcept nogil:
    _dpush_video_event(u, EV_V_INTRA_REQUEST, NULL, NULL, 0, 0, 0, NULL)

cdef void _dtr_video_subscribed(AGORA_HANDLE u, const char* user_id, const video_track_info* info,
                                AGORA_HANDLE track) noexcept nogil:
    _dpush_video_event(u, EV_V_SUBSCRIBED, user_id, track, 0, 0, 0, info)

cdef void _dtr_video_state(AGORA_HANDLE u, const char* user_id, AGORA_HANDLE track, int state, int reason,
                           int elapsed) noexcept nogil:
    _dpush_video_event(u, EV_V_STATE, user_id, track, state, reason, elapsed, NULL)

cdef void _dtr_first_video_frame(AGORA_HANDLE u, const char* user_id, int width, int height,
                                 int elapsed) noexcept nogil:
    _dpush_video_event(u, EV_V_FIRST_FRAME, user_id, NULL, width, height, elapsed, NULL)

cdef void _dtr_first_video_decoded(AGORA_HANDLE u, const char* user_id, int width, int height,
                                   int elapsed) noexcept nogil:
    _dpush_video_event(u, EV_V_FIRST_DECODED, user_id, NULL, width, height, elapsed, NULL)


cdef uintptr_t _blob_track(dq_item* it):
    """The track handle of an event carried as a video_event blob (freed here)."""
    cdef uintptr_t track = 0
    if it.frame.buffer != NULL:
        track = (<video_event*>it.frame.buffer).track
        free(it.frame.buffer)
        it.frame.buffer = NULL
    return track


cdef void _deliver_video_event(dq_item* it):
    cdef video_event e
    memcpy(&e, it.frame.buffer, sizeof(video_event))
    free(it.frame.buffer)
    it.frame.buffer = NULL
    cdef int kind = it.kind
    if kind == EV_V_PUBLISH_STATE or kind == EV_V_SUBSCRIBE_STATE:
        _deliver_stream_state(it, &e)
    elif kind == EV_V_PUBLISH_SUCCESS or kind == EV_V_UNPUBLISHED:
        _call_target(_user_targets, it.handle, "_on_video_track_publish_success" if kind == EV_V_PUBLISH_SUCCESS
                     else "_on_video_track_unpublished", (e.track,))
    elif kind == EV_V_INTRA_REQUEST:
        _call_target(_user_targets, it.handle, "_on_intra_request_received", ())
    elif kind == EV_V_SUBSCRIBED:
        if e.has_info:
            e.info.channel_id = it.s2
        _call_target(_user_targets, it.handle, "_on_user_video_track_subscribed",
                     (_text(it.s1), e.track, _track_info_fields(&e.info) if e.has_info else None))
    elif kind == EV_V_STATE:
        _call_target(_user_targets, it.handle, "_on_user_video_track_state_changed",
                     (_text(it.s1), e.track, e.a, e.b, e.c))
    else:
        _call_target(_user_targets, it.handle, "_on_first_remote_video_frame" if kind == EV_V_FIRST_FRAME
                     else "_on_first_remote_video_decoded", (_text(it.s1), e.a, e.b, e.c))
