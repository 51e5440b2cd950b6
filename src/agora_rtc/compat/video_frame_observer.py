"""agora.rtc.video_frame_observer"""

from ..video import IVideoFrameObserver

__all__ = ["IVideoFrameObserver"]
