"""agora.rtc.remote_audio_track"""

from ..audio import RemoteAudioTrack

__all__ = ["RemoteAudioTrack"]
