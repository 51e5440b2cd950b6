"""agora.rtc.external_audio_processor"""

from ..audio_processor import (AgcConfig, AiAecConfig, AiNsConfig, APMConfig, BghvsCConfig, ExternalAudioProcessor,
                               IAudioSinkObserver)

__all__ = ["AgcConfig", "AiAecConfig", "AiNsConfig", "APMConfig", "BghvsCConfig", "ExternalAudioProcessor",
           "IAudioSinkObserver"]
