"""agora.rtc.local_user"""

from ..local_user import LocalUser

__all__ = ["LocalUser"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
