"""agora.rtc.video_encoded_frame_observer"""

from ..video import EncodedVideoFrameInfo, IVideoEncodedFrameObserver

__all__ = ["EncodedVideoFrameInfo", "IVideoEncodedFrameObserver"]
