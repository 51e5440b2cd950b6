"""The official modules' namespaces. Each official module star-imports
``agora_base`` (and some others) and imports a few names from its siblings, so
code written for it imports those names from it too
(``from agora.rtc.agora_service import AgoraServiceConfig, RTCConnConfig``).
Every module here ends with ``__all__ = reexport(...)`` to offer the same."""

from __future__ import annotations

import importlib
from typing import Any

# module -> (modules it star-imports, {module: names it imports by name}), as agora_python_server_sdk 2.4.
_OFFICIAL_IMPORTS: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "agora_parameter": (("agora_base",), {}),
    "agora_service": (("agora_base", "media_node_factory", "audio_pcm_data_sender", "local_audio_track",
                       "rtc_connection_observer", "video_frame_sender", "local_video_track"), {}),
    "audio_encoded_frame_sender": (("agora_base",), {}),
    "audio_frame_observer": ((), {"agora_base": ("AudioFrame", "AudioParams")}),
    "audio_pcm_data_sender": (("agora_base",), {}),
    "audio_vad_manager": (("agora_base", "audio_frame_observer"),
                          {"voice_detection": ("AudioVadV2", "AudioVadConfigV2")}),
    "external_audio_processor": (("agora_base",), {
        "agora_service": ("AgoraService",), "local_user": ("LocalUser",),
        "rtc_connection_observer": ("IRTCConnectionObserver",), "agora_parameter": ("AgoraParameter",),
        "utils.audio_consumer": ("PcmConsumeStats",), "voice_detection": ("AudioVadConfigV2", "AudioVadV2")}),
    "local_audio_track": (("agora_base",), {}),
    "local_user": (("agora_base", "local_video_track", "local_audio_track", "remote_audio_track",
                    "remote_video_track"), {
        "local_user_observer": ("IRTCLocalUserObserver",), "audio_frame_observer": ("IAudioFrameObserver",),
        "video_frame_observer": ("IVideoFrameObserver",),
        "video_encoded_frame_observer": ("IVideoEncodedFrameObserver",)}),
    "local_video_track": (("agora_base",), {}),
    "media_node_factory": (("agora_base",), {
        "audio_pcm_data_sender": ("AudioPcmDataSender",), "audio_encoded_frame_sender": ("AudioEncodedFrameSender",),
        "video_frame_sender": ("VideoFrameSender",), "video_encoded_image_sender": ("VideoEncodedImageSender",)}),
    "remote_audio_track": (("agora_base",), {}),
    "remote_video_track": (("agora_base",), {}),
    "rtc_connection": (("agora_base",), {
        "agora_service": ("AgoraService",), "local_user": ("LocalUser",),
        "rtc_connection_observer": ("IRTCConnectionObserver",), "agora_parameter": ("AgoraParameter",),
        "utils.audio_consumer": ("PcmConsumeStats",)}),
    "video_encoded_image_sender": (("agora_base",), {}),
    "video_frame_sender": (("agora_base",), {}),
    "video_frame_observer": ((), {"agora_base": ("VideoFrame",)}),
    "voice_detection": ((), {"agora_base": ("AudioFrame", "AudioParams")}),
}


def reexport(module: str, namespace: dict[str, Any], own: list[str]) -> list[str]:
    """Put what official *module* star-imports or imports by name into *namespace*; returns its ``__all__``."""
    stars, named = _OFFICIAL_IMPORTS.get(module.rsplit(".", 1)[-1], ((), {}))
    names = list(own)
    sources: list[tuple[str, tuple[str, ...] | None]] = [(m, None) for m in stars] + list(named.items())
    for source, wanted in sources:
        other = importlib.import_module(f"{__package__}.{source}")
        for name in wanted if wanted is not None else other.__all__:
            if not hasattr(other, name):
                continue  # an official name agora_rtc does not have (tests/test_compat.py lists those)
            namespace.setdefault(name, getattr(other, name))
            if name not in names:
                names.append(name)
    return names
