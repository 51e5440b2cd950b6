"""agora.rtc.audio_vad_manager"""

from ..vad import AudioVadManager

__all__ = ["AudioVadManager"]
