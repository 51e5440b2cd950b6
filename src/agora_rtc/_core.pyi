"""Types of the compiled core (_core.pyx and the .pxi files it includes).

Handles are the engine's pointers as plain ints (0 never names a live object).
Functions that return the engine's status return it as a non-negative int;
failures raise AgoraError instead.
"""

import logging
import os
from typing import Any, Final

import numpy as np
from typing_extensions import Buffer, Self, disjoint_base

from agora_rtc.video import ColorSpaceType

# What the send paths take: any buffer (bytes, bytearray, memoryview, array.array, ...)
# or a numpy array. The array is named because numpy's stubs give it __buffer__ only
# from Python 3.12 on.
_Buffer = Buffer | np.ndarray[Any, Any]

# A Cython bint: any value, taken for its truth (bool, or 0/1 as the official API passes).
_Flag = bool | int

logger: logging.Logger

# --------------------------------------------------------------------------
# Engine loading

_SYMBOLS: tuple[str, ...]
_lib_path: str | None

def load(path: str | os.PathLike[str]) -> str: ...
def api_address(name: str) -> int: ...
def symbols_resolved() -> tuple[int, int]: ...
def loaded_path() -> str | None: ...
def shutdown_callbacks() -> None: ...

# --------------------------------------------------------------------------
# Errors

ERROR_NAMES: dict[int, str]

class AgoraError(RuntimeError):
    code: int
    name: str
    def __init__(self, what: object, code: int) -> None: ...

# --------------------------------------------------------------------------
# Service, parameters, factory

def service_create() -> int: ...
def service_initialize(
    svc: int,
    *,
    app_id: str,
    enable_audio_processor: int = 1,
    enable_audio_device: int = 0,
    enable_video: int = 0,
    area_code: int = 0xFFFFFFFF,
    channel_profile: int = 1,
    audio_scenario: int = 0,
    use_string_uid: int = 0,
    log_level: int = 0,
    log_path: str = "",
    log_file_size_kb: int = 0,
) -> int: ...
def service_release(svc: int) -> int: ...
def service_set_parameters(owner: int, json_text: str, connection: _Flag = False) -> int: ...
def service_get_number(owner: int, key: str, connection: _Flag = False) -> float: ...
def factory_create(svc: int) -> int: ...
def factory_destroy(factory: int) -> None: ...
def factory_create_pcm_sender(factory: int) -> int: ...
def pcm_sender_destroy(sender: int) -> None: ...

# --------------------------------------------------------------------------
# Audio tracks

def service_create_pcm_track(svc: int, sender: int) -> int: ...
def track_destroy(track: int) -> None: ...
def track_set_enabled(track: int, enabled: _Flag) -> int: ...
def track_is_enabled(track: int) -> bool: ...
def track_set_max_buffered_frames(track: int, frames: int) -> int: ...
def track_adjust_publish_volume(track: int, volume: int) -> int: ...
def track_get_state(track: int) -> int: ...
def track_set_send_delay_ms(track: int, delay_ms: int) -> None: ...
def track_enable_local_playback(track: int, enable: _Flag) -> int: ...
def track_enable_ear_monitor(track: int, enable: _Flag, include_audio_filter: int) -> int: ...
def track_set_total_extra_send_ms(track: int, total_extra_ms: int) -> int: ...
def user_set_audio_encoder_config(user: int, audio_profile: int) -> int: ...
def service_set_log_file(svc: int, path: str, size: int) -> int: ...
def user_set_role(user: int, role: int) -> int: ...
def user_get_role(user: int) -> int: ...
def track_get_publish_volume(track: int) -> int: ...
def user_adjust_playback_signal_volume(user: int, volume: int) -> int: ...
def user_get_playback_signal_volume(user: int) -> int: ...
def user_set_audio_scenario(user: int, scenario: int) -> int: ...
def user_set_volume_indication(user: int, interval_ms: int, smooth: int, report_vad: _Flag) -> int: ...
def conn_create_data_stream(conn: int, reliable: _Flag, ordered: _Flag) -> int: ...
def conn_send_stream_message(conn: int, stream_id: int, data: _Buffer) -> int: ...
def remote_audio_get_state(track: int) -> int: ...
def conn_get_sid(conn: int) -> str: ...

# The loopback engine's queue counters; None with Agora's library.
def track_stats(track: int) -> dict[str, int] | None: ...
def track_clear_buffer(track: int) -> int: ...

@disjoint_base
class PcmSender:
    @property
    def handle(self) -> int: ...
    def _set_handle(self, h: int) -> None: ...
    def send(
        self,
        data: _Buffer,
        samples_per_channel: int,
        sample_rate: int,
        channels: int = 1,
        bytes_per_sample: int = 2,
        capture_timestamp: int = 0,
        presentation_ms: int = 0,
    ) -> int: ...

# --------------------------------------------------------------------------
# Connections and local users

def conn_create(
    svc: int,
    *,
    auto_subscribe_audio: int = 1,
    auto_subscribe_video: int = 0,
    enable_audio_recording_or_playout: int = 0,
    max_send_bitrate: int = 0,
    client_role_type: int = 1,
    channel_profile: int = 1,
    audio_recv_media_packet: int = 0,
    audio_recv_encoded_frame: int = 0,
    video_recv_media_packet: int = 0,
    sub_sample_rate: int = 0,
    sub_channels: int = 0,
) -> int: ...
def conn_destroy(conn: int) -> None: ...
def conn_connect(conn: int, token: str | None, channel_id: str, user_id: str) -> int: ...
def conn_disconnect(conn: int) -> int: ...
def conn_renew_token(conn: int, token: str) -> int: ...

class RTCConnInfo:
    id: int
    channel_id: str
    state: int
    local_user_id: str
    internal_uid: int
    def __init__(self, id: int, channel_id: str, state: int, local_user_id: str, internal_uid: int) -> None: ...

def conn_get_info(conn: int) -> RTCConnInfo: ...
def conn_get_local_user(conn: int) -> int: ...
def user_publish_audio(user: int, track: int) -> int: ...
def user_unpublish_audio(user: int, track: int) -> int: ...
def user_subscribe_audio(user: int, user_id: str, subscribe: _Flag = True) -> int: ...
def user_subscribe_all_audio(user: int, subscribe: _Flag = True) -> int: ...

# Which audio frames (``which`` of user_set_frame_parameters).
PLAYBACK: Final[int]
RECORD: Final[int]
MIXED: Final[int]
BEFORE_MIXING: Final[int]

def user_set_frame_parameters(
    user: int, which: int, channels: int, sample_rate: int, samples_per_call: int = 0
) -> int: ...

# --------------------------------------------------------------------------
# Received audio frames

@disjoint_base
class AudioFrame:
    # Made by the SDK only: AudioFrame() raises TypeError.
    # Read-only fields of Agora's frame.
    @property
    def user_id(self) -> str | None: ...  # set on dispatched before-mixing frames only
    @property
    def queued_ns(self) -> int: ...
    @property
    def type(self) -> int: ...
    @property
    def samples_per_channel(self) -> int: ...
    @property
    def bytes_per_sample(self) -> int: ...
    @property
    def channels(self) -> int: ...
    @property
    def samples_per_sec(self) -> int: ...
    @property
    def render_time_ms(self) -> int: ...
    @property
    def presentation_ms(self) -> int: ...
    @property
    def avsync_type(self) -> int: ...
    @property
    def audio_track_number(self) -> int: ...
    @property
    def far_field_flag(self) -> int: ...
    @property
    def rms(self) -> int: ...
    @property
    def voice_prob(self) -> int: ...
    @property
    def music_prob(self) -> int: ...
    @property
    def pitch(self) -> int: ...
    @property
    def rtp_timestamp(self) -> int: ...
    @property
    def buffer(self) -> bytes: ...
    @property
    def sample_rate(self) -> int: ...
    @property
    def valid(self) -> bool: ...
    def __buffer__(self, flags: int, /) -> memoryview: ...
    def __len__(self) -> int: ...
    def detach(self) -> Self: ...

# --------------------------------------------------------------------------
# Callback bridge. A target is any object with the ``_on_<event>`` methods the
# engine's events name; a missing one is logged, never raised into the engine.

def conn_register_observer(conn: int, target: object, dispatcher: Dispatcher | None = None) -> int: ...
def conn_unregister_observer(conn: int) -> int: ...
def user_register_observer(user: int, target: object, dispatcher: Dispatcher | None = None) -> int: ...
def user_unregister_observer(user: int) -> int: ...

# VAD v2 settings as AudioTarget takes them: (pre_start_count, start_count,
# stop_count, rms_threshold, adaptive, adaptive_factor, preroll_from_onset).
_VadArgs = tuple[int, int, int, int, int, float, int]

@disjoint_base
class AudioTarget:
    def __init__(
        self, local_user: object, observer: object, vad: _VadArgs | None = None, six_args: _Flag = False
    ) -> None: ...
    def forget(self, uid: str | bytes) -> None: ...

def user_register_audio_frame_observer(user: int, target: AudioTarget, dispatcher: Dispatcher | None = None) -> int: ...
def user_unregister_audio_frame_observer(user: int) -> int: ...
def forget_user(user: int) -> None: ...

# --------------------------------------------------------------------------
# Video (_video.pxi, _video_dispatch.pxi)

PIXEL_I420: Final[int]
PIXEL_BGRA: Final[int]
PIXEL_NV21: Final[int]
PIXEL_RGBA: Final[int]
PIXEL_NV12: Final[int]
_FORMAT_NAMES: dict[int, str]

def factory_create_video_sender(factory: int, encoded: _Flag = False) -> int: ...
def video_sender_destroy(sender: int, encoded: _Flag = False) -> None: ...
def service_create_video_track(
    svc: int, sender: int, encoded: _Flag = False, cc_mode: int = 0, codec_type: int = 2, target_bitrate: int = 0
) -> int: ...
def video_track_destroy(track: int) -> None: ...
def video_track_set_enabled(track: int, enabled: _Flag) -> int: ...
def video_track_get_state(track: int) -> int: ...
def video_track_set_encoder_config(
    track: int,
    codec_type: int,
    width: int,
    height: int,
    frame_rate: int,
    bitrate: int,
    min_bitrate: int = -1,
    orientation_mode: int = 0,
    degradation_preference: int = 0,
    mirror_mode: int = 0,
    encode_alpha: int = 0,
) -> int: ...
def video_track_enable_simulcast(
    track: int, enabled: _Flag, width: int = 0, height: int = 0, bitrate: int = 0, framerate: int = 0
) -> int: ...

# Loopback engine counters of a local video track; None with Agora's library.
def video_track_stats(track: int) -> dict[str, int] | None: ...
def remote_video_get_track_info(track: int) -> tuple[int, int, int, str, int, int, int, int, int] | None: ...
def remote_video_get_state(track: int) -> int: ...
def user_publish_video(user: int, track: int, publish: _Flag = True) -> int: ...
def user_send_intra_request(user: int, user_id: str) -> int: ...
def user_subscribe_video(
    user: int, user_id: str | None, subscribe: _Flag = True, stream_type: int = 0, encoded_frame_only: _Flag = False
) -> int: ...

class _OfficialRecord:
    _FIELDS: tuple[str, ...]
    def _fields(self) -> dict[str, object]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __reduce__(self) -> tuple[object, ...]: ...

@disjoint_base
class EncodedVideoFrameInfo(_OfficialRecord):
    codec_type: int
    width: int
    height: int
    frames_per_second: int
    frame_type: int
    rotation: int
    track_id: int
    capture_time_ms: int
    decode_time_ms: int
    uid: int
    stream_type: int
    presentation_ms: int
    def __init__(
        self,
        *,
        codec_type: int = 0,
        width: int = 0,
        height: int = 0,
        frames_per_second: int = 0,
        frame_type: int = 0,
        rotation: int = 0,
        track_id: int = 0,
        capture_time_ms: int = 0,
        decode_time_ms: int = 0,
        uid: int = 0,
        stream_type: int = 0,
        presentation_ms: int = 0,
    ) -> None: ...

@disjoint_base
class ExternalVideoFrame(_OfficialRecord):
    type: int
    format: int
    buffer: _Buffer | None
    stride: int
    height: int
    crop_left: int
    crop_top: int
    crop_right: int
    crop_bottom: int
    rotation: int
    timestamp: int
    egl_context: object
    egl_type: int
    texture_id: int
    metadata: _Buffer | None
    alpha_buffer: _Buffer | None
    fill_alpha_buffer: int
    alpha_mode: int
    matrix: list[float]
    color_space: ColorSpaceType
    def __init__(
        self,
        *,
        type: int = 1,
        format: int = 0,
        buffer: _Buffer | None = None,
        stride: int = 0,
        height: int = 0,
        crop_left: int = 0,
        crop_top: int = 0,
        crop_right: int = 0,
        crop_bottom: int = 0,
        rotation: int = 0,
        timestamp: int = 0,
        egl_context: object = None,
        egl_type: int = 0,
        texture_id: int = 0,
        matrix: list[float] | None = None,
        metadata: _Buffer | None = None,
        alpha_buffer: _Buffer | None = None,
        fill_alpha_buffer: int = 0,
        alpha_mode: int = 0,
        color_space: ColorSpaceType | None = None,
    ) -> None: ...

@disjoint_base
class VideoSender:
    def send_video_frame(self, frame: ExternalVideoFrame) -> int: ...
    @property
    def handle(self) -> int: ...
    def _set_handle(self, h: int) -> None: ...
    def send(
        self,
        data: _Buffer,
        format: int,
        width: int,
        height: int,
        *,
        stride: int = 0,
        rotation: int = 0,
        timestamp_ms: int = 0,
        metadata: _Buffer | None = None,
        alpha: _Buffer | None = None,
        fill_alpha: _Flag = False,
        buffer_type: int = 1,
    ) -> int: ...

def video_encoded_send(
    sender: int,
    data: _Buffer,
    codec_type: int,
    width: int,
    height: int,
    frame_type: int,
    *,
    frames_per_second: int = 0,
    rotation: int = 0,
    track_id: int = 0,
    capture_time_ms: int = 0,
    decode_time_ms: int = 0,
    uid: int = 0,
    stream_type: int = 0,
) -> int: ...
def video_encoded_send_info(sender: int, data: _Buffer, frame_info: EncodedVideoFrameInfo) -> int: ...

@disjoint_base
class VideoPlane:
    @property
    def shape(self) -> tuple[int, int]: ...
    def __buffer__(self, flags: int, /) -> memoryview: ...
    def tobytes(self) -> bytes: ...

@disjoint_base
class VideoFrame:
    # Made by the SDK only: VideoFrame() raises TypeError.
    @property
    def type(self) -> int: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def y_stride(self) -> int: ...
    @property
    def u_stride(self) -> int: ...
    @property
    def v_stride(self) -> int: ...
    @property
    def rotation(self) -> int: ...
    @property
    def avsync_type(self) -> int: ...
    @property
    def alpha_mode(self) -> int: ...
    @property
    def render_time_ms(self) -> int: ...
    @property
    def metadata(self) -> bytes: ...
    @property
    def alpha_buffer(self) -> bytes | None: ...
    @property
    def channel_id(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def y(self) -> VideoPlane: ...
    @property
    def u(self) -> VideoPlane: ...
    @property
    def v(self) -> VideoPlane: ...
    @property
    def y_buffer(self) -> bytes: ...
    @property
    def u_buffer(self) -> bytes: ...
    @property
    def v_buffer(self) -> bytes: ...
    @property
    def metadata_buffer(self) -> bytes: ...
    @property
    def valid(self) -> bool: ...
    def to_i420(self) -> bytes: ...
    def detach(self) -> Self: ...

def forget_video_observer(observer: int) -> None: ...
def user_register_video_observer(
    user: int, target: object, encoded: _Flag = False, dispatcher: Dispatcher | None = None
) -> int: ...
def user_unregister_video_observer(user: int, observer: int, encoded: _Flag = False) -> int: ...

# --------------------------------------------------------------------------
# Encoded audio, audio meta data, encryption (_audio_encoded.pxi)

AUDIO_MAX_ENCODED: Final[int]
AUDIO_MAX_META_DATA: Final[int]

def factory_create_audio_encoded_sender(factory: int) -> int: ...
def audio_encoded_sender_destroy(sender: int) -> None: ...
def service_create_encoded_audio_track(svc: int, sender: int, mix_mode: int) -> int: ...
def audio_encoded_sender_send(
    sender: int,
    data: _Buffer,
    codec: int,
    sample_rate: int,
    channels: int,
    samples_per_channel: int,
    speech: int = 1,
    send_even_if_empty: int = 1,
    capture_time_ms: int = -1,
) -> int: ...
def user_send_audio_meta_data(user: int, data: _Buffer) -> int: ...
def conn_enable_encryption(conn: int, enabled: _Flag, mode: int, key: str, salt: bytes, datastream: _Flag) -> int: ...
def user_register_audio_encoded_observer(user: int, target: object, dispatcher: Dispatcher | None = None) -> int: ...
def user_unregister_audio_encoded_observer(user: int) -> int: ...

# --------------------------------------------------------------------------
# Statistics (_stats.pxi): the engine's struct as a dict of its fields.

def remote_audio_stats(track: int) -> dict[str, int]: ...
def remote_video_stats(track: int) -> dict[str, int]: ...
def user_local_audio_stats(user: int) -> dict[str, Any]: ...
def local_video_stats(track: int) -> dict[str, int]: ...

# --------------------------------------------------------------------------
# Publish and subscribe states (_stream_states.pxi)

_PUBLISH_STATE_TARGETS: tuple[str, str]
_SUBSCRIBE_STATE_TARGETS: tuple[str, str]

# --------------------------------------------------------------------------
# Local track states, remote users' media, roles and network (_local_events.pxi)

_LOCAL_STATE_TARGETS: tuple[str, str]
_PUBLISH_START_TARGETS: tuple[str, str]

# --------------------------------------------------------------------------
# Audio sinks and the APM filter (_audio_sink.pxi). A sink's target gets
# ``_on_audio_sink_data(frame)`` with an AudioFrame valid during the call.

def audio_sink_add(track: int, sample_rate: int, channels: int, target: object) -> int: ...
def audio_sink_destroy(sink: int) -> None: ...
def track_enable_audio_filter(track: int, name: str, enable: _Flag, position: int) -> int: ...
def track_set_filter_property(track: int, name: str, key: str, value: str, position: int) -> int: ...

# --------------------------------------------------------------------------
# Dispatched delivery

@disjoint_base
class Dispatcher:
    def __new__(cls, capacity: int = 1024) -> Self: ...
    def fileno(self) -> int: ...
    def wake(self) -> None: ...
    def stats(self) -> dict[str, int]: ...
    def dispatch(self, max_items: int = 0) -> int: ...

_CONN_EVENT_NAMES: dict[int, str]

def route(handle: int, family: int, dispatcher: Dispatcher | None) -> None: ...

# Callback families (``family`` of route).
CONN_EVENTS: Final[int]
USER_EVENTS: Final[int]
AUDIO_FRAMES: Final[int]
