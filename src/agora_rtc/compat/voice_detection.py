"""agora.rtc.voice_detection"""

from ..vad import AudioVadConfigV2, AudioVadV2

__all__ = ["AudioVadConfigV2", "AudioVadV2"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
