"""agora.rtc.local_audio_track"""

from ..audio import LocalAudioTrack

__all__ = ["LocalAudioTrack"]
