"""agora_rtc: a fast Python SDK for Agora real-time audio, with an embedded
loopback engine that exports Agora's C API.

    from agora_rtc import AgoraService, AgoraServiceConfig, RTCConnConfig
"""

from ._core import AgoraError, AudioFrame, RTCConnInfo
from .audio import (AudioCodecType, AudioFramePosition, AudioPcmDataSender, LocalAudioTrack, MediaNodeFactory,
                    PcmAudioFrame, RawAudioFrameOpModeType)
from .audio_encoded import AudioEncodedFrameSender, EncodedAudioFrameInfo, IAudioEncodedFrameObserver
from .consumer import AudioConsumer
from .encryption import EncryptionConfig, EncryptionErrorType, EncryptionMode
from .stats import LocalVideoTrackStats, RTCStats, RemoteAudioTrackStats, RemoteVideoTrackStats
from .connection import (AudioSubscriptionOptions, ChannelProfileType, ClientRoleType, ConnectionChangedReason,
                         ConnectionState, RTCConnConfig, RTCConnection, UserOfflineReason)
from .local_user import LocalUser
from .observers import IAudioFrameObserver, IRTCConnectionObserver, IRTCLocalUserObserver
from .publish import (AudioEncoderConfiguration, AudioProfileType, AudioPublishType, AudioScenarioType,
                      RtcConnectionPublishConfig, SendExternalAudioParameters, VideoPublishType)
from .service import AgoraService, AgoraServiceConfig, AreaCode
from .vad import AudioVadConfigV2, AudioVadManager, AudioVadV2, VadDump
from .video import (EncodedVideoFrameInfo, ExternalVideoFrame, IVideoEncodedFrameObserver, IVideoFrameObserver,
                    LocalVideoTrack, RemoteVideoStreamInfo, RemoteVideoTrack, SenderOptions, SimulcastStreamConfig,
                    TCcMode, VideoCodecType, VideoDimensions, VideoEncodedImageSender, VideoEncoderConfiguration,
                    VideoFrame, VideoFrameSender, VideoFrameType, VideoPixelFormat, VideoStreamType,
                    VideoSubscriptionOptions, VideoTrackInfo)

__version__ = "0.1.0"


def get_include() -> str:
    """The folder holding ``agora_c/*.h``, the C API headers this package's
    engine and binding are built from (for C extensions and ABI checks)."""
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    shipped = os.path.join(here, "include")
    if os.path.isdir(shipped):
        return shipped
    return os.path.join(os.path.dirname(os.path.dirname(here)), "include")  # editable install

__all__ = [
    "get_include", "AgoraError", "AreaCode", "AudioCodecType", "AudioFramePosition", "ChannelProfileType",
    "ClientRoleType", "RawAudioFrameOpModeType", "TCcMode", "AgoraService", "AgoraServiceConfig", "AudioConsumer", "AudioFrame", "AudioPcmDataSender",
    "AudioVadConfigV2",
    "AudioVadV2", "AudioVadManager", "VadDump", "AudioEncoderConfiguration", "SendExternalAudioParameters",
    "AudioSubscriptionOptions", "ConnectionChangedReason", "ConnectionState", "IAudioFrameObserver",
    "IRTCConnectionObserver", "IRTCLocalUserObserver", "LocalAudioTrack", "LocalUser", "MediaNodeFactory",
    "PcmAudioFrame", "RTCConnConfig", "RTCConnInfo", "RTCConnection", "UserOfflineReason",
    "AudioProfileType", "AudioPublishType", "AudioScenarioType", "RtcConnectionPublishConfig", "VideoPublishType",
    "EncodedVideoFrameInfo", "ExternalVideoFrame", "IVideoEncodedFrameObserver", "IVideoFrameObserver",
    "LocalVideoTrack", "RemoteVideoStreamInfo", "RemoteVideoTrack", "SenderOptions", "SimulcastStreamConfig",
    "VideoCodecType",
    "VideoDimensions", "VideoEncodedImageSender", "VideoEncoderConfiguration", "VideoFrame", "VideoFrameSender",
    "VideoFrameType", "VideoPixelFormat", "VideoStreamType", "VideoSubscriptionOptions", "VideoTrackInfo",
    "AudioEncodedFrameSender", "EncodedAudioFrameInfo", "IAudioEncodedFrameObserver", "EncryptionConfig",
    "EncryptionErrorType", "EncryptionMode", "LocalVideoTrackStats", "RTCStats", "RemoteAudioTrackStats",
    "RemoteVideoTrackStats",
]
