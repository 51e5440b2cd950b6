"""agora.rtc.media_node_factory"""

from ..audio import MediaNodeFactory

__all__ = ["MediaNodeFactory"]
