"""ExternalAudioProcessor: audio that does not come from a channel (a phone
line, a file, a microphone elsewhere) through the SDK's audio pipeline and
VAD, without joining anything (official 2.4.1 API).

Push PCM in; the engine plays it on its 10 ms clock through the track's audio
processing filter into an audio sink at the rate and channels you ask for, with
the audio labels (rms, voice_prob, pitch) computed on what comes out; a native
AudioVadV2 turns that into speech states; your IAudioSinkObserver gets
``on_processed_audio_frame(processor, frame, vad_state, vad_bytes)`` per frame,
on the engine thread (the frame is valid during the call: copy what you keep).

Of the APM stages (APMConfig), the loopback engine runs automatic gain control
(``agc_config.enabled``); noise suppression, echo cancellation and background
voice suppression are Agora's models and pass audio through unchanged there.
On Agora's library all of them run.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from . import _core
from .audio import AudioPcmDataSender, LocalAudioTrack
from .vad import AudioVadConfigV2, AudioVadV2

if TYPE_CHECKING:
    from ._core import AudioFrame
    from .service import AgoraService

__all__ = ["AgcConfig", "AiAecConfig", "AiNsConfig", "APMConfig", "BghvsCConfig", "ExternalAudioProcessor",
           "IAudioSinkObserver"]

APM_FILTER = "audio_processing_pcm_source"
_LOCAL_TRACK_POSITION = 3          # Agora's filter position for a local track's PCM source
_SINK_RATES = (8000, 16000, 24000, 32000, 44100, 48000)
_MAX_BUFFERED_FRAMES = 100000      # as the official processor: a whole file may be pushed at once


@dataclass(kw_only=True)
class AiNsConfig:
    """Noise suppression (classic and AI)."""
    ns_enabled: bool = True
    ai_ns_enabled: bool = True
    ai_ns_model_pref: int = 10
    nsng_alg_route: int = 12
    nsng_predef_agg: int = 11


@dataclass(kw_only=True)
class AiAecConfig:
    """Echo cancellation."""
    enabled: bool = False
    split_srate_for_48k: int = 16000


@dataclass(kw_only=True)
class BghvsCConfig:
    """Background human voice suppression (field names as Agora's APM spells them)."""
    enabled: bool = True
    frmSz: int = 160
    smplFrq: int = 16000
    inBuildVadOpen: int = 1
    mainPoolFN: int = 1000
    farPoolFN: int = 6000
    mainTimeOutFN: int = 30000
    farTimeOutFN: int = 60000
    sosPersistentLen: int = 160
    postPaddingLenOfEOS: int = 480
    unVoiceLenOfTriggerEOS: int = 480
    bvcSOSLen: int = 160
    bvcPostEOSLen: int = 480
    bvcEOSLen: int = 480
    vobvcDelay: int = 12
    bvcVoMthOpen: int = 1
    bvcSpecMtOpen: int = 0
    logLv: int = 0
    voiceProbThr: float = 0.5
    vadVolumeThr: int = 60
    bvcBabbleVolumeThr: int = 60
    powScale: float = 0.2
    powRatio: float = 0.1
    bvcSppGain: float = 0
    bvcEnvTailDownFN: int = 0
    bvcEnvMaxSpeed: int = 5
    envTrackMode: int = 1
    bvcDownRatio: float = 0.95
    bvcDownDB: float = -20
    bvcFarEnvThr: float = 0.0
    bvcMainEnvRatio: float = 0.8
    bvcFarEnvRatio: float = 0.8
    bvcMainVadThr: float = 0.5
    bvcFarVadThr: float = 0.4
    bvcEnvResultSmoothRatio: float = 0.97
    bvcEnvResultSmoothRatio1: float = 0.98
    bvcMainSpkSmoothRatio: float = 0.99
    quickSelectInterval: int = 1


@dataclass(kw_only=True)
class AgcConfig:
    """Automatic gain control (toward -18 dBFS on the loopback engine)."""
    enabled: bool = False


@dataclass(kw_only=True)
class APMConfig:
    """The audio processing module's configuration, sent to the filter as JSON."""
    ai_ns_config: AiNsConfig = field(default_factory=AiNsConfig)
    ai_aec_config: AiAecConfig = field(default_factory=AiAecConfig)
    bghvs_c_config: BghvsCConfig = field(default_factory=BghvsCConfig)
    agc_config: AgcConfig = field(default_factory=AgcConfig)
    enable_dump: bool = False

    def to_json(self) -> str:
        """The filter's ``apm_config`` property (Agora's key layout)."""
        ns = self.ai_ns_config
        return json.dumps({
            "aec": asdict(self.ai_aec_config),
            "bghvs": asdict(self.bghvs_c_config),
            "agc": asdict(self.agc_config),
            "ans": {"enabled": ns.ns_enabled},
            "sf_st_cfg": {"enabled": ns.ai_ns_enabled, "ainsModelPref": ns.ai_ns_model_pref},
            "sf_ext_cfg": {"nsngAlgRoute": ns.nsng_alg_route, "nsngPredefAgg": ns.nsng_predef_agg},
        }, separators=(",", ":"))

    _to_json_string = to_json  # the official private name, kept for code that calls it


class IAudioSinkObserver:
    """Receives an ExternalAudioProcessor's output."""

    def on_processed_audio_frame(self, processor: ExternalAudioProcessor, frame: AudioFrame, vad_result_state: int,
                                 vad_result_data: Optional[bytearray]) -> None:
        """One processed 10 ms frame (labels set) and, when a VAD config was given, its
        AudioVadV2 result: (state, bytes) as ``AudioVadV2.process`` returns them; else (0, None)."""


class ExternalAudioProcessor:
    """Processes pushed PCM through the engine's audio pipeline (official name and methods)."""

    def __init__(self, engine: AgoraService) -> None:
        self._service = engine
        self._lock = threading.Lock()
        self._factory = engine.create_media_node_factory()
        self._sender: AudioPcmDataSender = self._factory.create_audio_pcm_data_sender()
        self._track: LocalAudioTrack = engine.create_custom_audio_track_pcm(self._sender)
        self._sink = 0
        self._vad: Optional[AudioVadV2] = None
        self._observer: Optional[IAudioSinkObserver] = None
        self._released = False
        self.frames_processed = 0
        engine._adopt(self)

    @property
    def is_initialized(self) -> bool:
        return self._sink != 0

    def initialize(self, apm_config: Optional[APMConfig], out_sample_rate: int, out_channels: int,
                   vad_config: Optional[AudioVadConfigV2], observer: IAudioSinkObserver) -> int:
        """Start processing: frames come out at *out_sample_rate*/*out_channels* to
        *observer*. Either config may be None, not both. Returns 0 (a second call
        does nothing, as in the official SDK); raises ValueError/TypeError on bad input."""
        self._need_live("initialize")
        if self._sink:
            return 0
        if apm_config is None and vad_config is None:
            raise ValueError("initialize(): give an APMConfig, an AudioVadConfigV2 or both (both are None)")
        if apm_config is not None and not isinstance(apm_config, APMConfig):
            raise TypeError(f"apm_config must be an APMConfig or None, not {type(apm_config).__name__}")
        if vad_config is not None and not isinstance(vad_config, AudioVadConfigV2):
            raise TypeError(f"vad_config must be an AudioVadConfigV2 or None, not {type(vad_config).__name__}")
        if out_sample_rate not in _SINK_RATES:
            raise ValueError(f"out_sample_rate must be one of {_SINK_RATES}, not {out_sample_rate!r}")
        if out_channels not in (1, 2):
            raise ValueError(f"out_channels must be 1 or 2, not {out_channels!r}")
        if observer is None or not callable(getattr(observer, "on_processed_audio_frame", None)):
            raise TypeError("observer must have on_processed_audio_frame(processor, frame, state, data)")
        track = self._track._handle()
        if apm_config is not None:
            _core.track_enable_audio_filter(track, APM_FILTER, True, _LOCAL_TRACK_POSITION)
            _core.track_set_filter_property(track, APM_FILTER, "apm_load_resource", "ains", _LOCAL_TRACK_POSITION)
            _core.track_set_filter_property(track, APM_FILTER, "apm_config", apm_config.to_json(),
                                            _LOCAL_TRACK_POSITION)
            if apm_config.enable_dump:
                _core.track_set_filter_property(track, APM_FILTER, "apm_dump", "true", _LOCAL_TRACK_POSITION)
        self._vad = AudioVadV2(vad_config) if vad_config is not None else None
        self._observer = observer
        self._track.set_send_delay_ms(10)
        self._track.set_max_buffer_audio_frame_number(_MAX_BUFFERED_FRAMES)
        self._track.set_enabled(True)
        self._sink = _core.audio_sink_add(track, out_sample_rate, out_channels, self)
        return 0

    def push_audio_pcm_data(self, data: Any, sample_rate: int, channels: int, start_pts: int = 0) -> int:
        """Queue 16-bit interleaved PCM (any buffer: bytes, bytearray, numpy int16) of
        whole milliseconds; it is processed at real-time pace. Returns 0."""
        self._need_live("push_audio_pcm_data")
        if not self._sink:
            raise RuntimeError("push_audio_pcm_data(): call initialize() first")
        nbytes = memoryview(data).nbytes
        if sample_rate < 1000 or channels not in (1, 2):
            raise ValueError(f"push_audio_pcm_data(): bad format sample_rate={sample_rate!r}, channels={channels!r}")
        samples, odd = divmod(nbytes, 2 * channels)
        if odd or samples * 1000 % sample_rate:  # in samples: 44.1 kHz has 44.1 per ms
            raise ValueError(f"push_audio_pcm_data(): {nbytes} bytes is not whole milliseconds of "
                             f"{sample_rate} Hz x {channels} channel(s) 16-bit PCM ({sample_rate * 2 * channels / 1000:g} "
                             f"bytes per ms)")
        self._sender.send(data, nbytes // (2 * channels), sample_rate, channels, 2, 0, start_pts)
        return 0

    def _on_audio_sink_data(self, frame: AudioFrame) -> None:
        # The engine thread, one frame per 10 ms.
        state, data = self._vad.process(frame) if self._vad is not None else (0, None)
        self.frames_processed += 1
        observer = self._observer
        if observer is not None:
            observer.on_processed_audio_frame(self, frame, state, data)

    def _need_live(self, what: str) -> None:
        if self._released:
            raise ValueError(f"ExternalAudioProcessor.{what}(): the processor was released")

    def release(self) -> None:
        """Stop processing and free the sink, track and sender. Idempotent."""
        with self._lock:
            if self._released:
                return
            self._released = True
        sink, self._sink = self._sink, 0
        if sink:
            _core.audio_sink_destroy(sink)  # waits for a running callback
        self._observer = None
        self._track.release()
        self._sender.release()
        self._factory.release()
        self._service._disown(self)

    def __enter__(self) -> ExternalAudioProcessor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
