"""agora.rtc.agora_parameter"""

from ..parameter import AgoraParameter

__all__ = ["AgoraParameter"]
