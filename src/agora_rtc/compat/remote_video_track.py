"""agora.rtc.remote_video_track"""

from ..video import RemoteVideoTrack

__all__ = ["RemoteVideoTrack"]
