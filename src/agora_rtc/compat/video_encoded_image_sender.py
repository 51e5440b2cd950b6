"""agora.rtc.video_encoded_image_sender"""

from ..video import VideoEncodedImageSender

__all__ = ["VideoEncodedImageSender"]
