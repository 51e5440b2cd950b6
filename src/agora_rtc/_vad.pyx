# cython: language_level=3, boundscheck=False, wraparound=False
"""VAD v2 in C (_vad.h); the Python names live in agora_rtc.vad."""

from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer, PyObject_CheckBuffer
from libc.stdint cimport int64_t
from libc.stdlib cimport free


from ._vad_c cimport vad, vad_config, vad_free, vad_new, vad_process


cdef class NativeVad:
    """One VAD v2 stream. ``process(frame)`` takes a labelled 10 ms frame (an
    AudioFrame, or anything with ``buffer``, ``rms`` and ``voice_prob``)."""

    cdef vad* _v
    cdef unsigned char* _scratch
    cdef size_t _scratch_cap

    def __cinit__(self, int pre_start_count, int start_count, int stop_count, int rms_threshold, bint adaptive,
                  double adaptive_factor, bint preroll_from_onset):
        if pre_start_count < 0 or start_count < 1 or stop_count < 1:  # AudioVadConfigV2 checks first, by name
            raise ValueError(f"VAD frame counts must be >= 1 (pre_start_count >= 0), not "
                             f"{pre_start_count}, {start_count}, {stop_count}")
        cdef vad_config cfg
        cfg.pre_start_count = pre_start_count
        cfg.start_count = start_count
        cfg.stop_count = stop_count
        cfg.rms_threshold = rms_threshold
        cfg.adaptive = adaptive
        cfg.adaptive_factor = adaptive_factor
        cfg.preroll_from_onset = preroll_from_onset
        self._v = vad_new(&cfg)
        if self._v == NULL:
            raise MemoryError("cannot allocate the VAD")

    def __dealloc__(self):
        vad_free(self._v)
        free(self._scratch)

    def process(self, data):
        cdef Py_buffer view
        cdef const unsigned char* out
        cdef size_t out_len
        cdef int state
        source = data if PyObject_CheckBuffer(data) else getattr(data, "buffer", None)
        if source is None:
            raise TypeError(f"process() takes an audio frame (with buffer, rms and voice_prob), "
                            f"not {type(data).__name__}")
        rms_label, voice_label = getattr(data, "rms", None), getattr(data, "voice_prob", None)
        if rms_label is None or voice_label is None:
            raise TypeError(f"process() takes an audio frame with its labels (rms and voice_prob: an AudioFrame "
                            f"from an audio frame callback), not a bare {type(data).__name__}")
        cdef int rms = rms_label
        cdef int voice_prob = voice_label
        PyObject_GetBuffer(source, &view, PyBUF_SIMPLE)
        try:
            if view.len == 0:
                raise ValueError("process() got an empty frame")
            state = vad_process(self._v, <const unsigned char*>view.buf, <size_t>view.len, rms, voice_prob, &out, &out_len,
                                &self._scratch, &self._scratch_cap)
            if state == -1:
                raise ValueError(f"frame of {view.len} bytes: this VAD runs on {self._v.frame_bytes}-byte frames "
                                 f"(the first frame's size); use one VAD per stream format")
            if state == -2:
                raise MemoryError("VAD out of memory")
            return state, bytearray((<const char*>out)[:out_len]) if out_len else bytearray()
        finally:
            PyBuffer_Release(&view)

    @property
    def speaking(self):
        return bool(self._v.speaking)

    @property
    def frames(self):
        return self._v.frames

    @property
    def start_frame(self):
        return None if self._v.start_frame < 0 else self._v.start_frame

    @property
    def stop_frame(self):
        return None if self._v.stop_frame < 0 else self._v.stop_frame

    @property
    def reference_rms(self):
        return self._v.ref_rms
