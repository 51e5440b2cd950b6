"""agora.rtc.video_frame_sender"""

from ..video import VideoFrameSender

__all__ = ["VideoFrameSender"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
