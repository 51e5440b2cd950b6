"""agora.rtc.agora_service"""

from ..service import AgoraService

__all__ = ["AgoraService"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
