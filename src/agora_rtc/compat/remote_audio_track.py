"""agora.rtc.remote_audio_track"""

from ..audio import RemoteAudioTrack

__all__ = ["RemoteAudioTrack"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
