"""LocalUser: what one connection publishes and receives."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Union, cast

from . import _core
from ._arguments import need_int

if TYPE_CHECKING:
    from ._core import _Buffer
    from .audio import LocalAudioTrack, RemoteAudioTrack
    from .audio_encoded import _EncodedAudioReceiver
    from .connection import RTCConnection
    from .dispatch import DispatcherLike
    from .observers import AudioVolumeInfo, IAudioFrameObserver, IRTCLocalUserObserver
    from .publish import AudioEncoderConfiguration, AudioScenarioType
    from .stats import LocalAudioDetailedStats
    from .vad import AudioVadConfigV2
    from .video import (LocalVideoTrack, RemoteVideoTrack, VideoSubscriptionOptions, _EncodedVideoReceiver,
                        _VideoFrameReceiver)

    _VideoReceiver = Union[_VideoFrameReceiver, _EncodedVideoReceiver]
    _TrackInfoFields = tuple[int, int, int, str, int, int, int, int, int]  # VideoTrackInfo's, in order

__all__ = ["LocalUser"]

_RATES = (8000, 16000, 24000, 32000, 44100, 48000)


def _check_format(what: str, channels: int, sample_rate: int) -> None:
    if channels not in (1, 2):
        raise ValueError(f"{what}: channels must be 1 or 2, not {channels!r}")
    if sample_rate not in _RATES:
        raise ValueError(f"{what}: sample rate must be one of {_RATES}, not {sample_rate!r}")


class LocalUser:
    """The local user of an RTCConnection (official name); get it with
    ``connection.get_local_user()``. It lives as long as its connection."""

    def __init__(self, connection: RTCConnection, handle: int) -> None:
        self._connection = connection
        self._h = handle
        self._observers: list[IRTCLocalUserObserver] = []
        self._audio_observer: IAudioFrameObserver | None = None
        self._audio_target: _core.AudioTarget | None = None
        # engine handle -> every track this user published: events about a track can arrive after
        # unpublish_audio() returned (on_audio_track_unpublished does), so entries stay while the track lives
        self._tracks: weakref.WeakValueDictionary[int, LocalAudioTrack | LocalVideoTrack] = \
            weakref.WeakValueDictionary()
        self._published: dict[int, LocalAudioTrack | LocalVideoTrack] = {}  # engine handle -> published now
        # engine handle -> RemoteAudioTrack / RemoteVideoTrack
        self._remote_tracks: dict[int, RemoteAudioTrack | RemoteVideoTrack] = {}
        # (observer, encoded) -> engine observer handle
        self._video_observers: dict[tuple[_VideoReceiver, bool], int] = {}
        self._encoded_audio_observer: _EncodedAudioReceiver | None = None
        _core.user_register_observer(handle, self)

    def _handle(self, what: str) -> int:
        if self._h == 0 or self._connection.released:
            raise ValueError(f"LocalUser.{what}(): the connection was released")
        return self._h

    def get_rtc_connection(self) -> RTCConnection:
        return self._connection

    # -- publishing ------------------------------------------------------------
    def publish_audio(self, agora_local_audio_track: LocalAudioTrack) -> int:
        from .audio import LocalAudioTrack
        if not isinstance(agora_local_audio_track, LocalAudioTrack):
            raise TypeError("publish_audio() takes a LocalAudioTrack")
        handle = agora_local_audio_track._handle()
        self._tracks[handle] = agora_local_audio_track  # first: its publish event may run before the call returns
        rc = _core.user_publish_audio(self._handle("publish_audio"), handle)
        self._published[handle] = agora_local_audio_track
        return rc

    def unpublish_audio(self, agora_local_audio_track: LocalAudioTrack) -> int:
        rc = _core.user_unpublish_audio(self._handle("unpublish_audio"), agora_local_audio_track._handle())
        self._published.pop(agora_local_audio_track._h, None)
        return rc

    def publish_video(self, agora_local_video_track: LocalVideoTrack) -> int:
        from .video import LocalVideoTrack
        if not isinstance(agora_local_video_track, LocalVideoTrack):
            raise TypeError("publish_video() takes a LocalVideoTrack")
        handle = agora_local_video_track._handle()
        self._tracks[handle] = agora_local_video_track  # first: its publish event may run before the call returns
        rc = _core.user_publish_video(self._handle("publish_video"), handle, True)
        self._published[handle] = agora_local_video_track
        return rc

    def unpublish_video(self, agora_local_video_track: LocalVideoTrack) -> int:
        rc = _core.user_publish_video(self._handle("unpublish_video"), agora_local_video_track._handle(), False)
        self._published.pop(agora_local_video_track._h, None)
        return rc

    _publish_video = publish_video        # the 2.4 SDK's names
    _unpublish_video = unpublish_video

    # -- subscribing -------------------------------------------------------------
    def subscribe_video(self, user_id: str | int, options: VideoSubscriptionOptions | None = None) -> int:
        """Subscribe to *user_id*'s video; *options*: VideoSubscriptionOptions (high/low stream, encoded only)."""
        stream, encoded = _video_options(options)
        return _core.user_subscribe_video(self._handle("subscribe_video"), str(user_id), True, stream, encoded)

    def subscribe_all_video(self, options: VideoSubscriptionOptions | None = None) -> int:
        stream, encoded = _video_options(options)
        return _core.user_subscribe_video(self._handle("subscribe_all_video"), None, True, stream, encoded)

    def unsubscribe_video(self, user_id: str | int) -> int:
        return _core.user_subscribe_video(self._handle("unsubscribe_video"), str(user_id), False)

    def unsubscribe_all_video(self) -> int:
        return _core.user_subscribe_video(self._handle("unsubscribe_all_video"), None, False)

    def register_video_frame_observer(self, observer: _VideoFrameReceiver,
                                      dispatcher: DispatcherLike | None = None) -> int:
        """Raw frames of remote users: ``observer.on_frame(channel_id, remote_uid, frame)``.

        With ``dispatcher=None`` the callback runs on the engine thread and the
        frame's planes are the engine's memory, valid during the callback. With
        a dispatcher (``service.dispatcher`` or an asyncio one) each frame is
        copied once on the engine thread and the callback runs on the
        dispatcher's thread, owning its frame, free to call any SDK API."""
        return self._register_video(observer, False, "on_frame", dispatcher)

    def unregister_video_frame_observer(self, observer: _VideoFrameReceiver | None = None) -> int:
        return self._unregister_video(observer, False)

    def register_video_encoded_frame_observer(self, observer: _EncodedVideoReceiver,
                                              dispatcher: DispatcherLike | None = None) -> int:
        """Encoded frames: ``observer.on_encoded_video_frame(uid, image_buffer, length, info)``
        (``dispatcher`` as for register_video_frame_observer)."""
        return self._register_video(observer, True, "on_encoded_video_frame", dispatcher)

    def unregister_video_encoded_frame_observer(self, observer: _EncodedVideoReceiver | None = None) -> int:
        return self._unregister_video(observer, True)

    _register_video_frame_observer = register_video_frame_observer
    _unregister_video_frame_observer = unregister_video_frame_observer
    _register_video_encoded_frame_observer = register_video_encoded_frame_observer
    _unregister_video_encoded_frame_observer = unregister_video_encoded_frame_observer

    def _register_video(self, observer: _VideoReceiver, encoded: bool, method: str,
                        dispatcher: DispatcherLike | None = None) -> int:
        from .connection import _queue_of
        from .video import _VideoTarget
        if not callable(getattr(observer, method, None)):
            raise TypeError(f"the video observer needs a {method}() method")
        h = self._handle(method)
        # One observer of each kind, as in the official SDK: a new one replaces the old.
        for key in [k for k in self._video_observers if k[1] == encoded]:
            self._unregister_video(key[0], encoded)
        self._video_observers[(observer, encoded)] = _core.user_register_video_observer(
            h, _VideoTarget(observer), encoded, _queue_of(dispatcher))
        return 0

    def _unregister_video(self, observer: _VideoReceiver | None, encoded: bool) -> int:
        keys = [k for k in self._video_observers if k[1] == encoded and (observer is None or k[0] is observer)]
        if not keys:
            return 0
        h = self._handle("unregister_video_frame_observer")
        for key in keys:
            _core.user_unregister_video_observer(h, self._video_observers.pop(key), encoded)
        return 0

    def register_audio_encoded_frame_observer(self, observer: _EncodedAudioReceiver,
                                              dispatcher: DispatcherLike | None = None) -> int:
        """Remote users' encoded audio, byte for byte (loopback engine; Agora's
        library decodes received audio): ``observer.on_encoded_audio_frame(local_user,
        user_id, frame_buffer, info)``. One observer; a new one replaces the old.
        ``dispatcher`` as for register_video_frame_observer."""
        from .audio_encoded import _EncodedAudioTarget
        from .connection import _queue_of
        if not callable(getattr(observer, "on_encoded_audio_frame", None)):
            raise TypeError("the encoded audio observer needs an on_encoded_audio_frame() method")
        _core.user_register_audio_encoded_observer(self._handle("register_audio_encoded_frame_observer"),
                                                   _EncodedAudioTarget(self, observer), _queue_of(dispatcher))
        self._encoded_audio_observer = observer
        return 0

    def unregister_audio_encoded_frame_observer(self, observer: _EncodedAudioReceiver | None = None) -> int:
        if self._encoded_audio_observer is None or (observer is not None and observer is not self._encoded_audio_observer):
            return 0
        _core.user_unregister_audio_encoded_observer(self._handle("unregister_audio_encoded_frame_observer"))
        self._encoded_audio_observer = None
        return 0

    def set_user_role(self, role: int) -> int:
        """ClientRoleType: BROADCASTER (1) publishes; AUDIENCE (2) only listens (its
        published tracks stop reaching the channel until it is a broadcaster again)."""
        return _core.user_set_role(self._handle("set_user_role"), role)

    def get_user_role(self) -> int:
        return _core.user_get_role(self._handle("get_user_role"))

    def send_audio_meta_data(self, data: _Buffer) -> int:
        """Send up to 1024 bytes to every member subscribed to this user's audio
        (they get ``on_audio_meta_data_received``). The user must be connected."""
        return _core.user_send_audio_meta_data(self._handle("send_audio_meta_data"), data)

    _send_audio_meta_data = send_audio_meta_data

    def send_intra_request(self, uid: str | int) -> int:
        """Ask *uid*, who publishes video, for a key frame (it hears on_intra_request_received)."""
        return _core.user_send_intra_request(self._handle("send_intra_request"), str(uid))

    _send_intra_request = send_intra_request

    def set_audio_scenario(self, scenario_type: AudioScenarioType | int) -> int:
        """The audio scenario of this user's tracks (AudioScenarioType; on the loopback engine
        PCM travels as sent in every scenario). The 2.4 form is RTCConnection.update_audio_scenario."""
        return _core.user_set_audio_scenario(self._handle("set_audio_scenario"), scenario_type)

    def set_audio_encoder_configuration(self, config: AudioEncoderConfiguration) -> int:
        """The audio encoder profile (AudioEncoderConfiguration.audioProfile, an AudioProfileType);
        the loopback engine carries PCM uncompressed, so only the value's range is checked there."""
        from .publish import AudioEncoderConfiguration, AudioProfileType
        if not isinstance(config, AudioEncoderConfiguration):
            raise TypeError(f"config must be an AudioEncoderConfiguration, not {type(config).__name__}")
        if config.audioProfile not in set(AudioProfileType):
            raise ValueError(f"audioProfile must be an AudioProfileType ({', '.join(p.name for p in AudioProfileType)}), "
                             f"not {config.audioProfile!r}")
        return _core.user_set_audio_encoder_config(self._handle("set_audio_encoder_configuration"),
                                                   config.audioProfile)

    def get_local_audio_statistics(self) -> LocalAudioDetailedStats:
        """What this user's audio sender did since the connection was made (a LocalAudioDetailedStats:
        bytes and packets sent, the last frame's level, input energy and duration)."""
        from .stats import LocalAudioDetailedStats
        return LocalAudioDetailedStats._from(_core.user_local_audio_stats(self._handle("get_local_audio_statistics")))

    def get_remote_audio_track(self, uid: str | int) -> RemoteAudioTrack | None:
        """The RemoteAudioTrack of *uid* this user was given in on_user_audio_track_subscribed
        (it needs a local user observer, as in the official SDK), or None."""
        from .audio import RemoteAudioTrack
        self._handle("get_remote_audio_track")  # raises once released
        uid = str(uid)
        found = [t for t in self._remote_tracks.values() if isinstance(t, RemoteAudioTrack) and t.user_id == uid]
        return found[-1] if found else None

    def subscribe_audio(self, user_id: str | int) -> int:
        return _core.user_subscribe_audio(self._handle("subscribe_audio"), str(user_id), True)

    def unsubscribe_audio(self, user_id: str | int) -> int:
        return _core.user_subscribe_audio(self._handle("unsubscribe_audio"), str(user_id), False)

    def subscribe_all_audio(self) -> int:
        return _core.user_subscribe_all_audio(self._handle("subscribe_all_audio"), True)

    def unsubscribe_all_audio(self) -> int:
        return _core.user_subscribe_all_audio(self._handle("unsubscribe_all_audio"), False)

    # -- frame formats -----------------------------------------------------------
    def adjust_playback_signal_volume(self, volume: int) -> int:
        """Scale the mixed playback signal (on_playback_audio_frame): 0 to 400, 100 = as received."""
        volume = need_int(volume, "volume")
        if not 0 <= volume <= 400:
            raise ValueError(f"volume must be in [0, 400], not {volume}")
        return _core.user_adjust_playback_signal_volume(self._handle("adjust_playback_signal_volume"), volume)

    def get_playback_signal_volume(self) -> int:
        return _core.user_get_playback_signal_volume(self._handle("get_playback_signal_volume"))

    def set_audio_volume_indication_parameters(self, interval_in_ms: int, smooth: int = 3,
                                               report_vad: bool | int = False) -> int:
        """Report speakers' volumes every *interval_in_ms* (>= 10; <= 0 turns
        it off) to on_audio_volume_indication; *smooth* 0-10 (Agora's
        recommended 3); *report_vad* fills each speaker's vad flag."""
        interval_in_ms, smooth = need_int(interval_in_ms, "interval_in_ms"), need_int(smooth, "smooth")
        if interval_in_ms > 0 and interval_in_ms < 10:
            raise ValueError(f"interval_in_ms must be >= 10 (or <= 0 to turn off), not {interval_in_ms}")
        if not 0 <= smooth <= 10:
            raise ValueError(f"smooth must be in [0, 10], not {smooth}")
        return _core.user_set_volume_indication(self._handle("set_audio_volume_indication_parameters"),
                                                interval_in_ms, smooth, bool(report_vad))

    def set_playback_audio_frame_before_mixing_parameters(self, channels: int, sample_rate_hz: int) -> int:
        _check_format("set_playback_audio_frame_before_mixing_parameters", channels, sample_rate_hz)
        return _core.user_set_frame_parameters(self._handle("set_playback_audio_frame_before_mixing_parameters"),
                                               _core.BEFORE_MIXING, channels, sample_rate_hz)

    def set_playback_audio_frame_parameters(self, channels: int, sample_rate_hz: int, mode: int = 0,
                                            samples_per_call: int = 0) -> int:
        _check_format("set_playback_audio_frame_parameters", channels, sample_rate_hz)
        return _core.user_set_frame_parameters(self._handle("set_playback_audio_frame_parameters"),
                                               _core.PLAYBACK, channels, sample_rate_hz, samples_per_call)

    def set_recording_audio_frame_parameters(self, channels: int, sample_rate_hz: int, mode: int = 0,
                                             samples_per_call: int = 0) -> int:
        _check_format("set_recording_audio_frame_parameters", channels, sample_rate_hz)
        return _core.user_set_frame_parameters(self._handle("set_recording_audio_frame_parameters"),
                                               _core.RECORD, channels, sample_rate_hz, samples_per_call)

    def set_mixed_audio_frame_parameters(self, channels: int, sample_rate_hz: int, samples_per_call: int = 0) -> int:
        _check_format("set_mixed_audio_frame_parameters", channels, sample_rate_hz)
        return _core.user_set_frame_parameters(self._handle("set_mixed_audio_frame_parameters"),
                                               _core.MIXED, channels, sample_rate_hz, samples_per_call)

    # -- observers ---------------------------------------------------------------
    def register_audio_frame_observer(self, observer: IAudioFrameObserver, dispatcher: DispatcherLike | None = None,
                                      *older_form: object, vad: AudioVadConfigV2 | None = None,
                                      six_args: bool = False) -> int:
        """Receive audio frames (an IAudioFrameObserver); replaces any earlier one.

        With ``dispatcher=None`` callbacks run on the engine thread and frames
        are views valid during the callback. With a dispatcher
        (``service.dispatcher`` or an asyncio one) each frame is copied once
        on the engine thread and the callback runs on the dispatcher's thread
        with a frame it owns.
        """
        from .observers import IAudioFrameObserver, _need_observer
        _need_observer(observer, IAudioFrameObserver, "register_audio_frame_observer")
        if isinstance(dispatcher, int) or older_form:  # (observer, enable_vad, vad_configure): the SDK's older form
            raise TypeError("LocalUser.register_audio_frame_observer(observer, dispatcher=None): the second argument "
                            "is a dispatcher; for (observer, enable_vad, vad_configure) call "
                            "RTCConnection.register_audio_frame_observer")
        from .connection import _queue_of
        target = _core.AudioTarget(self, observer, vad._native_args() if vad is not None else None, six_args,
                                   IAudioFrameObserver)
        _core.user_register_audio_frame_observer(self._handle("register_audio_frame_observer"), target,
                                                 _queue_of(dispatcher))
        self._audio_target = target
        self._audio_observer = observer
        return 0

    def unregister_audio_frame_observer(self) -> int:
        """Stop audio frames; no frame callback runs after this returns."""
        _core.user_unregister_audio_frame_observer(self._handle("unregister_audio_frame_observer"))
        self._audio_observer = None
        return 0

    def register_local_user_observer(self, observer: IRTCLocalUserObserver) -> int:
        self._handle("register_local_user_observer")
        from .observers import IRTCLocalUserObserver, _need_observer
        _need_observer(observer, IRTCLocalUserObserver, "register_local_user_observer")
        if observer not in self._observers:
            self._observers = self._observers + [observer]
        return 0

    def unregister_local_user_observer(self, observer: IRTCLocalUserObserver | None = None) -> int:
        self._observers = [o for o in self._observers if observer is not None and o is not observer]
        return 0

    def _detach(self) -> None:
        """Called by the connection's release: stop every callback first."""
        h = self._h
        if not h:
            return
        if self._audio_observer is not None:
            _core.user_unregister_audio_frame_observer(h)
        for (observer, encoded), oh in list(self._video_observers.items()):
            _core.user_unregister_video_observer(h, oh, encoded)
        self._video_observers.clear()
        if self._encoded_audio_observer is not None:
            _core.user_unregister_audio_encoded_observer(h)
            self._encoded_audio_observer = None
        _core.user_unregister_observer(h)
        _core.forget_user(h)
        self._h = 0
        self._audio_observer = None
        self._observers = []
        self._tracks.clear()
        self._published.clear()

    # -- engine events -------------------------------------------------------------
    def _track(self, handle: int) -> LocalAudioTrack | LocalVideoTrack | int:
        return self._tracks.get(handle, handle)

    # An audio event's handle names an audio track, a video event's a video track.
    def _audio_track(self, handle: int) -> LocalAudioTrack | int:
        return cast("LocalAudioTrack | int", self._track(handle))

    def _video_track(self, handle: int) -> LocalVideoTrack | int:
        return cast("LocalVideoTrack | int", self._track(handle))

    def _on_audio_track_publish_success(self, track_handle: int) -> None:
        for o in self._observers:
            o.on_audio_track_publish_success(self, self._audio_track(track_handle))

    def _on_audio_track_unpublished(self, track_handle: int) -> None:
        for o in self._observers:
            o.on_audio_track_unpublished(self, self._audio_track(track_handle))

    def _on_audio_volume_indication(self, speakers: list[AudioVolumeInfo], speaker_number: int,
                                    total_volume: int) -> None:
        for o in self._observers:
            o.on_audio_volume_indication(self, speakers, speaker_number, total_volume)

    # A handle names one kind of remote track, so each getter finds its own kind.
    def _remote_track(self, user_id: str, handle: int) -> RemoteAudioTrack:
        track = self._remote_tracks.get(handle)
        if track is None:
            from .audio import RemoteAudioTrack
            track = self._remote_tracks[handle] = RemoteAudioTrack(self._connection, handle, user_id)
        return cast("RemoteAudioTrack", track)

    def _on_user_audio_track_subscribed(self, user_id: str, handle: int) -> None:
        track = self._remote_track(user_id, handle)
        for o in self._observers:
            o.on_user_audio_track_subscribed(self, user_id, track)

    def _on_user_audio_track_state_changed(self, user_id: str, handle: int, state: int, reason: int,
                                           elapsed: int) -> None:
        track = self._remote_track(user_id, handle)
        for o in self._observers:
            o.on_user_audio_track_state_changed(self, user_id, track, state, reason, elapsed)

    def _on_first_remote_audio_frame(self, user_id: str, elapsed: int) -> None:
        for o in self._observers:
            o.on_first_remote_audio_frame(self, user_id, elapsed)

    def _on_first_remote_audio_decoded(self, user_id: str, elapsed: int) -> None:
        for o in self._observers:
            o.on_first_remote_audio_decoded(self, user_id, elapsed)

    def _remote_video(self, user_id: str, handle: int) -> RemoteVideoTrack:
        track = self._remote_tracks.get(handle)
        if track is None:
            from .video import RemoteVideoTrack
            track = self._remote_tracks[handle] = RemoteVideoTrack(self._connection, handle, user_id)
        return cast("RemoteVideoTrack", track)

    def _on_video_track_publish_success(self, track_handle: int) -> None:
        for o in self._observers:
            o.on_video_track_publish_success(self, self._video_track(track_handle))

    def _on_intra_request_received(self) -> None:
        for o in self._observers:
            o.on_intra_request_received(self)

    def _on_video_track_unpublished(self, track_handle: int) -> None:
        for o in self._observers:
            o.on_video_track_unpublished(self, self._video_track(track_handle))

    def _on_user_video_track_subscribed(self, user_id: str, handle: int, fields: _TrackInfoFields | None) -> None:
        track = self._remote_video(user_id, handle)
        from .video import VideoTrackInfo
        info = VideoTrackInfo(*fields) if fields is not None else None
        for o in self._observers:
            o.on_user_video_track_subscribed(self, user_id, info, track)

    def _on_user_video_track_state_changed(self, user_id: str, handle: int, state: int, reason: int,
                                           elapsed: int) -> None:
        track = self._remote_video(user_id, handle)
        for o in self._observers:
            o.on_user_video_track_state_changed(self, user_id, track, state, reason, elapsed)

    def _on_first_remote_video_frame(self, user_id: str, width: int, height: int, elapsed: int) -> None:
        for o in self._observers:
            o.on_first_remote_video_frame(self, user_id, width, height, elapsed)

    def _on_first_remote_video_decoded(self, user_id: str, width: int, height: int, elapsed: int) -> None:
        for o in self._observers:
            o.on_first_remote_video_decoded(self, user_id, width, height, elapsed)

    def _on_audio_publish_state_changed(self, channel: str, old_state: int, new_state: int, elapsed: int) -> None:
        for o in self._observers:
            o.on_audio_publish_state_changed(self, channel, old_state, new_state, elapsed)

    def _on_video_publish_state_changed(self, channel: str, old_state: int, new_state: int, elapsed: int) -> None:
        for o in self._observers:
            o.on_video_publish_state_changed(self, channel, old_state, new_state, elapsed)

    def _on_audio_subscribe_state_changed(self, channel: str, user_id: str, old_state: int, new_state: int,
                                          elapsed: int) -> None:
        for o in self._observers:
            o.on_audio_subscribe_state_changed(self, channel, user_id, old_state, new_state, elapsed)

    def _on_video_subscribe_state_changed(self, channel: str, user_id: str, old_state: int, new_state: int,
                                          elapsed: int) -> None:
        for o in self._observers:
            o.on_video_subscribe_state_changed(self, channel, user_id, old_state, new_state, elapsed)

    def _on_local_audio_track_state_changed(self, track_handle: int, state: int, error: int) -> None:
        for o in self._observers:
            o.on_local_audio_track_state_changed(self, self._audio_track(track_handle), state, error)

    def _on_local_video_track_state_changed(self, track_handle: int, state: int, error: int) -> None:
        for o in self._observers:
            o.on_local_video_track_state_changed(self, self._video_track(track_handle), state, error)

    def _on_audio_track_publish_start(self, track_handle: int) -> None:
        for o in self._observers:
            o.on_audio_track_publish_start(self, self._audio_track(track_handle))

    def _on_video_track_publish_start(self, track_handle: int) -> None:
        for o in self._observers:
            o.on_video_track_publish_start(self, self._video_track(track_handle))

    def _on_user_info_updated(self, user_id: str, msg: int, val: int) -> None:
        for o in self._observers:
            o.on_user_info_updated(self, user_id, msg, val)

    def _on_user_state_changed(self, user_id: str, state: int) -> None:
        for o in self._observers:
            o.on_user_state_changed(self, user_id, state)

    def _on_video_size_changed(self, user_id: str, width: int, height: int, rotation: int) -> None:
        for o in self._observers:
            o.on_video_size_changed(self, user_id, width, height, rotation)

    def _on_first_remote_video_frame_rendered(self, user_id: str, width: int, height: int, elapsed: int) -> None:
        for o in self._observers:
            o.on_first_remote_video_frame_rendered(self, user_id, width, height, elapsed)

    def _on_remote_video_stream_info_updated(self, uid: int, stream_type: int, current_downscale_level: int,
                                             total_downscale_level_counts: int) -> None:
        from .video import RemoteVideoStreamInfo
        info = RemoteVideoStreamInfo(uid=uid, stream_type=stream_type, current_downscale_level=current_downscale_level,
                                     total_downscale_level_counts=total_downscale_level_counts)
        for o in self._observers:
            o.on_remote_video_stream_info_updated(self, info)

    def _on_track_statistics(self, which: int, handle: int, values: Mapping[str, float]) -> None:
        # every 2 s with on_transport_stats: which = 0 local audio, 1 remote audio, 2 local video, 3 remote video
        from .stats import LocalAudioTrackStats, LocalVideoTrackStats, RemoteAudioTrackStats, RemoteVideoTrackStats
        if which == 0:
            local_audio = LocalAudioTrackStats._from(values)
            for o in self._observers:
                o.on_local_audio_track_statistics(self, local_audio)
        elif which == 1:
            remote_audio = RemoteAudioTrackStats._from(values)
            audio_track = self._remote_track(str(remote_audio.uid), handle)
            for o in self._observers:
                o.on_remote_audio_track_statistics(self, audio_track, remote_audio)
        elif which == 2:
            local_video = LocalVideoTrackStats._from(values)
            video_track = self._video_track(handle)
            for o in self._observers:
                o.on_local_video_track_statistics(self, video_track, local_video)
        else:
            remote_video = RemoteVideoTrackStats._from(values)
            remote_video_track = self._remote_video(str(remote_video.uid), handle)
            for o in self._observers:
                o.on_remote_video_track_statistics(self, remote_video_track, remote_video)

    def _on_stream_message(self, user_id: str, stream_id: int, data: bytes, length: int) -> None:
        for o in self._observers:
            o.on_stream_message(self, user_id, stream_id, data, length)

    def _on_active_speaker(self, user_id: str) -> None:
        for o in self._observers:
            o.on_active_speaker(self, user_id)

    def _on_audio_meta_data_received(self, user_id: str, data: bytes) -> None:
        for o in self._observers:
            o.on_audio_meta_data_received(self, user_id, data)


def _video_options(options: VideoSubscriptionOptions | None) -> tuple[int, bool]:
    """(stream type, encoded only) from VideoSubscriptionOptions or None."""
    if options is None:
        return 0, False
    stream = getattr(options, "type", 0)
    if stream not in (0, 1):
        raise ValueError(f"VideoSubscriptionOptions.type must be 0 (high) or 1 (low), not {stream}")
    return stream, bool(getattr(options, "encodedFrameOnly", getattr(options, "encoded_frame_only", False)))
