"""agora.rtc.external_audio_processor"""

from ..audio_processor import (AgcConfig, AiAecConfig, AiNsConfig, APMConfig, BghvsCConfig, ExternalAudioProcessor,
                               IAudioSinkObserver)

__all__ = ["AgcConfig", "AiAecConfig", "AiNsConfig", "APMConfig", "BghvsCConfig", "ExternalAudioProcessor",
           "IAudioSinkObserver"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
