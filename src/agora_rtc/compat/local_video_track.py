"""agora.rtc.local_video_track"""

from ..video import LocalVideoTrack

__all__ = ["LocalVideoTrack"]
