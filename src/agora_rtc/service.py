"""AgoraService: the one-per-process entry point that owns every SDK object."""

from __future__ import annotations

import atexit
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, ClassVar

from . import _core
from .engine import load_engine

if TYPE_CHECKING:
    from typing_extensions import Self

    from .audio import AudioPcmDataSender, LocalAudioTrack, MediaNodeFactory, _Owned
    from .audio_encoded import AudioEncodedFrameSender
    from .connection import RTCConnConfig, RTCConnection
    from .dispatch import DispatchThread
    from .parameter import AgoraParameter
    from .publish import RtcConnectionPublishConfig
    from .video import LocalVideoTrack, SenderOptions, VideoEncodedImageSender, VideoFrameSender

__all__ = ["AgoraService", "AgoraServiceConfig"]


class AreaCode(IntEnum):
    """Where Agora's servers may be (AgoraServiceConfig.area_code, a bit mask); the loopback has none."""
    AREA_CODE_CN = 0x00000001
    AREA_CODE_NA = 0x00000002
    AREA_CODE_EU = 0x00000004
    AREA_CODE_AS = 0x00000008
    AREA_CODE_JP = 0x00000010
    AREA_CODE_IN = 0x00000020
    AREA_CODE_GLOB = 0xFFFFFFFF


@dataclass
class AgoraServiceConfig:
    """Service configuration (official field names)."""

    appid: str = ""
    enable_audio_processor: int = 1
    enable_audio_device: int = 0
    enable_video: int = 0
    area_code: int = AreaCode.AREA_CODE_GLOB
    channel_profile: int = 1
    audio_scenario: int = 9  # AUDIO_SCENARIO_AI_SERVER, the official default
    use_string_uid: int = 0
    log_path: str = ""  # the log file from initialize() on (see AgoraService.set_log_file)
    log_size: int = 0
    log_level: int = 0
    # accepted for the official API; the loopback engine has no use for them (except log_file_size_kb:
    # where the log file of log_path starts over)
    context: object = None
    domain_limit: int = 0
    should_callbck_when_muted: int = 0  # (sic: the official spelling)
    log_file_size_kb: int = 5 * 1024
    data_dir: str = ""
    config_dir: str = ""
    enable_apm: bool = False
    apm_config: object = None


def _check_log_path(path: str | os.PathLike[str], what: str) -> str:
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or os.path.isdir(path):
        raise ValueError(f"{what} must be a file in an existing folder, not {path!r}")
    return path


@dataclass(kw_only=True)
class CapabilityItem:
    """One capability of the SDK (official type; the loopback reports none)."""

    id: int
    name: str


@dataclass(kw_only=True)
class CapabilityItemMap:
    item: list[CapabilityItem] = field(default_factory=list)
    size: int = 0


@dataclass(kw_only=True)
class Capabilities:
    item_map: CapabilityItemMap | None = None
    capability_type: int = 0


CHORUS = 7                # AudioScenarioType.AUDIO_SCENARIO_CHORUS
CHORUS_SEND_DELAY_MS = 10


class AgoraService:
    """The service. One may be initialized per process at a time.

    ``AgoraService(sdk_path=None)`` loads the engine: *sdk_path*, else
    ``$AGORA_RTC_SDK``, else the bundled loopback engine. ``release()`` frees
    everything still open, is idempotent, and runs at interpreter exit.
    Usable as a context manager.
    """

    _initialized_instance: ClassVar[AgoraService | None] = None
    _class_lock = threading.Lock()
    config: AgoraServiceConfig  # set by initialize()

    def __init__(self, sdk_path: str | os.PathLike[str] | None = None) -> None:
        self.engine_path = load_engine(sdk_path)
        self._h = _core.service_create()
        self._initialized = False
        self._children: dict[int, _Owned] = {}  # id -> object, in creation order
        self._lock = threading.RLock()
        self._release_lock = threading.Lock()  # one release() at a time; the children go without self._lock
        self._dispatch_thread: DispatchThread | None = None

    # -- lifecycle ---------------------------------------------------------
    def initialize(self, config: AgoraServiceConfig) -> int:
        if not isinstance(config, AgoraServiceConfig):
            raise TypeError(f"initialize() takes an AgoraServiceConfig, not {type(config).__name__}")
        if config.audio_scenario not in range(0, 11):
            raise ValueError(f"AgoraServiceConfig.audio_scenario must be an AudioScenarioType (0..10), "
                             f"not {config.audio_scenario!r}")
        if config.log_path:
            _check_log_path(config.log_path, "AgoraServiceConfig.log_path")
        if not config.appid:
            raise ValueError("AgoraServiceConfig.appid is empty: set your Agora App ID (any non-empty string on the loopback engine)")
        with AgoraService._class_lock:
            if self._h == 0:
                raise ValueError("AgoraService was released; create a new one")
            if self._initialized:
                raise RuntimeError("this AgoraService is already initialized")
            other = AgoraService._initialized_instance
            if other is not None:
                raise RuntimeError("another AgoraService is initialized in this process; release it first (one service per process)")
            rc = _core.service_initialize(
                self._h, app_id=config.appid, enable_audio_processor=config.enable_audio_processor,
                enable_audio_device=config.enable_audio_device, enable_video=config.enable_video,
                area_code=config.area_code, channel_profile=config.channel_profile,
                audio_scenario=config.audio_scenario, use_string_uid=config.use_string_uid,
                log_level=config.log_level, log_path=config.log_path, log_file_size_kb=config.log_file_size_kb)
            self._initialized = True
            self.config = config
            AgoraService._initialized_instance = self
        # As the official initialize(): audio labels (rms, voice_prob, pitch) on every received
        # frame, which AudioVadV2 in an audio frame callback relies on. {"che.audio.label.enable":
        # false} turns them off (one voice detector pass per publishing user and 10 ms tick).
        self.set_parameters({"che.audio.label.enable": True})
        atexit.register(self._release_at_exit)
        return rc

    def set_log_file(self, log_path: str | os.PathLike[str], log_size: int = 512 * 1024) -> int:
        """Write the SDK's log to *log_path* (appending), starting over in a new file
        past *log_size* bytes (the full one is kept as ``<log_path>.1``). The loopback
        engine logs connects, disconnects and every state event its observers get.
        ``AgoraServiceConfig.log_path`` does the same from initialize() (size in
        ``log_file_size_kb``). Raises AgoraError if the file cannot be opened."""
        if not isinstance(log_size, int) or log_size < 0:
            raise ValueError(f"log_size must be a number of bytes >= 0, not {log_size!r}")
        handle = self._need_initialized("set_log_file")
        return _core.service_set_log_file(handle, _check_log_path(log_path, "log_path"), min(log_size, 2**32 - 1))

    def _need_initialized(self, what: str) -> int:
        if self._h == 0:
            raise ValueError(f"AgoraService.{what}(): the service was released")
        if not self._initialized:
            raise RuntimeError(f"AgoraService.{what}(): call initialize() first")
        return self._h

    def set_parameters(self, params: str | Mapping[str, object]) -> int:
        """Set engine parameters from a JSON string or a dict, e.g.
        ``{"loopback.clock_speed": 10}`` (the test clock: 10x real time)."""
        text = params if isinstance(params, str) else json.dumps(params)
        return _core.service_set_parameters(self._need_initialized("set_parameters"), text)

    def get_agora_parameter(self) -> AgoraParameter:
        """The engine-wide AgoraParameter (official name)."""
        from .parameter import AgoraParameter
        self._need_initialized("get_agora_parameter")
        return AgoraParameter(self, lambda: self._need_initialized("get_agora_parameter"), False)

    def get_parameter_number(self, key: str) -> float:
        """Read a numeric engine parameter, e.g. ``"loopback.objects.tracks"``
        (live engine objects: connections, tracks, senders, factories)."""
        return _core.service_get_number(self._need_initialized("get_parameter_number"), key)

    def engine_objects(self) -> dict[str, int]:
        """Counts of live engine objects: a leak check for pools and churn."""
        return {kind: int(self.get_parameter_number(f"loopback.objects.{kind}"))
                for kind in ("connections", "tracks", "senders", "factories", "video_tracks", "video_senders",
                             "video_observers", "audio_sinks")}

    @property
    def dispatcher(self) -> DispatchThread:
        """The service's dispatch thread (created on first use): pass it as
        ``dispatcher=`` to run callbacks off the engine thread."""
        with self._lock:
            if self._dispatch_thread is None:
                self._need_initialized("dispatcher")
                from .dispatch import DispatchThread
                self._dispatch_thread = DispatchThread()
            return self._dispatch_thread

    def release(self) -> int:
        """Release every object still open, then the service. Idempotent. Not from inside a
        direct callback: releasing stops the engine thread that callback runs on."""
        if _core.on_engine_thread() and self._h != 0:  # refused before anything is released
            raise RuntimeError("AgoraService.release() cannot run inside a direct callback: it stops and joins "
                               "the engine thread the callback runs on. Release from another thread, or have "
                               "the callbacks dispatched: conn.set_event_dispatcher(service.dispatcher) for "
                               "connection and user events, dispatcher=service.dispatcher for frame observers")
        with self._release_lock:  # a second release() (another thread, interpreter exit) waits for the first
            with self._lock:
                if self._h == 0:
                    return 0
            h, dispatch_thread = self._release_children()
            _core.service_release(h)
            if dispatch_thread is not None:
                dispatch_thread.close()
            with AgoraService._class_lock:
                if AgoraService._initialized_instance is self:
                    AgoraService._initialized_instance = None
            self._initialized = False
        atexit.unregister(self._release_at_exit)
        return 0

    def _release_children(self) -> tuple[int, DispatchThread | None]:
        # Without the lock: a child's release waits for running callbacks, and a callback releasing or
        # making an object takes the lock (holding it here deadlocked both). Rounds until none is left;
        # the handle is taken in the same locked check, so nothing made later goes unreleased.
        done: dict[int, object] = {}  # id -> child, kept alive: a new child must not reuse a released one's id
        while True:
            with self._lock:
                children = [child for key, child in self._children.items() if key not in done]
                if not children:
                    h, self._h = self._h, 0
                    dispatch_thread, self._dispatch_thread = self._dispatch_thread, None
                    return h, dispatch_thread
            for child in reversed(children):
                done[id(child)] = child
                child.release()

    def _release_at_exit(self) -> None:
        # Runs before interpreter finalization: stop callbacks entering Python,
        # then free everything (the engine thread is joined inside).
        try:
            self.release()
        finally:
            _core.shutdown_callbacks()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    # -- ownership of children -------------------------------------------------
    def _adopt(self, child: _Owned) -> None:
        with self._lock:
            self._children[id(child)] = child

    def _disown(self, child: _Owned) -> None:
        with self._lock:
            self._children.pop(id(child), None)

    # -- factories ---------------------------------------------------------------
    def create_media_node_factory(self) -> MediaNodeFactory:
        from .audio import MediaNodeFactory
        return MediaNodeFactory(self, _core.factory_create(self._need_initialized("create_media_node_factory")))

    def create_rtc_connection(self, con_config: RTCConnConfig | None = None,
                              publish_config: RtcConnectionPublishConfig | None = None) -> RTCConnection:
        """A connection (2.1 style), or with an RtcConnectionPublishConfig one
        that owns its sender and track (2.4 style: publish_audio(),
        push_audio_pcm_data(), interrupt_audio())."""
        from .connection import RTCConnConfig, RTCConnection
        conn = RTCConnection(self, con_config if con_config is not None else RTCConnConfig(), publish_config)
        if publish_config is None:  # the service's scenario is the connection's (2.4: the publish config's)
            _core.user_set_audio_scenario(conn.get_local_user()._handle("create_rtc_connection"),
                                          self.config.audio_scenario)
        return conn

    def create_custom_audio_track_pcm(self, audio_pcm_data_sender: AudioPcmDataSender) -> LocalAudioTrack:
        from .audio import AudioPcmDataSender, LocalAudioTrack
        if not isinstance(audio_pcm_data_sender, AudioPcmDataSender):
            raise TypeError("create_custom_audio_track_pcm() takes an AudioPcmDataSender")
        if audio_pcm_data_sender.released:
            raise ValueError("create_custom_audio_track_pcm(): the AudioPcmDataSender was released")
        h = _core.service_create_pcm_track(self._need_initialized("create_custom_audio_track_pcm"),
                                           audio_pcm_data_sender.handle)
        track = LocalAudioTrack(self, h)
        audio_pcm_data_sender._track = track  # the newest track takes the sender's audio (as in the engine)
        if int(self.config.audio_scenario) == CHORUS:
            track.set_send_delay_ms(CHORUS_SEND_DELAY_MS)  # official 2.1.5: set up for chorus automatically
        return track

    def create_custom_audio_track_encoded(self, audio_encoded_frame_sender: AudioEncodedFrameSender,
                                          mix_mode: int = 1) -> LocalAudioTrack:
        """A track fed by an AudioEncodedFrameSender; *mix_mode* 0 (MIX_ENABLED) or 1 (MIX_DISABLED)."""
        from .audio import LocalAudioTrack
        from .audio_encoded import AudioEncodedFrameSender
        if not isinstance(audio_encoded_frame_sender, AudioEncodedFrameSender):
            raise TypeError("create_custom_audio_track_encoded() takes an AudioEncodedFrameSender")
        if mix_mode not in (0, 1):
            raise ValueError(f"mix_mode must be 0 (MIX_ENABLED) or 1 (MIX_DISABLED), not {mix_mode!r}")
        h = _core.service_create_encoded_audio_track(self._need_initialized("create_custom_audio_track_encoded"),
                                                     audio_encoded_frame_sender._handle(), mix_mode)
        return LocalAudioTrack(self, h)

    def create_custom_video_track_frame(self, video_frame_sender: VideoFrameSender) -> LocalVideoTrack:
        from .video import LocalVideoTrack, VideoFrameSender
        if not isinstance(video_frame_sender, VideoFrameSender):
            raise TypeError("create_custom_video_track_frame() takes a VideoFrameSender")
        if video_frame_sender.released:
            raise ValueError("create_custom_video_track_frame(): the VideoFrameSender was released")
        h = _core.service_create_video_track(self._need_initialized("create_custom_video_track_frame"),
                                             video_frame_sender.handle, False)
        return LocalVideoTrack(self, h)

    def create_custom_video_track_encoded(self, video_encoded_frame_sender: VideoEncodedImageSender,
                                          options: SenderOptions | None = None) -> LocalVideoTrack:
        from .video import LocalVideoTrack, SenderOptions, VideoEncodedImageSender
        if not isinstance(video_encoded_frame_sender, VideoEncodedImageSender):
            raise TypeError("create_custom_video_track_encoded() takes a VideoEncodedImageSender")
        if video_encoded_frame_sender.released:
            raise ValueError("create_custom_video_track_encoded(): the VideoEncodedImageSender was released")
        options = options if options is not None else SenderOptions()
        h = _core.service_create_video_track(self._need_initialized("create_custom_video_track_encoded"),
                                             video_encoded_frame_sender.handle, True, options.cc_mode,
                                             options.codec_type, options.target_bitrate)
        return LocalVideoTrack(self, h)
