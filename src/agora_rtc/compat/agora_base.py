"""agora.rtc.agora_base: configurations, frames and enums."""

from ..audio import (AudioCodecType, AudioFrame, AudioFramePosition, AudioParams, AudioPcmDataInfo, PcmAudioFrame,
                     RawAudioFrameOpModeType)
from ..audio_encoded import EncodedAudioFrameInfo
from ..audio_processor import AgcConfig, AiAecConfig, AiNsConfig, APMConfig, BghvsCConfig
from ..encryption import EncryptionConfig, EncryptionErrorType, EncryptionMode
from ..stats import (AnaStats, AudioProcessingStats, LastmileProbeOneWayResult, LastmileProbeResult,
                     LocalAudioDetailedStats, LocalAudioTrackStats, LocalVideoTrackStats, RTCStats, RemoteAudioTrackStats,
                     RemoteVideoTrackStats)
from ..connection import AudioSubscriptionOptions, ChannelProfileType, ClientRoleType, RTCConnConfig, RTCConnInfo
from ..observers import AudioVolumeInfo
from ..publish import (AudioEncoderConfiguration, AudioProfileType, AudioPublishType, AudioScenarioType,
                       RtcConnectionPublishConfig, SendExternalAudioParameters, VideoPublishType)
from ..service import AgoraServiceConfig, AreaCode, Capabilities, CapabilityItem, CapabilityItemMap
from ..video import (ColorSpaceType, EncodedVideoFrameInfo, ExternalVideoFrame, SenderOptions, SimulcastStreamConfig,
                     TCcMode, VideoCodecType, VideoDimensions, VideoEncoderConfiguration, VideoFrame,
                     VideoFrameType, VideoPixelFormat, VideoStreamType, VideoSubscriptionOptions, VideoTrackInfo,
                     RemoteVideoStreamInfo)

__all__ = ["AgcConfig", "AgoraServiceConfig", "AiAecConfig", "AiNsConfig", "APMConfig", "AreaCode", "AudioCodecType",
           "AudioEncoderConfiguration", "SendExternalAudioParameters", "AnaStats", "AudioProcessingStats",
           "LastmileProbeOneWayResult", "LastmileProbeResult", "LocalAudioDetailedStats", "AudioParams",
           "AudioPcmDataInfo", "Capabilities", "CapabilityItem", "CapabilityItemMap",
           "AudioFrame", "AudioFramePosition", "AudioProfileType", "AudioPublishType", "AudioScenarioType",
           "AudioSubscriptionOptions", "AudioVolumeInfo", "BghvsCConfig", "ChannelProfileType", "ClientRoleType",
           "ColorSpaceType", "EncodedAudioFrameInfo", "EncodedVideoFrameInfo", "EncryptionConfig",
           "EncryptionErrorType", "EncryptionMode", "ExternalVideoFrame", "LocalAudioTrackStats",
           "LocalVideoTrackStats", "PcmAudioFrame", "RawAudioFrameOpModeType", "RemoteAudioTrackStats",
           "RemoteVideoStreamInfo", "RemoteVideoTrackStats", "RTCConnConfig", "RtcConnectionPublishConfig",
           "RTCConnInfo", "RTCStats",
           "SenderOptions", "SimulcastStreamConfig", "TCcMode", "VideoCodecType", "VideoDimensions",
           "VideoEncoderConfiguration", "VideoFrame", "VideoFrameType", "VideoPixelFormat", "VideoPublishType",
           "VideoStreamType", "VideoSubscriptionOptions", "VideoTrackInfo"]
