"""Statistics with the official names: RTCStats (``on_transport_stats``, every
2 s), RemoteAudioTrackStats / RemoteVideoTrackStats / LocalVideoTrackStats
(``track.get_statistics()``, and every 2 s with on_transport_stats through the local user's
``on_{local,remote}_{audio,video}_track_statistics``), LocalAudioTrackStats (that callback only).

On the loopback engine the counters are real: bytes and frames as received,
bitrates from them, frozen time from the tracks' FROZEN periods; loss, jitter
buffer depth and transit time between processes (one process has no network).
Fields the loopback cannot measure (CPU of the whole system, gateway RTT,
encoder internals) are 0."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field, dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AnaStats", "AudioProcessingStats", "LastmileProbeOneWayResult", "LastmileProbeResult",
           "LocalAudioDetailedStats", "LocalAudioTrackStats", "LocalVideoTrackStats", "RTCStats",
           "RemoteAudioTrackStats", "RemoteVideoTrackStats"]


class _FromEngine:
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # every subclass is a dataclass

    @classmethod
    def _from(cls, values: Mapping[str, float]) -> Self:
        """From the engine struct (a dict): the official fields, in their order."""
        return cls(**{f.name: values[f.name] for f in fields(cls)})


@dataclass(frozen=True, kw_only=True)
class RTCStats(_FromEngine):
    connection_id: int
    duration: int
    tx_bytes: int
    rx_bytes: int
    tx_audio_bytes: int
    tx_video_bytes: int
    rx_audio_bytes: int
    rx_video_bytes: int
    tx_k_bit_rate: int
    rx_k_bit_rate: int
    rx_audio_k_bit_rate: int
    tx_audio_k_bit_rate: int
    rx_video_k_bit_rate: int
    tx_video_k_bit_rate: int
    lastmile_delay: int
    user_count: int
    cpu_app_usage: float
    cpu_total_usage: float
    gateway_rtt: int
    memory_app_usage_ratio: float
    memory_total_usage_ratio: float
    memory_app_usage_in_kbytes: int
    connect_time_ms: int
    first_audio_packet_duration: int
    first_video_packet_duration: int
    first_video_key_frame_packet_duration: int
    packets_before_first_key_frame_packet: int
    first_audio_packet_duration_after_unmute: int
    first_video_packet_duration_after_unmute: int
    first_video_key_frame_packet_duration_after_unmute: int
    first_video_key_frame_decoded_duration_after_unmute: int
    first_video_key_frame_rendered_duration_after_unmute: int
    tx_packet_loss_rate: int
    rx_packet_loss_rate: int


@dataclass(frozen=True, kw_only=True)
class LocalAudioTrackStats(_FromEngine):
    """on_local_audio_track_statistics: what this user sends (the loopback sends PCM: internal_codec 0)."""
    num_channels: int
    sent_sample_rate: int
    sent_bitrate: int        # kbps over the last interval
    internal_codec: int
    voice_pitch: float       # Hz, of the last frame sent (0 when unvoiced or labels are off)


@dataclass(frozen=True, kw_only=True)
class RemoteAudioTrackStats(_FromEngine):
    uid: int
    quality: int
    network_transport_delay: int
    jitter_buffer_delay: int
    audio_loss_rate: int
    num_channels: int
    received_sample_rate: int
    received_bitrate: int
    total_frozen_time: int
    frozen_rate: int
    received_bytes: int


@dataclass(frozen=True, kw_only=True)
class RemoteVideoTrackStats(_FromEngine):
    uid: int
    delay: int
    width: int
    height: int
    received_bitrate: int
    decoder_output_frame_rate: int
    renderer_output_frame_rate: int
    frame_loss_rate: int
    packet_loss_rate: int
    rx_stream_type: int
    total_frozen_time: int
    frozen_rate: int
    total_decoded_frames: int
    av_sync_time_ms: int
    downlink_process_time_ms: int
    frame_render_delay_ms: int
    total_active_time: int
    publish_duration: int


@dataclass(frozen=True, kw_only=True)
class LocalVideoTrackStats(_FromEngine):
    number_of_streams: int
    bytes_major_stream: int
    bytes_minor_stream: int
    frames_encoded: int
    ssrc_major_stream: int
    ssrc_minor_stream: int
    capture_frame_rate: int
    regulated_capture_frame_rate: int
    input_frame_rate: int
    encode_frame_rate: int
    render_frame_rate: int
    target_media_bitrate_bps: int
    media_bitrate_bps: int
    total_bitrate_bps: int
    capture_width: int
    capture_height: int
    regulated_capture_width: int
    regulated_capture_height: int
    width: int
    height: int
    encoder_type: int
    uplink_cost_time_ms: int
    quality_adapt_indication: int


@dataclass(frozen=True, kw_only=True)
class AnaStats(_FromEngine):
    """The audio encoder's network adaptation counters (0 on the loopback: no encoder)."""

    bitrate_action_counter: int
    channel_action_counter: int
    dtx_action_counter: int
    fec_action_counter: int
    frame_length_increase_counter: int
    frame_length_decrease_counter: int
    uplink_packet_loss_fraction: float


@dataclass(frozen=True, kw_only=True)
class AudioProcessingStats(_FromEngine):
    """Echo cancellation figures (0 on the loopback: no echo canceller on the send path)."""

    echo_return_loss: float
    echo_return_loss_enhancement: float
    divergent_filter_fraction: float
    delay_median_ms: int
    delay_standard_deviation_ms: int
    residual_echo_likelihood: float
    residual_echo_likelihood_recent_max: float
    delay_ms: int


@dataclass(frozen=True, kw_only=True)
class LocalAudioDetailedStats(_FromEngine):
    """``LocalUser.get_local_audio_statistics()``: what this user's audio sender did
    since the connection was made. On the loopback: ``codec_name`` "L16" (PCM as
    sent), one packet per 10 ms frame, ``audio_level`` the peak of the last frame
    (0..32767), ``total_input_energy`` the sum of (rms/32767)² × 0.01 s; loss,
    jitter and RTT 0 (one host)."""

    local_ssrc: int
    bytes_sent: int
    packets_sent: int
    packets_lost: int
    fraction_lost: float
    codec_name: str
    codec_payload_type: int
    ext_seqnum: int
    jitter_ms: int
    rtt_ms: int
    audio_level: int
    total_input_energy: float
    total_input_duration: float
    typing_noise_detected: int
    ana_statistics: AnaStats
    apm_statistics: AudioProcessingStats

    @classmethod
    def _from(cls, values: Mapping[str, Any]) -> Self:
        nested = {"ana_statistics": AnaStats._from(values["ana_statistics"]),
                  "apm_statistics": AudioProcessingStats._from(values["apm_statistics"])}
        return cls(**{f.name: nested.get(f.name, values[f.name]) for f in fields(cls)})


@dataclass(frozen=True, kw_only=True)
class LastmileProbeOneWayResult:
    """One direction of a last-mile probe (official type; the loopback runs no probes)."""

    packet_loss_rate: int
    jitter: int
    available_bandwidth: int


@dataclass(frozen=True, kw_only=True)
class LastmileProbeResult:
    """``on_lastmile_probe_result``'s argument (official type; the loopback runs no probes)."""

    state: int
    uplink_report: LastmileProbeOneWayResult
    downlink_report: LastmileProbeOneWayResult
    rtt: int
