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
from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._core import AudioFrame, RTCConnInfo
    from .audio import LocalAudioTrack, RemoteAudioTrack
    from .connection import RTCConnection
    from .local_user import LocalUser
    from .stats import (LocalAudioTrackStats, LocalVideoTrackStats, RemoteAudioTrackStats, RemoteVideoTrackStats,
                        RTCStats)
    from .video import LocalVideoTrack, RemoteVideoStreamInfo, RemoteVideoTrack, VideoTrackInfo


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

    def on_change_role_success(self, agora_rtc_conn: RTCConnection, old_role: int, new_role: int) -> None:
        """``set_user_role`` changed this user's ClientRoleType while connected (the engine's
        client_role_options are not passed on, as in the official SDK). Setting the role before
        joining, or to the role it has, reports nothing."""

    def on_change_role_failure(self, agora_rtc_conn: RTCConnection, reason: int, cur_role: int) -> None:
        """Never fired by the loopback: it limits neither broadcasters nor permissions
        (ClientRoleChangeFailedReason lists Agora's reasons)."""

    def on_user_network_quality(self, agora_rtc_conn: RTCConnection, uid: str, tx_quality: int,
                                rx_quality: int) -> None:
        """Every 2 s with on_transport_stats, per remote user (``uid``: its user id): QualityType of its
        uplink (*tx_quality*) and downlink (*rx_quality*). EXCELLENT on a clean network. The uplink of a
        user in this process follows the faults injected on its connection (``loopback.fault.*`` loss,
        jitter, reorder; DOWN during an outage); a user elsewhere is rated by the loss and lateness of its
        audio packets here."""

    def on_network_type_changed(self, agora_rtc_conn: RTCConnection, network_type: int) -> None:
        """NetworkType, once per connect, after on_connected: NETWORK_TYPE_LAN (1) on the loopback."""

    def on_lastmile_quality(self, agora_rtc_conn: RTCConnection, quality: int) -> None:
        """The loopback never fires it (no last-mile probe)."""

    def on_lastmile_probe_result(self, agora_rtc_conn: RTCConnection, result: object) -> None:
        """The loopback never fires it (no last-mile probe)."""

    def on_connection_license_validation_failure(self, agora_rtc_conn: RTCConnection, reason: int) -> None:
        """The loopback never fires it (no licenses)."""

    def on_api_call_executed(self, agora_rtc_conn: RTCConnection, error: int, api_type: str, api_param: str) -> None:
        """The loopback never fires it."""

    def on_content_inspect_result(self, agora_rtc_conn: RTCConnection, result: int) -> None:
        """The loopback never fires it (no content inspection)."""

    def on_snapshot_taken(self, agora_rtc_conn: RTCConnection, uid: int, file_path: str, width: int, height: int,
                          err_code: int) -> None:
        """The loopback never fires it (no snapshots)."""

    def on_error(self, agora_rtc_conn: RTCConnection, error_code: int, error_msg: str) -> None:
        """The loopback never fires it (errors are return codes and connection events)."""

    def on_warning(self, agora_rtc_conn: RTCConnection, warn_code: int, warn_msg: str) -> None:
        """The loopback never fires it."""

    def on_channel_media_relay_state_changed(self, agora_rtc_conn: RTCConnection, state: int, code: int) -> None:
        """The loopback never fires it (no media relay)."""

    def on_local_user_registered(self, agora_rtc_conn: RTCConnection, uid: int, user_account: str) -> None:
        """The loopback never fires it (string user ids need no registration)."""

    def on_user_account_updated(self, agora_rtc_conn: RTCConnection, uid: int, user_account: str) -> None:
        """The loopback never fires it."""

    def on_upload_log_result(self, agora_rtc_conn: RTCConnection, request_id_str: str, success: int,
                             reason: int) -> None:
        """The loopback never fires it (no log upload)."""

    def on_aiqos_capability_missing(self, agora_rtc_conn: RTCConnection, recommend_audio_scenario: int) -> int:
        """The loopback never fires it (every member supports every scenario); -1 leaves the scenario as set."""
        return -1


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


class LocalAudioStreamState(IntEnum):
    """on_local_audio_track_state_changed: ENCODING when a track is published, STOPPED when unpublished."""
    LOCAL_AUDIO_STREAM_STATE_STOPPED = 0
    LOCAL_AUDIO_STREAM_STATE_RECORDING = 1
    LOCAL_AUDIO_STREAM_STATE_ENCODING = 2
    LOCAL_AUDIO_STREAM_STATE_FAILED = 3


class LocalVideoStreamState(IntEnum):
    """on_local_video_track_state_changed: ENCODING when a track is published, STOPPED when unpublished."""
    LOCAL_VIDEO_STREAM_STATE_STOPPED = 0
    LOCAL_VIDEO_STREAM_STATE_CAPTURING = 1
    LOCAL_VIDEO_STREAM_STATE_ENCODING = 2
    LOCAL_VIDEO_STREAM_STATE_FAILED = 3


class UserMediaInfo(IntEnum):
    """on_user_info_updated's *msg*; its *val* is 1 when muted (MUTE_*) or enabled (ENABLE_*)."""
    USER_MEDIA_INFO_MUTE_AUDIO = 0
    USER_MEDIA_INFO_MUTE_VIDEO = 1
    USER_MEDIA_INFO_ENABLE_VIDEO = 4
    USER_MEDIA_INFO_ENABLE_LOCAL_VIDEO = 8


class RemoteUserState(IntFlag):
    """on_user_state_changed's *state*: a bit mask."""
    USER_STATE_MUTE_AUDIO = 1 << 0
    USER_STATE_MUTE_VIDEO = 1 << 1
    USER_STATE_ENABLE_VIDEO = 1 << 4
    USER_STATE_ENABLE_LOCAL_VIDEO = 1 << 8


class NetworkType(IntEnum):
    """on_network_type_changed."""
    NETWORK_TYPE_UNKNOWN = -1
    NETWORK_TYPE_DISCONNECTED = 0
    NETWORK_TYPE_LAN = 1
    NETWORK_TYPE_WIFI = 2
    NETWORK_TYPE_MOBILE_2G = 3
    NETWORK_TYPE_MOBILE_3G = 4
    NETWORK_TYPE_MOBILE_4G = 5
    NETWORK_TYPE_MOBILE_5G = 6


class QualityType(IntEnum):
    """on_user_network_quality (and RemoteAudioTrackStats.quality)."""
    QUALITY_UNKNOWN = 0
    QUALITY_EXCELLENT = 1
    QUALITY_GOOD = 2
    QUALITY_POOR = 3
    QUALITY_BAD = 4
    QUALITY_VBAD = 5
    QUALITY_DOWN = 6
    QUALITY_UNSUPPORTED = 7
    QUALITY_DETECTING = 8


class ClientRoleChangeFailedReason(IntEnum):
    """on_change_role_failure's *reason* (the loopback has none of these causes)."""
    CLIENT_ROLE_CHANGE_FAILED_TOO_MANY_BROADCASTERS = 1
    CLIENT_ROLE_CHANGE_FAILED_NOT_AUTHORIZED = 2
    CLIENT_ROLE_CHANGE_FAILED_REQUEST_TIME_OUT = 3
    CLIENT_ROLE_CHANGE_FAILED_CONNECTION_FAILED = 4


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

    def on_audio_track_publish_start(self, agora_local_user: LocalUser,
                                     agora_local_audio_track: LocalAudioTrack | int) -> None:
        """A track's publishing starts: right before its on_audio_track_publish_success."""

    def on_video_track_publish_start(self, agora_local_user: LocalUser,
                                     agora_local_video_track: LocalVideoTrack | int) -> None:
        """As on_audio_track_publish_start, for a video track."""

    def on_local_audio_track_state_changed(self, agora_local_user: LocalUser,
                                           agora_local_audio_track: LocalAudioTrack | int, state: int,
                                           error: int) -> None:
        """LocalAudioStreamState of a track this user publishes: ENCODING (error 0) when published, before
        on_audio_track_publish_start; STOPPED after on_audio_track_unpublished."""

    def on_local_video_track_state_changed(self, agora_local_user: LocalUser,
                                           agora_local_video_track: LocalVideoTrack | int, state: int,
                                           error: int) -> None:
        """LocalVideoStreamState, as on_local_audio_track_state_changed, for a video track."""

    def on_audio_track_publication_failure(self, agora_local_user: LocalUser,
                                           agora_local_audio_track: LocalAudioTrack | int, error: int) -> None:
        """The loopback never fires it (publishing fails synchronously, with an error code)."""

    def on_video_track_publication_failure(self, agora_local_user: LocalUser,
                                           agora_local_video_track: LocalVideoTrack | int, error: int) -> None:
        """The loopback never fires it (publishing fails synchronously, with an error code)."""

    def on_user_info_updated(self, agora_local_user: LocalUser, user_id: str, msg: int, val: int) -> None:
        """A remote user started (*val* 0) or stopped (*val* 1) publishing audio (*msg*
        USER_MEDIA_INFO_MUTE_AUDIO) or video (USER_MEDIA_INFO_MUTE_VIDEO), learnt when its stream
        starts reaching this user or it unpublishes. Unsubscribing here changes nothing it did; a user
        who leaves gets on_user_left instead."""

    def on_user_state_changed(self, agora_local_user: LocalUser, user_id: str, state: int) -> None:
        """With each on_user_info_updated: the remote user's RemoteUserState mask (MUTE_AUDIO unless it
        publishes audio; MUTE_VIDEO unless it publishes video, ENABLE_VIDEO | ENABLE_LOCAL_VIDEO while
        it does)."""

    def on_video_size_changed(self, agora_local_user: LocalUser, user_id: str, width: int, height: int,
                              rotation: int) -> None:
        """A remote user's video as received: on its first frame (after on_first_remote_video_decoded)
        and whenever its size or rotation (0/90/180/270) changes."""

    def on_first_remote_video_frame_rendered(self, agora_local_user: LocalUser, user_id: str, width: int,
                                             height: int, elapsed: int) -> None:
        """The first frame of a remote user's video stream was handed to a video frame observer (none
        registered: not fired). *elapsed*: ms since this user joined."""

    def on_remote_video_stream_info_updated(self, agora_local_user: LocalUser, info: RemoteVideoStreamInfo) -> None:
        """A remote video stream was subscribed: a RemoteVideoStreamInfo (numeric uid, the stream type this
        user receives), after on_user_video_track_subscribed."""

    def on_remote_subscribe_fallback_to_audio_only(self, agora_local_user: LocalUser, user_id: str,
                                                   is_fallback_or_recover: int) -> None:
        """The loopback never fires it (no stream fallback: video is never dropped for bandwidth)."""


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

    # The official interface's remaining callbacks: the loopback calls none of them (no ear
    # monitoring; formats are set with set_playback_audio_frame_parameters and friends).
    def on_ear_monitoring_audio_frame(self, agora_local_user: LocalUser, frame: AudioFrame) -> object:
        """Never called by the loopback engine."""

    def on_get_audio_frame_position(self, agora_local_user: LocalUser) -> object:
        """Never called by the loopback engine."""

    def on_get_playback_audio_frame_param(self, agora_local_user: LocalUser) -> object:
        """Never called by the loopback engine."""

    def on_get_record_audio_frame_param(self, agora_local_user: LocalUser) -> object:
        """Never called by the loopback engine."""

    def on_get_mixed_audio_frame_param(self, agora_local_user: LocalUser) -> object:
        """Never called by the loopback engine."""

    def on_get_ear_monitoring_audio_frame_param(self, agora_local_user: LocalUser) -> object:
        """Never called by the loopback engine."""


def _need_observer(observer: object, interface: type, what: str) -> None:
    """Refuse at registration what cannot be an observer (else every later event would fail inside
    the delivery): an *interface* instance, or any object with one of its callbacks (duck typing)."""
    if isinstance(observer, interface):
        return
    callbacks = [name for name in vars(interface) if name.startswith("on_")]
    if not any(callable(getattr(observer, name, None)) for name in callbacks):
        raise TypeError(f"{what}() needs an {interface.__name__} (an object with {callbacks[0]}(...) or another of "
                        f"its callbacks), not {type(observer).__name__}")
