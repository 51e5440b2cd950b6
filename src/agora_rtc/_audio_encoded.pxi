# --------------------------------------------------------------------------
# Encoded audio (sender, custom track, the loopback's receiver), audio meta
# data and built-in encryption. The receiver of encoded audio is a loopback
# extension (agora_loopback.h), resolved optionally: Agora's library decodes
# received audio and has no such observer.

cdef extern from "agora_c/agora_loopback.h":
    ctypedef struct loopback_audio_encoded_frame_observer:
        void (*on_encoded_audio_frame)(AGORA_HANDLE, user_id_t, const uint8_t*, size_t,
                                       const encoded_audio_frame_info*) noexcept nogil
    int LOOPBACK_AUDIO_MAX_ENCODED
    int LOOPBACK_AUDIO_MAX_META_DATA

ctypedef int (*register_encoded_audio_fn)(AGORA_HANDLE, const loopback_audio_encoded_frame_observer*) noexcept nogil
cdef register_encoded_audio_fn _register_encoded_audio = NULL

AUDIO_MAX_ENCODED = LOOPBACK_AUDIO_MAX_ENCODED
AUDIO_MAX_META_DATA = LOOPBACK_AUDIO_MAX_META_DATA

cdef enum:
    FAMILY_AUDIO_ENCODED = 16
    EV_ENCODED_AUDIO = 220
    EV_AUDIO_META_DATA = 221
    EV_ENCRYPTION_ERROR = 222


cdef void _load_audio_encoded_optional(void* lib):
    global _register_encoded_audio
    _register_encoded_audio = <register_encoded_audio_fn>dlsym(
        lib, b"agora_loopback_local_user_register_audio_encoded_frame_observer")


def factory_create_audio_encoded_sender(uintptr_t factory):
    cdef AGORA_HANDLE f = _ptr(factory, "create_audio_encoded_frame_sender")
    cdef AGORA_HANDLE s
    with nogil:
        s = api.media_node_factory_create_audio_encoded_frame_sender(f)
    return _created(s, "agora_media_node_factory_create_audio_encoded_frame_sender")


def audio_encoded_sender_destroy(uintptr_t sender):
    cdef AGORA_HANDLE s = _ptr(sender, "release")
    with nogil:
        api.audio_encoded_frame_sender_destroy(s)


def service_create_encoded_audio_track(uintptr_t svc, uintptr_t sender, mix_mode):
    cdef AGORA_HANDLE h = _ptr(svc, "create_custom_audio_track_encoded")
    cdef int c_mix_mode = _as_int(mix_mode, "mix_mode")
    cdef AGORA_HANDLE s = _ptr(sender, "create_custom_audio_track_encoded")
    cdef AGORA_HANDLE t
    with nogil:
        t = api.service_create_custom_audio_track_encoded(h, s, c_mix_mode)
    return _created(t, "agora_service_create_custom_audio_track_encoded")


cdef int _get_bytes_buffer(object data, Py_buffer* view, str what) except -1:
    try:
        PyObject_GetBuffer(data, view, PyBUF_C_CONTIGUOUS)
    except (BufferError, ValueError):
        raise ValueError(f"{what} must be a C-contiguous buffer") from None
    except TypeError:
        raise TypeError(f"{what} must support the buffer protocol (bytes, bytearray, memoryview, numpy array), "
                        f"not {type(data).__name__}") from None
    return 0


def audio_encoded_sender_send(uintptr_t sender, data, codec, sample_rate, channels, samples_per_channel, speech=1,
                              send_even_if_empty=1, capture_time_ms=-1):
    """Send one encoded audio frame (*data*: any C-contiguous buffer), without the GIL."""
    cdef AGORA_HANDLE s = _ptr(sender, "send_encoded_audio_frame")
    cdef encoded_audio_frame_info info
    cdef Py_buffer view
    cdef int rc
    info.speech = _as_int(speech, "speech")
    info.codec = _as_int(codec, "codec")
    info.sample_rate_hz = _as_int(sample_rate, "sample_rate")
    info.samples_per_channel = _as_int(samples_per_channel, "samples_per_channel")
    info.send_even_if_empty = _as_int(send_even_if_empty, "send_even_if_empty")
    info.number_of_channels = _as_int(channels, "channels")
    info.capture_time_ms = _as_integer(capture_time_ms, "capture_time_ms")
    _get_bytes_buffer(data, &view, "encoded audio")
    try:
        if view.len == 0 or view.len > LOOPBACK_AUDIO_MAX_ENCODED:
            raise ValueError(f"an encoded audio frame is 1..{LOOPBACK_AUDIO_MAX_ENCODED} bytes, not {view.len}")
        with nogil:
            rc = api.audio_encoded_frame_sender_send(s, <const uint8_t*>view.buf, <uint32_t>view.len, &info)
    finally:
        PyBuffer_Release(&view)
    return _check(rc, "agora_audio_encoded_frame_sender_send")


def user_send_audio_meta_data(uintptr_t user, data):
    cdef AGORA_HANDLE h = _ptr(user, "send_audio_meta_data")
    cdef Py_buffer view
    cdef int rc
    _get_bytes_buffer(data, &view, "audio meta data")
    try:
        if view.len == 0 or view.len > LOOPBACK_AUDIO_MAX_META_DATA:
            raise ValueError(f"audio meta data is 1..{LOOPBACK_AUDIO_MAX_META_DATA} bytes, not {view.len}")
        with nogil:
            rc = api.local_user_send_audio_meta_data(h, <const char*>view.buf, <size_t>view.len)
    finally:
        PyBuffer_Release(&view)
    return _check(rc, "agora_local_user_send_audio_meta_data")


def conn_enable_encryption(uintptr_t conn, bint enabled, mode, str key, bytes salt, bint datastream):
    """The key is handed to the engine for the call only (it keeps a tag, never the key)."""
    cdef AGORA_HANDLE h = _ptr(conn, "enable_encryption")
    cdef encryption_config cfg
    cdef bytes bkey
    cdef int rc
    if len(salt) > 32:
        raise ValueError(f"encryption_kdf_salt is at most 32 bytes, not {len(salt)}")
    bkey = _c_text(key, "encryption_key")
    memset(&cfg, 0, sizeof(cfg))
    cfg.encryption_mode = _as_int(mode, "encryption_mode")
    cfg.encryption_key = bkey
    memcpy(cfg.encryption_kdf_salt, <const char*>salt, len(salt))
    cfg.datastream_encryption_enabled = datastream
    with nogil:
        rc = api.rtc_conn_enable_encryption(h, enabled, &cfg)
    return _check(rc, "agora_rtc_conn_enable_encryption")


# ---- direct callbacks ----

cdef tuple _encoded_audio_info(const encoded_audio_frame_info* i):
    return (i.speech, i.codec, i.sample_rate_hz, i.samples_per_channel, i.send_even_if_empty,
            i.number_of_channels, i.capture_time_ms)


cdef void _tr_encoded_audio(AGORA_HANDLE u, const char* user_id, const uint8_t* data, size_t length,
                            const encoded_audio_frame_info* info) noexcept nogil:
    if agora_python_ready():
        with gil:
            try:
                target = _encoded_audio_targets.get(<uintptr_t>u)
                if target is not None:
                    target._on_encoded_audio_frame(_text(user_id), (<const char*>data)[:length], _encoded_audio_info(info))
            except BaseException:
                _report("on_encoded_audio_frame")


cdef void _tr_audio_meta_data(AGORA_HANDLE u, const char* user_id, const char* data, size_t length) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_audio_meta_data_received", (_text(user_id), data[:length]))


cdef void _tr_encryption_error(AGORA_HANDLE c, int error_type) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_encryption_error", (error_type,))


# ---- dispatched: one malloc'd blob (info + bytes) per item, owned by the queue ----

ctypedef struct audio_encoded_blob:
    encoded_audio_frame_info info
    size_t length


cdef void _dtr_encoded_audio(AGORA_HANDLE u, const char* user_id, const uint8_t* data, size_t length,
                             const encoded_audio_frame_info* info) noexcept nogil:
    cdef audio_encoded_blob* b = <audio_encoded_blob*>malloc(sizeof(audio_encoded_blob) + length)
    if b == NULL:
        return
    b.info = info[0]
    b.length = length
    memcpy(<uint8_t*>(b + 1), data, length)
    dq_route_push_blob(FAMILY_AUDIO_ENCODED, EV_ENCODED_AUDIO, <uintptr_t>u, user_id, NULL, b)


cdef void _dtr_audio_meta_data(AGORA_HANDLE u, const char* user_id, const char* data, size_t length) noexcept nogil:
    cdef size_t* b = <size_t*>malloc(sizeof(size_t) + length)
    if b == NULL:
        return
    b[0] = length
    memcpy(<char*>(b + 1), data, length)
    dq_route_push_blob(FAMILY_USER, EV_AUDIO_META_DATA, <uintptr_t>u, user_id, NULL, b)


cdef void _dtr_encryption_error(AGORA_HANDLE c, int error_type) noexcept nogil:
    dq_route_push(FAMILY_CONN, EV_ENCRYPTION_ERROR, <uintptr_t>c, error_type, 0, NULL, NULL, NULL)


cdef void _deliver_audio_encoded_event(dq_item* it):
    cdef void* blob = it.frame.buffer
    cdef audio_encoded_blob* b
    it.frame.buffer = NULL
    if it.kind == EV_ENCRYPTION_ERROR:
        _call_target(_conn_targets, it.handle, "_on_encryption_error", (it.i1,))
        return
    try:
        if it.kind == EV_ENCODED_AUDIO:
            b = <audio_encoded_blob*>blob
            data = (<const char*>(b + 1))[:b.length]
            info = _encoded_audio_info(&b.info)
        else:
            data = (<const char*>(<size_t*>blob + 1))[:(<size_t*>blob)[0]]
    finally:
        free(blob)
    if it.kind == EV_ENCODED_AUDIO:
        _call_target(_encoded_audio_targets, it.handle, "_on_encoded_audio_frame", (_text(it.s1), data, info))
    else:
        _call_target(_user_targets, it.handle, "_on_audio_meta_data_received", (_text(it.s1), data))


cdef loopback_audio_encoded_frame_observer _encoded_audio_observer
cdef loopback_audio_encoded_frame_observer _encoded_audio_observer_d
_encoded_audio_observer.on_encoded_audio_frame = _tr_encoded_audio
_encoded_audio_observer_d.on_encoded_audio_frame = _dtr_encoded_audio


def user_register_audio_encoded_observer(uintptr_t user, target, Dispatcher dispatcher=None):
    """Receive remote users' encoded audio (loopback engine only: Agora's library decodes it)."""
    cdef AGORA_HANDLE h = _ptr(user, "register_audio_encoded_frame_observer")
    cdef int rc
    if _register_encoded_audio == NULL:
        raise AgoraError("register_audio_encoded_frame_observer (this engine decodes received audio and has "
                         "no encoded audio receiver: use an audio frame observer)", -4)
    _encoded_audio_targets[user] = target
    if dispatcher is not None:
        route(user, FAMILY_AUDIO_ENCODED, dispatcher)
    with nogil:
        rc = _register_encoded_audio(h, &_encoded_audio_observer if dispatcher is None else &_encoded_audio_observer_d)
    if rc < 0:
        _encoded_audio_targets.pop(user, None)
        dq_route_clear(user, FAMILY_AUDIO_ENCODED)
    return _check(rc, "agora_loopback_local_user_register_audio_encoded_frame_observer")


def user_unregister_audio_encoded_observer(uintptr_t user):
    cdef AGORA_HANDLE h = _ptr(user, "unregister_audio_encoded_frame_observer")
    cdef int rc = 0
    if _register_encoded_audio != NULL:
        with nogil:
            rc = _register_encoded_audio(h, NULL)
    dq_route_clear(user, FAMILY_AUDIO_ENCODED)
    _encoded_audio_targets.pop(user, None)
    return _check(rc, "agora_loopback_local_user_register_audio_encoded_frame_observer")
