"""agora.rtc.utils"""
