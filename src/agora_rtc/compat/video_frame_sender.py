"""agora.rtc.video_frame_sender"""

from ..video import VideoFrameSender

__all__ = ["VideoFrameSender"]
