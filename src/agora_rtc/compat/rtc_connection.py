"""agora.rtc.rtc_connection"""

from ..connection import RTCConnection

__all__ = ["RTCConnection"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
