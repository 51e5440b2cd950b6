"""Observer base classes with the official SDK's names and signatures.

Subclass and override what you need; every method has a do-nothing default.

Callbacks run on an engine thread ("direct" delivery, as in the official SDK).
They may call any agora_rtc API, including ``disconnect()`` and ``release()``
of the object whose callback is running. Audio frame callbacks arrive every
10 ms per frame kind: keep them short (well under 10 ms) or the engine falls
behind; hand heavy work to another thread. An exception raised in a callback
is logged on the ``agora_rtc`` logger and the engine keeps delivering.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._core import AudioFrame, RTCConnInfo
    from .audio import LocalAudioTrack, RemoteAudioTrack
    from .connection import RTCConnection
    from .local_user import LocalUser
    from .stats import (LocalAudioTrackStats, LocalVideoTrackStats, RemoteAudioTrackStats, RemoteVideoTrackStats,
                        RTCStats)
    from .video import LocalVideoTrack, RemoteVideoTrack, VideoTrackInfo


class IRTCConnectionObserver:
    """Connection events. ``agora_rtc_conn`` is the RTCConnection; ``conn_info``
    an RTCConnInfo; ``reason`` Agora's CONNECTION_CHANGED_REASON_TYPE."""

    def on_connected(self, agora_rtc_conn: RTCConnection, conn_info: RTCConnInfo, reason: int) -> None:
        pass

    def on_disconnected(self, agora_rtc_conn: RTCConnection, conn_info: RTCConnInfo, reason: int) -> None:
        pass

    def on_connecting(self, agora_rtc_conn: RTCConnection, conn_info: RTCConnInfo, reason: int) -> None:
        pass

    def on_reconnecting(self, agora_rtc_conn: RTCConnection, conn_info: RTCConnInfo, reason: int) -> None:
        pass

    def on_reconnected(self, agora_rtc_conn: RTCConnection, conn_info: RTCConnInfo, reason: int) -> None:
        pass

    def on_connection_lost(self, agora_rtc_conn: RTCConnection, conn_info: RTCConnInfo) -> None:
        pass

    def on_connection_failure(self, agora_rtc_conn: RTCConnection, conn_info: RTCConnInfo, reason: int) -> None:
        pass

    def on_user_joined(self, agora_rtc_conn: RTCConnection, user_id: str) -> None:
        """A remote user (``str`` id) joined, or was already in the channel when we joined."""

    def on_user_left(self, agora_rtc_conn: RTCConnection, user_id: str, reason: int) -> None:
        """A remote user left; ``reason`` is USER_OFFLINE_QUIT (0) or USER_OFFLINE_DROPPED (1)."""

    def on_stream_message_error(self, agora_rtc_conn: RTCConnection, user_id: str, stream_id: int, code: int,
                                missed: int, cached: int) -> None:
        """Messages of an unreliable stream were lost: *missed* of them
        (``code`` ERR_STREAM_MESSAGE_TIMEOUT, 117)."""

    def on_token_privilege_will_expire(self, agora_rtc_conn: RTCConnection, token: str) -> None:
        """The token expires in 30 s: get a new one and call ``renew_token``."""

    def on_token_privilege_did_expire(self, agora_rtc_conn: RTCConnection) -> None:
        """The token expired; ``on_connection_failure`` (TOKEN_EXPIRED) follows."""

    def on_transport_stats(self, agora_rtc_conn: RTCConnection, stats: RTCStats) -> None:
        """Every 2 s while connected: an RTCStats (bytes and bitrates sent and
        received, users, loss between processes, this process's CPU and memory)."""

    def on_encryption_error(self, agora_rtc_conn: RTCConnection, error_type: int) -> None:
        """A member's media could not be decrypted (EncryptionErrorType.DECRYPTION_FAILURE, 1):
        its key, mode or salt differs. Reported once per member and connect."""


@dataclass(frozen=True)
class AudioVolumeInfo:
    """One speaker of on_audio_volume_indication (official field names)."""

    user_id: str
    volume: int          # 0-255, linear in amplitude
    vad: int             # 1 when the speaker's voice was detected (report_vad)
    voice_pitch: float   # Hz, 0 when unvoiced


class StreamPublishState(IntEnum):
    """on_{audio,video}_publish_state_changed: this user's stream of one kind."""
    PUB_STATE_IDLE = 0
    PUB_STATE_NO_PUBLISHED = 1
    PUB_STATE_PUBLISHING = 2
    PUB_STATE_PUBLISHED = 3


class StreamSubscribeState(IntEnum):
    """on_{audio,video}_subscribe_state_changed: a remote user's stream as this user receives it."""
    SUB_STATE_IDLE = 0
    SUB_STATE_NO_SUBSCRIBED = 1
    SUB_STATE_SUBSCRIBING = 2
    SUB_STATE_SUBSCRIBED = 3


class IRTCLocalUserObserver:
    """Local user events. ``agora_local_user`` is the LocalUser. A local track
    argument is the LocalAudioTrack / LocalVideoTrack published through this
    user, else the engine's handle of the track (an ``int``)."""

    def on_audio_track_publish_success(self, agora_local_user: LocalUser,
                                       agora_local_audio_track: LocalAudioTrack | int) -> None:
        pass

    def on_audio_track_unpublished(self, agora_local_user: LocalUser,
                                   agora_local_audio_track: LocalAudioTrack | int) -> None:
        pass

    def on_audio_volume_indication(self, agora_local_user: LocalUser, speakers: list[AudioVolumeInfo],
                                   speaker_number: int, total_volume: int) -> None:
        """Every interval set by ``set_audio_volume_indication_parameters``:
        ``speakers`` lists an AudioVolumeInfo per remote user heard in it."""

    def on_user_audio_track_subscribed(self, agora_local_user: LocalUser, user_id: str,
                                       agora_remote_audio_track: RemoteAudioTrack) -> None:
        """A remote user's audio started reaching this user (a RemoteAudioTrack)."""

    def on_user_audio_track_state_changed(self, agora_local_user: LocalUser, user_id: str,
                                          agora_remote_audio_track: RemoteAudioTrack, state: int, reason: int,
                                          elapsed: int) -> None:
        """RemoteAudioState/RemoteAudioStateReason: DECODING when audio flows,
        FROZEN after 500 ms without it, STOPPED when unpublished (REMOTE_MUTED)
        or gone (REMOTE_OFFLINE). *elapsed*: ms since this user joined."""

    def on_first_remote_audio_frame(self, agora_local_user: LocalUser, user_id: str, elapsed: int) -> None:
        pass

    def on_first_remote_audio_decoded(self, agora_local_user: LocalUser, user_id: str, elapsed: int) -> None:
        pass

    def on_stream_message(self, agora_local_user: LocalUser, user_id: str, stream_id: int, data: bytes,
                          length: int) -> None:
        """A data stream message (``bytes``, binary-safe) from a remote user."""

    def on_active_speaker(self, agora_local_user: LocalUser, user_id: str) -> None:
        """The loudest remote speaker changed."""

    def on_audio_meta_data_received(self, agora_local_user: LocalUser, user_id: str, data: bytes) -> None:
        """Audio meta data (``bytes``) a remote user sent with ``send_audio_meta_data``."""

    def on_video_track_publish_success(self, agora_local_user: LocalUser,
                                       agora_local_video_track: LocalVideoTrack | int) -> None:
        pass

    def on_intra_request_received(self, agora_local_user: LocalUser) -> None:
        """A subscriber asked for a key frame: send one (encoded senders)."""

    def on_video_track_unpublished(self, agora_local_user: LocalUser,
                                   agora_local_video_track: LocalVideoTrack | int) -> None:
        pass

    def on_user_video_track_subscribed(self, agora_local_user: LocalUser, user_id: str, info: VideoTrackInfo | None,
                                       agora_remote_video_track: RemoteVideoTrack) -> None:
        """A remote user's video started reaching this user (a RemoteVideoTrack)."""

    def on_user_video_track_state_changed(self, agora_local_user: LocalUser, user_id: str,
                                          agora_remote_video_track: RemoteVideoTrack, state: int, reason: int,
                                          elapsed: int) -> None:
        """RemoteVideoState/RemoteVideoStateReason, as for audio: DECODING while
        frames arrive, FROZEN after 500 ms without, STOPPED when unpublished,
        disabled (REMOTE_MUTED), unsubscribed (LOCAL_MUTED) or gone (REMOTE_OFFLINE)."""

    def on_first_remote_video_frame(self, agora_local_user: LocalUser, user_id: str, width: int, height: int,
                                    elapsed: int) -> None:
        pass

    def on_first_remote_video_decoded(self, agora_local_user: LocalUser, user_id: str, width: int, height: int,
                                      elapsed: int) -> None:
        pass

    def on_audio_publish_state_changed(self, agora_local_user: LocalUser, channel: str, old_state: int, new_state: int,
                                       elapse_since_last_state: int) -> None:
        """StreamPublishState: NO_PUBLISHED -> PUBLISHING -> PUBLISHED when the first audio track
        is published, PUBLISHED -> NO_PUBLISHED when the last one is unpublished."""

    def on_video_publish_state_changed(self, agora_local_user: LocalUser, channel: str, old_state: int, new_state: int,
                                       elapse_since_last_state: int) -> None:
        """As on_audio_publish_state_changed, for video tracks."""

    def on_audio_subscribe_state_changed(self, agora_local_user: LocalUser, channel: str, user_id: str, old_state: int,
                                         new_state: int, elapse_since_last_state: int) -> None:
        """StreamSubscribeState of *user_id*'s audio: NO_SUBSCRIBED -> SUBSCRIBING -> SUBSCRIBED when
        it starts reaching this user, SUBSCRIBED -> NO_SUBSCRIBED when it stops (unpublished,
        unsubscribed, user left). *elapse_since_last_state*: ms since the previous change
        (since joining, for the first)."""

    def on_video_subscribe_state_changed(self, agora_local_user: LocalUser, channel: str, user_id: str, old_state: int,
                                         new_state: int, elapse_since_last_state: int) -> None:
        """As on_audio_subscribe_state_changed, for video."""

    def on_local_audio_track_statistics(self, agora_local_user: LocalUser, stats: LocalAudioTrackStats) -> None:
        """Every 2 s while this user publishes audio (with on_transport_stats)."""

    def on_remote_audio_track_statistics(self, agora_local_user: LocalUser, agora_remote_audio_track: RemoteAudioTrack,
                                         stats: RemoteAudioTrackStats) -> None:
        """Every 2 s per remote audio stream being received (what ``get_statistics()`` returns)."""

    def on_local_video_track_statistics(self, agora_local_user: LocalUser,
                                        agora_local_video_track: LocalVideoTrack | int,
                                        stats: LocalVideoTrackStats) -> None:
        """Every 2 s per published video track."""

    def on_remote_video_track_statistics(self, agora_local_user: LocalUser, agora_remote_video_track: RemoteVideoTrack,
                                         stats: RemoteVideoTrackStats) -> None:
        """Every 2 s per remote video stream being received."""


class IAudioFrameObserver:
    """Audio frames, each one 10 ms of 16-bit PCM as an AudioFrame.

    The frame's memory is valid only during the callback (see AudioFrame);
    copy what you keep. Return values are ignored (the official SDK's are too),
    hence the ``object`` return type: overrides may return anything.
    """

    def on_playback_audio_frame_before_mixing(self, agora_local_user: LocalUser, channel_id: str, uid: str,
                                              frame: AudioFrame) -> object:
        """One remote user's audio, in the format set by
        ``set_playback_audio_frame_before_mixing_parameters`` (or as sent)."""

    def on_playback_audio_frame(self, agora_local_user: LocalUser, channel_id: str, frame: AudioFrame) -> object:
        """All subscribed remote users mixed, every 10 ms while connected."""

    def on_record_audio_frame(self, agora_local_user: LocalUser, channel_id: str, frame: AudioFrame) -> object:
        """What this user publishes."""

    def on_mixed_audio_frame(self, agora_local_user: LocalUser, channel_id: str, frame: AudioFrame) -> object:
        """Playback and record mixed."""
