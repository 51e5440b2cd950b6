"""RTCConnection: joins one channel as one user."""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, cast, overload

from . import _core
from ._core import RTCConnInfo
from .local_user import LocalUser

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._core import _Buffer
    from .audio_encoded import EncodedAudioFrameInfo, _EncodedAudioReceiver
    from .dispatch import DispatcherLike
    from .encryption import EncryptionConfig
    from .observers import IAudioFrameObserver, IRTCConnectionObserver, IRTCLocalUserObserver
    from .parameter import AgoraParameter
    from .publish import AudioScenarioType, ConnectionPublisher, RtcConnectionPublishConfig
    from .service import AgoraService
    from .vad import AudioVadConfigV2
    from .video import (EncodedVideoFrameInfo, ExternalVideoFrame, SimulcastStreamConfig, VideoEncoderConfiguration,
                        _EncodedVideoReceiver, _VideoFrameReceiver)

__all__ = ["RTCConnConfig", "RTCConnection", "RTCConnInfo", "AudioSubscriptionOptions",
           "ConnectionState", "ConnectionChangedReason", "UserOfflineReason"]


class ConnectionState:
    DISCONNECTED, CONNECTING, CONNECTED, RECONNECTING, FAILED = 1, 2, 3, 4, 5


class ConnectionChangedReason:
    CONNECTING, JOIN_SUCCESS, INTERRUPTED, BANNED_BY_SERVER, JOIN_FAILED, LEAVE_CHANNEL = range(6)
    INVALID_APP_ID, INVALID_CHANNEL_NAME, INVALID_TOKEN, TOKEN_EXPIRED, REJECTED_BY_SERVER = range(6, 11)
    SAME_UID_LOGIN = 19


class UserOfflineReason:
    QUIT, DROPPED, BECOME_AUDIENCE = 0, 1, 2


class ClientRoleType(IntEnum):
    CLIENT_ROLE_BROADCASTER = 1
    CLIENT_ROLE_AUDIENCE = 2


class ChannelProfileType(IntEnum):
    CHANNEL_PROFILE_COMMUNICATION = 0
    CHANNEL_PROFILE_LIVE_BROADCASTING = 1


@dataclass
class AudioSubscriptionOptions:
    packet_only: int = 0
    pcm_data_only: int = 0
    bytes_per_sample: int = 0      # 0: the engine's default, 16-bit (the only format it delivers)
    number_of_channels: int = 0
    sample_rate_hz: int = 0


@dataclass
class RTCConnConfig:
    """Connection configuration (official field names and defaults: nothing is
    subscribed unless asked, ``auto_subscribe_audio=1`` hears everyone)."""

    auto_subscribe_audio: int = 0
    auto_subscribe_video: int = 0
    enable_audio_recording_or_playout: int = 0
    max_send_bitrate: int = 0
    min_port: int = 0
    max_port: int = 0
    audio_subs_options: AudioSubscriptionOptions = field(default_factory=AudioSubscriptionOptions)
    client_role_type: int = ClientRoleType.CLIENT_ROLE_BROADCASTER
    channel_profile: int = ChannelProfileType.CHANNEL_PROFILE_LIVE_BROADCASTING
    audio_recv_media_packet: int = 0
    audio_recv_encoded_frame: int = 0
    video_recv_media_packet: int = 0


def _queue_of(dispatcher: DispatcherLike | None) -> _core.Dispatcher | None:
    """A _core.Dispatcher from a DispatchThread/loop dispatcher, or None."""
    if dispatcher is None or isinstance(dispatcher, _core.Dispatcher):
        return dispatcher
    queue = getattr(dispatcher, "queue", None)
    if not isinstance(queue, _core.Dispatcher):
        raise TypeError(f"dispatcher must be None, service.dispatcher or an asyncio dispatcher, not {dispatcher!r}")
    return queue


class RTCConnection:
    """A connection to one channel (official name). Create with
    ``AgoraService.create_rtc_connection(config)``; usable as a context manager."""

    def __init__(self, service: AgoraService, config: RTCConnConfig,
                 publish_config: RtcConnectionPublishConfig | None = None) -> None:
        if not isinstance(config, RTCConnConfig):
            raise TypeError(f"create_rtc_connection() takes an RTCConnConfig, not {type(config).__name__}")
        svc = service._need_initialized("create_rtc_connection")
        subs = config.audio_subs_options
        self._h = _core.conn_create(
            svc, auto_subscribe_audio=config.auto_subscribe_audio, auto_subscribe_video=config.auto_subscribe_video,
            enable_audio_recording_or_playout=config.enable_audio_recording_or_playout,
            max_send_bitrate=config.max_send_bitrate, client_role_type=config.client_role_type,
            channel_profile=config.channel_profile, audio_recv_media_packet=config.audio_recv_media_packet,
            audio_recv_encoded_frame=config.audio_recv_encoded_frame,
            video_recv_media_packet=config.video_recv_media_packet,
            sub_sample_rate=subs.sample_rate_hz, sub_channels=subs.number_of_channels)
        self._service = service
        self.config = config
        self._observers: list[IRTCConnectionObserver] = []
        self._token = ""
        self._default_stream_id: int | None = None
        self._local_user = LocalUser(self, _core.conn_get_local_user(self._h))
        _core.conn_register_observer(self._h, self)
        service._adopt(self)
        self._publisher: ConnectionPublisher | None = None
        if publish_config is not None:
            from .publish import ConnectionPublisher
            try:
                self._publisher = ConnectionPublisher(service, self, publish_config)
            except BaseException:
                self.release()
                raise

    def set_event_dispatcher(self, dispatcher: DispatcherLike | None) -> None:
        """Deliver this connection's (and its local user's) events through
        *dispatcher* (``service.dispatcher``, an asyncio loop's, or None for
        direct delivery on the engine thread)."""
        queue = _queue_of(dispatcher)
        _core.conn_register_observer(self._handle("set_event_dispatcher"), self, queue)
        _core.user_register_observer(self._local_user._handle("set_event_dispatcher"), self._local_user, queue)

    def _handle(self, what: str) -> int:
        if self._h == 0:
            raise ValueError(f"RTCConnection.{what}(): the connection was released")
        return self._h

    @property
    def released(self) -> bool:
        return self._h == 0

    def connect(self, token: str | None, chan_id: str, user_id: str | int) -> int:
        """Join *chan_id* as *user_id* (``str``; "0" lets the engine pick a uid).

        Returns 0 at once; ``on_connected`` follows on an engine thread. Raises
        AgoraError (ERR_INVALID_CHANNEL_NAME, ERR_INVALID_USER_ID, ERR_INVALID_STATE…).
        """
        if not isinstance(chan_id, str):
            raise TypeError(f"chan_id must be str, not {type(chan_id).__name__}")
        if isinstance(user_id, int) and not isinstance(user_id, bool):
            user_id = str(user_id)
        if not isinstance(user_id, str):
            raise TypeError(f"user_id must be str (or int), not {type(user_id).__name__}")
        if token is not None and not isinstance(token, str):
            raise TypeError(f"token must be str or None, not {type(token).__name__}")
        try:
            rc = _core.conn_connect(self._handle("connect"), token, chan_id, user_id)
        except _core.AgoraError as e:
            if e.code == 121:  # ERR_INVALID_USER_ID: say which rule the id broke
                string_uids = bool(getattr(self._service.config, "use_string_uid", 0))
                if len(user_id.encode()) > 255:
                    e.args = (f"{e.args[0]}: user id is {len(user_id.encode())} bytes; at most 255",)
                elif not string_uids and not user_id.isdigit():
                    e.args = (f"{e.args[0]}: user id {user_id!r} is not a number; string user ids need "
                              f"AgoraServiceConfig(use_string_uid=1)",)
            raise
        self._token = token or ""
        return rc

    def disconnect(self) -> int:
        return _core.conn_disconnect(self._handle("disconnect"))

    def renew_token(self, token: str) -> int:
        """Replace the token before it expires (on ``on_token_privilege_will_expire``).

        Raises AgoraError ERR_INVALID_TOKEN / ERR_TOKEN_EXPIRED when the engine
        verifies tokens and refuses this one, ERR_NOT_IN_CHANNEL when not connected.
        """
        rc = _core.conn_renew_token(self._handle("renew_token"), token)  # TypeError/ValueError for non-text
        self._token = token
        return rc

    # -- data streams ------------------------------------------------------------------
    def create_data_stream(self, reliable: bool = True, ordered: bool = True) -> int:
        """A data stream id (1-5 per connection). Reliable streams resend lost
        messages until acknowledged; ordered ones deliver in send order."""
        return _core.conn_create_data_stream(self._handle("create_data_stream"), bool(reliable), bool(ordered))

    @overload
    def send_stream_message(self, stream_id: int, data: _Buffer | str) -> int: ...

    @overload
    def send_stream_message(self, stream_id: _Buffer | str) -> int: ...  # 2.4: the data, on the default stream

    @overload
    def send_stream_message(self, *, data: _Buffer | str) -> int: ...  # 2.4 with the official keyword

    def send_stream_message(self, stream_id: int | _Buffer | str | None = None,
                            data: _Buffer | str | None = None) -> int:
        """Send a message (bytes-like or str, 1-1024 bytes, binary-safe) to
        every other member: ``send_stream_message(stream_id, data)``, or 2.4
        style ``send_stream_message(data)`` on the connection's default stream
        (unreliable, unordered, as the official one). Raises AgoraError
        ERR_SIZE_TOO_LARGE (> 1 KB), ERR_TOO_OFTEN (> 30 KB/s on the stream),
        ERR_NOT_IN_CHANNEL."""
        if data is None:  # the 2.4 form: its one argument is the data
            if stream_id is None:
                raise TypeError("send_stream_message() needs the data to send")
            stream_id, data = self._default_stream(), cast("_Buffer | str", stream_id)
        elif stream_id is None:  # send_stream_message(data=...)
            stream_id = self._default_stream()
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(stream_id, int):
            raise TypeError(f"stream_id must be an int from create_data_stream(), not {type(stream_id).__name__}")
        return _core.conn_send_stream_message(self._handle("send_stream_message"), stream_id, data)

    def _default_stream(self) -> int:
        if self._default_stream_id is None:
            self._default_stream_id = self.create_data_stream(False, False)
        return self._default_stream_id

    def get_sid(self) -> str:
        """The session id of the current (or last) join: 32 hex digits, "" before the first connect."""
        return _core.conn_get_sid(self._handle("get_sid"))

    def get_conn_info(self) -> RTCConnInfo:
        return _core.conn_get_info(self._handle("get_conn_info"))

    def get_local_user(self) -> LocalUser:
        self._handle("get_local_user")
        return self._local_user

    @property
    def local_user(self) -> LocalUser:
        return self.get_local_user()

    def register_observer(self, conn_observer: IRTCConnectionObserver) -> int:
        """Add an IRTCConnectionObserver (several may be registered)."""
        self._handle("register_observer")
        from .observers import IRTCConnectionObserver, _need_observer
        _need_observer(conn_observer, IRTCConnectionObserver, "register_observer")
        if conn_observer not in self._observers:
            self._observers = self._observers + [conn_observer]
        return 0

    def unregister_observer(self, conn_observer: IRTCConnectionObserver | None = None) -> int:
        """Remove one observer, or all of them."""
        self._observers = [o for o in self._observers if conn_observer is not None and o is not conn_observer]
        return 0

    # -- the 2.4 connection-level API (with an RtcConnectionPublishConfig) ----------
    def _publishing(self, what: str) -> ConnectionPublisher:
        self._handle(what)
        if self._publisher is None:
            raise ValueError(f"RTCConnection.{what}(): create the connection with an RtcConnectionPublishConfig "
                             f"(service.create_rtc_connection(config, publish_config))")
        return self._publisher

    def publish_audio(self) -> int:
        return self._publishing("publish_audio").publish_audio()

    def unpublish_audio(self) -> int:
        return self._publishing("unpublish_audio").unpublish_audio()

    def push_audio_pcm_data(self, data: _Buffer, sample_rate: int, channels: int, start_pts: int = 0) -> int:
        """Queue 16-bit PCM of any length (bytes, bytearray, numpy int16); it is
        played at real-time pace. Unlike the official method, any length is
        accepted (a trailing partial 10 ms frame waits for the next push)."""
        return self._publishing("push_audio_pcm_data").push_audio_pcm_data(data, sample_rate, channels, start_pts)

    def interrupt_audio(self) -> int:
        """Barge-in: queued audio stops within one 10 ms frame."""
        return self._publishing("interrupt_audio").interrupt_audio()

    def is_push_to_rtc_completed(self) -> bool:
        """True when everything pushed has been played out."""
        return self._publishing("is_push_to_rtc_completed").is_push_to_rtc_completed()

    def update_audio_scenario(self, scenario: AudioScenarioType) -> int:
        publisher = self._publishing("update_audio_scenario")
        _core.user_set_audio_scenario(self._local_user._handle("update_audio_scenario"), scenario)
        publisher.config.audio_scenario = scenario
        return 0

    def register_audio_frame_observer(self, observer: IAudioFrameObserver, enable_vad: int = 0,
                                      vad_configure: AudioVadConfigV2 | None = None,
                                      dispatcher: DispatcherLike | None = None) -> int:
        """2.4 form: ``observer.on_playback_audio_frame_before_mixing(local_user,
        channel_id, uid, frame, vad_result_state, vad_result_bytearray)``; with
        *enable_vad*, VAD v2 runs natively per remote user in the delivery
        path (labels are switched on), else the state is -1 and bytes None.
        Without *enable_vad*, an observer written to the four-argument form
        (IAudioFrameObserver's, LocalUser's registration) is called with four."""
        from .vad import AudioVadConfigV2
        six_args = _takes_vad_arguments(observer)
        if enable_vad and not six_args:
            raise TypeError(f"{type(observer).__name__}.on_playback_audio_frame_before_mixing takes the four-argument "
                            "form; with enable_vad it gets the VAD result too: (local_user, channel_id, uid, frame, "
                            "vad_result_state, vad_result_bytearray)")
        config: AudioVadConfigV2 | None = None
        if enable_vad:
            config = vad_configure if vad_configure is not None else AudioVadConfigV2()
            if not isinstance(config, AudioVadConfigV2):
                raise TypeError(f"vad_configure must be an AudioVadConfigV2, not {type(config).__name__}")
            self._service.set_parameters({"che.audio.label.enable": True})
        return self._local_user.register_audio_frame_observer(observer, dispatcher, vad=config, six_args=six_args)

    def unregister_audio_frame_observer(self) -> int:
        return self._local_user.unregister_audio_frame_observer()

    def register_local_user_observer(self, observer: IRTCLocalUserObserver) -> int:
        return self._local_user.register_local_user_observer(observer)

    def publish_video(self) -> int:
        return self._publishing("publish_video").publish_video()

    def unpublish_video(self) -> int:
        return self._publishing("unpublish_video").unpublish_video()

    def push_video_frame(self, frame: ExternalVideoFrame) -> int:
        """Send one ExternalVideoFrame (publish config: video_publish_type YUV)."""
        publisher = self._publisher  # per-frame path: one lookup, the checks' messages only when it fails
        sender = publisher.video_sender if publisher is not None and self._h else None
        if sender is None:
            return self._publishing("push_video_frame").push_video_frame(frame)
        return sender.send_video_frame(frame)

    def push_video_encoded_data(self, data: _Buffer, info: EncodedVideoFrameInfo) -> int:
        """Send one encoded image with its EncodedVideoFrameInfo (video_publish_type ENCODED_IMAGE)."""
        publisher = self._publisher  # per-frame path, as push_video_frame
        sender = publisher.video_encoded_sender if publisher is not None and self._h else None
        if sender is None:
            return self._publishing("push_video_encoded_data").push_video_encoded_data(data, info)
        return sender.send_encoded_video_image(data, info)

    def set_video_encoder_configuration(self, config: VideoEncoderConfiguration) -> int:
        """The track's encoder configuration: its dimensions cap what receivers get (aspect kept)."""
        return self._publishing("set_video_encoder_configuration").set_video_encoder_configuration(config)

    def set_simulcast_stream(self, enabled: bool | int, config: SimulcastStreamConfig | None) -> int:
        return self._publishing("set_simulcast_stream").set_simulcast_stream(enabled, config)

    def send_intra_request(self, remote_uid: str | int) -> int:
        return self._local_user.send_intra_request(remote_uid)

    def enable_encryption(self, enabled: bool | int, config: EncryptionConfig | None = None) -> int:
        """Turn built-in encryption on (*config*: an EncryptionConfig with a key)
        or off. Call it before connect; members with another key, mode or salt
        cannot hear this connection, nor it them (``on_encryption_error``)."""
        from .encryption import EncryptionConfig
        h = self._handle("enable_encryption")
        if not enabled:
            return _core.conn_enable_encryption(h, False, 0, "", b"", False)
        if not isinstance(config, EncryptionConfig):
            raise TypeError(f"enable_encryption() needs an EncryptionConfig, not {type(config).__name__}")
        if not isinstance(config.encryption_key, str) or not config.encryption_key:
            raise ValueError("EncryptionConfig.encryption_key must be a non-empty str")
        if isinstance(config.encryption_kdf_salt, str):
            raise TypeError("EncryptionConfig.encryption_kdf_salt must be bytes (up to 32), not str")
        salt = bytes(config.encryption_kdf_salt or b"")
        if config.encryption_mode not in range(1, 9):
            raise ValueError(f"encryption_mode must be an EncryptionMode (1..8), not {config.encryption_mode!r}")
        if config.encryption_mode in (7, 8) and not any(salt):
            raise ValueError("the GCM2 encryption modes need encryption_kdf_salt (up to 32 bytes, not all zero)")
        return _core.conn_enable_encryption(h, True, config.encryption_mode, config.encryption_key, salt,
                                            bool(config.datastream_encryption_enabled))

    def set_parameters(self, params: str | Mapping[str, object]) -> int:
        """Parameters for this connection (a JSON string or a dict). The loopback
        engine's fault keys set here apply to this connection only::

            conn.set_parameters({"loopback.fault.loss_percent": 10,    # packets to other processes
                                 "loopback.fault.jitter_ms": 60,       # audio held 0..60 ms
                                 "loopback.fault.reorder_percent": 5,  # audio held 20-30 ms more
                                 "loopback.fault.bandwidth_kbps": 64,  # audio beyond it dropped
                                 "loopback.fault.outage_ms": 3000})    # no network for 3 s, now

        So does ``che.audio.extra_send_frames_per_interval_for_fake_adm``; other
        keys are engine-wide, as with ``AgoraService.set_parameters``."""
        text = params if isinstance(params, str) else json.dumps(params)
        return _core.service_set_parameters(self._handle("set_parameters"), text, True)

    def get_agora_parameter(self) -> AgoraParameter:
        """This connection's AgoraParameter (official name): its loopback.fault.* keys are its own."""
        from .parameter import AgoraParameter
        self._handle("get_agora_parameter")
        return AgoraParameter(self, lambda: self._handle("get_agora_parameter"), True)

    def get_parameter_number(self, key: str) -> float:
        """A numeric parameter as this connection sees it (its own fault values)."""
        return _core.service_get_number(self._handle("get_parameter_number"), key, True)

    def send_audio_meta_data(self, data: _Buffer) -> int:
        """Up to 1024 bytes to every member subscribed to this user's audio."""
        return self._local_user.send_audio_meta_data(data)

    def push_audio_encoded_data(self, data: _Buffer, info: EncodedAudioFrameInfo) -> int:
        """Send one encoded audio frame (publish config: audio_publish_type ENCODED_PCM)."""
        return self._publishing("push_audio_encoded_data").push_audio_encoded_data(data, info)

    def register_audio_encoded_frame_observer(self, observer: _EncodedAudioReceiver,
                                              dispatcher: DispatcherLike | None = None) -> int:
        """Remote users' encoded audio byte for byte (loopback engine; the
        official 2.4 method is a stub returning -1000)."""
        return self._local_user.register_audio_encoded_frame_observer(observer, dispatcher)

    def register_video_frame_observer(self, observer: _VideoFrameReceiver,
                                      dispatcher: DispatcherLike | None = None) -> int:
        return self._local_user.register_video_frame_observer(observer, dispatcher)

    def register_video_encoded_frame_observer(self, observer: _EncodedVideoReceiver,
                                              dispatcher: DispatcherLike | None = None) -> int:
        return self._local_user.register_video_encoded_frame_observer(observer, dispatcher)

    def release(self) -> None:
        """Disconnect and free the connection, its local user's observers and
        subscriptions (and, 2.4 style, its own sender and track). Callbacks
        have stopped when it returns. Idempotent."""
        h, self._h = self._h, 0
        if not h:
            return
        self._local_user._detach()
        if self._publisher is not None:
            self._publisher.release()
            self._publisher = None
        _core.conn_unregister_observer(h)
        _core.conn_destroy(h)
        self._observers = []
        self._service._disown(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    # -- engine events (called by _core on an engine thread) -------------------
    def _emit(self, name: str, *args: object) -> None:
        for observer in self._observers:
            getattr(observer, name)(self, *args)

    def _on_connected(self, info: RTCConnInfo, reason: int) -> None:
        self._emit("on_connected", info, reason)

    def _on_disconnected(self, info: RTCConnInfo, reason: int) -> None:
        self._emit("on_disconnected", info, reason)

    def _on_connecting(self, info: RTCConnInfo, reason: int) -> None:
        self._emit("on_connecting", info, reason)

    def _on_reconnecting(self, info: RTCConnInfo, reason: int) -> None:
        self._emit("on_reconnecting", info, reason)

    def _on_reconnected(self, info: RTCConnInfo, reason: int) -> None:
        self._emit("on_reconnected", info, reason)

    def _on_connection_lost(self, info: RTCConnInfo) -> None:
        self._emit("on_connection_lost", info)

    def _on_connection_failure(self, info: RTCConnInfo, reason: int) -> None:
        self._emit("on_connection_failure", info, reason)

    def _on_user_joined(self, user_id: str) -> None:
        self._emit("on_user_joined", user_id)

    def _on_user_left(self, user_id: str, reason: int) -> None:
        target = self._local_user._audio_target
        if target is not None:
            target.forget(user_id)  # a user who comes back starts a fresh VAD
        self._emit("on_user_left", user_id, reason)

    def _on_stream_message_error(self, user_id: str, stream_id: int, code: int, missed: int, cached: int) -> None:
        self._emit("on_stream_message_error", user_id, stream_id, code, missed, cached)

    def _on_token_privilege_will_expire(self, token: str) -> None:
        self._emit("on_token_privilege_will_expire", token or self._token)

    def _on_token_privilege_did_expire(self) -> None:
        self._emit("on_token_privilege_did_expire")

    def _on_encryption_error(self, error_type: int) -> None:
        self._emit("on_encryption_error", error_type)

    def _on_change_role_success(self, old_role: int, new_role: int) -> None:
        self._emit("on_change_role_success", old_role, new_role)

    def _on_network_type_changed(self, network_type: int) -> None:
        self._emit("on_network_type_changed", network_type)

    def _on_user_network_quality(self, user_id: str, tx_quality: int, rx_quality: int) -> None:
        self._emit("on_user_network_quality", user_id, tx_quality, rx_quality)

    def _on_transport_stats(self, stats: dict[str, float]) -> None:
        from .stats import RTCStats
        self._emit("on_transport_stats", RTCStats._from(stats))


def _takes_vad_arguments(observer: object) -> bool:
    """Whether the observer's before-mixing callback accepts the 2.4 form's six arguments."""
    from .observers import IAudioFrameObserver
    method = getattr(observer, "on_playback_audio_frame_before_mixing", None)
    if method is None or getattr(type(observer), "on_playback_audio_frame_before_mixing", None) is \
            IAudioFrameObserver.on_playback_audio_frame_before_mixing:
        return True  # none, or the interface's do-nothing one, which is not called
    try:
        inspect.signature(method).bind(None, "", "", None, -1, None)
    except TypeError:
        return False
    except ValueError:  # no signature to read (a builtin): assume the documented form
        return True
    return True
