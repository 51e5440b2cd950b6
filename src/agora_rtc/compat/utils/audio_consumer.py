"""agora.rtc.utils.audio_consumer"""

from ...consumer import AudioConsumer

__all__ = ["AudioConsumer"]
