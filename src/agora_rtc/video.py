"""Video senders, tracks, frames and observers (official names).

Raw frames (I420, NV12, NV21, RGBA, BGRA) are converted to I420 in C with the
GIL released; receivers get I420 ``VideoFrame`` objects whose planes support
the buffer protocol (``numpy.asarray(frame.y)`` is a ``(height, width)`` view,
no copy). Encoded frames travel byte-exact with their ``EncodedVideoFrameInfo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Protocol, cast

from . import _core
from ._core import EncodedVideoFrameInfo, ExternalVideoFrame, VideoFrame, VideoPlane
from .audio import _Child, _RemoteTrack

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np
    import numpy.typing as npt
    from typing_extensions import Self

    from .jpeg import JpegSource
    from .service import AgoraService
    from .stats import LocalVideoTrackStats, RemoteVideoTrackStats

__all__ = ["ColorSpaceType", "EncodedVideoFrameInfo", "ExternalVideoFrame", "IVideoEncodedFrameObserver",
           "IVideoFrameObserver", "LocalVideoTrack", "RemoteVideoState", "RemoteVideoStateReason", "RemoteVideoTrack",
           "SenderOptions", "SimulcastStreamConfig", "VideoBufferType", "VideoCodecType", "VideoDimensions",
           "VideoEncodedImageSender", "VideoEncoderConfiguration", "VideoFrame", "VideoFrameSender", "VideoFrameType",
           "VideoPixelFormat", "VideoPlane", "VideoStreamType", "VideoSubscriptionOptions"]


class VideoPixelFormat(IntEnum):
    I420 = 1
    BGRA = 2
    NV21 = 3
    RGBA = 4
    NV12 = 8


class VideoBufferType(IntEnum):
    RAW_DATA = 1
    ARRAY = 2
    TEXTURE = 3


class VideoCodecType(IntEnum):
    VIDEO_CODEC_NONE = 0
    VIDEO_CODEC_VP8 = 1
    VIDEO_CODEC_H264 = 2
    VIDEO_CODEC_H265 = 3
    VIDEO_CODEC_VP9 = 5
    VIDEO_CODEC_GENERIC = 6
    VIDEO_CODEC_GENERIC_H264 = 7
    VIDEO_CODEC_AV1 = 12
    VIDEO_CODEC_GENERIC_JPEG = 20


class VideoFrameType(IntEnum):
    BLANK_FRAME = 0
    KEY_FRAME = 3
    DELTA_FRAME = 4
    B_FRAME = 5
    DROPPABLE_FRAME = 6
    UNKNOWN = 0xFF


class TCcMode(IntEnum):
    """SenderOptions.cc_mode: congestion control on or off."""
    CC_ENABLED = 0
    CC_DISABLED = 1


class VideoStreamType(IntEnum):
    VIDEO_STREAM_HIGH = 0
    VIDEO_STREAM_LOW = 1


class RemoteVideoState(IntEnum):
    STOPPED = 0
    STARTING = 1
    DECODING = 2
    FROZEN = 3
    FAILED = 4


class RemoteVideoStateReason(IntEnum):
    INTERNAL = 0
    NETWORK_CONGESTION = 1
    NETWORK_RECOVERY = 2
    LOCAL_MUTED = 3
    LOCAL_UNMUTED = 4
    REMOTE_MUTED = 5
    REMOTE_UNMUTED = 6
    REMOTE_OFFLINE = 7


@dataclass(kw_only=True)
class VideoDimensions:
    width: int = 0
    height: int = 0


@dataclass(kw_only=True)
class VideoEncoderConfiguration:
    """Caps the resolution receivers get (aspect kept); bitrates in Kbps."""

    dimensions: VideoDimensions = field(default_factory=VideoDimensions)
    codec_type: int = VideoCodecType.VIDEO_CODEC_H264
    frame_rate: int = 15
    bitrate: int = 0
    min_bitrate: int = -1
    orientation_mode: int = 0
    degradation_preference: int = 0
    mirror_mode: int = 0
    encode_alpha: int = 0


@dataclass(kw_only=True)
class SimulcastStreamConfig:
    """The low stream: subscribers asking for VIDEO_STREAM_LOW get frames scaled to fit it."""

    dimensions: VideoDimensions = field(default_factory=VideoDimensions)
    bitrate: int = 0
    framerate: int = 0


@dataclass(kw_only=True)
class SenderOptions:
    cc_mode: int = 0
    codec_type: int = VideoCodecType.VIDEO_CODEC_H264
    target_bitrate: int = 4160  # kbps, Agora's recommendation for 1080p (the official default)


@dataclass(kw_only=True)
class VideoSubscriptionOptions:
    type: int = VideoStreamType.VIDEO_STREAM_HIGH
    encodedFrameOnly: bool = False


@dataclass
class VideoTrackInfo:
    """A subscribed remote video track, as on_user_video_track_subscribed reports it."""

    is_local: int = 0
    owner_uid: int = 0
    track_id: int = 0
    channel_id: str = ""
    stream_type: int = VideoStreamType.VIDEO_STREAM_HIGH
    codec_type: int = VideoCodecType.VIDEO_CODEC_H264
    encoded_frame_only: int = 0
    source_type: int = 0
    observation_position: int = 0


@dataclass(frozen=True, kw_only=True)
class RemoteVideoStreamInfo:
    """A subscribed remote video stream, as on_remote_video_stream_info_updated reports it (official fields)."""

    uid: int
    stream_type: int                   # VideoStreamType received: high (0) or low (1)
    current_downscale_level: int       # the loopback does not downscale: 0
    total_downscale_level_counts: int  # 0


@dataclass(kw_only=True)
class ColorSpaceType:
    primaries_id: int = 0
    transfer_id: int = 0
    matrix_id: int = 0
    range_id: int = 0


class IVideoFrameObserver:
    """Raw frames of remote users (I420 VideoFrame, valid during the call).
    The return value is ignored (the official SDK's observers return 1)."""

    def on_frame(self, channel_id: str, remote_uid: str, frame: VideoFrame) -> object:
        pass


class IVideoEncodedFrameObserver:
    """Encoded frames of remote users: ``image_buffer`` is ``bytes``, ``uid``
    the sender's numeric uid. The return value is ignored."""

    def on_encoded_video_frame(self, uid: int, image_buffer: bytes, length: int,
                               video_encoded_frame_info: EncodedVideoFrameInfo) -> object:
        pass


# What register_video_frame_observer / register_video_encoded_frame_observer take:
# an IVideoFrameObserver / IVideoEncodedFrameObserver, or any object with the method.
class _VideoFrameReceiver(Protocol):
    def on_frame(self, channel_id: str, remote_uid: str, frame: VideoFrame, /) -> object: ...


class _EncodedVideoReceiver(Protocol):
    def on_encoded_video_frame(self, uid: int, image_buffer: bytes, length: int,
                               video_encoded_frame_info: EncodedVideoFrameInfo, /) -> object: ...


class _OwnedSender:
    """A sender whose send path is a _core class: owned by its service, released once, in any order."""

    _encoded = False  # which engine sender video_sender_destroy frees
    _service: AgoraService
    handle: int  # from the _core class
    _set_handle: Callable[[int], None]

    def __init__(self, service: AgoraService, handle: int) -> None:
        self._service = service
        self._set_handle(handle)
        service._adopt(self)

    @property
    def released(self) -> bool:
        return self.handle == 0

    def release(self) -> None:
        h = self.handle
        if h:
            self._set_handle(0)
            _core.video_sender_destroy(h, self._encoded)
            self._service._disown(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class VideoFrameSender(_OwnedSender, _core.VideoSender):
    """Pushes raw frames into the custom video track made from it.

    ``send(data, format, width, height, ...)`` is the fast path (no copy in
    Python, conversion in C without the GIL); ``send_video_frame(ExternalVideoFrame)``
    is the official one. Frames go out at the pace they are sent.
    """

    def send_jpeg(self, source: JpegSource, *, timestamp_ms: int = 0,
                  rotation: int = 0) -> npt.NDArray[np.uint8]:
        """Decodes a JPEG (path or bytes; needs the ``jpeg`` extra) and sends it. Returns the RGBA picture."""
        if self.released:
            raise ValueError("VideoFrameSender was released")  # before decoding, not after
        from .jpeg import send_jpeg
        return send_jpeg(self, source, timestamp_ms=timestamp_ms, rotation=rotation)


class VideoEncodedImageSender(_OwnedSender, _core.EncodedVideoSender):
    """Pushes encoded images (access units) into the track made from it:
    ``send_encoded_video_image(data, EncodedVideoFrameInfo)`` (in C: the
    info's fields and the bytes are read there, without a copy)."""

    _encoded = True


class LocalVideoTrack(_Child):
    """A custom video track fed by a VideoFrameSender or VideoEncodedImageSender."""

    _kind = "LocalVideoTrack"
    _destroy = staticmethod(_core.video_track_destroy)

    def set_enabled(self, enable: bool | int) -> int:
        return _core.video_track_set_enabled(self._handle(), bool(enable))

    def get_state(self) -> int:
        """LOCAL_VIDEO_STREAM_STATE: 0 stopped (disabled), 1 capturing, 2 encoding (published)."""
        return _core.video_track_get_state(self._handle())

    def set_video_encoder_configuration(self, config: VideoEncoderConfiguration) -> int:
        if not isinstance(config, VideoEncoderConfiguration):
            raise TypeError(f"set_video_encoder_configuration() takes a VideoEncoderConfiguration, "
                            f"not {type(config).__name__}")
        d = config.dimensions
        return _core.video_track_set_encoder_config(self._handle(), config.codec_type, d.width, d.height,
                                                    config.frame_rate, config.bitrate, config.min_bitrate,
                                                    config.orientation_mode, config.degradation_preference,
                                                    config.mirror_mode, config.encode_alpha)

    def enable_simulcast_stream(self, enabled: bool | int, config: SimulcastStreamConfig | None = None) -> int:
        if enabled and config is None:
            raise ValueError("enable_simulcast_stream(True, config): the low stream's SimulcastStreamConfig is needed")
        if config is not None and not isinstance(config, SimulcastStreamConfig):
            raise TypeError(f"enable_simulcast_stream() takes a SimulcastStreamConfig, not {type(config).__name__}")
        d = config.dimensions if config is not None else VideoDimensions()
        return _core.video_track_enable_simulcast(self._handle(), bool(enabled), d.width, d.height,
                                                  config.bitrate if config else 0, config.framerate if config else 0)

    def stats(self) -> dict[str, int] | None:
        """Loopback counters: sent_frames, dropped_frames (engine behind),
        discarded_frames (unpublished/disabled), sent_bytes, queued_frames,
        last_width, last_height. None with Agora's library."""
        return _core.video_track_stats(self._handle())

    def get_statistics(self) -> LocalVideoTrackStats:
        """A LocalVideoTrackStats (official name): frames and bytes sent, frame rate and
        bitrate over the frames sent so far, the last frame's size."""
        from .stats import LocalVideoTrackStats
        return LocalVideoTrackStats._from(_core.local_video_stats(self._handle()))

    def destroy_statistics(self, stats: LocalVideoTrackStats) -> None:
        """Official pairing of get_statistics: our stats are Python objects whose
        engine struct was freed inside get_statistics, so there is nothing left to free."""
        from .stats import LocalVideoTrackStats
        if not isinstance(stats, LocalVideoTrackStats):
            raise TypeError(f"destroy_statistics() takes what get_statistics() returned, not {type(stats).__name__}")


class RemoteVideoTrack(_RemoteTrack):
    """A remote user's video as this local user receives it (official name)."""

    _get_state = staticmethod(_core.remote_video_get_state)

    def get_track_info(self) -> VideoTrackInfo | None:
        """What this subscriber receives of the user's video (the info of
        ``on_user_video_track_subscribed``, read now): owner uid, channel, stream type
        (high/low), encoded-only. None if the library has no info for the track."""
        self._need_live("get_track_info")
        fields = _core.remote_video_get_track_info(self._h)
        return VideoTrackInfo(*fields) if fields is not None else None

    def destroy_track_info(self, info: VideoTrackInfo | None) -> None:
        """Official pairing of get_track_info; nothing to free (get_track_info returns an owned copy)."""
        if info is not None and not isinstance(info, VideoTrackInfo):
            raise TypeError(f"destroy_track_info() takes what get_track_info() returned, not {type(info).__name__}")

    def get_statistics(self) -> RemoteVideoTrackStats:
        """A RemoteVideoTrackStats: size, frame rate, bitrate, decoded frames, frozen time."""
        from .stats import RemoteVideoTrackStats
        self._need_live("get_statistics")
        return RemoteVideoTrackStats._from(_core.remote_video_stats(self._h))

    def destroy_statistics(self, stats: RemoteVideoTrackStats) -> None:
        """Official pairing of get_statistics; nothing to free (see LocalVideoTrack.destroy_statistics)."""
        from .stats import RemoteVideoTrackStats
        if not isinstance(stats, RemoteVideoTrackStats):
            raise TypeError(f"destroy_statistics() takes what get_statistics() returned, not {type(stats).__name__}")


class _VideoTarget:
    """Routes engine video callbacks of one registration to a user observer."""

    __slots__ = ("observer",)

    def __init__(self, observer: _VideoFrameReceiver | _EncodedVideoReceiver) -> None:
        self.observer = observer

    # The engine calls the method of the kind registered, which the observer was checked to have.
    def _on_frame(self, channel_id: str, user_id: str, frame: VideoFrame) -> None:
        cast("_VideoFrameReceiver", self.observer).on_frame(channel_id, user_id, frame)

    def _on_encoded_video_frame(self, uid: int, data: bytes, length: int, info: tuple[int, ...]) -> None:
        cast("_EncodedVideoReceiver", self.observer).on_encoded_video_frame(
            uid, data, length, EncodedVideoFrameInfo(**dict(zip(_INFO_FIELDS, info))))


_INFO_FIELDS = ("codec_type", "width", "height", "frames_per_second", "frame_type", "rotation", "track_id",
                "capture_time_ms", "decode_time_ms", "uid", "stream_type")
