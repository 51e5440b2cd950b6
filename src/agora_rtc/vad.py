"""VAD v2: find where a remote user starts and stops talking, from the labels
the engine puts on every received frame (``rms``, ``voice_prob``; enable them
with ``service.set_parameters({"che.audio.label.enable": True})``).

Official names and decisions (``AudioVadConfigV2``, ``AudioVadV2.process(frame)
-> (state, bytearray)``), computed natively. Each AudioVadV2 copies its config:
one config object may serve many streams (the official one rewrites it).

    vad = AudioVadV2(AudioVadConfigV2())            # or AudioVadConfigV2.low_latency()
    state, pcm = vad.process(frame)                 # in on_playback_audio_frame_before_mixing
    if state == AudioVadV2.START_SPEAKING: ...      # pcm: pre-roll + first words
"""

from __future__ import annotations

import numbers
import os
import struct
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ._vad import NativeVad

if TYPE_CHECKING:
    from typing import TypedDict

    from typing_extensions import Buffer, Self, Unpack

    from ._core import AudioFrame
    from ._vad import _LabelledFrame

    class _VadSettings(TypedDict, total=False):
        """AudioVadConfigV2's arguments, for low_latency(**overrides)."""

        preStartRecognizeCount: int
        startRecognizeCount: int
        stopRecognizeCount: int
        activePercent: float
        inactivePercent: float
        start_voiceprob: int
        stop_voiceporb: int
        rmsThreshold: int


__all__ = ["AudioVadConfigV2", "AudioVadManager", "AudioVadV2", "VadDump", "VadState"]


class VadState:
    NONE, START_SPEAKING, SPEAKING, STOP_SPEAKING = 0, 1, 2, 3


def _is_real(value: object) -> bool:
    """int, float, numpy numbers; not str (a function: isinstance would narrow the caller's type for mypy)."""
    return isinstance(value, numbers.Real)


def _count(name: str, value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
        raise ValueError(f"{name} must be an int in [1, 1000] (10 ms frames), not {value!r}")
    return value


class AudioVadConfigV2:
    """VAD v2 settings (official argument and attribute names).

    Counts are 10 ms frames: ``startRecognizeCount`` active frames in a row
    start an utterance, ``preStartRecognizeCount`` frames before them are
    returned as pre-roll, ``stopRecognizeCount`` inactive frames in a row end
    it. A frame is active when its ``voice_prob`` is 1 or its ``rms`` exceeds
    ``rmsThreshold`` dBFS (-127..0); with ``enable_adaptive_rms_threshold``, after
    the first utterance the threshold becomes ``adaptive_rms_threshold_factor``
    times that utterance's mean rms label. ``activePercent``,
    ``inactivePercent``, ``start_voiceprob`` and ``stop_voiceporb`` are kept for
    compatibility; the official decisions do not use them either.

    ``preroll_from_onset`` (ours, default True): START's pre-roll reaches
    ``preStartRecognizeCount`` frames before where the speech began, so a first
    word followed by a short pause is not lost (the official pre-roll is the
    last pre+start frames). False returns exactly the official bytes. States
    are the official ones either way.

    The adaptive threshold can sit at the noise floor: 0.67 x a mean rms label
    of 100 (-27 dBFS) is 67 (-60 dBFS). Over noise near -60 dBFS, turn
    ``enable_adaptive_rms_threshold`` off or the VAD may never stop.
    """

    def __init__(self, preStartRecognizeCount: int = 16, startRecognizeCount: int = 30, stopRecognizeCount: int = 50,
                 activePercent: float = 0.7, inactivePercent: float = 0.5, start_voiceprob: int = 70,
                 stop_voiceporb: int = 50, rmsThreshold: int = -50) -> None:
        self.pre_start_recognize_count = _count("preStartRecognizeCount", preStartRecognizeCount)
        self.start_recognize_count = _count("startRecognizeCount", startRecognizeCount)
        self.stop_recognize_count = _count("stopRecognizeCount", stopRecognizeCount)
        for name, value in (("activePercent", activePercent), ("inactivePercent", inactivePercent)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], not {value!r}")
        for name, value in (("start_voiceprob", start_voiceprob), ("stop_voiceporb", stop_voiceporb)):
            if not 0 <= value <= 100:
                raise ValueError(f"{name} must be in [0, 100], not {value!r}")
        if not _is_real(rmsThreshold) or not -127 <= rmsThreshold <= 0:
            raise ValueError(f"rmsThreshold must be dBFS in [-127, 0], not {rmsThreshold!r}")
        self.activePercent = activePercent
        self.inactivePercent = inactivePercent
        self.start_voiceprob = start_voiceprob
        self.stop_voiceprob = stop_voiceporb
        self.start_rms = rmsThreshold
        self.stop_rms = rmsThreshold
        self.enable_adaptive_rms_threshold = True
        self.adaptive_rms_threshold_factor = 0.67
        self.preroll_from_onset = True

    def _native_args(self) -> tuple[int, int, int, int, int, float, int]:
        """The settings as the native VAD takes them (validated)."""
        factor = float(self.adaptive_rms_threshold_factor)
        if not 0.0 < factor <= 1.0:
            raise ValueError(f"adaptive_rms_threshold_factor must be in (0, 1], not {factor!r}")
        # checked again: the attributes may have been set after construction
        return (_count("pre_start_recognize_count", self.pre_start_recognize_count),
                _count("start_recognize_count", self.start_recognize_count),
                _count("stop_recognize_count", self.stop_recognize_count), 127 + int(self.start_rms),
                int(bool(self.enable_adaptive_rms_threshold)), factor, int(bool(self.preroll_from_onset)))

    @classmethod
    def low_latency(cls, **overrides: Unpack[_VadSettings]) -> Self:
        """Starts after 100 ms of speech (not 300) and ends after 300 ms of
        silence (not 500): faster turn-taking, more false starts on noise."""
        settings: _VadSettings = dict(preStartRecognizeCount=16, startRecognizeCount=10, stopRecognizeCount=30)
        settings.update(overrides)
        return cls(**settings)

    def __repr__(self) -> str:
        return (f"AudioVadConfigV2(pre={self.pre_start_recognize_count}, start={self.start_recognize_count}, "
                f"stop={self.stop_recognize_count}, rms={self.start_rms} dBFS, "
                f"adaptive={self.enable_adaptive_rms_threshold}:{self.adaptive_rms_threshold_factor})")


class AudioVadV2:
    """VAD v2 over one stream of 10 ms frames of one format."""

    _vad_state_nonspeaking = VadState.NONE
    _vad_state_startspeaking = VadState.START_SPEAKING
    _vad_state_speaking = VadState.SPEAKING
    _vad_state_stopspeaking = VadState.STOP_SPEAKING
    NONE, START_SPEAKING, SPEAKING, STOP_SPEAKING = 0, 1, 2, 3

    def __init__(self, config: AudioVadConfigV2 | None = None) -> None:
        config = config if config is not None else AudioVadConfigV2()
        if not isinstance(config, AudioVadConfigV2):
            raise TypeError(f"config must be an AudioVadConfigV2, not {type(config).__name__}")
        self.config = config
        self._native = NativeVad(*config._native_args())
        # No Python frame between the caller and C: the instance's process is the native one
        # (same arguments and result as the method below, which mypy cannot know).
        self.process = self._native.process  # type: ignore[method-assign]

    def process(self, data: _LabelledFrame) -> tuple[int, bytearray]:
        """One labelled frame in; ``(state, bytearray)`` out: NONE with nothing,
        START_SPEAKING with the pre-roll and the first words, SPEAKING and
        STOP_SPEAKING with this frame's bytes. Raises ValueError when the frame
        size changes (one VAD per stream format)."""
        return self._native.process(data)  # replaced per instance in __init__

    @property
    def speaking(self) -> bool:
        return self._native.speaking

    @property
    def frames_processed(self) -> int:
        return self._native.frames

    @property
    def last_start_ms(self) -> int | None:
        """Where the current/last utterance's speech began, in ms of audio processed (None before the first)."""
        f = self._native.start_frame
        return None if f is None else f * 10

    @property
    def last_stop_ms(self) -> int | None:
        """Where the last utterance's speech ended (ms of audio processed); None while speaking."""
        f = self._native.stop_frame
        return None if f is None else f * 10


class AudioVadManager:
    """One AudioVadV2 per (channel, user), made on that user's first frame, all
    with one configuration (official name; thread-safe). The 2.4
    ``register_audio_frame_observer(observer, enable_vad=1)`` does this natively
    in the delivery path; this class is for frames you route yourself."""

    def __init__(self, configure: AudioVadConfigV2 | None = None) -> None:
        import threading
        configure = configure if configure is not None else AudioVadConfigV2()
        if not isinstance(configure, AudioVadConfigV2):
            raise TypeError(f"configure must be an AudioVadConfigV2, not {type(configure).__name__}")
        self._vad_config = configure
        self._instances: dict[tuple[str, str], AudioVadV2] = {}
        self._lock = threading.Lock()
        self._released = False

    def get_vad_instance(self, channel_id: str, user_id: str) -> AudioVadV2 | None:
        with self._lock:
            return self._instances.get((channel_id, user_id))

    def del_vad_instance(self, channel_id: str, user_id: str) -> None:
        """Forget the user's VAD (when the user leaves); its next frame starts a new one."""
        with self._lock:
            self._instances.pop((channel_id, user_id), None)

    def process(self, channel_id: str, user_id: str, frame: _LabelledFrame) -> tuple[int, bytearray]:
        """AudioVadV2.process on the user's VAD. A user's first frame makes its VAD
        and is processed too (the official returns ``(-1, None)`` for it and drops it)."""
        with self._lock:
            if self._released:
                raise ValueError("AudioVadManager.process(): the manager was released")
            vad = self._instances.get((channel_id, user_id))
            if vad is None:
                vad = self._instances[(channel_id, user_id)] = AudioVadV2(self._vad_config)
        return vad.process(frame)

    def __len__(self) -> int:
        with self._lock:
            return len(self._instances)

    def release(self) -> None:
        """Drop every VAD; process() raises afterwards. Idempotent."""
        with self._lock:
            self._released = True
            self._instances.clear()


class VadDump:
    """Debugging aid (official name): writes into ``path/<YYYYMMDDHHMMSS>/``
    ``source.pcm`` (every frame), ``vad_<n>.pcm`` (each utterance as the VAD
    returned it), ``label.txt`` (one line per frame: counts, state, labels) and
    ``rms.pcm`` / ``pitch.pcm`` / ``voice_prob.pcm`` (labels as PCM, to view
    next to the audio). Not for production: it writes every frame."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        stamp = datetime.now().strftime("%Y%m%d%H%M%S")
        self.folder = Path(path) / stamp
        suffix = 1
        while self.folder.exists():
            self.folder = Path(path) / f"{stamp}-{suffix}"
            suffix += 1
        self.folder.mkdir(parents=True)
        self._files: dict[str, IO[Any]] = {}  # binary PCM files and the text label file
        self._vad_file: IO[bytes] | None = None
        self._count = 0
        self._frame_count = 0

    def open(self) -> int:
        if self._files:
            return 1
        for name, mode in (("source.pcm", "wb"), ("label.txt", "w"), ("rms.pcm", "wb"), ("pitch.pcm", "wb"),
                           ("voice_prob.pcm", "wb")):
            self._files[name] = open(self.folder / name, mode)
        return 0

    def write(self, frame: AudioFrame, vad_result_bytes: Buffer, vad_result_state: int) -> None:
        if not self._files:
            raise ValueError("VadDump.write() before open() (or after close())")
        data = bytes(frame) if not hasattr(frame, "buffer") else bytes(frame.buffer)
        samples = len(data) // 2
        self._files["source.pcm"].write(data)
        self._files["label.txt"].write(
            f"ct:{self._count} fct:{self._frame_count} state:{vad_result_state} far:{getattr(frame, 'far_field_flag', 0)} "
            f"vop:{frame.voice_prob} rms:{frame.rms} pitch:{frame.pitch} mup:{frame.music_prob}\n")
        for name, value in (("rms.pcm", frame.rms * 127), ("pitch.pcm", frame.pitch),
                            ("voice_prob.pcm", frame.voice_prob * 127 * 127)):
            self._files[name].write(struct.pack(f"<{samples}h", *([max(-32768, min(32767, value))] * samples)))
        if vad_result_state == VadState.START_SPEAKING:
            self._close_vad_file()
            self._vad_file = open(self.folder / f"vad_{self._count}.pcm", "wb")
            self._count += 1
        if vad_result_state in (VadState.START_SPEAKING, VadState.SPEAKING, VadState.STOP_SPEAKING) and self._vad_file:
            self._vad_file.write(vad_result_bytes)
        if vad_result_state == VadState.STOP_SPEAKING:
            self._close_vad_file()
        self._frame_count += 1

    def _close_vad_file(self) -> None:
        if self._vad_file:
            self._vad_file.close()
            self._vad_file = None

    def close(self) -> None:
        self._close_vad_file()
        for f in self._files.values():
            f.close()
        self._files = {}

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
