"""agora.rtc.video_frame_observer"""

from ..video import IVideoFrameObserver

__all__ = ["IVideoFrameObserver"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
