"""agora.rtc.rtc_connection_observer"""

from ..observers import IRTCConnectionObserver

__all__ = ["IRTCConnectionObserver"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
