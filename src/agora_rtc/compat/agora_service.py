"""agora.rtc.agora_service"""

from ..service import AgoraService

__all__ = ["AgoraService"]
