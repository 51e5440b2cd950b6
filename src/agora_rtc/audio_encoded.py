"""Encoded audio: the sender, its frame info, and the loopback's receiver.

Agora's network carries Opus/AAC/G.711 payloads from an
AudioEncodedFrameSender to subscribers, who get decoded PCM. The loopback
engine does not decode (except G.711, which audio frame observers hear as
PCM); instead every subscriber can get each payload byte for byte, with its
frame info, through ``register_audio_encoded_frame_observer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from . import _core
from .audio import AudioCodecType, _Child

if TYPE_CHECKING:
    from ._core import _Buffer

    from .local_user import LocalUser

__all__ = ["AudioEncodedFrameSender", "EncodedAudioFrameInfo", "IAudioEncodedFrameObserver", "MAX_ENCODED_BYTES"]

MAX_ENCODED_BYTES = _core.AUDIO_MAX_ENCODED


@dataclass(kw_only=True)
class EncodedAudioFrameInfo:
    """One encoded audio frame's description (official names and defaults)."""

    speech: int = 1
    codec: AudioCodecType | int = AudioCodecType.AUDIO_CODEC_AACLC  # an int for a codec AudioCodecType lacks
    sample_rate: int = 16000
    samples_per_channel: int = 1024
    send_even_if_empty: int = 1
    number_of_channels: int = 1
    capture_time_ms: int = -1  # -1: the engine stamps the send time


class AudioEncodedFrameSender(_Child):
    """Sends encoded audio frames into the custom track made from it with
    ``service.create_custom_audio_track_encoded(sender, mix_mode)`` (official name)."""

    _kind = "AudioEncodedFrameSender"
    _destroy = staticmethod(_core.audio_encoded_sender_destroy)

    def send_encoded_audio_frame(self, data: _Buffer, frame_info: EncodedAudioFrameInfo) -> int:
        """Send one frame: *data* is any bytes-like buffer (1 to MAX_ENCODED_BYTES
        bytes), *frame_info* an EncodedAudioFrameInfo. The official method takes a
        raw address and a size instead; here the buffer carries both."""
        if not isinstance(frame_info, EncodedAudioFrameInfo):
            raise TypeError(f"frame_info must be an EncodedAudioFrameInfo, not {type(frame_info).__name__}")
        i = frame_info
        return _core.audio_encoded_sender_send(self._handle(), data, i.codec, i.sample_rate, i.number_of_channels,
                                               i.samples_per_channel, i.speech, i.send_even_if_empty,
                                               i.capture_time_ms)

    send_encoded_audio_frame_withbytes = send_encoded_audio_frame


class IAudioEncodedFrameObserver:
    """Remote users' encoded audio (loopback engine): subclass and override."""

    def on_encoded_audio_frame(self, agora_local_user: LocalUser, user_id: str, frame_buffer: bytes,
                               info: EncodedAudioFrameInfo) -> object:
        """*frame_buffer*: the payload as sent (``bytes``); *info*: its EncodedAudioFrameInfo.
        The return value is ignored."""


# What register_audio_encoded_frame_observer takes: an IAudioEncodedFrameObserver,
# or any object with the method.
class _EncodedAudioReceiver(Protocol):
    def on_encoded_audio_frame(self, agora_local_user: LocalUser, user_id: str, frame_buffer: bytes,
                               info: EncodedAudioFrameInfo, /) -> object: ...


class _EncodedAudioTarget:
    """What _core calls: turns the info tuple into an EncodedAudioFrameInfo."""

    def __init__(self, local_user: LocalUser, observer: _EncodedAudioReceiver) -> None:
        self._local_user = local_user
        self._observer = observer

    # info: EncodedAudioFrameInfo's fields as the engine reports them, in _core's order
    def _on_encoded_audio_frame(self, user_id: str, data: bytes,
                                info: tuple[int, int, int, int, int, int, int]) -> None:
        speech, codec, rate, samples, send_empty, channels, capture_ms = info
        try:
            codec = AudioCodecType(codec)
        except ValueError:
            pass
        self._observer.on_encoded_audio_frame(self._local_user, user_id, data, EncodedAudioFrameInfo(
            speech=speech, codec=codec, sample_rate=rate, samples_per_channel=samples, send_even_if_empty=send_empty,
            number_of_channels=channels, capture_time_ms=capture_ms))
