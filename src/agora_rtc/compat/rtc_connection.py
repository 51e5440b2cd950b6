"""agora.rtc.rtc_connection"""

from ..connection import RTCConnection

__all__ = ["RTCConnection"]
