"""agora.rtc.media_node_factory"""

from ..audio import MediaNodeFactory

__all__ = ["MediaNodeFactory"]

from ._namespaces import reexport  # noqa: E402

__all__ = reexport(__name__, globals(), __all__)
