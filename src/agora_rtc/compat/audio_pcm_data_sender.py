"""agora.rtc.audio_pcm_data_sender"""

from ..audio import AudioPcmDataSender

__all__ = ["AudioPcmDataSender"]
