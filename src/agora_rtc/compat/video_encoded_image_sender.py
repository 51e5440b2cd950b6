"""agora.rtc.video_encoded_image_sender"""

from ..video import VideoEncodedImageSender

__all__ = ["VideoEncodedImageSender"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
