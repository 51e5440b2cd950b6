"""The official SDK's module layout, over agora_rtc: ``from agora.rtc.X import Y``
becomes ``from agora_rtc.compat.X import Y`` and nothing else changes.

Each module holds the official names agora_rtc implements (the same objects as
``agora_rtc``'s own); tests/test_compat.py checks every official class and
public method name against them and lists the gaps, which docs/compat.md
explains with the behaviours that differ on purpose.
"""
