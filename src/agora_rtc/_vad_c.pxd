# cython: language_level=3
"""The C VAD (_vad.h), declared once for the modules that use it (_vad, _core)."""

from libc.stdint cimport int64_t

cdef extern from "_vad.h" nogil:
    ctypedef struct vad_config:
        int pre_start_count, start_count, stop_count
        int rms_threshold
        int adaptive
        double adaptive_factor
        int preroll_from_onset
    ctypedef struct vad:
        int speaking
        size_t frame_bytes
        int64_t frames
        int64_t start_frame, stop_frame
        int ref_rms
    vad* vad_new(const vad_config* cfg)
    void vad_free(vad* v)
    int vad_process(vad* v, const unsigned char* data, size_t length, int rms, int voice_prob,
                    const unsigned char** out, size_t* out_len, unsigned char** scratch, size_t* scratch_cap)
