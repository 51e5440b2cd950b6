"""Record what a remote user sends to a WAV file.

    python examples/example_audio_pcm_receive.py --appId APP --channelId room --userId 2 \
        --remoteUserId 1 --sampleRate 16000 --numOfChannels 1 --seconds 5 --output received.wav
"""

from __future__ import annotations

import argparse
import threading
import wave

from common import example_parser, run_example

from agora_rtc import AgoraService, AudioFrame, IAudioFrameObserver, LocalUser, RTCConnConfig


class Recorder(IAudioFrameObserver):
    def __init__(self, remote_user_id: str, frames_wanted: int) -> None:
        self.remote_user_id = remote_user_id
        self.frames_wanted = frames_wanted
        self.chunks: list[bytes] = []
        self.done = threading.Event()

    def on_playback_audio_frame_before_mixing(self, local_user: LocalUser, channel_id: str, uid: str,
                                              frame: AudioFrame) -> None:
        if self.remote_user_id in ("", uid) and not self.done.is_set():
            self.chunks.append(frame.buffer)  # a copy: the frame is only valid during the callback
            if len(self.chunks) >= self.frames_wanted:
                self.done.set()


def run_receiver(args: argparse.Namespace, service: AgoraService,
                 ready: threading.Event | None = None) -> Recorder:
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    user = conn.get_local_user()
    user.set_playback_audio_frame_before_mixing_parameters(args.numOfChannels, args.sampleRate)
    recorder = Recorder(args.remoteUserId, int(args.seconds * 100))
    user.register_audio_frame_observer(recorder)
    conn.connect(args.token, args.channelId, args.userId)
    if ready is not None:
        ready.set()
    recorder.done.wait(args.seconds + args.timeout)
    conn.release()
    with wave.open(args.output, "wb") as w:
        w.setnchannels(args.numOfChannels)
        w.setsampwidth(2)
        w.setframerate(args.sampleRate)
        w.writeframes(b"".join(recorder.chunks))
    print(f"recorded {len(recorder.chunks)} frames from {args.remoteUserId or 'everyone'} into {args.output}")
    return recorder


def parser() -> argparse.ArgumentParser:
    p = example_parser(__doc__, user_id="2")
    p.add_argument("--remoteUserId", default="", help="only this user (default: everyone)")
    p.add_argument("--sampleRate", type=int, default=16000)
    p.add_argument("--numOfChannels", type=int, default=1)
    p.add_argument("--seconds", type=float, default=5.0, help="how much audio to record")
    p.add_argument("--timeout", type=float, default=10.0, help="extra seconds to wait for the sender")
    p.add_argument("--output", default="received.wav")
    return p


def main() -> None:
    run_example(parser(), run_receiver)


if __name__ == "__main__":
    main()
