"""Observer base classes with the official SDK's names and signatures.

Subclass and override what you need; every method has a do-nothing default.

Callbacks run on an engine thread ("direct" delivery, as in the official SDK).
They may call any agora_rtc API, including ``disconnect()`` and ``release()``
of the object whose callback is running. Audio frame callbacks arrive every
10 ms per frame kind: keep them short (well under 10 ms) or the engine falls
behind; hand heavy work to another thread. An exception raised in a callback
is logged on the ``agora_rtc`` logger and the engine keeps delivering.
"""

from dataclasses import dataclass
from enum import IntEnum


class IRTCConnectionObserver:
    """Connection events. ``agora_rtc_conn`` is the RTCConnection; ``conn_info``
    an RTCConnInfo; ``reason`` Agora's CONNECTION_CHANGED_REASON_TYPE."""

    def on_connected(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_disconnected(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_connecting(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_reconnecting(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_reconnected(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_connection_lost(self, agora_rtc_conn, conn_info):
        pass

    def on_connection_failure(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_user_joined(self, agora_rtc_conn, user_id):
        """A remote user (``str`` id) joined, or was already in the channel when we joined."""

    def on_user_left(self, agora_rtc_conn, user_id, reason):
        """A remote user left; ``reason`` is USER_OFFLINE_QUIT (0) or USER_OFFLINE_DROPPED (1)."""

    def on_stream_message_error(self, agora_rtc_conn, user_id, stream_id, code, missed, cached):
        """Messages of an unreliable stream were lost: *missed* of them
        (``code`` ERR_STREAM_MESSAGE_TIMEOUT, 117)."""

    def on_token_privilege_will_expire(self, agora_rtc_conn, token):
        """The token expires in 30 s: get a new one and call ``renew_token``."""

    def on_token_privilege_did_expire(self, agora_rtc_conn):
        """The token expired; ``on_connection_failure`` (TOKEN_EXPIRED) follows."""

    def on_transport_stats(self, agora_rtc_conn, stats):
        """Every 2 s while connected: an RTCStats (bytes and bitrates sent and
        received, users, loss between processes, this process's CPU and memory)."""

    def on_encryption_error(self, agora_rtc_conn, error_type):
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
    """Local user events. ``agora_local_user`` is the LocalUser."""

    def on_audio_track_publish_success(self, agora_local_user, agora_local_audio_track):
        pass

    def on_audio_track_unpublished(self, agora_local_user, agora_local_audio_track):
        pass

    def on_audio_volume_indication(self, agora_local_user, speakers, speaker_number, total_volume):
        """Every interval set by ``set_audio_volume_indication_parameters``:
        ``speakers`` lists an AudioVolumeInfo per remote user heard in it."""

    def on_user_audio_track_subscribed(self, agora_local_user, user_id, agora_remote_audio_track):
        """A remote user's audio started reaching this user (a RemoteAudioTrack)."""

    def on_user_audio_track_state_changed(self, agora_local_user, user_id, agora_remote_audio_track, state, reason,
                                          elapsed):
        """RemoteAudioState/RemoteAudioStateReason: DECODING when audio flows,
        FROZEN after 500 ms without it, STOPPED when unpublished (REMOTE_MUTED)
        or gone (REMOTE_OFFLINE). *elapsed*: ms since this user joined."""

    def on_first_remote_audio_frame(self, agora_local_user, user_id, elapsed):
        pass

    def on_first_remote_audio_decoded(self, agora_local_user, user_id, elapsed):
        pass

    def on_stream_message(self, agora_local_user, user_id, stream_id, data, length):
        """A data stream message (``bytes``, binary-safe) from a remote user."""

    def on_active_speaker(self, agora_local_user, user_id):
        """The loudest remote speaker changed."""

    def on_audio_meta_data_received(self, agora_local_user, user_id, data):
        """Audio meta data (``bytes``) a remote user sent with ``send_audio_meta_data``."""

    def on_video_track_publish_success(self, agora_local_user, agora_local_video_track):
        pass

    def on_intra_request_received(self, agora_local_user):
        """A subscriber asked for a key frame: send one (encoded senders)."""

    def on_video_track_unpublished(self, agora_local_user, agora_local_video_track):
        pass

    def on_user_video_track_subscribed(self, agora_local_user, user_id, info, agora_remote_video_track):
        """A remote user's video started reaching this user (a RemoteVideoTrack)."""

    def on_user_video_track_state_changed(self, agora_local_user, user_id, agora_remote_video_track, state, reason,
                                          elapsed):
        """RemoteVideoState/RemoteVideoStateReason, as for audio: DECODING while
        frames arrive, FROZEN after 500 ms without, STOPPED when unpublished,
        disabled (REMOTE_MUTED), unsubscribed (LOCAL_MUTED) or gone (REMOTE_OFFLINE)."""

    def on_first_remote_video_frame(self, agora_local_user, user_id, width, height, elapsed):
        pass

    def on_first_remote_video_decoded(self, agora_local_user, user_id, width, height, elapsed):
        pass

    def on_audio_publish_state_changed(self, agora_local_user, channel, old_state, new_state,
                                       elapse_since_last_state):
        """StreamPublishState: NO_PUBLISHED -> PUBLISHING -> PUBLISHED when the first audio track
        is published, PUBLISHED -> NO_PUBLISHED when the last one is unpublished."""

    def on_video_publish_state_changed(self, agora_local_user, channel, old_state, new_state,
                                       elapse_since_last_state):
        """As on_audio_publish_state_changed, for video tracks."""

    def on_audio_subscribe_state_changed(self, agora_local_user, channel, user_id, old_state, new_state,
                                         elapse_since_last_state):
        """StreamSubscribeState of *user_id*'s audio: NO_SUBSCRIBED -> SUBSCRIBING -> SUBSCRIBED when
        it starts reaching this user, SUBSCRIBED -> NO_SUBSCRIBED when it stops (unpublished,
        unsubscribed, user left). *elapse_since_last_state*: ms since the previous change
        (since joining, for the first)."""

    def on_video_subscribe_state_changed(self, agora_local_user, channel, user_id, old_state, new_state,
                                         elapse_since_last_state):
        """As on_audio_subscribe_state_changed, for video."""


class IAudioFrameObserver:
    """Audio frames, each one 10 ms of 16-bit PCM as an AudioFrame.

    The frame's memory is valid only during the callback (see AudioFrame);
    copy what you keep. Return values are ignored (the official SDK's are too).
    """

    def on_playback_audio_frame_before_mixing(self, agora_local_user, channel_id, uid, frame):
        """One remote user's audio, in the format set by
        ``set_playback_audio_frame_before_mixing_parameters`` (or as sent)."""

    def on_playback_audio_frame(self, agora_local_user, channel_id, frame):
        """All subscribed remote users mixed, every 10 ms while connected."""

    def on_record_audio_frame(self, agora_local_user, channel_id, frame):
        """What this user publishes."""

    def on_mixed_audio_frame(self, agora_local_user, channel_id, frame):
        """Playback and record mixed."""
