"""agora.rtc.audio_pcm_data_sender"""

from ..audio import AudioPcmDataSender

__all__ = ["AudioPcmDataSender"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
