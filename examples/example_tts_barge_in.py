"""A voice bot that talks (TTS) and stops the moment a user talks over it.

    python examples/example_tts_barge_in.py --channelId room --userId bot

The bot pushes its reply with push_audio_pcm_data (played at real-time pace by
the engine); VAD v2 watches every remote user; on START_SPEAKING the bot calls
interrupt_audio() and is silent from the next 10 ms frame. The reply is
espeak-ng speech when espeak-ng is installed, else generated speech-like audio.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import threading
import time

import numpy as np
import numpy.typing as npt

from agora_rtc import (AgoraService, AgoraServiceConfig, AudioFrame, AudioVadConfigV2, AudioVadV2, IAudioFrameObserver,
                       LocalUser, RTCConnConfig, RTCConnection, RtcConnectionPublishConfig)


def reply_audio(text: str, seconds: float, rate: int = 16000, synthetic: bool = False) -> npt.NDArray[np.int16]:
    if not synthetic and shutil.which("espeak-ng"):
        raw: bytes = subprocess.run(["espeak-ng", "--stdout", text], capture_output=True, check=True).stdout
        source_rate = int.from_bytes(raw[24:28], "little")
        x = np.frombuffer(raw[44:], np.int16).astype(np.float64)
        t = np.arange(0, len(x) - 1, source_rate / rate)  # resample (linear is enough for a demo)
        resampled: npt.NDArray[np.float64] = np.interp(t, np.arange(len(x)), x)
        return resampled.astype(np.int16)
    from agora_rtc._speechlike import speechlike
    return speechlike(seconds, rate)


class BargeIn(IAudioFrameObserver):
    def __init__(self, conn: RTCConnection) -> None:
        self.conn = conn
        self.interrupted = threading.Event()
        # interrupt_audio() empties the queue, so is_push_to_rtc_completed() turns true before
        # `interrupted` is set; the lock keeps the main loop from reading that as "finished"
        self.lock = threading.Lock()

    # The 2.4 six-argument form (register_audio_frame_observer with enable_vad=1); the VAD
    # arguments' defaults, "no VAD result", keep it a valid IAudioFrameObserver override.
    def on_playback_audio_frame_before_mixing(self, local_user: LocalUser, channel_id: str, uid: str, frame: AudioFrame,
                                              vad_state: int = -1, vad_bytes: bytes | bytearray = b"") -> int:
        if vad_state == AudioVadV2.START_SPEAKING:
            with self.lock:
                if self.conn.is_push_to_rtc_completed():
                    return 1
                self.conn.interrupt_audio()  # safe in the callback: the engine drops the queue under its lock
                print(f"barge-in: {uid} started talking, bot silenced at {time.monotonic():.3f}", flush=True)
                self.interrupted.set()
        return 1

    def reply_ended(self) -> bool:
        with self.lock:
            return self.interrupted.is_set() or self.conn.is_push_to_rtc_completed()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--appId", default="loopback-app")
    p.add_argument("--token", default="")
    p.add_argument("--channelId", default="demo")
    p.add_argument("--userId", default="bot")
    p.add_argument("--reply", default="Thanks for calling. Your order has shipped and should arrive on Thursday "
                                      "between nine and five. Is there anything else I can help you with today?")
    p.add_argument("--seconds", type=float, default=15.0, help="give up after this long")
    p.add_argument("--synthetic", action="store_true", help="speech-like audio instead of espeak-ng")
    args = p.parse_args()
    with AgoraService() as service:
        service.initialize(AgoraServiceConfig(appid=args.appId, use_string_uid=1))
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig())
        conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
        observer = BargeIn(conn)
        conn.register_audio_frame_observer(observer, 1, AudioVadConfigV2.low_latency())
        conn.connect(args.token, args.channelId, args.userId)
        conn.publish_audio()
        reply = reply_audio(args.reply, 8.0, synthetic=args.synthetic)
        conn.push_audio_pcm_data(reply.tobytes(), 16000, 1)
        print(f"bot talking: {len(reply) / 16000:.1f} s queued at {time.monotonic():.3f}", flush=True)
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline and not observer.reply_ended():
            time.sleep(0.01)
        print("interrupted" if observer.interrupted.is_set() else "finished the reply", flush=True)
        conn.release()


if __name__ == "__main__":
    main()
