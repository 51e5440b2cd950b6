"""agora.rtc.rtc_connection_observer"""

from ..observers import IRTCConnectionObserver

__all__ = ["IRTCConnectionObserver"]
