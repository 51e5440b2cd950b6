"""agora.rtc.local_video_track"""

from ..video import LocalVideoTrack

__all__ = ["LocalVideoTrack"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
