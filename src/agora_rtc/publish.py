"""The 2.4 connection-level API's publishing side: with an
RtcConnectionPublishConfig, a connection owns its sender and track, and
``publish_audio()`` / ``push_audio_pcm_data()`` / ``interrupt_audio()`` replace
the 2.1 object plumbing. Audio is paced natively (an AudioConsumer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from .video import SenderOptions

if TYPE_CHECKING:
    from ._core import _Buffer
    from .audio import AudioPcmDataSender, LocalAudioTrack, MediaNodeFactory
    from .audio_encoded import AudioEncodedFrameSender, EncodedAudioFrameInfo
    from .connection import RTCConnection
    from .consumer import AudioConsumer
    from .service import AgoraService
    from .video import (EncodedVideoFrameInfo, ExternalVideoFrame, LocalVideoTrack, SimulcastStreamConfig,
                        VideoEncodedImageSender, VideoEncoderConfiguration, VideoFrameSender)

__all__ = ["AudioEncoderConfiguration", "AudioProfileType", "AudioPublishType", "AudioScenarioType",
           "RtcConnectionPublishConfig", "SendExternalAudioParameters", "VideoPublishType"]


class AudioScenarioType(IntEnum):
    AUDIO_SCENARIO_DEFAULT = 0
    AUDIO_SCENARIO_GAME_STREAMING = 3
    AUDIO_SCENARIO_CHATROOM = 5
    AUDIO_SCENARIO_CHORUS = 7
    AUDIO_SCENARIO_MEETING = 8
    AUDIO_SCENARIO_AI_SERVER = 9
    AUDIO_SCENARIO_AI_CLIENT = 10


class AudioProfileType(IntEnum):
    AUDIO_PROFILE_DEFAULT = 0
    AUDIO_PROFILE_SPEECH_STANDARD = 1
    AUDIO_PROFILE_MUSIC_STANDARD = 2
    AUDIO_PROFILE_MUSIC_STANDARD_STEREO = 3
    AUDIO_PROFILE_MUSIC_HIGH_QUALITY = 4
    AUDIO_PROFILE_MUSIC_HIGH_QUALITY_STEREO = 5
    AUDIO_PROFILE_IOT = 6


class AudioPublishType(IntEnum):
    AUDIO_PUBLISH_TYPE_NONE = 0
    AUDIO_PUBLISH_TYPE_PCM = 1
    AUDIO_PUBLISH_TYPE_ENCODED_PCM = 2


class VideoPublishType(IntEnum):
    VIDEO_PUBLISH_TYPE_NONE = 0
    VIDEO_PUBLISH_TYPE_YUV = 1
    VIDEO_PUBLISH_TYPE_ENCODED_IMAGE = 2


@dataclass
class AudioEncoderConfiguration:
    """LocalUser.set_audio_encoder_configuration's argument (official field name)."""

    audioProfile: AudioProfileType = AudioProfileType.AUDIO_PROFILE_DEFAULT  # noqa: N815 (the official name)


@dataclass(kw_only=True)
class SendExternalAudioParameters:
    """Fast start for pushed audio (2.4.10): with Agora's library, at the start of
    each round of ``push_audio_pcm_data`` the first *send_ms* of audio leave
    *send_speed* times faster than real time (2..5), so receivers have it buffered
    sooner, and *deliver_mute_data_for_fake_adm* False stops silence being sent
    between rounds. The loopback engine takes and reports these settings but plays
    at real-time pace (it has no network to send ahead into)."""

    enabled: bool = False
    send_ms: int = 0
    send_speed: int = 0
    deliver_mute_data_for_fake_adm: bool = False

    def _active(self) -> bool:
        return self.enabled and self.send_ms > 0 and self.send_speed > 1


@dataclass(kw_only=True)
class RtcConnectionPublishConfig:
    """What a 2.4-style connection publishes (official fields and defaults)."""

    audio_profile: AudioProfileType = AudioProfileType.AUDIO_PROFILE_DEFAULT
    audio_scenario: AudioScenarioType = AudioScenarioType.AUDIO_SCENARIO_AI_SERVER
    is_publish_audio: bool = True
    is_publish_video: bool = False
    audio_publish_type: AudioPublishType = AudioPublishType.AUDIO_PUBLISH_TYPE_PCM
    video_publish_type: VideoPublishType = VideoPublishType.VIDEO_PUBLISH_TYPE_NONE
    video_encoded_image_sender_options: SenderOptions = field(default_factory=SenderOptions)
    send_external_audio_parameters: SendExternalAudioParameters | None = None


class ConnectionPublisher:
    """The sender, track and consumer a 2.4-style connection owns."""

    factory: MediaNodeFactory | None
    sender: AudioPcmDataSender | None
    track: LocalAudioTrack | None
    consumer: AudioConsumer | None
    video_sender: VideoFrameSender | None
    video_encoded_sender: VideoEncodedImageSender | None
    video_track: LocalVideoTrack | None
    audio_encoded_sender: AudioEncodedFrameSender | None

    def __init__(self, service: AgoraService, connection: RTCConnection, config: RtcConnectionPublishConfig) -> None:
        if not isinstance(config, RtcConnectionPublishConfig):
            raise TypeError(f"publish_config must be an RtcConnectionPublishConfig, not {type(config).__name__}")
        fast_start = config.send_external_audio_parameters
        if fast_start is not None and not isinstance(fast_start, SendExternalAudioParameters):
            raise TypeError("send_external_audio_parameters must be a SendExternalAudioParameters or None, "
                            f"not {type(fast_start).__name__}")
        self.config = config
        self._connection = connection
        self.factory = self.sender = self.track = self.consumer = None
        self.video_sender = self.video_encoded_sender = self.video_track = None
        self.audio_encoded_sender = None
        self._consumer_format: tuple[int, int] | None = None
        if config.is_publish_audio and config.audio_publish_type == AudioPublishType.AUDIO_PUBLISH_TYPE_PCM:
            self.factory = service.create_media_node_factory()
            self.sender = self.factory.create_audio_pcm_data_sender()
            self.track = service.create_custom_audio_track_pcm(self.sender)
        elif config.is_publish_audio and config.audio_publish_type == AudioPublishType.AUDIO_PUBLISH_TYPE_ENCODED_PCM:
            self.factory = service.create_media_node_factory()
            self.audio_encoded_sender = self.factory.create_audio_encoded_frame_sender()
            self.track = service.create_custom_audio_track_encoded(self.audio_encoded_sender, 1)  # MIX_DISABLED
        if config.is_publish_video and config.video_publish_type != VideoPublishType.VIDEO_PUBLISH_TYPE_NONE:
            self.factory = self.factory or service.create_media_node_factory()
            if config.video_publish_type == VideoPublishType.VIDEO_PUBLISH_TYPE_YUV:
                self.video_sender = self.factory.create_video_frame_sender()
                self.video_track = service.create_custom_video_track_frame(self.video_sender)
            else:
                self.video_encoded_sender = self.factory.create_video_encoded_image_sender()
                self.video_track = service.create_custom_video_track_encoded(
                    self.video_encoded_sender, config.video_encoded_image_sender_options)
            self.video_track.set_enabled(1)
        from . import _core
        _core.user_set_audio_scenario(connection.get_local_user()._handle("set_audio_scenario"),
                                      config.audio_scenario)
        fast_start = config.send_external_audio_parameters
        self._fast_start_ms = 0
        if fast_start is not None and fast_start._active() and self.sender is not None:
            # the official keys: frames per 10 ms interval while the budget lasts (2..5, per connection),
            # and whether silence is sent between rounds (service-wide)
            connection.set_parameters({"che.audio.extra_send_frames_per_interval_for_fake_adm":
                                       min(fast_start.send_speed, 5)})
            if not fast_start.deliver_mute_data_for_fake_adm:
                service.set_parameters({"che.audio.deliver_mute_data_for_fake_adm": False})
            self._fast_start_ms = fast_start.send_ms

    def _need_audio(self, what: str, encoded: bool = False) -> None:
        if self.track is None or encoded != (self.audio_encoded_sender is not None):
            kind = "ENCODED_PCM" if encoded else "PCM"
            raise ValueError(f"RTCConnection.{what}(): this connection's publish config does not publish audio "
                             f"(is_publish_audio with audio_publish_type {kind})")

    def publish_audio(self) -> int:
        self._need_audio("publish_audio", self.audio_encoded_sender is not None)
        assert self.track is not None  # _need_audio checked
        return self._connection.get_local_user().publish_audio(self.track)

    def unpublish_audio(self) -> int:
        self._need_audio("unpublish_audio", self.audio_encoded_sender is not None)
        assert self.track is not None  # _need_audio checked
        return self._connection.get_local_user().unpublish_audio(self.track)

    def push_audio_encoded_data(self, data: _Buffer, info: EncodedAudioFrameInfo) -> int:
        self._need_audio("push_audio_encoded_data", encoded=True)
        assert self.audio_encoded_sender is not None  # _need_audio checked
        return self.audio_encoded_sender.send_encoded_audio_frame(data, info)

    def push_audio_pcm_data(self, data: _Buffer, sample_rate: int, channels: int, start_pts: int = 0) -> int:
        """Queue PCM of any length; played at real-time pace by the engine."""
        self._need_audio("push_audio_pcm_data")
        assert self.sender is not None  # _need_audio checked: PCM publishing has a sender
        from .consumer import AudioConsumer
        if self._consumer_format != (sample_rate, channels):
            consumer = AudioConsumer(self.sender, sample_rate, channels)  # a bad format raises here, changing nothing
            if self.consumer is not None:
                # The engine queues frames of any format in order: the new format plays after what is
                # queued, without waiting for it here (a wait would deadlock in an engine-thread callback).
                self.consumer._hand_over()
            self.consumer = consumer
            self._consumer_format = (sample_rate, channels)
        assert self.consumer is not None  # made with _consumer_format
        if self._fast_start_ms and self.consumer.is_push_to_rtc_completed():
            # a new round: its first send_ms go out fast
            assert self.track is not None  # PCM publishing has a track
            self.track._set_total_extra_send_ms(self._fast_start_ms)
        return self.consumer.push_pcm_data(data)

    def interrupt_audio(self) -> int:
        """Barge-in: drop queued audio; silent from the next 10 ms frame."""
        self._need_audio("interrupt_audio")
        assert self.track is not None  # _need_audio checked
        if self.consumer is not None:
            self.consumer.clear()
        else:
            self.track.clear_sender_buffer()
        return 0

    def _need_video(self, what: str, sender: str | None = None) -> LocalVideoTrack:
        if self.video_track is None or (sender is not None and getattr(self, sender) is None):
            kinds: dict[str | None, str] = {"video_sender": "YUV", "video_encoded_sender": "ENCODED_IMAGE"}
            kind = kinds.get(sender, "any")
            raise ValueError(f"RTCConnection.{what}(): this connection's publish config does not publish video "
                             f"(is_publish_video with video_publish_type {kind})")
        return self.video_track

    def publish_video(self) -> int:
        return self._connection.get_local_user().publish_video(self._need_video("publish_video"))

    def unpublish_video(self) -> int:
        return self._connection.get_local_user().unpublish_video(self._need_video("unpublish_video"))

    def push_video_frame(self, frame: ExternalVideoFrame) -> int:
        self._need_video("push_video_frame", "video_sender")
        assert self.video_sender is not None  # _need_video checked
        return self.video_sender.send_video_frame(frame)

    def push_video_encoded_data(self, data: _Buffer, info: EncodedVideoFrameInfo) -> int:
        self._need_video("push_video_encoded_data", "video_encoded_sender")
        assert self.video_encoded_sender is not None  # _need_video checked
        return self.video_encoded_sender.send_encoded_video_image(data, info)

    def set_video_encoder_configuration(self, config: VideoEncoderConfiguration) -> int:
        return self._need_video("set_video_encoder_configuration").set_video_encoder_configuration(config)

    def set_simulcast_stream(self, enabled: bool | int, config: SimulcastStreamConfig | None) -> int:
        return self._need_video("set_simulcast_stream").enable_simulcast_stream(enabled, config)

    def is_push_to_rtc_completed(self) -> bool:
        return self.consumer is None or self.consumer.is_push_to_rtc_completed() == 1

    def release(self) -> None:
        if self.consumer is not None:
            self.consumer.release()
        for obj in (self.track, self.sender, self.audio_encoded_sender, self.video_track, self.video_sender, self.video_encoded_sender,
                    self.factory):
            if obj is not None:
                obj.release()
        self.consumer = self.track = self.sender = self.factory = self.audio_encoded_sender = None
        self.video_track = self.video_sender = self.video_encoded_sender = None
