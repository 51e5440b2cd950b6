"""Audio senders, tracks and frames."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

from . import _core
from ._arguments import need_int
from ._core import AudioFrame

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._core import _Buffer
    from .audio_encoded import AudioEncodedFrameSender
    from .connection import RTCConnection
    from .service import AgoraService
    from .stats import RemoteAudioTrackStats
    from .video import VideoEncodedImageSender, VideoFrameSender

__all__ = ["AudioCodecType", "AudioFrame", "AudioFramePosition", "AudioPcmDataSender", "LocalAudioTrack",
           "MediaNodeFactory", "PcmAudioFrame", "RawAudioFrameOpModeType", "RemoteAudioTrack", "RemoteAudioState",
           "RemoteAudioStateReason"]


class AudioCodecType(IntEnum):
    AUDIO_CODEC_OPUS = 1
    AUDIO_CODEC_PCMA = 3
    AUDIO_CODEC_PCMU = 4
    AUDIO_CODEC_G722 = 5
    AUDIO_CODEC_AACLC = 8
    AUDIO_CODEC_HEAAC = 9
    AUDIO_CODEC_JC1 = 10
    AUDIO_CODEC_HEAAC2 = 11
    AUDIO_CODEC_LPCNET = 12
    AUDIO_CODEC_OPUSMC = 13


class AudioFramePosition(IntEnum):
    """Which observer callbacks an audio frame observer wants (bit mask)."""
    AUDIO_FRAME_POSITION_PLAYBACK = 0x0001
    AUDIO_FRAME_POSITION_RECORD = 0x0002
    AUDIO_FRAME_POSITION_MIXED = 0x0004
    AUDIO_FRAME_POSITION_BEFORE_MIXING = 0x0008


class RawAudioFrameOpModeType(IntEnum):
    RAW_AUDIO_FRAME_OP_MODE_READ_ONLY = 0
    RAW_AUDIO_FRAME_OP_MODE_READ_WRITE = 2


class RemoteAudioState:
    STOPPED, STARTING, DECODING, FROZEN, FAILED = range(5)


class RemoteAudioStateReason:
    INTERNAL, NETWORK_CONGESTION, NETWORK_RECOVERY, LOCAL_MUTED, LOCAL_UNMUTED, REMOTE_MUTED, REMOTE_UNMUTED, \
        REMOTE_OFFLINE = range(8)


class _RemoteTrack:
    """A remote user's track as this local user receives it. Valid as long as the connection."""

    _get_state: Callable[[int], int] | None = None  # the _core function reading the engine's state

    def __init__(self, connection: RTCConnection, handle: int, user_id: str) -> None:
        self._connection = connection
        self._h = handle
        self.user_id = user_id

    def _need_live(self, what: str) -> None:
        if self._connection.released:
            raise ValueError(f"{type(self).__name__}.{what}(): the connection was released")

    def get_state(self) -> int:
        """The track's remote state now (RemoteAudioState / RemoteVideoState values)."""
        self._need_live("get_state")
        get_state = type(self)._get_state
        assert get_state is not None, "each remote track class names its _core getter"
        return get_state(self._h)

    def release(self) -> None:
        """Nothing to free: a remote track belongs to its connection, which ends it when the
        user unpublishes or leaves (the official ``release`` does nothing either)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self.user_id!r}>"


class RemoteAudioTrack(_RemoteTrack):
    """A remote user's audio as this local user receives it (official name)."""

    _get_state = staticmethod(_core.remote_audio_get_state)

    def get_statistics(self) -> RemoteAudioTrackStats:
        """A RemoteAudioTrackStats of what arrived so far (bytes, bitrate, frozen time; loss,
        jitter-buffer delay and transit time from members in other processes)."""
        from .stats import RemoteAudioTrackStats
        self._need_live("get_statistics")
        return RemoteAudioTrackStats._from(_core.remote_audio_stats(self._h))


@dataclass(kw_only=True)
class AudioParams:
    """An audio format as the official API names it (sample rate, channels, RawAudioFrameOpModeType, samples per
    callback); the frame-parameter setters of LocalUser take these values as arguments."""

    sample_rate: int
    channels: int
    mode: int
    samples_per_call: int


@dataclass(kw_only=True)
class AudioPcmDataInfo:
    """The official PCM data info record (samples per channel, channels, samples out, elapsed and NTP time)."""

    samplesPerChannel: int  # noqa: N815 -- the official names
    channelNum: int  # noqa: N815
    samplesOut: int  # noqa: N815
    elapsedTimeMs: int  # noqa: N815
    ntpTimeMs: int  # noqa: N815


@dataclass
class PcmAudioFrame:
    """PCM to send (official name). ``data`` is any buffer of 16-bit interleaved samples."""

    data: _Buffer | None = None
    timestamp: int = 0
    samples_per_channel: int = 0
    bytes_per_sample: int = 2
    number_of_channels: int = 1
    sample_rate: int = 16000
    present_time_ms: int = 0


class _Owned(Protocol):
    """What a service owns and frees on release."""

    def release(self) -> None: ...


class _Child:
    """An engine object owned by a service: released once, in any order."""

    _kind = "object"
    _destroy: Callable[[int], None]  # the _core function freeing the engine object

    def __init__(self, service: AgoraService, handle: int) -> None:
        self._service = service
        self._h = handle
        service._adopt(self)

    @property
    def released(self) -> bool:
        return self._h == 0

    def _handle(self) -> int:
        if self._h == 0:
            raise ValueError(f"{self._kind} was released")
        return self._h

    def release(self) -> None:
        """Free the engine object. Idempotent."""
        h, self._h = self._h, 0
        if h:
            self._destroy(h)
            self._service._disown(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class MediaNodeFactory(_Child):
    """Creates senders (official name)."""

    _kind = "MediaNodeFactory"
    _destroy = staticmethod(_core.factory_destroy)

    def create_audio_pcm_data_sender(self) -> AudioPcmDataSender:
        return AudioPcmDataSender(self._service, _core.factory_create_pcm_sender(self._handle()))

    def create_audio_encoded_frame_sender(self) -> AudioEncodedFrameSender:
        from .audio_encoded import AudioEncodedFrameSender
        return AudioEncodedFrameSender(self._service, _core.factory_create_audio_encoded_sender(self._handle()))

    def create_video_frame_sender(self) -> VideoFrameSender:
        from .video import VideoFrameSender
        return VideoFrameSender(self._service, _core.factory_create_video_sender(self._handle(), False))

    def create_video_encoded_image_sender(self) -> VideoEncodedImageSender:
        from .video import VideoEncodedImageSender
        return VideoEncodedImageSender(self._service, _core.factory_create_video_sender(self._handle(), True))


class AudioPcmDataSender(_core.PcmSender):
    """Pushes PCM into the custom audio track made from it.

    ``send(data, samples_per_channel, sample_rate, channels=1, ...)`` is the fast
    path (GIL released, no copy); ``send_audio_pcm_data(PcmAudioFrame)`` is the
    official one. Audio is queued (up to 60 s by default) and played out by the
    engine at real-time pace, 10 ms per tick.
    """

    def __init__(self, service: AgoraService, handle: int) -> None:
        self._service = service
        self._track: LocalAudioTrack | None = None  # set by create_custom_audio_track_pcm
        self._set_handle(handle)
        service._adopt(self)

    @property
    def released(self) -> bool:
        return self.handle == 0

    def send_audio_pcm_data(self, frame: PcmAudioFrame) -> int:
        if not isinstance(frame, PcmAudioFrame):
            raise TypeError(f"send_audio_pcm_data() takes a PcmAudioFrame, not {type(frame).__name__}")
        if frame.data is None:
            raise TypeError("PcmAudioFrame.data is None: set it to the PCM to send")
        return self.send(frame.data, frame.samples_per_channel, frame.sample_rate, frame.number_of_channels,
                         frame.bytes_per_sample, frame.timestamp & 0xFFFFFFFF, frame.present_time_ms)

    def release(self) -> None:
        h = self.handle
        if h:
            self._set_handle(0)
            _core.pcm_sender_destroy(h)
            self._service._disown(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class LocalAudioTrack(_Child):
    """A custom audio track fed by an AudioPcmDataSender or an
    AudioEncodedFrameSender (official name)."""

    _kind = "LocalAudioTrack"
    _destroy = staticmethod(_core.track_destroy)

    def set_enabled(self, enable: bool | int) -> int:
        return _core.track_set_enabled(self._handle(), enable)

    def is_enabled(self) -> bool:
        return _core.track_is_enabled(self._handle())

    def get_state(self) -> int:
        """LOCAL_AUDIO_STREAM_STATE: 1 (RECORDING) while enabled, 0 (STOPPED) when disabled."""
        return _core.track_get_state(self._handle())

    def set_send_delay_ms(self, delay_ms: int) -> None:
        """Accepted and reported in queue_stats()["send_delay_ms"]; the loopback has no
        network send buffer to delay (the 10 ms clock paces every track)."""
        return _core.track_set_send_delay_ms(self._handle(), delay_ms)

    def enable_local_playback(self, enable: bool | int) -> int:
        """Play the track on this host's speaker. A server has none: the loopback engine
        refuses with AgoraError ERR_NOT_SUPPORTED (Agora's library plays it where it can)."""
        return _core.track_enable_local_playback(self._handle(), enable)

    def enable_ear_monitor(self, enable: bool | int, include_audio_filter: int) -> int:
        """In-ear monitoring of the track; refused by the loopback engine like enable_local_playback."""
        return _core.track_enable_ear_monitor(self._handle(), enable, include_audio_filter)

    def _set_total_extra_send_ms(self, total_extra_ms: int) -> int:
        """The fast-start budget of the current round (see SendExternalAudioParameters)."""
        return _core.track_set_total_extra_send_ms(self._handle(), total_extra_ms)

    def set_max_buffer_audio_frame_number(self, num: int) -> int:
        """Cap the queue of unsent 10 ms frames; sends beyond it are refused (ERR_RESOURCE_LIMITED)."""
        return _core.track_set_max_buffered_frames(self._handle(), num)

    def clear_sender_buffer(self) -> int:
        """Drop queued audio at once (barge-in)."""
        return _core.track_clear_buffer(self._handle())

    def queue_stats(self) -> dict[str, int] | None:
        """Queue counters (loopback engine): queued_frames, staged_samples,
        queued_total, played_frames, dropped_frames, underruns, starved_ticks, and
        delivering (1 until the last frame played has reached every receiver).
        None with Agora's library, which does not report them."""
        return _core.track_stats(self._handle())

    def adjust_publish_volume(self, volume: int) -> int:
        """Scale what this track publishes: 0 (silent) to 400, 100 = as sent."""
        volume = need_int(volume, "volume")
        if not 0 <= volume <= 400:
            raise ValueError(f"volume must be in [0, 400], not {volume}")
        return _core.track_adjust_publish_volume(self._handle(), volume)

    def get_publish_volume(self) -> int:
        return _core.track_get_publish_volume(self._handle())
