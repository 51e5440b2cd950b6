"""agora.rtc.local_user_observer"""

from ..observers import IRTCLocalUserObserver

__all__ = ["IRTCLocalUserObserver"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
