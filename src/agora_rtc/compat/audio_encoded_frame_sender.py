"""agora.rtc.audio_encoded_frame_sender"""

from ..audio_encoded import AudioEncodedFrameSender, EncodedAudioFrameInfo

__all__ = ["AudioEncodedFrameSender", "EncodedAudioFrameInfo"]
