"""agora.rtc.audio_encoded_frame_sender"""

from ..audio_encoded import AudioEncodedFrameSender, EncodedAudioFrameInfo

__all__ = ["AudioEncodedFrameSender", "EncodedAudioFrameInfo"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
