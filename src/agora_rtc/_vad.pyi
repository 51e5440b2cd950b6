"""Types of the native VAD v2 (_vad.pyx); the Python names live in agora_rtc.vad."""

from typing import Protocol

from typing_extensions import Buffer, Self, disjoint_base

from ._core import _Buffer

# A Cython bint: any value, taken for its truth (bool, or 0/1 as the official API passes).
_Flag = bool | int

class _Labelled(Protocol):
    """The engine's labels of a 10 ms frame."""

    @property
    def rms(self) -> int: ...
    @property
    def voice_prob(self) -> int: ...

class _LabelledBuffer(_Labelled, Buffer, Protocol):
    """A labelled frame that is itself the PCM (an AudioFrame)."""

class _LabelledWithBuffer(_Labelled, Protocol):
    """A labelled frame that holds its PCM in ``buffer``."""

    @property
    def buffer(self) -> _Buffer: ...

# What process() takes: an AudioFrame, or anything labelled that holds PCM.
_LabelledFrame = _LabelledBuffer | _LabelledWithBuffer

@disjoint_base
class NativeVad:
    def __new__(
        cls,
        pre_start_count: int,
        start_count: int,
        stop_count: int,
        rms_threshold: int,
        adaptive: _Flag,
        adaptive_factor: float,
        preroll_from_onset: _Flag,
    ) -> Self: ...
    def process(self, data: _LabelledFrame) -> tuple[int, bytearray]: ...
    @property
    def speaking(self) -> bool: ...
    @property
    def frames(self) -> int: ...
    @property
    def start_frame(self) -> int | None: ...
    @property
    def stop_frame(self) -> int | None: ...
    @property
    def reference_rms(self) -> int: ...
