# Audio sinks on local audio tracks and the track's APM filter: what
# ExternalAudioProcessor (audio_processor.py) is built on. A sink's frames
# arrive on the engine thread, one per 10 ms, as AudioFrame views valid during
# the callback (labels filled in).

cdef dict _sink_targets = {}    # sink handle -> object with _on_audio_sink_data(frame)
cdef audio_sink _sink_callbacks


cdef int _tr_sink_data(AGORA_HANDLE sink, const audio_pcm_frame* f) noexcept nogil:
    cdef audio_frame view
    if not agora_python_ready():
        return 0
    memset(&view, 0, sizeof(view))
    view.samples_per_channel = f.samples_per_channel
    view.bytes_per_sample = f.bytes_per_sample
    view.channels = f.num_channels
    view.samples_per_sec = f.sample_rate_hz
    view.buffer = <void*>f.data
    view.render_time_ms = f.capture_timestamp
    view.far_field_flag = f.audio_label.far_field_flag
    view.rms = f.audio_label.rms
    view.voice_prob = f.audio_label.voice_prob
    view.music_prob = f.audio_label.music_prob
    view.pitch = f.audio_label.pitch
    with gil:
        try:
            target = _sink_targets.get(<uintptr_t>sink)
            if target is not None:
                frame = _frame_view(&view)
                try:
                    target._on_audio_sink_data(frame)
                finally:
                    _end_view(frame)
        except BaseException:
            _report("audio sink")
    return 0


def audio_sink_add(uintptr_t track, sample_rate, channels, target):
    """A sink on *track* delivering its frames at (sample_rate, channels) to
    ``target._on_audio_sink_data(frame)``; returns the sink handle."""
    cdef AGORA_HANDLE t = _ptr(track, "add_audio_sink")
    cdef audio_sink_wants wants
    wants.samples_per_sec = _as_int(sample_rate, "sample_rate")
    wants.channels = _as_int(channels, "channels")
    cdef AGORA_HANDLE sink
    with nogil:
        sink = api.audio_sink_create(&_sink_callbacks)
    cdef uintptr_t handle = _created(sink, "agora_audio_sink_create")
    _sink_targets[handle] = target
    cdef int rc
    with nogil:
        rc = api.audio_track_add_audio_sink(t, sink, &wants)
    if rc < 0:
        audio_sink_destroy(handle)
        _check(rc, "agora_audio_track_add_audio_sink")
    return handle


def audio_sink_destroy(uintptr_t sink):
    """Stop and free a sink; waits (without the GIL) for a running callback."""
    _sink_targets.pop(sink, None)
    cdef AGORA_HANDLE h = <AGORA_HANDLE>sink
    if h != NULL:
        with nogil:
            api.audio_sink_destroy(h)


def track_enable_audio_filter(uintptr_t track, name, bint enable, position):
    cdef AGORA_HANDLE h = _ptr(track, "enable_audio_filter")
    cdef int c_position = _as_int(position, "position")
    cdef bytes c_name = _c_text(name, "name")
    cdef const char* p = c_name
    cdef int rc
    with nogil:
        rc = api.audio_track_enable_audio_filter(h, p, enable, c_position)
    return _check(rc, "agora_audio_track_enable_audio_filter")


def track_set_filter_property(uintptr_t track, name, key, value, position):
    cdef AGORA_HANDLE h = _ptr(track, "set_filter_property")
    cdef int c_position = _as_int(position, "position")
    cdef bytes c_name = _c_text(name, "name"), c_key = _c_text(key, "key"), c_value = _c_text(value, "value")
    cdef const char* pn = c_name
    cdef const char* pk = c_key
    cdef const char* pv = c_value
    cdef int rc
    with nogil:
        rc = api.audio_track_set_filter_property(h, pn, pk, pv, c_position)
    return _check(rc, "agora_audio_track_set_filter_property")


memset(&_sink_callbacks, 0, sizeof(_sink_callbacks))
_sink_callbacks.on_audio_sink_data = _tr_sink_data
