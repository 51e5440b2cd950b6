"""agora.rtc.audio_frame_observer"""

from ..observers import IAudioFrameObserver

__all__ = ["IAudioFrameObserver"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
