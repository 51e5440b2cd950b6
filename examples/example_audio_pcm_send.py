"""Send PCM audio into a channel at real-time pace (the official example's flags).

    python examples/example_audio_pcm_send.py --appId APP --channelId room --userId 1 \
        --audioFile speech.wav --sampleRate 16000 --numOfChannels 1

Without --audioFile it sends generated speech-like audio. Runs on the bundled
loopback engine (channels shared by every process on this host), or on Agora's
library with AGORA_RTC_SDK=/path/to/libagora_rtc_sdk.so.
"""

from __future__ import annotations

import argparse
import time
import wave

import numpy as np
import numpy.typing as npt

from common import example_parser, paced, run_example

from agora_rtc import AgoraService, PcmAudioFrame, RTCConnConfig


def load_pcm(path: str, sample_rate: int, channels: int, seconds: float) -> npt.NDArray[np.int16]:
    if not path:
        from agora_rtc._speechlike import speechlike
        x = speechlike(seconds, sample_rate)
        return np.repeat(x, channels) if channels == 2 else x
    if path.endswith(".wav"):
        with wave.open(path) as w:
            if w.getsampwidth() != 2 or w.getframerate() != sample_rate or w.getnchannels() != channels:
                raise SystemExit(f"{path}: need 16-bit PCM at {sample_rate} Hz, {channels} channel(s)")
            return np.frombuffer(w.readframes(w.getnframes()), np.int16)
    return np.fromfile(path, np.int16)  # raw 16-bit PCM, as the official example reads


def run_sender(args: argparse.Namespace, service: AgoraService) -> None:
    pcm = load_pcm(args.audioFile, args.sampleRate, args.numOfChannels, args.seconds)
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.connect(args.token, args.channelId, args.userId)
    sender = service.create_media_node_factory().create_audio_pcm_data_sender()
    track = service.create_custom_audio_track_pcm(sender)
    conn.get_local_user().publish_audio(track)
    samples = args.sampleRate // 100  # one 10 ms frame per call
    step = samples * args.numOfChannels
    offsets = range(0, len(pcm) - step + 1, step)
    for i, offset in zip(paced(len(offsets), 0.01), offsets):
        frame = PcmAudioFrame(data=pcm[offset:offset + step], samples_per_channel=samples,
                              number_of_channels=args.numOfChannels, sample_rate=args.sampleRate,
                              timestamp=int(i * 10), present_time_ms=i + 1)
        sender.send_audio_pcm_data(frame)
    time.sleep(0.2)  # let the last frames play out before leaving
    conn.release()
    print(f"sent {len(pcm) // step} frames to {args.channelId!r} as {args.userId!r}")


def parser() -> argparse.ArgumentParser:
    p = example_parser(__doc__, user_id="1")
    p.add_argument("--audioFile", default="")
    p.add_argument("--sampleRate", type=int, default=16000)
    p.add_argument("--numOfChannels", type=int, default=1)
    p.add_argument("--seconds", type=float, default=5.0, help="length of generated audio without --audioFile")
    return p


def main() -> None:
    run_example(parser(), run_sender)


if __name__ == "__main__":
    main()
