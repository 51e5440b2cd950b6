"""agora.rtc.local_user"""

from ..local_user import LocalUser

__all__ = ["LocalUser"]
