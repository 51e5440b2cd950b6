"""agora.rtc.utils.vad_dump"""

from ...vad import VadDump

__all__ = ["VadDump"]
