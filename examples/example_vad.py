"""Detect when remote users talk (VAD v2) and write each utterance to a WAV file.

    python examples/example_vad.py --channelId room --userId bot --seconds 10 --output utterances/

The 2.4 form of the official SDK: register_audio_frame_observer(observer,
enable_vad=1, vad_configure) hands every frame to the callback with the VAD's
state and bytes (START_SPEAKING brings the pre-roll, so the first syllable is
in the file). --lowLatency starts after 100 ms of speech instead of 300 ms.
"""

from __future__ import annotations

import argparse
import os
import threading
import wave

from agora_rtc import (AgoraService, AgoraServiceConfig, AudioFrame, AudioVadConfigV2, AudioVadV2, IAudioFrameObserver,
                       IRTCConnectionObserver, LocalUser, RTCConnConfig, RTCConnection)


class Utterances(IAudioFrameObserver, IRTCConnectionObserver):
    def __init__(self, folder: str, sample_rate: int, limit: int) -> None:
        self.folder, self.sample_rate, self.limit = folder, sample_rate, limit
        self.current: dict[str, bytearray] = {}   # uid -> bytearray being spoken
        self.written: list[str] = []
        self.done = threading.Event()

    # The 2.4 six-argument form (register_audio_frame_observer with enable_vad=1); the VAD
    # arguments' defaults, "no VAD result", keep it a valid IAudioFrameObserver override.
    def on_playback_audio_frame_before_mixing(self, local_user: LocalUser, channel_id: str, uid: str, frame: AudioFrame,
                                              vad_state: int = -1, vad_bytes: bytes | bytearray = b"") -> int:
        if vad_state == AudioVadV2.START_SPEAKING:
            self.current[uid] = bytearray(vad_bytes)
            print(f"{uid}: start speaking", flush=True)
        elif vad_state == AudioVadV2.SPEAKING and uid in self.current:
            self.current[uid] += vad_bytes
        elif vad_state == AudioVadV2.STOP_SPEAKING and uid in self.current:
            self.current[uid] += vad_bytes
            self.finish(uid)
        return 1

    def on_user_left(self, conn: RTCConnection, uid: str, reason: int) -> None:
        # A user who leaves mid-sentence sends no more frames, so the VAD would never see the silence.
        if uid in self.current:
            self.finish(uid)

    def finish(self, uid: str) -> None:
        pcm = self.current.pop(uid)
        path = os.path.join(self.folder, f"{uid}_{len(self.written)}.wav")
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.sample_rate)
            w.writeframes(bytes(pcm))
        self.written.append(path)
        print(f"{uid}: stop speaking, {len(pcm) / 2 / self.sample_rate:.2f} s -> {path}", flush=True)
        if len(self.written) >= self.limit:
            self.done.set()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--appId", default="loopback-app")
    p.add_argument("--token", default="")
    p.add_argument("--channelId", default="demo")
    p.add_argument("--userId", default="bot")
    p.add_argument("--sampleRate", type=int, default=16000)
    p.add_argument("--seconds", type=float, default=10.0, help="stop after this long")
    p.add_argument("--utterances", type=int, default=1000, help="stop after this many utterances")
    p.add_argument("--lowLatency", action="store_true")
    p.add_argument("--output", default="utterances")
    args = p.parse_args()
    os.makedirs(args.output, exist_ok=True)
    with AgoraService() as service:
        service.initialize(AgoraServiceConfig(appid=args.appId, use_string_uid=1))
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, args.sampleRate)
        observer = Utterances(args.output, args.sampleRate, args.utterances)
        config = AudioVadConfigV2.low_latency() if args.lowLatency else AudioVadConfigV2()
        conn.register_audio_frame_observer(observer, 1, config)
        conn.register_observer(observer)
        conn.connect(args.token, args.channelId, args.userId)
        print("listening", flush=True)
        observer.done.wait(args.seconds)
        conn.release()
    print(f"{len(observer.written)} utterance(s) written to {args.output}")


if __name__ == "__main__":
    main()
