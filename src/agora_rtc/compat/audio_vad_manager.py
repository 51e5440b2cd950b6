"""agora.rtc.audio_vad_manager"""

from ..vad import AudioVadManager

__all__ = ["AudioVadManager"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
