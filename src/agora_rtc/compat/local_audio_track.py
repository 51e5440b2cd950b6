"""agora.rtc.local_audio_track"""

from ..audio import LocalAudioTrack

__all__ = ["LocalAudioTrack"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
