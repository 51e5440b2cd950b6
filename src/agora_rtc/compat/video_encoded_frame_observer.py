"""agora.rtc.video_encoded_frame_observer"""

from ..video import EncodedVideoFrameInfo, IVideoEncodedFrameObserver

__all__ = ["EncodedVideoFrameInfo", "IVideoEncodedFrameObserver"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
