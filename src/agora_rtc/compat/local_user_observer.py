"""agora.rtc.local_user_observer"""

from ..observers import IRTCLocalUserObserver

__all__ = ["IRTCLocalUserObserver"]
