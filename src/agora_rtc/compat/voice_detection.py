"""agora.rtc.voice_detection"""

from ..vad import AudioVadConfigV2, AudioVadV2

__all__ = ["AudioVadConfigV2", "AudioVadV2"]
