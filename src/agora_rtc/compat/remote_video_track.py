"""agora.rtc.remote_video_track"""

from ..video import RemoteVideoTrack

__all__ = ["RemoteVideoTrack"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
