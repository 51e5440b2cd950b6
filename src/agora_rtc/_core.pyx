# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled core: engine loading, byte movement, callback bridge. No policy.

* ``load(path)`` dlopens an engine library (ours or Agora's) into one function
  table; every later call goes through it.
* Handles are plain integers (the engine's pointers); the façades own them.
* Send paths take any C-contiguous buffer and call the engine without the GIL.
* Engine threads enter Python through a thread state kept for the thread's
  lifetime; exceptions from user callbacks are logged, never raised into C.
"""

cimport cython
cimport numpy as cnp
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_CheckExact, PyBytes_GET_SIZE
from cpython.buffer cimport (PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBuffer_FillInfo, PyBuffer_Release,
                             PyObject_GetBuffer)
from cpython.exc cimport PyErr_Clear, PyErr_Occurred
from cpython.long cimport PyLong_CheckExact
from cpython.number cimport PyIndex_Check, PyNumber_Index
from libc.limits cimport INT_MAX, INT_MIN, UINT_MAX
from libc.stdint cimport int64_t, uint32_t, uintptr_t
from libc.stdio cimport snprintf
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy, memset, strlen

cdef extern from "<string.h>":
    size_t strnlen(const char*, size_t) nogil

import logging

cnp.import_array()
import threading

logger = logging.getLogger("agora_rtc")

cdef extern from "<dlfcn.h>" nogil:
    void* dlopen(const char* filename, int flag)
    void* dlsym(void* handle, const char* symbol)
    char* dlerror()
    int RTLD_NOW
    int RTLD_LOCAL

cdef extern from *:
    """
    /* One Python thread state per engine thread, made on the thread's first
     * callback and kept (its PyGILState counter never drops to zero), so later
     * callbacks only swap the GIL in (~0.1 us) instead of building a state. */
    static int agora_shutting_down = 0;
    #if PY_VERSION_HEX >= 0x030D0000
    #define AGORA_FINALIZING() Py_IsFinalizing()
    #else
    #define AGORA_FINALIZING() _Py_IsFinalizing()
    #endif
    #if defined(_MSC_VER)
    static __declspec(thread) int agora_tstate_kept = 0;
    #else
    static __thread int agora_tstate_kept = 0;
    #endif
    static int agora_python_ready(void) {
        if (agora_shutting_down || !Py_IsInitialized() || AGORA_FINALIZING()) return 0;
        /* A Python thread called back synchronously (a library may): it has its own thread state,
         * and is not an engine thread. */
        if (!agora_tstate_kept && PyGILState_GetThisThreadState() != NULL) return 1;
        if (!agora_tstate_kept) {
            PyGILState_STATE state = PyGILState_Ensure();
            if (state == PyGILState_LOCKED) {
                /* a thread that already holds the GIL called back synchronously */
                PyGILState_Release(state);
                return 1;
            }
            agora_tstate_kept = 1;
            PyEval_SaveThread();
        }
        return 1;
    }
    /* Engine threads are the ones that keep a thread state here. */
    static int agora_on_engine_thread(void) { return agora_tstate_kept; }
    """
    int agora_shutting_down
    int agora_python_ready() nogil
    int agora_on_engine_thread() nogil


def on_engine_thread():
    """Whether the caller runs on an engine thread (inside a direct callback)."""
    return bool(agora_on_engine_thread())

# --------------------------------------------------------------------------
# Engine loading

cdef AgoraApi api
cdef void* _lib = NULL

cdef extern from "agora_c/agora_loopback.h":
    ctypedef struct loopback_audio_track_stats:
        unsigned long long queued_frames, staged_samples, queued_total, played_frames, dropped_frames
        unsigned long long underruns, starved_ticks, encoded_sent, encoded_discarded
        int send_delay_ms
        int delivering
        unsigned long long extra_send_ms

ctypedef int (*loopback_track_stats_fn)(AGORA_HANDLE, loopback_audio_track_stats*) noexcept nogil
cdef loopback_track_stats_fn _loopback_track_stats = NULL
ctypedef const char* (*parameter_refusal_fn)() noexcept nogil
cdef parameter_refusal_fn _parameter_refusal = NULL  # why a parameter call was refused (loopback only)
_lib_path = None

# The table's field order, each prefixed with "agora_" to give the symbol.
_SYMBOLS = (
    "service_create", "service_initialize", "service_release",
    "service_create_media_node_factory", "service_create_custom_audio_track_pcm",
    "service_get_agora_parameter", "parameter_set_parameters", "parameter_get_number",
    "media_node_factory_destroy", "media_node_factory_create_audio_pcm_data_sender",
    "audio_pcm_data_sender_destroy", "audio_pcm_data_sender_send",
    "local_audio_track_destroy", "local_audio_track_set_enabled", "local_audio_track_is_enabled",
    "local_audio_track_set_max_bufferd_frame_number", "local_audio_track_clear_sender_buffer",
    "rtc_conn_create", "rtc_conn_destroy", "rtc_conn_connect", "rtc_conn_disconnect",
    "rtc_conn_renew_token", "rtc_conn_get_conn_info", "rtc_conn_destroy_conn_info",
    "rtc_conn_get_local_user", "rtc_conn_register_observer", "rtc_conn_unregister_observer",
    "local_user_publish_audio", "local_user_unpublish_audio", "local_user_subscribe_audio",
    "local_user_subscribe_all_audio", "local_user_unsubscribe_audio", "local_user_unsubscribe_all_audio",
    "local_user_set_playback_audio_frame_parameters", "local_user_set_recording_audio_frame_parameters",
    "local_user_set_mixed_audio_frame_parameters",
    "local_user_set_playback_audio_frame_before_mixing_parameters",
    "local_user_register_audio_frame_observer", "local_user_unregister_audio_frame_observer",
    "local_user_register_observer", "local_user_unregister_observer",
    "local_audio_track_adjust_publish_volume", "local_audio_track_get_publish_volume",
    "local_user_adjust_playback_signal_volume", "local_user_get_playback_signal_volume", "rtc_conn_get_sid",
    "local_user_set_audio_scenario", "local_user_set_audio_volume_indication_parameters",
    "rtc_conn_create_data_stream", "rtc_conn_send_stream_message", "remote_audio_track_get_state",
    # video
    "media_node_factory_create_video_frame_sender", "video_frame_sender_destroy", "video_frame_sender_send",
    "media_node_factory_create_video_encoded_image_sender", "video_encoded_image_sender_destroy",
    "video_encoded_image_sender_send", "service_create_custom_video_track_frame",
    "service_create_custom_video_track_encoded", "local_video_track_destroy", "local_video_track_set_enabled",
    "local_video_track_get_state", "local_video_track_set_video_encoder_config",
    "local_video_track_enable_simulcast_stream", "remote_video_track_get_state", "video_frame_observer2_create",
    "video_frame_observer2_destroy", "video_encoded_frame_observer_create", "video_encoded_frame_observer_destroy",
    "local_user_publish_video", "local_user_unpublish_video", "local_user_subscribe_video",
    "local_user_subscribe_all_video", "local_user_unsubscribe_video", "local_user_unsubscribe_all_video",
    "local_user_register_video_frame_observer", "local_user_unregister_video_frame_observer",
    "local_user_register_video_encoded_frame_observer", "local_user_unregister_video_encoded_frame_observer",
    "local_user_send_intra_request",
    # encoded audio, audio meta data, encryption
    "media_node_factory_create_audio_encoded_frame_sender", "audio_encoded_frame_sender_destroy",
    "audio_encoded_frame_sender_send", "service_create_custom_audio_track_encoded",
    "local_user_send_audio_meta_data", "rtc_conn_enable_encryption", "rtc_conn_get_agora_parameter",
    # roles, track state, send delay
    "local_audio_track_get_state", "local_audio_track_set_send_delay_ms", "local_user_set_user_role",
    "local_user_get_user_role",
    # statistics
    "remote_audio_track_get_statistics", "remote_audio_track_destroy_statistics",
    "remote_video_track_get_statistics", "remote_video_track_destroy_statistics",
    "local_video_track_get_statistics", "local_video_track_destroy_statistics",
    # audio sinks and the APM filter (the external audio processor)
    "audio_sink_create", "audio_sink_destroy", "audio_track_add_audio_sink", "audio_track_enable_audio_filter",
    "audio_track_set_filter_property",
    # audio encoder profile, local playback, log file, remote video track info, extra send budget
    "local_user_set_audio_encoder_config", "local_audio_track_enable_local_playback",
    "local_audio_track_enable_ear_monitor", "service_set_log_file", "remote_video_track_get_track_info",
    "remote_video_track_destroy_track_info", "local_audio_track_set_total_extra_send_ms",
    "local_user_get_local_audio_statistics", "local_user_destroy_local_audio_statistics",
)
assert sizeof(AgoraApi) == len(_SYMBOLS) * sizeof(void*)


def load(path):
    """Load the engine library at *path* into the function table.

    Raises ImportError naming the file or the first missing symbol. Loading the
    same path again is a no-op; a different path in the same process is refused
    (the engine's threads and handles belong to the first library).
    """
    global _lib, _lib_path, _loopback_track_stats, _parameter_refusal
    path = str(path)
    if _lib != NULL:
        if path != _lib_path:
            raise RuntimeError(f"engine already loaded from {_lib_path!r}; cannot also load {path!r}")
        return path
    cdef bytes bpath = path.encode()
    cdef void* lib = dlopen(bpath, RTLD_NOW | RTLD_LOCAL)
    if lib == NULL:
        err = dlerror()
        raise ImportError(f"cannot load engine library {path!r}: {err.decode() if err else 'unknown error'}")
    cdef void** table = <void**>&api
    cdef void* sym
    missing = []
    for i, name in enumerate(_SYMBOLS):
        sym = dlsym(lib, ("agora_" + name).encode())
        if sym == NULL:
            missing.append("agora_" + name)
        table[i] = sym
    if missing:
        memset(&api, 0, sizeof(api))
        raise ImportError(f"engine library {path!r} lacks symbol(s): {', '.join(missing)}")
    # Optional: only the loopback engine has them (NULL with Agora's library).
    _loopback_track_stats = <loopback_track_stats_fn>dlsym(lib, b"agora_loopback_audio_track_get_stats")
    _parameter_refusal = <parameter_refusal_fn>dlsym(lib, b"agora_loopback_parameter_refusal")
    _load_video_optional(lib)
    _load_audio_encoded_optional(lib)
    _lib = lib
    _lib_path = path
    return path


def api_address(str name):
    """Address of the loaded engine's ``agora_<name>`` entry in the function
    table, for other compiled modules of this package (e.g. the pacer) that
    call the engine without going through Python."""
    _need_engine()
    try:
        index = _SYMBOLS.index(name)
    except ValueError:
        raise KeyError(f"no engine function {name!r} in the table") from None
    return <uintptr_t>(<void**>&api)[index]


def symbols_resolved():
    """(required functions resolved, optional loopback-only functions resolved)."""
    if _lib == NULL:
        return 0, 0
    return len(_SYMBOLS), int(_loopback_track_stats != NULL)


def loaded_path():
    """Path of the loaded engine library, or None."""
    return _lib_path


cdef inline void _need_engine() except *:
    if _lib == NULL:
        raise RuntimeError("no engine loaded: create an AgoraService first")


def shutdown_callbacks():
    """Stop entering Python from engine threads (called at interpreter exit)."""
    global agora_shutting_down
    agora_shutting_down = 1


# --------------------------------------------------------------------------
# Errors

ERROR_NAMES = {
    1: "ERR_FAILED", 2: "ERR_INVALID_ARGUMENT", 3: "ERR_NOT_READY", 4: "ERR_NOT_SUPPORTED",
    5: "ERR_REFUSED", 6: "ERR_BUFFER_TOO_SMALL", 7: "ERR_NOT_INITIALIZED", 8: "ERR_INVALID_STATE",
    9: "ERR_NO_PERMISSION", 10: "ERR_TIMEDOUT", 12: "ERR_TOO_OFTEN", 17: "ERR_JOIN_CHANNEL_REJECTED",
    19: "ERR_ALREADY_IN_USE", 22: "ERR_RESOURCE_LIMITED", 101: "ERR_INVALID_APP_ID",
    102: "ERR_INVALID_CHANNEL_NAME", 109: "ERR_TOKEN_EXPIRED", 110: "ERR_INVALID_TOKEN",
    113: "ERR_NOT_IN_CHANNEL", 114: "ERR_SIZE_TOO_LARGE", 116: "ERR_TOO_MANY_DATA_STREAMS",
    117: "ERR_STREAM_MESSAGE_TIMEOUT", 121: "ERR_INVALID_USER_ID",
}


class AgoraError(RuntimeError):
    """An engine call failed. ``code`` is Agora's error code (positive), ``name`` its name."""

    def __init__(self, what, code, why=None):
        self.code = abs(code)
        self.name = ERROR_NAMES.get(self.code, "ERR_%d" % self.code)
        super().__init__(f"{what} failed: {self.name} ({self.code})" + (f": {why}" if why else ""))


cdef inline int _check(int rc, what) except -1:
    if rc < 0:
        raise AgoraError(what, rc)
    return rc


cdef object _sent(int rc, str what, str make_track):
    """A send's result; a sender with no track yet (ERR_NOT_READY) says how to make one."""
    if rc == -3:
        raise AgoraError(f"{what} (no track was made from this sender, or it was released: "
                         f"service.{make_track}(sender))", rc)
    return _check(rc, what)


cdef inline AGORA_HANDLE _ptr(uintptr_t handle, what) except NULL:
    if handle == 0:
        raise ValueError(f"{what}: the object was released")
    return <AGORA_HANDLE>handle


cdef inline uintptr_t _created(AGORA_HANDLE h, what) except 0:
    if h == NULL:
        raise AgoraError(what, -1)
    return <uintptr_t>h


# --------------------------------------------------------------------------
# Service, parameters, factory

def service_create():
    _need_engine()
    cdef AGORA_HANDLE h
    with nogil:
        h = api.service_create()
    return _created(h, "agora_service_create")


def service_initialize(uintptr_t svc, *, str app_id, enable_audio_processor=1, enable_audio_device=0,
                       enable_video=0, area_code=0xFFFFFFFF, channel_profile=1, audio_scenario=0,
                       use_string_uid=0, log_level=0, str log_path="", log_file_size_kb=0):
    cdef agora_service_config cfg
    memset(&cfg, 0, sizeof(cfg))
    cdef bytes bapp = _c_text(app_id, "app_id")
    cdef bytes blog = _c_text(log_path, "log_path")
    cfg.app_id = bapp
    if blog:
        cfg.log_file_path = blog
    cfg.log_file_size_kb = _as_uint(log_file_size_kb, "log_file_size_kb")
    cfg.enable_audio_processor = _as_int(enable_audio_processor, "enable_audio_processor")
    cfg.enable_audio_device = _as_int(enable_audio_device, "enable_audio_device")
    cfg.enable_video = _as_int(enable_video, "enable_video")
    cfg.area_code = _as_uint(area_code, "area_code")
    cfg.channel_profile = _as_int(channel_profile, "channel_profile")
    cfg.audio_scenario = _as_int(audio_scenario, "audio_scenario")
    cfg.use_string_uid = _as_int(use_string_uid, "use_string_uid")
    cfg.log_level = _as_int(log_level, "log_level")
    cdef AGORA_HANDLE h = _ptr(svc, "initialize")
    cdef int rc
    with nogil:
        rc = api.service_initialize(h, &cfg)
    return _check(rc, "agora_service_initialize")


def service_release(uintptr_t svc):
    cdef AGORA_HANDLE h = _ptr(svc, "release")
    cdef int rc
    with nogil:
        rc = api.service_release(h)
    return _check(rc, "agora_service_release")


cdef AGORA_HANDLE _parameter_of(uintptr_t owner, bint connection, what) except NULL:
    """The parameter object of a service, or of one connection (its loopback.fault.* keys are its own)."""
    cdef AGORA_HANDLE h = _ptr(owner, what)
    cdef AGORA_HANDLE p
    with nogil:
        p = api.rtc_conn_get_agora_parameter(h) if connection else api.service_get_agora_parameter(h)
    if p == NULL:
        raise AgoraError(f"{what}: no parameter object", -7)
    return p


def service_set_parameters(uintptr_t owner, str json_text not None, bint connection=False):
    cdef AGORA_HANDLE p = _parameter_of(owner, connection, "set_parameters")
    cdef bytes b = _c_text(json_text, "parameters JSON")
    cdef const char* s = b
    cdef int rc
    cdef const char* why = NULL
    with nogil:
        rc = api.parameter_set_parameters(p, s)
        if rc < 0 and _parameter_refusal != NULL:
            why = _parameter_refusal()  # this thread's: read before another call replaces it
    if rc < 0:
        raise AgoraError("agora_parameter_set_parameters", rc, why.decode("utf-8", "replace") if why else None)
    return rc


def service_get_number(uintptr_t owner, str key not None, bint connection=False):
    cdef AGORA_HANDLE p = _parameter_of(owner, connection, "get_parameter")
    cdef bytes b = _c_text(key, "key")
    cdef const char* k = b
    cdef double value = 0
    cdef int rc
    with nogil:
        rc = api.parameter_get_number(p, k, &value)
    _check(rc, f"agora_parameter_get_number({key!r})")
    return value


def factory_create(uintptr_t svc):
    cdef AGORA_HANDLE h = _ptr(svc, "create_media_node_factory")
    with nogil:
        h = api.service_create_media_node_factory(h)
    return _created(h, "agora_service_create_media_node_factory")


def factory_destroy(uintptr_t factory):
    cdef AGORA_HANDLE h = _ptr(factory, "release")
    with nogil:
        api.media_node_factory_destroy(h)


def factory_create_pcm_sender(uintptr_t factory):
    cdef AGORA_HANDLE h = _ptr(factory, "create_audio_pcm_data_sender")
    with nogil:
        h = api.media_node_factory_create_audio_pcm_data_sender(h)
    return _created(h, "agora_media_node_factory_create_audio_pcm_data_sender")


def pcm_sender_destroy(uintptr_t sender):
    cdef AGORA_HANDLE h = _ptr(sender, "release")
    with nogil:
        api.audio_pcm_data_sender_destroy(h)


# --------------------------------------------------------------------------
# Audio tracks

def service_create_pcm_track(uintptr_t svc, uintptr_t sender):
    cdef AGORA_HANDLE s = _ptr(svc, "create_custom_audio_track_pcm")
    cdef AGORA_HANDLE snd = _ptr(sender, "create_custom_audio_track_pcm (sender)")
    cdef AGORA_HANDLE h
    with nogil:
        h = api.service_create_custom_audio_track_pcm(s, snd)
    return _created(h, "agora_service_create_custom_audio_track_pcm")


def track_destroy(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "release")
    with nogil:
        api.local_audio_track_destroy(h)


def track_set_enabled(uintptr_t track, bint enabled):
    cdef AGORA_HANDLE h = _ptr(track, "set_enabled")
    cdef int rc
    with nogil:
        rc = api.local_audio_track_set_enabled(h, enabled)
    return _check(rc, "agora_local_audio_track_set_enabled")


def track_is_enabled(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "is_enabled")
    cdef int enabled = 0, rc
    with nogil:
        rc = api.local_audio_track_is_enabled(h, &enabled)
    _check(rc, "agora_local_audio_track_is_enabled")
    return bool(enabled)


def track_set_max_buffered_frames(uintptr_t track, frames):
    cdef AGORA_HANDLE h = _ptr(track, "set_max_buffer_audio_frame_number")
    cdef int rc, c_frames = _as_int(frames, "frames")
    with nogil:
        rc = api.local_audio_track_set_max_bufferd_frame_number(h, c_frames)
    return _check(rc, "agora_local_audio_track_set_max_bufferd_frame_number")


def track_adjust_publish_volume(uintptr_t track, volume):
    cdef AGORA_HANDLE h = _ptr(track, "adjust_publish_volume")
    cdef int rc, c_volume = _as_int(volume, "volume")
    with nogil:
        rc = api.local_audio_track_adjust_publish_volume(h, c_volume)
    return _check(rc, "agora_local_audio_track_adjust_publish_volume")


def track_get_state(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "get_state")
    cdef int rc
    with nogil:
        rc = api.local_audio_track_get_state(h)
    return _check(rc, "agora_local_audio_track_get_state")


def track_set_send_delay_ms(uintptr_t track, delay_ms):
    cdef AGORA_HANDLE h = _ptr(track, "set_send_delay_ms")
    cdef int c_delay_ms = _as_int(delay_ms, "delay_ms")
    if c_delay_ms < 0:
        raise ValueError(f"delay_ms must be >= 0, not {delay_ms}")
    with nogil:
        api.local_audio_track_set_send_delay_ms(h, c_delay_ms)


def track_enable_local_playback(uintptr_t track, bint enable):
    cdef AGORA_HANDLE h = _ptr(track, "enable_local_playback")
    cdef int rc
    with nogil:
        rc = api.local_audio_track_enable_local_playback(h, enable)
    return _check(rc, "agora_local_audio_track_enable_local_playback")


def track_enable_ear_monitor(uintptr_t track, bint enable, include_audio_filter):
    cdef AGORA_HANDLE h = _ptr(track, "enable_ear_monitor")
    cdef int rc, c_include = _as_int(include_audio_filter, "include_audio_filter")
    with nogil:
        rc = api.local_audio_track_enable_ear_monitor(h, enable, c_include)
    return _check(rc, "agora_local_audio_track_enable_ear_monitor")


def track_set_total_extra_send_ms(uintptr_t track, total_extra_ms):
    cdef AGORA_HANDLE h = _ptr(track, "set_total_extra_send_ms")
    cdef int rc
    cdef long long c_ms = _as_integer(total_extra_ms, "total_extra_ms")
    if c_ms < 0:
        raise ValueError(f"total_extra_ms must be >= 0, not {total_extra_ms}")
    with nogil:
        rc = api.local_audio_track_set_total_extra_send_ms(h, <uint64_t>c_ms)
    return _check(rc, "agora_local_audio_track_set_total_extra_send_ms")


def user_set_audio_encoder_config(uintptr_t user, audio_profile):
    cdef AGORA_HANDLE h = _ptr(user, "set_audio_encoder_configuration")
    cdef audio_encoder_config config
    config.audioProfile = _as_int(audio_profile, "audio_profile")
    cdef int rc
    with nogil:
        rc = api.local_user_set_audio_encoder_config(h, &config)
    return _check(rc, "agora_local_user_set_audio_encoder_config")


def service_set_log_file(uintptr_t svc, str path not None, size):
    cdef AGORA_HANDLE h = _ptr(svc, "set_log_file")
    cdef unsigned int c_size = _as_uint(size, "size")
    cdef bytes bpath = _c_text(path, "path")
    cdef const char* cpath = bpath
    cdef int rc
    with nogil:
        rc = api.service_set_log_file(h, cpath, c_size)
    return _check(rc, "agora_service_set_log_file")


def user_set_role(uintptr_t user, role):
    cdef AGORA_HANDLE h = _ptr(user, "set_user_role")
    cdef int rc, c_role = _as_int(role, "role")
    with nogil:
        rc = api.local_user_set_user_role(h, c_role)
    return _check(rc, "agora_local_user_set_user_role")


def user_get_role(uintptr_t user):
    cdef AGORA_HANDLE h = _ptr(user, "get_user_role")
    cdef int rc
    with nogil:
        rc = api.local_user_get_user_role(h)
    return _check(rc, "agora_local_user_get_user_role")


def track_get_publish_volume(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "get_publish_volume")
    cdef int volume = 0, rc
    with nogil:
        rc = api.local_audio_track_get_publish_volume(h, &volume)
    _check(rc, "agora_local_audio_track_get_publish_volume")
    return volume


def user_adjust_playback_signal_volume(uintptr_t user, volume):
    cdef AGORA_HANDLE h = _ptr(user, "adjust_playback_signal_volume")
    cdef int rc, c_volume = _as_int(volume, "volume")
    with nogil:
        rc = api.local_user_adjust_playback_signal_volume(h, c_volume)
    return _check(rc, "agora_local_user_adjust_playback_signal_volume")


def user_get_playback_signal_volume(uintptr_t user):
    cdef AGORA_HANDLE h = _ptr(user, "get_playback_signal_volume")
    cdef int volume = 0, rc
    with nogil:
        rc = api.local_user_get_playback_signal_volume(h, &volume)
    _check(rc, "agora_local_user_get_playback_signal_volume")
    return volume


def user_set_audio_scenario(uintptr_t user, scenario):
    cdef AGORA_HANDLE h = _ptr(user, "set_audio_scenario")
    cdef int rc, c_scenario = _as_int(scenario, "scenario")
    with nogil:
        rc = api.local_user_set_audio_scenario(h, c_scenario)
    return _check(rc, "agora_local_user_set_audio_scenario")


def user_set_volume_indication(uintptr_t user, interval_ms, smooth, bint report_vad):
    cdef AGORA_HANDLE h = _ptr(user, "set_audio_volume_indication_parameters")
    cdef int rc, c_interval = _as_int(interval_ms, "interval_in_ms"), c_smooth = _as_int(smooth, "smooth")
    with nogil:
        rc = api.local_user_set_audio_volume_indication_parameters(h, c_interval, c_smooth, report_vad)
    return _check(rc, "agora_local_user_set_audio_volume_indication_parameters")


def conn_create_data_stream(uintptr_t conn, bint reliable, bint ordered):
    cdef AGORA_HANDLE h = _ptr(conn, "create_data_stream")
    cdef int stream_id = 0, rc
    with nogil:
        rc = api.rtc_conn_create_data_stream(h, &stream_id, reliable, ordered)
    _check(rc, "agora_rtc_conn_create_data_stream")
    return stream_id


def conn_send_stream_message(uintptr_t conn, int stream_id, data):
    """Send *data* (any bytes-like buffer, binary-safe) on a data stream."""
    cdef AGORA_HANDLE h = _ptr(conn, "send_stream_message")
    cdef Py_buffer view
    cdef int rc
    PyObject_GetBuffer(data, &view, PyBUF_C_CONTIGUOUS)
    try:
        if view.len > 0xffffffff:
            raise ValueError("a stream message is at most 1024 bytes")
        with nogil:
            rc = api.rtc_conn_send_stream_message(h, stream_id, <const char*>view.buf, <uint32_t>view.len)
    finally:
        PyBuffer_Release(&view)
    return _check(rc, "agora_rtc_conn_send_stream_message")


def remote_audio_get_state(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "get_state")
    cdef int rc
    with nogil:
        rc = api.remote_audio_track_get_state(h)
    return _check(rc, "agora_remote_audio_track_get_state")


def conn_get_sid(uintptr_t conn):
    cdef AGORA_HANDLE h = _ptr(conn, "get_sid")
    cdef const char* sid
    with nogil:
        sid = api.rtc_conn_get_sid(h)
    return _text(sid)


def track_stats(uintptr_t track):
    """The loopback engine's queue counters of a custom PCM track (a dict), or
    None with an engine that does not report them (Agora's library)."""
    cdef AGORA_HANDLE h = _ptr(track, "stats")
    cdef loopback_audio_track_stats st
    cdef int rc
    if _loopback_track_stats == NULL:
        return None
    with nogil:
        rc = _loopback_track_stats(h, &st)
    _check(rc, "agora_loopback_audio_track_get_stats")
    return {"queued_frames": st.queued_frames, "staged_samples": st.staged_samples, "queued_total": st.queued_total,
            "played_frames": st.played_frames, "dropped_frames": st.dropped_frames, "underruns": st.underruns,
            "encoded_sent": st.encoded_sent, "encoded_discarded": st.encoded_discarded,
            "send_delay_ms": st.send_delay_ms,
            "starved_ticks": st.starved_ticks, "delivering": st.delivering, "extra_send_ms": st.extra_send_ms}


def track_clear_buffer(uintptr_t track):
    cdef AGORA_HANDLE h = _ptr(track, "clear_sender_buffer")
    cdef int rc
    with nogil:
        rc = api.local_audio_track_clear_sender_buffer(h)
    return _check(rc, "agora_local_audio_track_clear_sender_buffer")


cdef class PcmSender:
    """Low-level PCM sender: ``send()`` is the hot path (GIL released, no copy)."""

    cdef AGORA_HANDLE _h

    def __cinit__(self):
        self._h = NULL

    cdef inline AGORA_HANDLE _handle(self) except NULL:
        if self._h == NULL:
            raise ValueError("AudioPcmDataSender was released")
        return self._h

    @property
    def handle(self):
        return <uintptr_t>self._h

    def _set_handle(self, uintptr_t h):
        self._h = <AGORA_HANDLE>h

    # Objects converted by _count, not C-typed arguments: a float (160.5 samples) is a TypeError that
    # names the argument instead of Cython's nameless one; the C ranges are checked below.
    def send(self, data, samples_per_channel, sample_rate, channels=1, bytes_per_sample=2,
             capture_timestamp=0, presentation_ms=0):
        """Queue PCM for the track made from this sender.

        *data* is any C-contiguous buffer (bytes, bytearray, memoryview, numpy
        int16 array) of ``samples_per_channel * channels * bytes_per_sample``
        bytes of 16-bit interleaved PCM. It is not copied in Python and the GIL
        is released while the engine queues it. Returns 0; raises ValueError on
        a wrong size, dtype or layout and AgoraError when the engine refuses.
        """
        cdef AGORA_HANDLE h = self._handle()
        cdef Py_ssize_t samples = _count(samples_per_channel, "samples_per_channel")
        cdef Py_ssize_t rate = _count(sample_rate, "sample_rate")
        cdef Py_ssize_t nchannels = _count(channels, "channels")
        cdef Py_ssize_t sample_bytes = _count(bytes_per_sample, "bytes_per_sample")
        cdef Py_ssize_t capture_ms = _count(capture_timestamp, "capture_timestamp")
        cdef Py_ssize_t play_ms = _count(presentation_ms, "presentation_ms")
        _need_uint(samples, "samples_per_channel")
        _need_uint(rate, "sample_rate")
        _need_uint(nchannels, "channels")
        _need_uint(sample_bytes, "bytes_per_sample")
        _need_uint(capture_ms, "capture_timestamp")
        cdef Py_buffer view
        cdef const void* ptr
        cdef Py_ssize_t nbytes
        cdef int rc
        # Fast paths: bytes and int16 numpy arrays lend their memory directly
        # (the buffer protocol costs more than the engine call itself).
        if PyBytes_CheckExact(data):
            nbytes = PyBytes_GET_SIZE(data)
            ptr = PyBytes_AS_STRING(data)
        elif cnp.PyArray_CheckExact(data) and cnp.PyArray_IS_C_CONTIGUOUS(<cnp.ndarray>data) and \
                cnp.PyArray_TYPE(<cnp.ndarray>data) == cnp.NPY_INT16 and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>data):
            nbytes = cnp.PyArray_NBYTES(<cnp.ndarray>data)
            ptr = cnp.PyArray_DATA(<cnp.ndarray>data)
        else:
            ptr = NULL
        if ptr != NULL:
            _check_pcm_size(nbytes, samples, nchannels, sample_bytes)
            with nogil:
                rc = api.audio_pcm_data_sender_send(h, ptr, capture_ms, play_ms,
                                                    samples, sample_bytes, nchannels, rate)
            if rc < 0:
                _pcm_refused(rc, samples, rate, nchannels, sample_bytes)
            return rc
        _get_pcm_buffer(data, &view)
        try:
            _check_pcm_size(view.len, samples, nchannels, sample_bytes)
            with nogil:
                rc = api.audio_pcm_data_sender_send(h, view.buf, capture_ms, play_ms,
                                                    samples, sample_bytes, nchannels, rate)
        finally:
            PyBuffer_Release(&view)
        if rc < 0:
            _pcm_refused(rc, samples, rate, nchannels, sample_bytes)
        return rc


cdef int _pcm_refused(int rc, Py_ssize_t samples_per_channel, Py_ssize_t sample_rate, Py_ssize_t channels,
                      Py_ssize_t bytes_per_sample) except -1:
    """Raise for a send the engine refused, saying which argument when it was one (after the fact:
    the successful path pays nothing for the messages)."""
    if rc == -2:  # ERR_INVALID_ARGUMENT
        if sample_rate not in PCM_SAMPLE_RATES:
            raise ValueError(f"sample_rate must be one of {', '.join(map(str, PCM_SAMPLE_RATES))} Hz, not {sample_rate}")
        if channels not in (1, 2):
            raise ValueError(f"channels must be 1 or 2, not {channels}")
        if bytes_per_sample != 2:
            raise ValueError(f"bytes_per_sample must be 2 (16-bit PCM), not {bytes_per_sample}")
        if samples_per_channel == 0 or samples_per_channel > sample_rate * 10:
            raise ValueError(f"samples_per_channel must be 1..{sample_rate * 10} (at most 10 s per send), "
                             f"not {samples_per_channel}")
    return _sent(rc, "agora_audio_pcm_data_sender_send", "create_custom_audio_track_pcm")


# What the engine takes (audio_rate_supported() in resampler.c, Agora's rates).
PCM_SAMPLE_RATES = (8000, 16000, 24000, 32000, 44100, 48000)


cdef int _get_pcm_buffer(object data, Py_buffer* view) except -1:
    """Borrow *data*'s memory: C-contiguous, bytes-like or int16."""
    try:
        PyObject_GetBuffer(data, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT)
    except (BufferError, ValueError):
        raise ValueError("PCM data must be a C-contiguous buffer (use numpy.ascontiguousarray)") from None
    except TypeError:
        raise TypeError(f"PCM data must support the buffer protocol (bytes, bytearray, numpy array), "
                        f"not {type(data).__name__}") from None
    cdef const char* fmt = view.format
    if fmt != NULL and not (fmt[0] in b"Bbc" and fmt[1] == 0) and not (
            (fmt[0] == b"h" and fmt[1] == 0) or (fmt[0] in b"<=@" and fmt[1] == b"h" and fmt[2] == 0)):
        f = fmt.decode()
        PyBuffer_Release(view)
        raise ValueError(f"PCM data must be 16-bit samples (int16) or raw bytes, not format {f!r}")
    return 0


cdef inline int _need_uint(Py_ssize_t value, str name) except -1:
    """*value* fits the engine's unsigned int argument (two comparisons; the message only on failure)."""
    if value < 0 or value > UINT_MAX:
        raise ValueError(f"{name} must be 0..{UINT_MAX}, not {value}")
    return 0


cdef inline int _need_int(Py_ssize_t value, str name) except -1:
    """*value* fits the engine's int argument."""
    if value < INT_MIN or value > INT_MAX:
        raise ValueError(f"{name} must be {INT_MIN}..{INT_MAX}, not {value}")
    return 0


# Cython converts a Python object to a C int argument through __int__, so 2.5
# would arrive as 2 without a word; arguments users give go through these
# (ctypes, under the official SDK, refuses floats too).
cdef long long _as_integer(object value, str name) except? -1:
    """*value* (an int, a bool, a numpy integer, an IntEnum...) as a C integer, or an exception naming it."""
    if not PyIndex_Check(value):
        raise TypeError(f"{name} must be an int, not {value!r}")
    number = PyNumber_Index(value)  # through __index__, as the check said (C conversion alone would use __int__)
    try:
        return number
    except OverflowError:
        raise ValueError(f"{name} is out of range: {value!r}") from None


cdef extern from "Python.h":
    # Declared without Cython's error check: _count tests for the error itself, no try block (~60
    # instructions per argument on the send path).
    Py_ssize_t _ssize_of_int "PyLong_AsSsize_t"(object value) noexcept


cdef inline Py_ssize_t _count(object value, str name) except? -1:
    """_as_integer with a fast path for plain ints, for the send paths."""
    cdef Py_ssize_t v
    if PyLong_CheckExact(value):
        v = _ssize_of_int(value)
        if v != -1 or PyErr_Occurred() == NULL:
            return v
        PyErr_Clear()  # too big: _as_integer says so, naming the argument
    return _as_integer(value, name)


cdef bytes _c_text(object value, str name):
    """*value* (a str) as the NUL-terminated UTF-8 the engine takes, or an exception naming it: a NUL
    inside would cut the text short without a word ("bob\\0x" would be "bob"). The message never shows
    the value: tokens and encryption keys pass here too."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    cdef bytes b = (<str>value).encode("utf-8")
    if b"\0" in b:
        raise ValueError(f"{name} must not contain NUL characters")
    return b


cdef int _as_int(object value, str name) except? -1:
    cdef long long v = _as_integer(value, name)
    _need_int(v, name)
    return <int>v


cdef unsigned int _as_uint(object value, str name) except? 0:
    cdef long long v = _as_integer(value, name)
    _need_uint(v, name)
    return <unsigned int>v


cdef inline int _check_pcm_size(Py_ssize_t nbytes, Py_ssize_t samples_per_channel, Py_ssize_t channels,
                                Py_ssize_t bytes_per_sample) except -1:
    # In doubles: three 32-bit factors can overflow 64 bits; a product the buffer could match is < 2**53, exact.
    if <double>samples_per_channel * <double>channels * <double>bytes_per_sample != <double>nbytes:
        expected = int(samples_per_channel) * int(channels) * int(bytes_per_sample)  # Python ints: exact
        raise ValueError(
            f"PCM buffer holds {nbytes} bytes; expected {expected} "
            f"({samples_per_channel} samples x {channels} channel(s) x {bytes_per_sample} bytes)")
    return 0


# --------------------------------------------------------------------------
# Connections and local users

def conn_create(uintptr_t svc, *, auto_subscribe_audio=1, auto_subscribe_video=0,
                enable_audio_recording_or_playout=0, max_send_bitrate=0, client_role_type=1, channel_profile=1,
                audio_recv_media_packet=0, audio_recv_encoded_frame=0, video_recv_media_packet=0,
                sub_sample_rate=0, sub_channels=0):
    cdef rtc_conn_config cfg
    memset(&cfg, 0, sizeof(cfg))
    cfg.auto_subscribe_audio = _as_int(auto_subscribe_audio, "auto_subscribe_audio")
    cfg.auto_subscribe_video = _as_int(auto_subscribe_video, "auto_subscribe_video")
    cfg.enable_audio_recording_or_playout = _as_int(enable_audio_recording_or_playout,
                                                    "enable_audio_recording_or_playout")
    cfg.max_send_bitrate = _as_int(max_send_bitrate, "max_send_bitrate")
    cfg.client_role_type = _as_int(client_role_type, "client_role_type")
    cfg.channel_profile = _as_int(channel_profile, "channel_profile")
    cfg.audio_recv_media_packet = _as_int(audio_recv_media_packet, "audio_recv_media_packet")
    cfg.audio_recv_encoded_frame = _as_int(audio_recv_encoded_frame, "audio_recv_encoded_frame")
    cfg.video_recv_media_packet = _as_int(video_recv_media_packet, "video_recv_media_packet")
    cfg.audio_subs_options.bytes_per_sample = 2
    cfg.audio_subs_options.sample_rate_hz = _as_uint(sub_sample_rate, "AudioSubscriptionOptions.sample_rate_hz")
    cfg.audio_subs_options.number_of_channels = _as_uint(sub_channels, "AudioSubscriptionOptions.number_of_channels")
    cdef AGORA_HANDLE h = _ptr(svc, "create_rtc_connection")
    with nogil:
        h = api.rtc_conn_create(h, &cfg)
    return _created(h, "agora_rtc_conn_create")


def conn_destroy(uintptr_t conn):
    cdef AGORA_HANDLE h = _ptr(conn, "release")
    # Forgotten before the engine frees it: once freed, its address may be a new connection's at once
    # (made on another thread while this one waits without the GIL), whose target must not be popped.
    _conn_targets.pop(conn, None)
    with nogil:
        api.rtc_conn_destroy(h)


def conn_connect(uintptr_t conn, token, str channel_id, str user_id):
    cdef AGORA_HANDLE h = _ptr(conn, "connect")
    cdef bytes btoken = _c_text(token or "", "token")
    cdef bytes bchan = _c_text(channel_id, "channel_id")
    cdef bytes buser = _c_text(user_id, "user_id")
    cdef const char* t = btoken
    cdef const char* c = bchan
    cdef const char* u = buser
    cdef int rc
    with nogil:
        rc = api.rtc_conn_connect(h, t, c, u)
    return _check(rc, "agora_rtc_conn_connect")


def conn_disconnect(uintptr_t conn):
    cdef AGORA_HANDLE h = _ptr(conn, "disconnect")
    cdef int rc
    with nogil:
        rc = api.rtc_conn_disconnect(h)
    return _check(rc, "agora_rtc_conn_disconnect")


def conn_renew_token(uintptr_t conn, token):
    cdef AGORA_HANDLE h = _ptr(conn, "renew_token")
    cdef bytes b = _c_text(token, "token")
    cdef const char* t = b
    cdef int rc
    with nogil:
        rc = api.rtc_conn_renew_token(h, t)
    return _check(rc, "agora_rtc_conn_renew_token")


class RTCConnInfo:
    """Connection information (``RTCConnInfo`` in the official SDK)."""

    __slots__ = ("id", "channel_id", "state", "local_user_id", "internal_uid")

    def __init__(self, id, channel_id, state, local_user_id, internal_uid):
        self.id = id
        self.channel_id = channel_id
        self.state = state
        self.local_user_id = local_user_id
        self.internal_uid = internal_uid

    def __repr__(self):
        return (f"RTCConnInfo(id={self.id}, channel_id={self.channel_id!r}, state={self.state}, "
                f"local_user_id={self.local_user_id!r}, internal_uid={self.internal_uid})")


cdef str _text(const char* s):
    return s.decode("utf-8", "replace") if s != NULL else ""


cdef object _info(const rtc_conn_info* i):
    if i == NULL:
        return None
    return RTCConnInfo(i.id, _text(i.channel_id), i.state, _text(i.local_user_id), i.internal_uid)


def conn_get_info(uintptr_t conn):
    cdef AGORA_HANDLE h = _ptr(conn, "get_conn_info")
    cdef rtc_conn_info* i
    with nogil:
        i = api.rtc_conn_get_conn_info(h)
    if i == NULL:
        raise AgoraError("agora_rtc_conn_get_conn_info", -1)
    try:
        return _info(i)
    finally:
        with nogil:
            api.rtc_conn_destroy_conn_info(h, i)


def conn_get_local_user(uintptr_t conn):
    cdef AGORA_HANDLE h = _ptr(conn, "get_local_user")
    with nogil:
        h = api.rtc_conn_get_local_user(h)
    return _created(h, "agora_rtc_conn_get_local_user")


def user_publish_audio(uintptr_t user, uintptr_t track):
    cdef AGORA_HANDLE u = _ptr(user, "publish_audio")
    cdef AGORA_HANDLE t = _ptr(track, "publish_audio (track)")
    cdef int rc
    with nogil:
        rc = api.local_user_publish_audio(u, t)
    return _check(rc, "agora_local_user_publish_audio")


def user_unpublish_audio(uintptr_t user, uintptr_t track):
    cdef AGORA_HANDLE u = _ptr(user, "unpublish_audio")
    cdef AGORA_HANDLE t = _ptr(track, "unpublish_audio (track)")
    cdef int rc
    with nogil:
        rc = api.local_user_unpublish_audio(u, t)
    return _check(rc, "agora_local_user_unpublish_audio")


def user_subscribe_audio(uintptr_t user, user_id, bint subscribe=True):
    cdef AGORA_HANDLE u = _ptr(user, "subscribe_audio")
    cdef bytes b = _user_id_bytes(user_id)
    cdef const char* s = b
    cdef int rc
    with nogil:
        rc = api.local_user_subscribe_audio(u, s) if subscribe else api.local_user_unsubscribe_audio(u, s)
    return _check(rc, "agora_local_user_subscribe_audio" if subscribe else "agora_local_user_unsubscribe_audio")


def user_subscribe_all_audio(uintptr_t user, bint subscribe=True):
    cdef AGORA_HANDLE u = _ptr(user, "subscribe_all_audio")
    cdef int rc
    with nogil:
        rc = api.local_user_subscribe_all_audio(u) if subscribe else api.local_user_unsubscribe_all_audio(u)
    return _check(rc, "agora_local_user_subscribe_all_audio" if subscribe else "agora_local_user_unsubscribe_all_audio")


cdef enum:
    KIND_PLAYBACK = 0
    KIND_RECORD = 1
    KIND_MIXED = 2
    KIND_BEFORE_MIXING = 3

PLAYBACK, RECORD, MIXED, BEFORE_MIXING = KIND_PLAYBACK, KIND_RECORD, KIND_MIXED, KIND_BEFORE_MIXING


def user_set_frame_parameters(uintptr_t user, int which, channels, sample_rate, samples_per_call=0):
    cdef AGORA_HANDLE u = _ptr(user, "set_audio_frame_parameters")
    cdef int rc
    cdef int c_channels = _as_int(channels, "channels"), c_rate = _as_int(sample_rate, "sample_rate")
    cdef int c_samples = _as_int(samples_per_call, "samples_per_call")
    with nogil:
        if which == KIND_PLAYBACK:
            rc = api.local_user_set_playback_audio_frame_parameters(u, c_channels, c_rate, 0, c_samples)
        elif which == KIND_RECORD:
            rc = api.local_user_set_recording_audio_frame_parameters(u, c_channels, c_rate, 0, c_samples)
        elif which == KIND_MIXED:
            rc = api.local_user_set_mixed_audio_frame_parameters(u, c_channels, c_rate, c_samples)
        else:
            rc = api.local_user_set_playback_audio_frame_before_mixing_parameters(u, c_channels, c_rate)
    return _check(rc, "agora_local_user_set_audio_frame_parameters")


# --------------------------------------------------------------------------
# Received audio frames

@cython.freelist(16)
cdef class AudioFrame:
    """A received 10 ms PCM frame (16-bit interleaved), with Agora's frame fields.

    Supports the buffer protocol: ``numpy.frombuffer(frame, numpy.int16)`` and
    ``memoryview(frame)`` are read-only views valid for as long as they live. In
    a direct callback the frame's memory is the engine's, reused by later frames
    (and freed by Agora's library), so the first view copies the frame's 10 ms
    into memory the frame owns (at most 3,840 bytes). After the callback the
    frame itself is released: touching its data raises ValueError — keep a view
    or a copy (``bytes(frame)``, ``frame.buffer``, ``numpy.array(frame)``).
    Frames delivered through a dispatcher own their memory from the start.
    """

    cdef void* _data
    cdef Py_ssize_t _nbytes
    cdef bytes _owned
    cdef void* _malloced          # dispatched frames own their pooled copy
    cdef readonly str user_id     # set on dispatched before-mixing frames
    cdef readonly int64_t queued_ns  # dispatched: time.monotonic_ns() when the engine queued it
    cdef readonly int type, samples_per_channel, bytes_per_sample, channels, samples_per_sec
    cdef readonly int64_t render_time_ms, presentation_ms
    cdef readonly int avsync_type, audio_track_number, far_field_flag, rms, voice_prob, music_prob, pitch
    cdef readonly unsigned int rtp_timestamp

    def __init__(self):
        raise TypeError("AudioFrame objects are made by the SDK")

    cdef inline void* _checked(self) except NULL:
        if self._data == NULL:
            raise ValueError("AudioFrame data is only valid during the callback that received it; copy it to keep it")
        return self._data

    def __dealloc__(self):
        free(self._malloced)

    def __getbuffer__(self, Py_buffer* view, int flags):
        if self._owned is None and self._malloced == NULL:
            self.detach()  # the engine's memory: a view may outlive the callback, the memory would not
        PyBuffer_FillInfo(view, self, self._checked(), self._nbytes, 1, flags)

    def __len__(self):
        return self._nbytes

    @property
    def buffer(self):
        """A copy of the PCM bytes (``bytes``), safe to keep."""
        return (<char*>self._checked())[:self._nbytes]

    @property
    def sample_rate(self):
        return self.samples_per_sec

    @property
    def valid(self):
        return self._data != NULL

    def detach(self):
        """Copy the data into memory the frame owns, so it outlives the callback."""
        if self._owned is None:
            self._owned = (<char*>self._checked())[:self._nbytes]
            self._data = <void*><const char*>self._owned
        return self

    def __repr__(self):
        return (f"<AudioFrame {self.samples_per_channel} samples x {self.channels} ch @ {self.samples_per_sec} Hz"
                f"{'' if self._data != NULL else ' (released)'}>")


cdef AudioFrame _frame_view(const audio_frame* f):
    cdef AudioFrame fr = AudioFrame.__new__(AudioFrame)
    fr._data = f.buffer
    fr._nbytes = <Py_ssize_t>f.samples_per_channel * f.channels * f.bytes_per_sample
    fr.type = f.type
    fr.samples_per_channel = f.samples_per_channel
    fr.bytes_per_sample = f.bytes_per_sample
    fr.channels = f.channels
    fr.samples_per_sec = f.samples_per_sec
    fr.render_time_ms = f.render_time_ms
    fr.avsync_type = f.avsync_type
    fr.presentation_ms = f.presentation_ms
    fr.audio_track_number = f.audio_track_number
    fr.rtp_timestamp = f.rtp_timestamp
    fr.far_field_flag = f.far_field_flag
    fr.rms = f.rms
    fr.voice_prob = f.voice_prob
    fr.music_prob = f.music_prob
    fr.pitch = f.pitch
    return fr


cdef inline void _end_view(AudioFrame fr):
    if fr._owned is None:
        fr._data = NULL


# --------------------------------------------------------------------------
# Callback bridge. Targets are looked up by handle on every callback, so an
# unregistered target is never called; unregistering waits (without the GIL)
# for a running callback to return.

cdef dict _conn_targets = {}    # conn handle -> object with the connection callbacks
cdef dict _user_targets = {}    # local user handle -> object with local-user callbacks
cdef dict _audio_targets = {}   # local user handle -> AudioTarget
cdef dict _encoded_audio_targets = {}  # local user handle -> object with _on_encoded_audio_frame


cdef void _report(str where) noexcept:
    try:
        logger.exception("exception in %s callback (ignored; the engine keeps delivering)", where)
    except BaseException:
        pass


cdef void _conn_event(AGORA_HANDLE conn, str name, tuple args) noexcept with gil:
    try:
        target = _conn_targets.get(<uintptr_t>conn)
        if target is not None:
            getattr(target, name)(*args)
    except BaseException:
        _report(name)


cdef void _tr_connected(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_connected", (_info(i), reason))

cdef void _tr_disconnected(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_disconnected", (_info(i), reason))

cdef void _tr_connecting(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_connecting", (_info(i), reason))

cdef void _tr_reconnecting(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_reconnecting", (_info(i), reason))

cdef void _tr_reconnected(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_reconnected", (_info(i), reason))

cdef void _tr_connection_lost(AGORA_HANDLE c, const rtc_conn_info* i) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_connection_lost", (_info(i),))

cdef void _tr_connection_failure(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_connection_failure", (_info(i), reason))

cdef void _tr_user_joined(AGORA_HANDLE c, const char* user_id) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_user_joined", (_text(user_id),))

cdef void _tr_user_left(AGORA_HANDLE c, const char* user_id, int reason) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_user_left", (_text(user_id), reason))


cdef void _tr_token_will_expire(AGORA_HANDLE c, const char* token) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_token_privilege_will_expire", (_text(token),))

cdef void _tr_token_did_expire(AGORA_HANDLE c) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_token_privilege_did_expire", ())


cdef void _tr_stream_error(AGORA_HANDLE c, const char* user_id, int stream_id, int code, int missed,
                           int cached) noexcept nogil:
    if agora_python_ready():
        with gil:
            _conn_event(c, "_on_stream_message_error", (_text(user_id), stream_id, code, missed, cached))


cdef rtc_conn_observer _conn_observer


def conn_register_observer(uintptr_t conn, target, Dispatcher dispatcher=None):
    """Route the connection's events to ``target._on_<event>(...)`` methods,
    directly on the engine thread or through *dispatcher*."""
    cdef AGORA_HANDLE h = _ptr(conn, "register_observer")
    cdef rtc_conn_observer* obs = &_conn_observer if dispatcher is None else &_conn_observer_d
    _conn_targets[conn] = target
    if dispatcher is not None:
        route(conn, FAMILY_CONN, dispatcher)
    else:  # direct from now on: the old route would only keep its queue alive
        dq_route_clear(conn, FAMILY_CONN)
    cdef int rc
    with nogil:
        rc = api.rtc_conn_register_observer(h, obs)
    if rc < 0:
        _conn_targets.pop(conn, None)
        dq_route_clear(conn, FAMILY_CONN)
    return _check(rc, "agora_rtc_conn_register_observer")


def conn_unregister_observer(uintptr_t conn):
    cdef AGORA_HANDLE h = _ptr(conn, "unregister_observer")
    cdef int rc
    with nogil:
        rc = api.rtc_conn_unregister_observer(h)  # waits for a running callback
    dq_route_clear(conn, FAMILY_CONN)
    _conn_targets.pop(conn, None)
    return _check(rc, "agora_rtc_conn_unregister_observer")


cdef void _user_event(AGORA_HANDLE user, str name, tuple args) noexcept with gil:
    try:
        target = _user_targets.get(<uintptr_t>user)
        if target is not None:
            getattr(target, name)(*args)
    except BaseException:
        _report(name)


cdef void _tr_publish_success(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_audio_track_publish_success", (<uintptr_t>track,))

cdef void _tr_unpublished(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_audio_track_unpublished", (<uintptr_t>track,))


cdef list _speakers(const audio_volume_info* speakers, unsigned int n):
    from .observers import AudioVolumeInfo
    return [AudioVolumeInfo(_text(speakers[i].user_id), speakers[i].volume, speakers[i].vad, speakers[i].voice_pitch)
            for i in range(n)]

cdef void _tr_volume(AGORA_HANDLE u, const audio_volume_info* speakers, unsigned int n, int total) noexcept nogil:
    if agora_python_ready():
        with gil:
            try:
                _user_event(u, "_on_audio_volume_indication", (_speakers(speakers, n), n, total))
            except BaseException:
                _report("volume indication")

cdef void _tr_active_speaker(AGORA_HANDLE u, const char* user_id) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_active_speaker", (_text(user_id),))


cdef void _tr_stream_message(AGORA_HANDLE u, const char* user_id, int stream_id, const char* data,
                             size_t length) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_stream_message", (_text(user_id), stream_id, data[:length], length))


cdef void _tr_audio_subscribed(AGORA_HANDLE u, const char* user_id, AGORA_HANDLE track) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_user_audio_track_subscribed", (_text(user_id), <uintptr_t>track))

cdef void _tr_audio_state(AGORA_HANDLE u, const char* user_id, AGORA_HANDLE track, int state, int reason,
                          int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_user_audio_track_state_changed", (_text(user_id), <uintptr_t>track, state, reason,
                                                                  elapsed))

cdef void _tr_first_frame(AGORA_HANDLE u, const char* user_id, int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_first_remote_audio_frame", (_text(user_id), elapsed))

cdef void _tr_first_decoded(AGORA_HANDLE u, const char* user_id, int elapsed) noexcept nogil:
    if agora_python_ready():
        with gil:
            _user_event(u, "_on_first_remote_audio_decoded", (_text(user_id), elapsed))


cdef local_user_observer _user_observer


def user_register_observer(uintptr_t user, target, Dispatcher dispatcher=None):
    cdef AGORA_HANDLE h = _ptr(user, "register_local_user_observer")
    cdef local_user_observer* obs = &_user_observer if dispatcher is None else &_user_observer_d
    _user_targets[user] = target
    if dispatcher is not None:
        route(user, FAMILY_USER, dispatcher)
    else:  # direct from now on: the old route would only keep its queue alive
        dq_route_clear(user, FAMILY_USER)
    cdef int rc
    with nogil:
        rc = api.local_user_register_observer(h, obs)
    if rc < 0:
        _user_targets.pop(user, None)
        dq_route_clear(user, FAMILY_USER)
    return _check(rc, "agora_local_user_register_observer")


def user_unregister_observer(uintptr_t user):
    cdef AGORA_HANDLE h = _ptr(user, "unregister_local_user_observer")
    cdef int rc
    with nogil:
        rc = api.local_user_unregister_observer(h)
    dq_route_clear(user, FAMILY_USER)
    _user_targets.pop(user, None)
    return _check(rc, "agora_local_user_unregister_observer")


from ._vad_c cimport vad, vad_config, vad_free, vad_new, vad_process


cdef object _overridden(observer, str name, interface):
    """The observer's callback *name*, or None when it has none or only *interface*'s do-nothing one
    (not called: a frame a Python call, for nothing)."""
    method = getattr(observer, name, None)
    if method is not None and interface is not None and getattr(type(observer), name, None) is getattr(interface, name):
        return None
    return method


cdef class AudioTarget:
    """Where a local user's audio frames go: the user-facing object passed as the
    first argument, and the observer's bound methods (looked up once).

    With ``vad`` (the 2.4 API's enable_vad), the before-mixing callback gets two
    more arguments, the VAD v2 state and bytes, computed here in C for each
    remote user before Python is entered; with ``six_args`` and no VAD they are
    (-1, None), as the official SDK passes them."""

    cdef object local_user
    cdef object before_mixing, playback, record, mixed
    cdef bint six_args, vad_on
    cdef vad_config vcfg
    cdef dict vad_slots            # uid (bytes) -> index into vads
    cdef vad** vads
    cdef int nvads
    cdef unsigned char* scratch
    cdef size_t scratch_cap

    def __init__(self, local_user, observer, vad=None, bint six_args=False, interface=None):
        self.local_user = local_user
        self.before_mixing = _overridden(observer, "on_playback_audio_frame_before_mixing", interface)
        self.playback = _overridden(observer, "on_playback_audio_frame", interface)
        self.record = _overridden(observer, "on_record_audio_frame", interface)
        self.mixed = _overridden(observer, "on_mixed_audio_frame", interface)
        self.six_args = six_args or vad is not None
        self.vad_slots = {}
        if vad is not None:  # (pre, start, stop, rms label threshold, adaptive, factor, preroll_from_onset)
            (self.vcfg.pre_start_count, self.vcfg.start_count, self.vcfg.stop_count, self.vcfg.rms_threshold,
             self.vcfg.adaptive, self.vcfg.adaptive_factor, self.vcfg.preroll_from_onset) = vad
            self.vad_on = True

    def __dealloc__(self):
        for i in range(self.nvads):
            vad_free(self.vads[i])
        free(self.vads)
        free(self.scratch)

    cdef tuple vad_step(self, bytes uid, const audio_frame* f):
        """(state, bytearray) for one remote user's frame."""
        cdef const unsigned char* out
        cdef size_t out_len
        cdef int state
        cdef vad** grown
        index = self.vad_slots.get(uid)
        if index is None:
            grown = <vad**>realloc(self.vads, sizeof(vad*) * (self.nvads + 1))
            if grown == NULL:
                raise MemoryError("VAD state")
            self.vads = grown
            self.vads[self.nvads] = vad_new(&self.vcfg)
            if self.vads[self.nvads] == NULL:
                raise MemoryError("VAD state")
            index = self.vad_slots[uid] = self.nvads
            self.nvads += 1
        state = vad_process(self.vads[<int>index], <const unsigned char*>f.buffer,
                            <size_t>f.samples_per_channel * f.channels * f.bytes_per_sample, f.rms, f.voice_prob,
                            &out, &out_len, &self.scratch, &self.scratch_cap)
        if state == -1:
            raise ValueError("a remote user's frame format changed under the VAD")
        if state == -2:
            raise MemoryError("VAD out of memory")
        return state, bytearray((<const char*>out)[:out_len]) if out_len else bytearray()

    def forget(self, uid):
        """Drop a remote user's VAD state (the user left)."""
        index = self.vad_slots.pop(uid.encode() if isinstance(uid, str) else uid, None)
        if index is not None:
            vad_free(self.vads[<int>index])
            self.vads[<int>index] = vad_new(&self.vcfg)  # the slot stays valid for a future user


cdef inline void _call_before_mixing(AudioTarget target, fn, str channel_id, bytes uid, AudioFrame fr,
                                     const audio_frame* f):
    if not target.six_args:
        fn(target.local_user, channel_id, uid.decode("utf-8", "replace"), fr)
    elif target.vad_on:
        state, data = target.vad_step(uid, f)
        fn(target.local_user, channel_id, uid.decode("utf-8", "replace"), fr, state, data)
    else:
        fn(target.local_user, channel_id, uid.decode("utf-8", "replace"), fr, -1, None)


cdef int _audio_event(AGORA_HANDLE user, int which, const char* channel_id, const char* user_id,
                      const audio_frame* f) noexcept with gil:
    cdef AudioTarget target
    cdef AudioFrame fr = None
    try:
        target = _audio_targets.get(<uintptr_t>user)
        if target is None:
            return 0
        fn = (target.before_mixing if which == KIND_BEFORE_MIXING else target.playback if which == KIND_PLAYBACK
              else target.record if which == KIND_RECORD else target.mixed)
        if fn is None:
            return 0
        fr = _frame_view(f)
        if which == KIND_BEFORE_MIXING:
            _call_before_mixing(target, fn, _text(channel_id), user_id if user_id != NULL else b"", fr, f)
        else:
            fn(target.local_user, _text(channel_id), fr)
    except BaseException:
        _report("audio frame")
    finally:
        if fr is not None:
            _end_view(fr)
    return 1


cdef int _tr_before_mixing(AGORA_HANDLE u, const char* ch, const char* uid, const audio_frame* f) noexcept nogil:
    if agora_python_ready():
        return _audio_event(u, KIND_BEFORE_MIXING, ch, uid, f)
    return 0

cdef int _tr_playback(AGORA_HANDLE u, const char* ch, const audio_frame* f) noexcept nogil:
    if agora_python_ready():
        return _audio_event(u, KIND_PLAYBACK, ch, NULL, f)
    return 0

cdef int _tr_record(AGORA_HANDLE u, const char* ch, const audio_frame* f) noexcept nogil:
    if agora_python_ready():
        return _audio_event(u, KIND_RECORD, ch, NULL, f)
    return 0

cdef int _tr_mixed(AGORA_HANDLE u, const char* ch, const audio_frame* f) noexcept nogil:
    if agora_python_ready():
        return _audio_event(u, KIND_MIXED, ch, NULL, f)
    return 0


cdef audio_frame_observer _audio_observer


def user_register_audio_frame_observer(uintptr_t user, AudioTarget target not None, Dispatcher dispatcher=None):
    cdef AGORA_HANDLE h = _ptr(user, "register_audio_frame_observer")
    cdef audio_frame_observer* obs = &_audio_observer if dispatcher is None else &_audio_observer_d
    _audio_targets[user] = target
    dq_route_clear(user, FAMILY_AUDIO)
    if dispatcher is not None:
        route(user, FAMILY_AUDIO, dispatcher)
    cdef int rc
    with nogil:
        rc = api.local_user_register_audio_frame_observer(h, obs)
    if rc < 0:
        _audio_targets.pop(user, None)
        dq_route_clear(user, FAMILY_AUDIO)
    return _check(rc, "agora_local_user_register_audio_frame_observer")


def user_unregister_audio_frame_observer(uintptr_t user):
    cdef AGORA_HANDLE h = _ptr(user, "unregister_audio_frame_observer")
    cdef int rc
    with nogil:
        rc = api.local_user_unregister_audio_frame_observer(h)
    dq_route_clear(user, FAMILY_AUDIO)
    _audio_targets.pop(user, None)
    return _check(rc, "agora_local_user_unregister_audio_frame_observer")


def forget_user(uintptr_t user):
    """Drop targets of a local user whose connection was destroyed."""
    _user_targets.pop(user, None)
    _audio_targets.pop(user, None)
    _encoded_audio_targets.pop(user, None)


include "_video.pxi"


memset(&_conn_observer, 0, sizeof(_conn_observer))
_conn_observer.on_connected = _tr_connected
_conn_observer.on_disconnected = _tr_disconnected
_conn_observer.on_connecting = _tr_connecting
_conn_observer.on_reconnecting = _tr_reconnecting
_conn_observer.on_reconnected = _tr_reconnected
_conn_observer.on_connection_lost = _tr_connection_lost
_conn_observer.on_connection_failure = _tr_connection_failure
_conn_observer.on_user_joined = _tr_user_joined
_conn_observer.on_user_left = _tr_user_left
_conn_observer.on_token_privilege_will_expire = _tr_token_will_expire
_conn_observer.on_token_privilege_did_expire = _tr_token_did_expire
_conn_observer.on_stream_message_error = _tr_stream_error

memset(&_user_observer, 0, sizeof(_user_observer))
_user_observer.on_audio_track_publish_success = _tr_publish_success
_user_observer.on_audio_track_unpublished = _tr_unpublished
_user_observer.on_audio_volume_indication = _tr_volume
_user_observer.on_active_speaker = _tr_active_speaker
_user_observer.on_stream_message = _tr_stream_message
_user_observer.on_user_audio_track_subscribed = _tr_audio_subscribed
_user_observer.on_user_audio_track_state_changed = _tr_audio_state
_user_observer.on_first_remote_audio_frame = _tr_first_frame
_user_observer.on_first_remote_audio_decoded = _tr_first_decoded
_user_observer.on_video_track_publish_success = _tr_video_publish_success
_user_observer.on_video_track_unpublished = _tr_video_unpublished
_user_observer.on_intra_request_received = _tr_intra_request
_user_observer.on_user_video_track_subscribed = _tr_video_subscribed
_user_observer.on_user_video_track_state_changed = _tr_video_state
_user_observer.on_first_remote_video_frame = _tr_first_video_frame
_user_observer.on_first_remote_video_decoded = _tr_first_video_decoded

memset(&_audio_observer, 0, sizeof(_audio_observer))
_audio_observer.on_playback_audio_frame_before_mixing = _tr_before_mixing
_audio_observer.on_playback_audio_frame = _tr_playback
_audio_observer.on_record_audio_frame = _tr_record
_audio_observer.on_mixed_audio_frame = _tr_mixed


# --------------------------------------------------------------------------
# Dispatched delivery (see _dispatch.h): engine threads enqueue without the
# GIL; a Dispatcher's consumer drains and calls the same targets as direct mode.

cdef extern from "_dispatch.h" nogil:
    ctypedef struct dq_item:
        int kind
        uintptr_t handle
        int i1, i2
        unsigned int u1, u2
        int64_t queued_ns
        audio_frame frame
        char s1[256]
        char s2[256]
    ctypedef struct dqueue:
        int capacity, count
        unsigned long long pushed, dropped
        int fds[2]
        int closed
    dqueue* dq_new(int capacity)
    void dq_free(dqueue* q)
    int dq_pop(dqueue* q, dq_item* out)
    void dq_drain_wakeups(dqueue* q)
    void dq_wake_if_pending(dqueue* q)
    int dq_route_set(uintptr_t handle, int family, dqueue* q)
    void dq_route_clear(uintptr_t handle, int family)
    int dq_route_push(int family, int kind, uintptr_t handle, int i1, int i2, const char* s1, const char* s2,
                      const audio_frame* frame)
    int dq_route_push_conn(int family, int kind, uintptr_t handle, int i1, int i2, unsigned int u1, unsigned int u2,
                           const char* s1, const char* s2)
    int dq_uses(dqueue* q)

cdef enum:
    FAMILY_CONN = 1
    FAMILY_USER = 2
    FAMILY_AUDIO = 4

cdef enum:
    EV_CONNECTED = 1
    EV_DISCONNECTED
    EV_CONNECTING
    EV_RECONNECTING
    EV_RECONNECTED
    EV_CONNECTION_LOST
    EV_CONNECTION_FAILURE
    EV_USER_JOINED
    EV_USER_LEFT
    EV_PUBLISH_SUCCESS
    EV_UNPUBLISHED
    EV_TOKEN_WILL_EXPIRE
    EV_TOKEN_DID_EXPIRE
    EV_VOLUME
    EV_ACTIVE_SPEAKER
    EV_STREAM_MESSAGE
    EV_STREAM_ERROR
    EV_AUDIO_SUBSCRIBED
    EV_AUDIO_STATE
    EV_FIRST_FRAME
    EV_FIRST_DECODED
    EV_AUDIO = 100   # + KIND_* of the frame

_CONN_EVENT_NAMES = {
    EV_CONNECTED: "_on_connected", EV_DISCONNECTED: "_on_disconnected", EV_CONNECTING: "_on_connecting",
    EV_RECONNECTING: "_on_reconnecting", EV_RECONNECTED: "_on_reconnected",
    EV_CONNECTION_LOST: "_on_connection_lost", EV_CONNECTION_FAILURE: "_on_connection_failure",
}


cdef inline void _dpush_info(int kind, AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    dq_route_push_conn(FAMILY_CONN, kind, <uintptr_t>c, reason, i.state if i != NULL else 0,
                       i.id if i != NULL else 0, i.internal_uid if i != NULL else 0,
                       i.local_user_id if i != NULL else NULL, i.channel_id if i != NULL else NULL)

cdef void _dtr_connected(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    _dpush_info(EV_CONNECTED, c, i, reason)

cdef void _dtr_disconnected(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    _dpush_info(EV_DISCONNECTED, c, i, reason)

cdef void _dtr_connecting(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    _dpush_info(EV_CONNECTING, c, i, reason)

cdef void _dtr_reconnecting(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    _dpush_info(EV_RECONNECTING, c, i, reason)

cdef void _dtr_reconnected(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    _dpush_info(EV_RECONNECTED, c, i, reason)

cdef void _dtr_connection_lost(AGORA_HANDLE c, const rtc_conn_info* i) noexcept nogil:
    _dpush_info(EV_CONNECTION_LOST, c, i, 0)

cdef void _dtr_connection_failure(AGORA_HANDLE c, const rtc_conn_info* i, int reason) noexcept nogil:
    _dpush_info(EV_CONNECTION_FAILURE, c, i, reason)

cdef void _dtr_user_joined(AGORA_HANDLE c, const char* user_id) noexcept nogil:
    dq_route_push(FAMILY_CONN, EV_USER_JOINED, <uintptr_t>c, 0, 0, user_id, NULL, NULL)

cdef void _dtr_user_left(AGORA_HANDLE c, const char* user_id, int reason) noexcept nogil:
    dq_route_push(FAMILY_CONN, EV_USER_LEFT, <uintptr_t>c, reason, 0, user_id, NULL, NULL)

cdef void _dtr_token_will_expire(AGORA_HANDLE c, const char* token) noexcept nogil:
    # A token longer than a queue slot's string arrives as "": the connection
    # façade then reports the token it holds (the same one).
    dq_route_push(FAMILY_CONN, EV_TOKEN_WILL_EXPIRE, <uintptr_t>c, 0, 0,
                  token if token != NULL and strlen(token) < 256 else NULL, NULL, NULL)

cdef void _dtr_token_did_expire(AGORA_HANDLE c) noexcept nogil:
    dq_route_push(FAMILY_CONN, EV_TOKEN_DID_EXPIRE, <uintptr_t>c, 0, 0, NULL, NULL, NULL)

ctypedef struct packed_speaker:  # a dispatched volume indication's entries, copied once
    char user_id[256]
    unsigned int volume
    unsigned int vad
    double voice_pitch

cdef void _dtr_volume(AGORA_HANDLE u, const audio_volume_info* speakers, unsigned int n, int total) noexcept nogil:
    cdef audio_frame blob
    cdef packed_speaker* packed = <packed_speaker*>malloc(sizeof(packed_speaker) * (n if n else 1))
    cdef unsigned int i
    cdef size_t length
    if packed == NULL:
        return
    for i in range(n):
        length = strlen(speakers[i].user_id) if speakers[i].user_id != NULL else 0
        if length > 255:
            length = 255
        memcpy(packed[i].user_id, speakers[i].user_id, length)
        packed[i].user_id[length] = 0
        packed[i].volume = speakers[i].volume
        packed[i].vad = speakers[i].vad
        packed[i].voice_pitch = speakers[i].voice_pitch
    memset(&blob, 0, sizeof(blob))
    blob.buffer = packed
    blob.samples_per_channel = <int>(sizeof(packed_speaker) * n)
    blob.channels = 1
    blob.bytes_per_sample = 1
    dq_route_push(FAMILY_USER, EV_VOLUME, <uintptr_t>u, <int>n, total, NULL, NULL, &blob)  # copies the blob
    free(packed)

cdef void _dtr_stream_message(AGORA_HANDLE u, const char* user_id, int stream_id, const char* data,
                              size_t length) noexcept nogil:
    cdef audio_frame blob
    memset(&blob, 0, sizeof(blob))
    blob.buffer = <void*>data
    blob.samples_per_channel = <int>length
    blob.channels = 1
    blob.bytes_per_sample = 1
    dq_route_push(FAMILY_USER, EV_STREAM_MESSAGE, <uintptr_t>u, stream_id, <int>length, user_id, NULL, &blob)

cdef void _dtr_stream_error(AGORA_HANDLE c, const char* user_id, int stream_id, int code, int missed,
                            int cached) noexcept nogil:
    cdef char codes[64]
    snprintf(codes, 64, "%d %d %d", code, missed, cached)
    dq_route_push(FAMILY_CONN, EV_STREAM_ERROR, <uintptr_t>c, stream_id, 0, user_id, codes, NULL)

cdef void _dtr_audio_subscribed(AGORA_HANDLE u, const char* user_id, AGORA_HANDLE track) noexcept nogil:
    cdef char args[64]
    snprintf(args, 64, "%llu", <unsigned long long><uintptr_t>track)
    dq_route_push(FAMILY_USER, EV_AUDIO_SUBSCRIBED, <uintptr_t>u, 0, 0, user_id, args, NULL)

cdef void _dtr_audio_state(AGORA_HANDLE u, const char* user_id, AGORA_HANDLE track, int state, int reason,
                           int elapsed) noexcept nogil:
    cdef char args[64]
    snprintf(args, 64, "%llu %d", <unsigned long long><uintptr_t>track, elapsed)
    dq_route_push(FAMILY_USER, EV_AUDIO_STATE, <uintptr_t>u, state, reason, user_id, args, NULL)

cdef void _dtr_first_frame(AGORA_HANDLE u, const char* user_id, int elapsed) noexcept nogil:
    dq_route_push(FAMILY_USER, EV_FIRST_FRAME, <uintptr_t>u, elapsed, 0, user_id, NULL, NULL)

cdef void _dtr_first_decoded(AGORA_HANDLE u, const char* user_id, int elapsed) noexcept nogil:
    dq_route_push(FAMILY_USER, EV_FIRST_DECODED, <uintptr_t>u, elapsed, 0, user_id, NULL, NULL)

cdef void _dtr_active_speaker(AGORA_HANDLE u, const char* user_id) noexcept nogil:
    dq_route_push(FAMILY_USER, EV_ACTIVE_SPEAKER, <uintptr_t>u, 0, 0, user_id, NULL, NULL)

cdef void _dtr_publish_success(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    _dpush_video_event(u, EV_PUBLISH_SUCCESS, NULL, track, 0, 0, 0, NULL)  # a blob: the track handle is a pointer

cdef void _dtr_unpublished(AGORA_HANDLE u, AGORA_HANDLE track) noexcept nogil:
    _dpush_video_event(u, EV_UNPUBLISHED, NULL, track, 0, 0, 0, NULL)

cdef int _dtr_before_mixing(AGORA_HANDLE u, const char* ch, const char* uid, const audio_frame* f) noexcept nogil:
    return dq_route_push(FAMILY_AUDIO, EV_AUDIO + KIND_BEFORE_MIXING, <uintptr_t>u, 0, 0, uid, ch, f) == 0

cdef int _dtr_playback(AGORA_HANDLE u, const char* ch, const audio_frame* f) noexcept nogil:
    return dq_route_push(FAMILY_AUDIO, EV_AUDIO + KIND_PLAYBACK, <uintptr_t>u, 0, 0, NULL, ch, f) == 0

cdef int _dtr_record(AGORA_HANDLE u, const char* ch, const audio_frame* f) noexcept nogil:
    return dq_route_push(FAMILY_AUDIO, EV_AUDIO + KIND_RECORD, <uintptr_t>u, 0, 0, NULL, ch, f) == 0

cdef int _dtr_mixed(AGORA_HANDLE u, const char* ch, const audio_frame* f) noexcept nogil:
    return dq_route_push(FAMILY_AUDIO, EV_AUDIO + KIND_MIXED, <uintptr_t>u, 0, 0, NULL, ch, f) == 0


cdef rtc_conn_observer _conn_observer_d
cdef local_user_observer _user_observer_d
cdef audio_frame_observer _audio_observer_d


cdef AudioFrame _frame_owned(dq_item* it):
    cdef AudioFrame fr = _frame_view(&it.frame)
    fr._malloced = it.frame.buffer   # ownership moves to the frame
    it.frame.buffer = NULL
    fr.queued_ns = it.queued_ns
    return fr


cdef class Dispatcher:
    """A bounded queue that engine threads fill without the GIL, and its consumer.

    ``fileno()`` becomes readable when items are waiting; ``dispatch()`` (with
    the GIL, on the consumer's thread) delivers them to the registered targets,
    where user code may call any SDK API. When full, the oldest item is dropped
    and counted in ``stats()``.
    """

    cdef dqueue* _q
    def __cinit__(self, capacity=1024):
        cdef int c_capacity = _as_int(capacity, "capacity")
        if c_capacity < 1:
            raise ValueError(f"capacity must be >= 1, not {capacity}")
        self._q = dq_new(c_capacity)
        if self._q == NULL:
            raise MemoryError("cannot allocate the dispatch queue")

    def __dealloc__(self):
        if self._q != NULL and dq_uses(self._q) == 0:
            dq_free(self._q)
        # else: still routed (a leak is safer than a use-after-free)

    def fileno(self):
        return self._q.fds[0]

    def wake(self):
        """Make fileno() readable (used to stop a consumer)."""
        import os
        try:
            os.write(self._q.fds[1], b"\0")
        except BlockingIOError:
            pass

    def stats(self):
        return {"capacity": self._q.capacity, "pending": self._q.count,
                "delivered_to_queue": self._q.pushed, "dropped": self._q.dropped}

    def dispatch(self, max_items=0):
        """Deliver waiting items (all, or at most *max_items*); returns how many."""
        cdef int c_max = _as_int(max_items, "max_items")
        cdef dq_item it
        cdef int n = 0
        dq_drain_wakeups(self._q)
        try:
            while c_max == 0 or n < c_max:
                with nogil:
                    if not dq_pop(self._q, &it):
                        break
                n += 1
                _deliver_item(&it)
        finally:  # items left (max_items, an exception): producers only wake an empty queue's reader
            dq_wake_if_pending(self._q)
        return n


cdef int _deliver_item(dq_item* it) except -1:
    """One dispatched item to its target (on the dispatcher's thread)."""
    cdef int kind = it.kind
    if kind == EV_VIDEO_FRAME or kind == EV_ENCODED_FRAME:
        _deliver_video(it)
    elif kind == EV_TRANSPORT_STATS:
        _deliver_transport_stats(it)
    elif kind == EV_TRACK_STATS:
        _deliver_track_stats(it)
    elif EV_L_LOCAL_TRACK_STATE <= kind < EV_LOCAL_EVENTS_END:
        _deliver_local_event(it)
    elif kind >= EV_ENCODED_AUDIO:
        _deliver_audio_encoded_event(it)
    elif kind >= EV_V_PUBLISH_SUCCESS:
        _deliver_video_event(it)
    elif kind >= EV_AUDIO:
        _deliver_owned_audio(it, kind - EV_AUDIO)
    elif kind == EV_USER_JOINED or kind == EV_USER_LEFT:
        _call_target(_conn_targets, it.handle, "_on_user_joined" if kind == EV_USER_JOINED else "_on_user_left",
                     (_text(it.s1),) if kind == EV_USER_JOINED else (_text(it.s1), it.i1))
    elif kind == EV_TOKEN_WILL_EXPIRE:
        _call_target(_conn_targets, it.handle, "_on_token_privilege_will_expire", (_text(it.s1),))
    elif kind == EV_TOKEN_DID_EXPIRE:
        _call_target(_conn_targets, it.handle, "_on_token_privilege_did_expire", ())
    elif kind == EV_VOLUME:
        _deliver_volume(it)
    elif kind == EV_STREAM_MESSAGE:
        try:
            payload = (<const char*>it.frame.buffer)[:it.i2]
        finally:
            free(it.frame.buffer)
            it.frame.buffer = NULL
        _call_target(_user_targets, it.handle, "_on_stream_message", (_text(it.s1), it.i1, payload, it.i2))
    elif kind == EV_STREAM_ERROR:
        code, missed, cached = (int(v) for v in _text(it.s2).split())
        _call_target(_conn_targets, it.handle, "_on_stream_message_error",
                     (_text(it.s1), it.i1, code, missed, cached))
    elif kind == EV_AUDIO_SUBSCRIBED:
        _call_target(_user_targets, it.handle, "_on_user_audio_track_subscribed",
                     (_text(it.s1), int(_text(it.s2))))
    elif kind == EV_AUDIO_STATE:
        track, elapsed = (int(v) for v in _text(it.s2).split())
        _call_target(_user_targets, it.handle, "_on_user_audio_track_state_changed",
                     (_text(it.s1), track, it.i1, it.i2, elapsed))
    elif kind == EV_FIRST_FRAME or kind == EV_FIRST_DECODED:
        _call_target(_user_targets, it.handle,
                     "_on_first_remote_audio_frame" if kind == EV_FIRST_FRAME else "_on_first_remote_audio_decoded",
                     (_text(it.s1), it.i1))
    elif kind == EV_ACTIVE_SPEAKER:
        _call_target(_user_targets, it.handle, "_on_active_speaker", (_text(it.s1),))
    elif kind == EV_PUBLISH_SUCCESS or kind == EV_UNPUBLISHED:
        _call_target(_user_targets, it.handle,
                     "_on_audio_track_publish_success" if kind == EV_PUBLISH_SUCCESS else "_on_audio_track_unpublished",
                     (_blob_track(it),))
    else:
        info = RTCConnInfo(it.u1, _text(it.s2), it.i2, _text(it.s1), it.u2)
        name = _CONN_EVENT_NAMES[kind]
        _call_target(_conn_targets, it.handle, name,
                     (info,) if kind == EV_CONNECTION_LOST else (info, it.i1))
    return 0


cdef void _deliver_volume(dq_item* it):
    from .observers import AudioVolumeInfo
    cdef packed_speaker* packed = <packed_speaker*>it.frame.buffer
    try:
        speakers = [AudioVolumeInfo(_text(packed[i].user_id), packed[i].volume, packed[i].vad, packed[i].voice_pitch)
                    for i in range(it.i1)]
    finally:
        free(it.frame.buffer)
        it.frame.buffer = NULL
    _call_target(_user_targets, it.handle, "_on_audio_volume_indication", (speakers, it.i1, it.i2))


cdef void _call_target(dict targets, uintptr_t handle, str name, tuple args):
    try:
        target = targets.get(handle)
        if target is not None:
            getattr(target, name)(*args)
    except BaseException:
        _report(name)


cdef void _deliver_owned_audio(dq_item* it, int which):
    cdef AudioTarget target = _audio_targets.get(it.handle)
    cdef AudioFrame fr
    if target is None:
        free(it.frame.buffer)
        return
    fr = _frame_owned(it)
    try:
        fn = (target.before_mixing if which == KIND_BEFORE_MIXING else target.playback if which == KIND_PLAYBACK
              else target.record if which == KIND_RECORD else target.mixed)
        if fn is None:
            return
        if which == KIND_BEFORE_MIXING:
            fr.user_id = _text(it.s1)
            it.frame.buffer = fr._malloced  # the owned copy, for the VAD (still owned by fr)
            try:
                _call_before_mixing(target, fn, _text(it.s2), <bytes>it.s1, fr, &it.frame)
            finally:
                it.frame.buffer = NULL
        else:
            fn(target.local_user, _text(it.s2), fr)
    except BaseException:
        _report("audio frame")


include "_video_dispatch.pxi"
include "_audio_encoded.pxi"
include "_stats.pxi"
include "_stream_states.pxi"
include "_audio_sink.pxi"
include "_track_stats.pxi"
include "_local_events.pxi"


def route(uintptr_t handle, int family, Dispatcher dispatcher):
    """Send *handle*'s callbacks of *family* to *dispatcher* (None: stop routing)."""
    if dispatcher is None:
        dq_route_clear(handle, family)
    elif dq_route_set(handle, family, dispatcher._q) != 0:
        raise MemoryError("cannot add a dispatch route")


CONN_EVENTS, USER_EVENTS, AUDIO_FRAMES = FAMILY_CONN, FAMILY_USER, FAMILY_AUDIO


memset(&_conn_observer_d, 0, sizeof(_conn_observer_d))
_conn_observer_d.on_connected = _dtr_connected
_conn_observer_d.on_disconnected = _dtr_disconnected
_conn_observer_d.on_connecting = _dtr_connecting
_conn_observer_d.on_reconnecting = _dtr_reconnecting
_conn_observer_d.on_reconnected = _dtr_reconnected
_conn_observer_d.on_connection_lost = _dtr_connection_lost
_conn_observer_d.on_connection_failure = _dtr_connection_failure
_conn_observer_d.on_user_joined = _dtr_user_joined
_conn_observer_d.on_user_left = _dtr_user_left
_conn_observer_d.on_token_privilege_will_expire = _dtr_token_will_expire
_conn_observer_d.on_token_privilege_did_expire = _dtr_token_did_expire
_conn_observer_d.on_stream_message_error = _dtr_stream_error

memset(&_user_observer_d, 0, sizeof(_user_observer_d))
_user_observer_d.on_audio_track_publish_success = _dtr_publish_success
_user_observer_d.on_audio_track_unpublished = _dtr_unpublished
_user_observer_d.on_audio_volume_indication = _dtr_volume
_user_observer_d.on_active_speaker = _dtr_active_speaker
_user_observer_d.on_stream_message = _dtr_stream_message
_user_observer_d.on_user_audio_track_subscribed = _dtr_audio_subscribed
_user_observer_d.on_user_audio_track_state_changed = _dtr_audio_state
_user_observer_d.on_first_remote_audio_frame = _dtr_first_frame
_user_observer_d.on_first_remote_audio_decoded = _dtr_first_decoded
_user_observer_d.on_video_track_publish_success = _dtr_video_publish_success
_user_observer_d.on_video_track_unpublished = _dtr_video_unpublished
_user_observer_d.on_intra_request_received = _dtr_intra_request
_user_observer_d.on_user_video_track_subscribed = _dtr_video_subscribed
_user_observer_d.on_user_video_track_state_changed = _dtr_video_state
_user_observer_d.on_first_remote_video_frame = _dtr_first_video_frame
_user_observer_d.on_first_remote_video_decoded = _dtr_first_video_decoded

memset(&_audio_observer_d, 0, sizeof(_audio_observer_d))
_audio_observer_d.on_playback_audio_frame_before_mixing = _dtr_before_mixing
_audio_observer_d.on_playback_audio_frame = _dtr_playback
_audio_observer_d.on_record_audio_frame = _dtr_record
_audio_observer_d.on_mixed_audio_frame = _dtr_mixed

# Encoded audio, meta data, encryption (_audio_encoded.pxi), statistics (_stats.pxi), publish and subscribe
# states (_stream_states.pxi), track statistics (_track_stats.pxi), local track states, remote users' media,
# roles and network (_local_events.pxi): after the memsets above.
_conn_observer.on_encryption_error = _tr_encryption_error
_conn_observer_d.on_encryption_error = _dtr_encryption_error
_user_observer.on_audio_meta_data_received = _tr_audio_meta_data
_user_observer_d.on_audio_meta_data_received = _dtr_audio_meta_data
_conn_observer.on_transport_stats = _tr_transport_stats
_conn_observer_d.on_transport_stats = _dtr_transport_stats
_user_observer.on_audio_publish_state_changed = _tr_audio_publish_state
_user_observer_d.on_audio_publish_state_changed = _dtr_audio_publish_state
_user_observer.on_video_publish_state_changed = _tr_video_publish_state
_user_observer_d.on_video_publish_state_changed = _dtr_video_publish_state
_user_observer.on_audio_subscribe_state_changed = _tr_audio_subscribe_state
_user_observer_d.on_audio_subscribe_state_changed = _dtr_audio_subscribe_state
_user_observer.on_video_subscribe_state_changed = _tr_video_subscribe_state
_user_observer_d.on_video_subscribe_state_changed = _dtr_video_subscribe_state
_user_observer.on_local_audio_track_statistics = _tr_local_audio_stats
_user_observer_d.on_local_audio_track_statistics = _dtr_local_audio_stats
_user_observer.on_remote_audio_track_statistics = _tr_remote_audio_stats
_user_observer_d.on_remote_audio_track_statistics = _dtr_remote_audio_stats
_user_observer.on_local_video_track_statistics = _tr_local_video_stats
_user_observer_d.on_local_video_track_statistics = _dtr_local_video_stats
_user_observer.on_remote_video_track_statistics = _tr_remote_video_stats
_user_observer_d.on_remote_video_track_statistics = _dtr_remote_video_stats
_user_observer.on_local_audio_track_state_changed = _tr_local_audio_state
_user_observer_d.on_local_audio_track_state_changed = _dtr_local_audio_state
_user_observer.on_local_video_track_state_changed = _tr_local_video_state
_user_observer_d.on_local_video_track_state_changed = _dtr_local_video_state
_user_observer.on_audio_track_publish_start = _tr_audio_publish_start
_user_observer_d.on_audio_track_publish_start = _dtr_audio_publish_start
_user_observer.on_video_track_publish_start = _tr_video_publish_start
_user_observer_d.on_video_track_publish_start = _dtr_video_publish_start
_user_observer.on_user_info_updated = _tr_user_info
_user_observer_d.on_user_info_updated = _dtr_user_info
_user_observer.on_user_state_changed = _tr_user_state
_user_observer_d.on_user_state_changed = _dtr_user_state
_user_observer.on_video_size_changed = _tr_video_size
_user_observer_d.on_video_size_changed = _dtr_video_size
_user_observer.on_first_remote_video_frame_rendered = _tr_video_rendered
_user_observer_d.on_first_remote_video_frame_rendered = _dtr_video_rendered
_user_observer.on_remote_video_stream_info_updated = _tr_stream_info
_user_observer_d.on_remote_video_stream_info_updated = _dtr_stream_info
_conn_observer.on_change_role_success = _tr_change_role
_conn_observer_d.on_change_role_success = _dtr_change_role
_conn_observer.on_network_type_changed = _tr_network_type
_conn_observer_d.on_network_type_changed = _dtr_network_type
_conn_observer.on_user_network_quality = _tr_network_quality
_conn_observer_d.on_user_network_quality = _dtr_network_quality
