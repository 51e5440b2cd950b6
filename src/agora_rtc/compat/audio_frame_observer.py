"""agora.rtc.audio_frame_observer"""

from ..observers import IAudioFrameObserver

__all__ = ["IAudioFrameObserver"]
