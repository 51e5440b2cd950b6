"""agora.rtc.agora_parameter"""

from ..parameter import AgoraParameter

__all__ = ["AgoraParameter"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
