# Included by _core.pyx (it shares the function table): video senders, tracks,
# received frames and the video frame observers.

from cpython.buffer cimport PyBUF_RECORDS_RO, PyBUF_ND, PyBUF_STRIDES

cdef extern from "agora_c/agora_loopback.h":
    enum:
        LOOPBACK_VIDEO_MAX_METADATA
        LOOPBACK_VIDEO_MAX_ENCODED
    ctypedef struct loopback_video_track_stats:
        unsigned long long sent_frames, dropped_frames, discarded_frames, sent_bytes, queued_frames
        int last_width, last_height

ctypedef int (*loopback_video_stats_fn)(AGORA_HANDLE, loopback_video_track_stats*) noexcept nogil
cdef loopback_video_stats_fn _loopback_video_stats = NULL
# Keeping a delivered frame's memory alive while Python views of its planes exist (loopback engine only).
ctypedef void* (*video_frame_hold_fn)() noexcept nogil
ctypedef void (*video_frame_release_fn)(void*) noexcept nogil
cdef video_frame_hold_fn _video_frame_hold = NULL
cdef video_frame_release_fn _video_frame_release = NULL
cdef bint _frame_holds_off = False  # tests: behave as with Agora's library, which has no holds


def _use_video_frame_holds(bint enabled):
    """Tests only: whether direct callbacks take the loopback engine's frame holds."""
    global _frame_holds_off
    _frame_holds_off = not enabled

# VIDEO_PIXEL_FORMAT codes a raw frame may have: C constants for the per-frame checks, the same
# values as Python names.
cdef enum:
    FMT_I420 = 1
    FMT_BGRA = 2
    FMT_NV21 = 3
    FMT_RGBA = 4
    FMT_NV12 = 8
PIXEL_I420 = FMT_I420
PIXEL_BGRA = FMT_BGRA
PIXEL_NV21 = FMT_NV21
PIXEL_RGBA = FMT_RGBA
PIXEL_NV12 = FMT_NV12
_FORMAT_NAMES = {1: "I420", 2: "BGRA", 3: "NV21", 4: "RGBA", 8: "NV12"}


cdef void _load_video_optional(void* lib):
    global _loopback_video_stats, _video_frame_hold, _video_frame_release
    _loopback_video_stats = <loopback_video_stats_fn>dlsym(lib, b"agora_loopback_video_track_get_stats")
    _video_frame_hold = <video_frame_hold_fn>dlsym(lib, b"agora_loopback_video_frame_hold")
    _video_frame_release = <video_frame_release_fn>dlsym(lib, b"agora_loopback_video_frame_release")
    if _video_frame_hold == NULL or _video_frame_release == NULL:
        _video_frame_hold, _video_frame_release = NULL, NULL


# --------------------------------------------------------------------------
# Senders and tracks

def factory_create_video_sender(uintptr_t factory, bint encoded=False):
    cdef AGORA_HANDLE f = _ptr(factory, "create_video_sender")
    cdef AGORA_HANDLE s
    with nogil:
        s = (api.media_node_factory_create_video_encoded_image_sender(f) if encoded
             else api.media_node_factory_create_video_frame_sender(f))
    return _created(s, "agora_media_node_factory_create_video_encoded_image_sender" if encoded
                    else "agora_media_node_factory_create_video_frame_sender")


def video_sender_destroy(uintptr_t sender, bint encoded=False):
    cdef AGORA_HANDLE s = _ptr(sender, "release")
    with nogil:
        if encoded:
            api.video_encoded_image_sender_destroy(s)
        else:
            api.video_frame_sender_destroy(s)


def service_create_video_track(uintptr_t svc, uintptr_t sender, bint encoded=False, cc_mode=0, codec_type=2,
                               target_bitrate=0):
    cdef AGORA_HANDLE sv = _ptr(svc, "create_custom_video_track")
    cdef AGORA_HANDLE s = _ptr(sender, "create_custom_video_track")
    cdef AGORA_HANDLE t
    cdef sender_options opts
    opts.cc_mode = _as_int(cc_mode, "cc_mode")
    opts.codec_type = _as_int(codec_type, "codec_type")
    opts.target_bitrate = _as_int(target_bitrate, "target_bitrate")
    with nogil:
        t = (api.service_create_custom_video_track_encoded(sv, s, &opts) if encoded
             else api.service_create_custom_video_track_frame(sv, s))
    return _created(t, "agora_service_create_custom_video_track_encoded" if encoded
                    else "agora_service_create_custom_video_track_frame")


def video_track_destroy(uintptr_t track):
    cdef AGORA_HANDLE t = _ptr(track, "release")
    with nogil:
        api.local_video_track_destroy(t)


def video_track_set_enabled(uintptr_t track, bint enabled):
    cdef AGORA_HANDLE t = _ptr(track, "set_enabled")
    cdef int rc
    with nogil:
        rc = api.local_video_track_set_enabled(t, enabled)
    return _check(rc, "agora_local_video_track_set_enabled")


def video_track_get_state(uintptr_t track):
    cdef AGORA_HANDLE t = _ptr(track, "get_state")
    cdef int rc
    with nogil:
        rc = api.local_video_track_get_state(t)
    return _check(rc, "agora_local_video_track_get_state")


def video_track_set_encoder_config(uintptr_t track, codec_type, width, height, frame_rate, bitrate, min_bitrate=-1,
                                   orientation_mode=0, degradation_preference=0, mirror_mode=0, encode_alpha=0):
    cdef AGORA_HANDLE t = _ptr(track, "set_video_encoder_configuration")
    cdef video_encoder_config cfg
    memset(&cfg, 0, sizeof(cfg))
    cfg.codec_type = _as_int(codec_type, "codec_type")
    cfg.dimensions.width = _as_int(width, "width")
    cfg.dimensions.height = _as_int(height, "height")
    cfg.frame_rate = _as_int(frame_rate, "frame_rate")
    cfg.bitrate = _as_int(bitrate, "bitrate")
    cfg.min_bitrate = _as_int(min_bitrate, "min_bitrate")
    cfg.orientation_mode = _as_int(orientation_mode, "orientation_mode")
    cfg.degradation_preference = _as_int(degradation_preference, "degradation_preference")
    cfg.mirror_mode = _as_int(mirror_mode, "mirror_mode")
    cfg.encode_alpha = _as_int(encode_alpha, "encode_alpha")
    cdef int rc
    with nogil:
        rc = api.local_video_track_set_video_encoder_config(t, &cfg)
    return _check(rc, "agora_local_video_track_set_video_encoder_config")


def video_track_enable_simulcast(uintptr_t track, bint enabled, width=0, height=0, bitrate=0, framerate=0):
    cdef AGORA_HANDLE t = _ptr(track, "enable_simulcast_stream")
    cdef simulcast_stream_config cfg
    cfg.dimensions.width = _as_int(width, "width")
    cfg.dimensions.height = _as_int(height, "height")
    cfg.bitrate = _as_int(bitrate, "bitrate")
    cfg.framerate = _as_int(framerate, "framerate")
    cdef int rc
    with nogil:
        rc = api.local_video_track_enable_simulcast_stream(t, enabled, &cfg)
    return _check(rc, "agora_local_video_track_enable_simulcast_stream")


def video_track_stats(uintptr_t track):
    """Loopback engine counters of a local video track (None with Agora's library)."""
    cdef AGORA_HANDLE t = _ptr(track, "stats")
    cdef loopback_video_track_stats st
    if _loopback_video_stats == NULL:
        return None
    cdef int rc
    with nogil:
        rc = _loopback_video_stats(t, &st)
    _check(rc, "agora_loopback_video_track_get_stats")
    return {"sent_frames": st.sent_frames, "dropped_frames": st.dropped_frames,
            "discarded_frames": st.discarded_frames, "sent_bytes": st.sent_bytes,
            "queued_frames": st.queued_frames, "last_width": st.last_width, "last_height": st.last_height}


def remote_video_get_track_info(uintptr_t track):
    """VideoTrackInfo's fields for a remote video track, in order (None if the library has none)."""
    cdef AGORA_HANDLE t = _ptr(track, "get_track_info")
    cdef video_track_info* info
    with nogil:
        info = api.remote_video_track_get_track_info(t)
    if info == NULL:
        return None
    try:
        return _track_info_fields(info)
    finally:
        api.remote_video_track_destroy_track_info(t, info)


def remote_video_get_state(uintptr_t track):
    cdef AGORA_HANDLE t = _ptr(track, "get_state")
    cdef int rc
    with nogil:
        rc = api.remote_video_track_get_state(t)
    return _check(rc, "agora_remote_video_track_get_state")


def user_publish_video(uintptr_t user, uintptr_t track, bint publish=True):
    cdef AGORA_HANDLE u = _ptr(user, "publish_video")
    cdef AGORA_HANDLE t = _ptr(track, "publish_video")
    cdef int rc
    with nogil:
        rc = api.local_user_publish_video(u, t) if publish else api.local_user_unpublish_video(u, t)
    return _check(rc, "agora_local_user_publish_video" if publish else "agora_local_user_unpublish_video")


def user_send_intra_request(uintptr_t user, user_id):
    """Ask *user_id* (a video publisher in the channel) for a key frame."""
    cdef AGORA_HANDLE u = _ptr(user, "send_intra_request")
    cdef bytes uid = _user_id_bytes(user_id)
    cdef const char* c_uid = uid
    cdef int rc
    with nogil:
        rc = api.local_user_send_intra_request(u, c_uid)
    return _check(rc, "agora_local_user_send_intra_request")


def user_subscribe_video(uintptr_t user, user_id, bint subscribe=True, stream_type=0,
                         bint encoded_frame_only=False):
    """Subscribe to one user's video (*user_id*) or everyone's (None)."""
    cdef AGORA_HANDLE u = _ptr(user, "subscribe_video")
    cdef video_subscription_options opts
    opts.type = _as_int(stream_type, "stream_type")
    opts.encoded_frame_only = encoded_frame_only
    cdef bytes uid = None
    cdef const char* p = NULL
    if user_id is not None:
        uid = _user_id_bytes(user_id)
        p = uid
    cdef int rc
    with nogil:
        if p == NULL:
            rc = api.local_user_subscribe_all_video(u, &opts) if subscribe else api.local_user_unsubscribe_all_video(u)
        else:
            rc = api.local_user_subscribe_video(u, p, &opts) if subscribe else api.local_user_unsubscribe_video(u, p)
    return _check(rc, "agora_local_user_subscribe_video" if subscribe else "agora_local_user_unsubscribe_video")


cdef bytes _user_id_bytes(user_id):
    b = _c_text(user_id, "user_id")
    if not b or len(b) > 255:
        raise ValueError(f"user_id must be 1-255 bytes of UTF-8 without NUL, not {user_id!r}")
    return b


# --------------------------------------------------------------------------
# Sending raw frames

cdef inline int _pixel_bytes(int fmt) noexcept:
    return 4 if fmt == FMT_RGBA or fmt == FMT_BGRA else 1


cdef inline bint _known_format(int fmt) noexcept:
    # in C: send() is the per-frame path (a dict lookup of a boxed int costs as much as the rest of the checks)
    return fmt == FMT_I420 or fmt == FMT_NV12 or fmt == FMT_NV21 or fmt == FMT_RGBA or fmt == FMT_BGRA


# Error-message helpers kept out of send(): a generator expression inside a function makes Cython
# allocate a closure scope on every call of it, error or not (~170 instructions per frame); list
# comprehensions need none.
cdef str _format_choices():
    return ", ".join([f"{v} ({k})" for k, v in _FORMAT_NAMES.items()])


cdef tuple _shape_of(const Py_buffer* view):
    return tuple([view.shape[i] for i in range(view.ndim)])


cdef class _OfficialRecord:
    """What the official SDK's dataclasses give that ours, kept in C for the
    send paths, give too: ``==``, ``repr`` and pickling over the official
    fields (``_FIELDS``, in the official order), extra attributes."""

    cdef dict __dict__  # extra attributes, as on the dataclass
    _FIELDS = ()

    def _fields(self):
        return {name: getattr(self, name) for name in self._FIELDS}

    def __repr__(self):
        fields = ", ".join(f"{name}={value!r}" for name, value in self._fields().items())
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # mutable, like the dataclass

    def __reduce__(self):
        return _rebuild_official_record, (type(self), self._fields())


def _rebuild_official_record(cls, fields):
    return cls(**fields)


cdef class ExternalVideoFrame(_OfficialRecord):
    """A raw frame to send (official fields, keyword arguments). ``stride`` is
    in pixels; the visible width is ``stride - crop_left - crop_right``.
    ``buffer`` may be any buffer (bytes, bytearray, numpy array).
    ``alpha_buffer`` is used only when ``fill_alpha_buffer`` is set (as in the
    official SDK); with RGBA/BGRA and no alpha_buffer, ``fill_alpha_buffer``
    takes alpha from the pixels.

    The official SDK's is a dataclass; this one keeps its fields in C, so a
    new frame per call costs ~8x less to make and ``send_video_frame`` reads
    them without attribute lookups. It compares, prints and pickles like the
    dataclass; ``matrix`` and ``color_space`` are made on first access (one
    per frame, as the official default factories)."""

    cdef public object type, format, buffer, stride, height, crop_left, crop_top, crop_right, crop_bottom
    cdef public object rotation, timestamp, egl_context, egl_type, texture_id, metadata, alpha_buffer
    cdef public object fill_alpha_buffer, alpha_mode
    cdef object _matrix, _color_space
    _FIELDS = ("type", "format", "buffer", "stride", "height", "crop_left", "crop_top", "crop_right", "crop_bottom",
               "rotation", "timestamp", "egl_context", "egl_type", "texture_id", "matrix", "metadata", "alpha_buffer",
               "fill_alpha_buffer", "alpha_mode", "color_space")

    def __init__(self, *, type=1, format=0, buffer=None, stride=0, height=0, crop_left=0, crop_top=0,
                 crop_right=0, crop_bottom=0, rotation=0, timestamp=0, egl_context=None, egl_type=0,
                 texture_id=0, matrix=None, metadata=None, alpha_buffer=None, fill_alpha_buffer=0,
                 alpha_mode=0, color_space=None):
        self.type = type
        self.format = format
        self.buffer = buffer
        self.stride = stride
        self.height = height
        self.crop_left = crop_left
        self.crop_top = crop_top
        self.crop_right = crop_right
        self.crop_bottom = crop_bottom
        self.rotation = rotation
        self.timestamp = timestamp
        self.egl_context = egl_context
        self.egl_type = egl_type
        self.texture_id = texture_id
        self._matrix = matrix
        self.metadata = metadata
        self.alpha_buffer = alpha_buffer
        self.fill_alpha_buffer = fill_alpha_buffer
        self.alpha_mode = alpha_mode
        self._color_space = color_space

    @property
    def matrix(self):
        if self._matrix is None:
            self._matrix = []
        return self._matrix

    @matrix.setter
    def matrix(self, value):
        self._matrix = value

    @property
    def color_space(self):
        if self._color_space is None:
            from agora_rtc.video import ColorSpaceType  # a dataclass of the façade, made when first read
            self._color_space = ColorSpaceType()
        return self._color_space

    @color_space.setter
    def color_space(self, value):
        self._color_space = value

cdef class EncodedVideoFrameInfo(_OfficialRecord):
    """The info sent and received with an encoded image (official fields and
    defaults, keyword arguments), kept in C like ``ExternalVideoFrame``."""

    cdef public object codec_type, width, height, frames_per_second, frame_type, rotation, track_id
    cdef public object capture_time_ms, decode_time_ms, uid, stream_type, presentation_ms
    _FIELDS = ("codec_type", "width", "height", "frames_per_second", "frame_type", "rotation", "track_id",
               "capture_time_ms", "decode_time_ms", "uid", "stream_type", "presentation_ms")

    def __init__(self, *, codec_type=0, width=0, height=0, frames_per_second=0, frame_type=0, rotation=0,
                 track_id=0, capture_time_ms=0, decode_time_ms=0, uid=0, stream_type=0, presentation_ms=0):
        self.codec_type = codec_type
        self.width = width
        self.height = height
        self.frames_per_second = frames_per_second
        self.frame_type = frame_type
        self.rotation = rotation
        self.track_id = track_id
        self.capture_time_ms = capture_time_ms
        self.decode_time_ms = decode_time_ms
        self.uid = uid
        self.stream_type = stream_type
        self.presentation_ms = presentation_ms


cdef str _frame_shape(int width, int height, int buffer_height, int crop_left, int crop_top):
    """How an error message names the frame: its size, and with crops where the window sits."""
    if buffer_height == height and crop_left == 0:
        return f"{width}x{height} frame"
    return f"{width}x{height} window at ({crop_left}, {crop_top}) of a {buffer_height}-row frame"


cdef class _Sender:
    """An engine sender's handle, kept in C so the send paths reach it without an attribute lookup."""

    cdef AGORA_HANDLE _h

    def __cinit__(self):
        self._h = NULL

    cdef inline AGORA_HANDLE _handle(self) except NULL:
        if self._h == NULL:
            raise ValueError(f"{type(self).__name__} was released")
        return self._h

    @property
    def handle(self):
        return <uintptr_t>self._h

    def _set_handle(self, uintptr_t h):
        self._h = <AGORA_HANDLE>h


cdef class EncodedVideoSender(_Sender):
    """Low-level encoded image sender: the access unit is read from its buffer in place (no copy in Python)."""

    def send_encoded_video_image(self, data, frame_info, _size=None):
        """Send one access unit (bytes-like) with its ``EncodedVideoFrameInfo``. Returns 1 (Agora's C API
        returns a bool).

        The official signature ``(buffer_ptr, buffer_size, frame_info)`` takes a raw
        address; here pass the bytes themselves (an address cannot be checked)."""
        if isinstance(data, int):
            raise TypeError("send_encoded_video_image() takes the encoded bytes (bytes, bytearray, numpy array), "
                            "not a raw address; use send_encoded_video_image(data, info)")
        if not isinstance(frame_info, EncodedVideoFrameInfo):
            if not isinstance(_size, EncodedVideoFrameInfo):  # the official order is (data, size, info)
                raise TypeError(f"frame_info must be an EncodedVideoFrameInfo, not {type(frame_info).__name__}")
            with memoryview(data) as view:
                if frame_info != view.nbytes:  # the official's buffer_size: what it would have sent
                    raise ValueError(f"buffer_size {frame_info!r} disagrees with the data's {view.nbytes} bytes")
            frame_info = _size
        return _encoded_send(self._handle(), data, <EncodedVideoFrameInfo>frame_info)

    def send_encoded_video_image_withbytes(self, data, frame_info):
        return self.send_encoded_video_image(data, frame_info)


cdef class VideoSender(_Sender):
    """Low-level raw video frame sender: ``send()`` takes any buffer without a
    Python-side copy and converts/copies in C with the GIL released."""

    def send(self, data, Py_ssize_t format, Py_ssize_t width, Py_ssize_t height, *, Py_ssize_t stride=0,
             Py_ssize_t rotation=0, Py_ssize_t timestamp_ms=0, metadata=None, alpha=None, bint fill_alpha=False,
             Py_ssize_t buffer_type=1):
        """Send one frame of *width* x *height* pixels in *format*
        (``PIXEL_I420``, ``PIXEL_NV12``, ``PIXEL_NV21``, ``PIXEL_RGBA``, ``PIXEL_BGRA``).

        *data*: a 1-D buffer of the whole frame, or a numpy array whose rows
        are the frame's rows (RGBA: ``(height, width, 4)``; I420/NV12:
        ``(height * 3 // 2, width)``) -- padded rows allowed, the row stride
        sets the line stride. *stride* (pixels) defaults to the array's row
        stride or to *width*. *alpha*: ``width * height`` bytes sent with the
        frame; *fill_alpha*: take alpha from RGBA/BGRA pixels. *metadata*:
        bytes carried with the frame.
        """
        # Py_ssize_t arguments: converted with __index__ (a float is a TypeError, not truncated), then checked
        # against the C int range here.
        _need_int(format, "format")
        _need_int(width, "width")
        _need_int(height, "height")
        _need_int(stride, "stride")
        _need_int(rotation, "rotation")
        _need_int(buffer_type, "buffer_type")
        return self._send(data, <int>format, <int>width, <int>height, <int>stride, <int>rotation, timestamp_ms,
                          metadata, alpha, fill_alpha, <int>buffer_type, 0, 0, 0)

    def send_video_frame(self, frame):
        """Send an ``ExternalVideoFrame`` (the official call). ``stride`` and
        ``height`` (pixels) describe the whole buffer; what goes out is its
        window without the ``crop_*`` edges: ``stride - crop_left - crop_right``
        by ``height - crop_top - crop_bottom``."""
        if not isinstance(frame, ExternalVideoFrame):
            raise TypeError(f"send_video_frame() takes an ExternalVideoFrame, not {type(frame).__name__}")
        cdef ExternalVideoFrame f = <ExternalVideoFrame>frame
        if f.buffer is None:
            raise ValueError("ExternalVideoFrame.buffer is None")
        cdef int stride = _as_int(f.stride, "ExternalVideoFrame.stride")
        cdef int height = _as_int(f.height, "ExternalVideoFrame.height")
        cdef int crop_left = _as_int(f.crop_left, "ExternalVideoFrame.crop_left")
        cdef int crop_top = _as_int(f.crop_top, "ExternalVideoFrame.crop_top")
        cdef int crop_right = _as_int(f.crop_right, "ExternalVideoFrame.crop_right")
        cdef int crop_bottom = _as_int(f.crop_bottom, "ExternalVideoFrame.crop_bottom")
        if crop_left < 0 or crop_top < 0 or crop_right < 0 or crop_bottom < 0:
            raise ValueError(f"ExternalVideoFrame crops must be >= 0, not left {crop_left}, top {crop_top}, "
                             f"right {crop_right}, bottom {crop_bottom}")
        if stride <= 0 or height <= 0:
            raise ValueError(f"ExternalVideoFrame.stride and height must be positive, not {stride} and {height}")
        # in long long: two crops near INT_MAX would overflow int; after these the window's sums fit
        if <long long>crop_left + crop_right >= stride:
            raise ValueError(f"ExternalVideoFrame crops leave no columns: crop_left {crop_left} + crop_right "
                             f"{crop_right} >= stride {stride}")
        if <long long>crop_top + crop_bottom >= height:
            raise ValueError(f"ExternalVideoFrame crops leave no rows: crop_top {crop_top} + crop_bottom "
                             f"{crop_bottom} >= height {height}")
        alpha = f.alpha_buffer if f.fill_alpha_buffer else None
        cdef bint fill = bool(f.fill_alpha_buffer) and alpha is None
        return self._send(f.buffer, _as_int(f.format, "ExternalVideoFrame.format"),
                          stride - crop_left - crop_right, height - crop_top - crop_bottom, stride,
                          _as_int(f.rotation, "ExternalVideoFrame.rotation"),
                          _as_integer(f.timestamp, "ExternalVideoFrame.timestamp"), f.metadata, alpha, fill,
                          _as_int(f.type, "ExternalVideoFrame.type"), crop_left, crop_top, crop_bottom)

    cdef object _send(self, data, int format, int width, int height, int stride, int rotation,
                      long long timestamp_ms, metadata, alpha, bint fill_alpha, int buffer_type,
                      int crop_left, int crop_top, int crop_bottom):
        # width x height: the window sent; the buffer's rows start crop_left pixels before it and it
        # has crop_top rows above and crop_bottom rows below (crops >= 0: the callers see to it)
        cdef AGORA_HANDLE h = self._handle()
        if not _known_format(format):
            raise ValueError(f"unknown pixel format {format}; expected one of "
                             + _format_choices())
        if width <= 0 or height <= 0:
            raise ValueError(f"width and height must be positive, not {width}x{height}")
        cdef int px = _pixel_bytes(format)
        cdef bint yuv = px == 1
        if yuv and (width % 2 or height % 2):
            raise ValueError(f"{_FORMAT_NAMES[format]} frames need even width and height, not {width}x{height}")
        if yuv and (crop_left % 2 or crop_top % 2 or crop_bottom % 2):
            raise ValueError(f"{_FORMAT_NAMES[format]} crops must be even (4:2:0 chroma), not left {crop_left}, "
                             f"top {crop_top}, bottom {crop_bottom}")
        cdef int buffer_height = crop_top + height + crop_bottom
        cdef int span = crop_left + width  # pixels of each buffer row up to the window's right edge
        if rotation != 0 and rotation != 90 and rotation != 180 and rotation != 270:
            raise ValueError(f"rotation must be 0, 90, 180 or 270, not {rotation}")
        cdef Py_buffer view
        try:
            PyObject_GetBuffer(data, &view, PyBUF_RECORDS_RO)
        except TypeError:
            raise TypeError(f"frame data must support the buffer protocol (bytes, bytearray, numpy array), "
                            f"not {type(data).__name__}") from None
        except BufferError as e:
            raise ValueError(f"frame data is not a readable strided buffer: {e}") from None
        cdef Py_buffer mview
        cdef Py_buffer aview
        cdef bint have_meta = False, have_alpha = False
        cdef external_video_frame f
        cdef int rc
        cdef Py_ssize_t row_bytes, rows, need
        try:
            if view.itemsize != 1 and not (view.ndim >= 1 and view.itemsize == 4 and px == 4):
                raise ValueError(f"frame data must be bytes (uint8), not items of {view.itemsize} bytes")
            rows = <Py_ssize_t>buffer_height * 3 // 2 if yuv else buffer_height  # 64-bit: a huge height must not wrap
            if view.ndim <= 1:
                if view.ndim == 1 and view.strides != NULL and view.strides[0] != view.itemsize:
                    raise ValueError("a 1-D frame buffer must be contiguous")
                if stride == 0:
                    stride = span
                row_bytes = <Py_ssize_t>stride * px
                need = row_bytes * rows
                if yuv and stride % 2:
                    raise ValueError(f"{_FORMAT_NAMES[format]} stride must be even, not {stride}")
                if view.len != need:
                    raise ValueError(f"{_FORMAT_NAMES[format]} {_frame_shape(width, height, buffer_height, crop_left, crop_top)}"
                                     f" with stride {stride} needs {need} bytes, got {view.len}")
            else:
                # Rows of pixels: each row contiguous, rows row_stride bytes apart.
                if view.ndim > 3:
                    raise ValueError(f"frame arrays have 2 or 3 dimensions, not {view.ndim}")
                if view.shape[0] != rows:
                    raise ValueError(f"{_FORMAT_NAMES[format]} {_frame_shape(width, height, buffer_height, crop_left, crop_top)}"
                                     f" needs {rows} rows, got shape {_shape_of(&view)}")
                row_bytes = view.shape[1] * view.itemsize * (view.shape[2] if view.ndim == 3 else 1)
                # rows up to the window's right edge, or whole rows of the stride given
                if row_bytes != <Py_ssize_t>span * px and not (stride and row_bytes == <Py_ssize_t>stride * px):
                    raise ValueError(f"{_FORMAT_NAMES[format]} rows of {span} pixels hold {span * px} bytes, "
                                     f"got {row_bytes} (shape "
                                     f"{_shape_of(&view)})")
                if view.strides[view.ndim - 1] != view.itemsize or (
                        view.ndim == 3 and view.strides[1] != view.shape[2] * view.itemsize):
                    raise ValueError("each row of the frame array must be contiguous (use numpy.ascontiguousarray)")
                if view.strides[0] < row_bytes or view.strides[0] % px:
                    raise ValueError(f"row stride {view.strides[0]} bytes does not fit rows of {row_bytes} bytes")
                if yuv and view.strides[0] != row_bytes:  # the engine reads chroma rows at half the stride, packed
                    raise ValueError(f"{_FORMAT_NAMES[format]} arrays must have contiguous rows (row stride "
                                     f"{view.strides[0]} bytes for rows of {row_bytes}); for padded rows pass the "
                                     f"whole buffer, 1-D, with stride=")
                if stride == 0:
                    stride = <int>(view.strides[0] // px)
                elif <Py_ssize_t>stride * px != view.strides[0]:
                    raise ValueError(f"stride {stride} px disagrees with the array's row stride "
                                     f"{view.strides[0]} bytes")
                if yuv and stride % 2:
                    raise ValueError(f"{_FORMAT_NAMES[format]} stride must be even, not {stride}")
            if stride < span:
                raise ValueError(f"stride {stride} is smaller than width {width}" if crop_left == 0 else
                                 f"stride {stride} is smaller than crop_left + width ({crop_left} + {width})")
            memset(&f, 0, sizeof(f))
            f.type = buffer_type
            f.format = format
            f.buffer = view.buf
            f.stride = stride
            f.height = buffer_height
            f.crop_left = crop_left
            f.crop_top = crop_top
            f.crop_right = stride - span  # padding at the end of each row
            f.crop_bottom = crop_bottom
            f.rotation = rotation
            f.timestamp = timestamp_ms
            f.fill_alpha_buffer = fill_alpha
            if metadata is not None:
                PyObject_GetBuffer(metadata, &mview, PyBUF_C_CONTIGUOUS)
                have_meta = True
                if mview.len > LOOPBACK_VIDEO_MAX_METADATA:
                    raise ValueError(f"metadata holds {mview.len} bytes; at most {LOOPBACK_VIDEO_MAX_METADATA}")
                f.metadata_buffer = <uint8_t*>mview.buf
                f.metadata_size = <int>mview.len
            if alpha is not None:
                PyObject_GetBuffer(alpha, &aview, PyBUF_C_CONTIGUOUS)
                have_alpha = True
                if aview.len != <Py_ssize_t>width * height:
                    raise ValueError(f"alpha holds {aview.len} bytes; expected {width * height} "
                                     f"(one byte per pixel of {width}x{height})")
                f.alpha_buffer = aview.buf
            with nogil:
                rc = api.video_frame_sender_send(h, &f)
        finally:
            PyBuffer_Release(&view)
            if have_meta:
                PyBuffer_Release(&mview)
            if have_alpha:
                PyBuffer_Release(&aview)
        return _sent(rc, "agora_video_frame_sender_send", "create_custom_video_track_frame")


cdef object _encoded_send(AGORA_HANDLE s, data, EncodedVideoFrameInfo i):
    """Send one encoded image (an access unit) with its info (fields read in C); returns 1 like Agora's C API."""
    cdef encoded_video_frame_info info
    memset(&info, 0, sizeof(info))
    info.codec_type = _as_int(i.codec_type, "EncodedVideoFrameInfo.codec_type")
    info.width = _as_int(i.width, "EncodedVideoFrameInfo.width")
    info.height = _as_int(i.height, "EncodedVideoFrameInfo.height")
    info.frames_per_second = _as_int(i.frames_per_second, "EncodedVideoFrameInfo.frames_per_second")
    info.frame_type = _as_int(i.frame_type, "EncodedVideoFrameInfo.frame_type")
    info.rotation = _as_int(i.rotation, "EncodedVideoFrameInfo.rotation")
    info.track_id = _as_int(i.track_id, "EncodedVideoFrameInfo.track_id")
    info.capture_time_ms = _as_integer(i.capture_time_ms, "EncodedVideoFrameInfo.capture_time_ms")
    info.decode_time_ms = _as_integer(i.decode_time_ms, "EncodedVideoFrameInfo.decode_time_ms")
    info.uid = _as_uint(i.uid, "EncodedVideoFrameInfo.uid")
    info.stream_type = _as_int(i.stream_type, "EncodedVideoFrameInfo.stream_type")
    cdef Py_buffer view
    try:
        PyObject_GetBuffer(data, &view, PyBUF_C_CONTIGUOUS)
    except TypeError:
        raise TypeError(f"encoded image must support the buffer protocol (bytes, bytearray, numpy array), "
                        f"not {type(data).__name__}") from None
    except (BufferError, ValueError):  # numpy says "not C-contiguous" with a ValueError
        raise ValueError("encoded image must be a C-contiguous buffer") from None
    cdef int rc
    try:
        if view.len == 0:
            raise ValueError("encoded image is empty")
        if view.len > LOOPBACK_VIDEO_MAX_ENCODED:
            raise ValueError(f"encoded image holds {view.len} bytes; at most {LOOPBACK_VIDEO_MAX_ENCODED}")
        if info.stream_type not in (0, 1):
            raise ValueError(f"stream_type must be 0 (high) or 1 (low), not {info.stream_type}")
        if info.rotation not in (0, 90, 180, 270):  # as a raw frame's
            raise ValueError(f"EncodedVideoFrameInfo.rotation must be 0, 90, 180 or 270, not {info.rotation}")
        if info.width < 0 or info.height < 0:
            raise ValueError(f"EncodedVideoFrameInfo width and height must be >= 0, not {info.width}x{info.height}")
        with nogil:
            rc = api.video_encoded_image_sender_send(s, <const uint8_t*>view.buf, <uint32_t>view.len, &info)
    finally:
        PyBuffer_Release(&view)
    return _sent(rc, "agora_video_encoded_image_sender_send", "create_custom_video_track_encoded")


# --------------------------------------------------------------------------
# Received frames

@cython.freelist(8)
cdef class VideoPlane:
    """One plane of a received I420 frame: ``numpy.asarray(plane)`` is a
    ``(height, width)`` uint8 view of the frame's memory, valid for as long as
    the view lives. On the loopback engine that is the engine's memory (no
    copy: a view keeps it alive); with Agora's library, which frees it after
    the callback, the frame copies its planes once, at the first view."""

    cdef VideoFrame _frame
    cdef int _which       # 0, 1, 2: Y, U, V (the address is read at use: detach() moves the planes)
    cdef uint8_t* _data
    cdef Py_ssize_t _shape[2]
    cdef Py_ssize_t _strides[2]

    def __init__(self):
        raise TypeError("VideoPlane objects are made by the SDK (frame.y, frame.u, frame.v)")

    cdef int _locate(self) except -1:
        self._frame._checked()
        f = self._frame
        self._data = f._y if self._which == 0 else f._u if self._which == 1 else f._v
        self._strides[0] = f.y_stride if self._which == 0 else f.u_stride if self._which == 1 else f.v_stride
        return 0

    def __getbuffer__(self, Py_buffer* view, int flags):
        self._frame._checked()
        self._frame._keep_for_views()  # a view may outlive the callback: the memory must too
        self._locate()
        view.buf = self._data
        view.obj = self
        view.len = self._shape[0] * self._shape[1]
        view.readonly = 1
        view.itemsize = 1
        view.format = NULL
        if flags & PyBUF_FORMAT:
            view.format = b"B"
        view.ndim = 2
        view.shape = self._shape
        view.strides = self._strides
        view.suboffsets = NULL
        view.internal = NULL

    @property
    def shape(self):
        return (self._shape[0], self._shape[1])

    def tobytes(self):
        self._locate()
        out = bytearray(self._shape[0] * self._shape[1])
        cdef char* dst = out
        cdef Py_ssize_t row
        for row in range(self._shape[0]):
            memcpy(dst + row * self._shape[1], self._data + row * self._strides[0], self._shape[1])
        return bytes(out)


cdef class VideoFrame:
    """A received video frame: I420 planes ``y``, ``u``, ``v`` (buffer
    protocol, no copy), ``metadata`` and ``alpha_buffer`` (bytes), and the
    fields of Agora's frame. In a direct callback the planes are the engine's
    memory and valid only during the callback; ``detach()`` copies them.
    ``y_buffer``/``u_buffer``/``v_buffer`` return bytes as the official SDK's
    frame does."""

    cdef uint8_t* _y
    cdef uint8_t* _u
    cdef uint8_t* _v
    cdef bytes _owned
    cdef void* _blob      # dispatched: the queue's copy, owned by this frame
    cdef void* _hold      # direct: the engine's hold on its memory (taken on the engine thread, for the callback)
    cdef bint _viewed     # a plane was lent to a buffer view: the hold outlives the callback
    cdef readonly int type, width, height, y_stride, u_stride, v_stride, rotation, avsync_type, alpha_mode
    cdef readonly int64_t render_time_ms
    cdef readonly bytes metadata
    cdef readonly object alpha_buffer
    cdef readonly str channel_id, user_id

    def __init__(self):
        raise TypeError("VideoFrame objects are made by the SDK")

    cdef int _checked(self) except -1:
        if self._y == NULL:
            raise ValueError("VideoFrame planes are only valid during the callback that received it; "
                             "call frame.detach() to keep them")
        return 0

    cdef int _keep_for_views(self) except -1:
        if self._owned is None and self._blob == NULL and self._hold == NULL:
            self.detach()  # memory nothing keeps alive past the callback (Agora's library): a copy, once
        self._viewed = True  # from any thread: the hold was taken on the engine thread before the callback
        return 0

    cdef VideoPlane _plane(self, int which, int rows, int cols):
        self._checked()
        cdef VideoPlane p = VideoPlane.__new__(VideoPlane)
        p._frame = self
        p._which = which
        p._shape[0] = rows
        p._shape[1] = cols
        p._strides[1] = 1
        p._locate()
        return p

    @property
    def y(self):
        return self._plane(0, self.height, self.width)

    @property
    def u(self):
        return self._plane(1, (self.height + 1) // 2, (self.width + 1) // 2)

    @property
    def v(self):
        return self._plane(2, (self.height + 1) // 2, (self.width + 1) // 2)

    @property
    def y_buffer(self):
        return self.y.tobytes()

    @property
    def u_buffer(self):
        return self.u.tobytes()

    @property
    def v_buffer(self):
        return self.v.tobytes()

    @property
    def metadata_buffer(self):  # the official frame's name
        return self.metadata

    @property
    def valid(self):
        return self._y != NULL

    def to_i420(self):
        """The frame as one packed I420 ``bytes`` (Y, then U, then V)."""
        return self.y.tobytes() + self.u.tobytes() + self.v.tobytes()

    def __dealloc__(self):
        free(self._blob)
        if self._hold != NULL:
            _video_frame_release(self._hold)

    def detach(self):
        """Copy the planes into memory the frame owns, so they outlive the callback
        (a dispatched frame owns its planes already: no copy)."""
        cdef Py_ssize_t cw = (self.width + 1) // 2
        cdef Py_ssize_t ch = (self.height + 1) // 2
        if self._owned is None and self._blob == NULL:
            self._checked()
            self._owned = self.to_i420()
            self._y = <uint8_t*><const char*>self._owned
            self._u = self._y + self.width * self.height
            self._v = self._u + cw * ch
            self.y_stride = self.width
            self.u_stride = self.v_stride = cw
        return self

    def __repr__(self):
        return (f"<VideoFrame {self.width}x{self.height} I420 rotation={self.rotation} "
                f"ts={self.render_time_ms}{'' if self._y != NULL else ' (released)'}>")


cdef VideoFrame _video_view(const video_frame* f, const char* channel_id, const char* user_id):
    cdef VideoFrame fr = VideoFrame.__new__(VideoFrame)
    fr._y = f.y_buffer
    fr._u = f.u_buffer
    fr._v = f.v_buffer
    fr.type = f.type
    fr.width = f.width
    fr.height = f.height
    fr.y_stride = f.y_stride
    fr.u_stride = f.u_stride
    fr.v_stride = f.v_stride
    fr.rotation = f.rotation
    fr.render_time_ms = f.render_time_ms
    fr.avsync_type = f.avsync_type
    fr.alpha_mode = f.alpha_mode
    fr.metadata = (<const char*>f.metadata_buffer)[:f.metadata_size] if f.metadata_buffer != NULL else b""
    fr.alpha_buffer = ((<const char*>f.alpha_buffer)[:<Py_ssize_t>f.width * f.height]
                       if f.alpha_buffer != NULL else None)
    fr.channel_id = _text(channel_id)
    fr.user_id = _text(user_id)
    return fr


cdef tuple _encoded_info(const encoded_video_frame_info* i):
    """The info's fields in Agora's order (the façade builds EncodedVideoFrameInfo)."""
    return (i.codec_type, i.width, i.height, i.frames_per_second, i.frame_type, i.rotation, i.track_id,
            i.capture_time_ms, i.decode_time_ms, i.uid, i.stream_type)


# --------------------------------------------------------------------------
# Observers: one engine observer object per registration, its handle mapped
# to the Python target (looked up on every callback).

cdef dict _video_targets = {}   # observer handle -> target with _on_frame / _on_encoded_video_frame


cdef void _tr_video_frame(AGORA_HANDLE o, const char* channel_id, const char* user_id,
                          const video_frame* f) noexcept nogil:
    if agora_python_ready():
        with gil:
            _video_frame_event(o, channel_id, user_id, f)


cdef void _video_frame_event(AGORA_HANDLE o, const char* channel_id, const char* user_id,
                             const video_frame* f) noexcept with gil:
    cdef VideoFrame fr = None
    try:
        target = _video_targets.get(<uintptr_t>o)
        if target is not None:
            fr = _video_view(f, channel_id, user_id)
            if _video_frame_hold != NULL and not _frame_holds_off:  # here, on the engine thread: views made
                # on any thread are covered
                fr._hold = _video_frame_hold()
            target._on_frame(fr.channel_id, fr.user_id, fr)
    except BaseException:
        _report("video frame")
    if fr is not None and fr._owned is None:
        fr._y = NULL  # the engine's memory: gone after the callback, unless a view holds it
        if fr._hold != NULL and not fr._viewed:  # a frame kept without views must not keep 3 MB alive
            _video_frame_release(fr._hold)
            fr._hold = NULL


cdef int _tr_encoded_frame(AGORA_HANDLE o, uid_t uid, const uint8_t* data, size_t length,
                           const encoded_video_frame_info* info) noexcept nogil:
    if agora_python_ready():
        with gil:
            try:
                target = _video_targets.get(<uintptr_t>o)
                if target is not None:
                    target._on_encoded_video_frame(uid, (<const char*>data)[:length], length, _encoded_info(info))
            except BaseException:
                _report("encoded video frame")
    return 1


cdef video_frame_observer2 _video_observer
cdef video_encoded_frame_observer _encoded_observer
_video_observer.on_frame = _tr_video_frame
_encoded_observer.on_encoded_video_frame = _tr_encoded_frame


def forget_video_observer(uintptr_t observer):
    _video_targets.pop(observer, None)


# Local-user video events (direct mode).

cdef void _tr_video_publish_success(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_video_track_publish_success", (<uintptr_t>track,))

cdef void _tr_video_unpublished(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_video_track_unpublished", (<uintptr_t>track,))

cdef object _track_info_fields(const video_track_info* info):
    """VideoTrackInfo's fields, in order (None without info)."""
    if info == NULL:
        return None
    cdef str channel = _text(info.channel_id) if info.channel_id != NULL else ""
    return (info.is_local, info.owner_uid, info.track_id, channel, info.stream_type, info.codec_type,
            info.encoded_frame_only, info.source_type, info.observation_position)


cdef void _tr_intra_request(AGORA_HANDLE u) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_intra_request_received", ())


cdef void _tr_video_subscribed(AGORA_HANDLE u, const char* user_id, const video_track_info* info,
                               AGORA_HANDLE track) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_user_video_track_subscribed", (_text(user_id), <uintptr_t>track,
                                                               _track_info_fields(info)))

cdef void _tr_video_state(AGORA_HANDLE u, const char* user_id, AGORA_HANDLE track, int state, int reason,
                          int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_user_video_track_state_changed", (_text(user_id), <uintptr_t>track, state, reason,
                                                                  elapsed))

cdef void _tr_first_video_frame(AGORA_HANDLE u, const char* user_id, int width, int height,
                                int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_first_remote_video_frame", (_text(user_id), width, height, elapsed))

cdef void _tr_first_video_decoded(AGORA_HANDLE u, const char* user_id, int width, int height,
                                  int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_first_remote_video_decoded", (_text(user_id), width, height, elapsed))
