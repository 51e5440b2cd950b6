"""A bot in its own process, for cross-process tests.

    python peer.py CHANNEL USER_ID [--send-tone SECONDS [--ramp]] [--record FILE.npy --frames N] [--stay SECONDS]
                   [--send-messages N [--unreliable]] [--expect-messages N] [--conn-params JSON]

Prints one JSON line per connection event and "ready" once connected, then
"done" before exiting.
"""

import argparse
import json
import sys
import threading
import time

import numpy as np

from agora_rtc import (AgoraError, AgoraService, AgoraServiceConfig, IAudioFrameObserver, IRTCConnectionObserver,
                       IRTCLocalUserObserver, RTCConnConfig)


_print_lock = threading.Lock()


def say(**msg):
    with _print_lock:  # engine threads and the main thread both report
        print(json.dumps(msg), flush=True)


class Events(IRTCConnectionObserver):
    def on_connected(self, conn, info, reason):
        say(event="connected", reason=reason)

    def on_user_joined(self, conn, user_id):
        say(event="user_joined", user_id=user_id)

    def on_connection_failure(self, conn, info, reason):
        say(event="connection_failure", reason=reason)

    def on_user_left(self, conn, user_id, reason):
        say(event="user_left", user_id=user_id, reason=reason, t=time.monotonic())

    def on_reconnecting(self, conn, info, reason):
        say(event="reconnecting", reason=reason)

    def on_reconnected(self, conn, info, reason):
        say(event="reconnected", reason=reason)


class Recorder(IAudioFrameObserver):
    def __init__(self, frames):
        self.want = frames
        self.chunks = []
        self.done = threading.Event()

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
        if len(self.chunks) < self.want:
            self.chunks.append(np.frombuffer(frame, np.int16).copy())
            if len(self.chunks) == self.want:
                self.done.set()


class Inbox(IRTCLocalUserObserver):
    def __init__(self, want):
        self.want = want
        self.messages = []
        self.done = threading.Event()

    def on_stream_message(self, local_user, user_id, stream_id, data, length):
        self.messages.append(data.decode())
        if len(self.messages) >= self.want:
            self.done.set()


def ramp(seconds, rate=16000):
    """A signal whose every 10 ms frame is unique: sample i is i % 30011 - 15000."""
    return (np.arange(int(rate * seconds)) % 30011 - 15000).astype(np.int16)


def tone(seconds, rate=16000):
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * 440 * t) * 6000 + np.sin(2 * np.pi * 1234 * t) * 3000).astype(np.int16)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("channel")
    p.add_argument("user_id")
    p.add_argument("--send-tone", type=float, default=0)
    p.add_argument("--record")
    p.add_argument("--frames", type=int, default=0)
    p.add_argument("--stay", type=float, default=0)
    p.add_argument("--wait-peer", default="")
    p.add_argument("--loss", type=float, default=0, help="percent of outgoing packets to drop")
    p.add_argument("--send-messages", type=int, default=0)
    p.add_argument("--unreliable", action="store_true")
    p.add_argument("--expect-messages", type=int, default=0)
    p.add_argument("--certificate", default="", help="verify tokens with this app certificate")
    p.add_argument("--token", default="")
    p.add_argument("--appid", default="e2e")
    p.add_argument("--ramp", action="store_true", help="send ramp() instead of tone()")
    p.add_argument("--conn-params", default="", help="JSON parameters for this connection (loopback.fault.*)")
    p.add_argument("--outage-ms", type=float, default=0, help="once the peer joined: no network for this long")
    p.add_argument("--message-on-connected", default="", help="send this (unreliable) from on_connected")
    args = p.parse_args()
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid=args.appid, use_string_uid=1))
        if args.certificate:
            svc.set_parameters({"loopback.app_certificate": args.certificate})
        if args.loss:
            svc.set_parameters({"loopback.fault.loss_percent": args.loss})
        conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        if args.conn_params:
            conn.set_parameters(args.conn_params)
        conn.register_observer(Events())
        if args.message_on_connected:
            class SendAtOnce(IRTCConnectionObserver):
                def on_connected(self, c, info, reason):
                    c.send_stream_message(c.create_data_stream(reliable=False, ordered=False),
                                          args.message_on_connected)
                    say(event="sent_on_connected")
            conn.register_observer(SendAtOnce())
        joined = threading.Event()

        class Wait(IRTCConnectionObserver):
            def on_user_joined(self, c, user_id):
                if user_id == args.wait_peer:
                    joined.set()
        conn.register_observer(Wait())
        recorder = None
        if args.record:
            recorder = Recorder(args.frames)
            conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
            conn.get_local_user().register_audio_frame_observer(recorder)
        inbox = None
        if args.expect_messages:
            inbox = Inbox(args.expect_messages)
            conn.get_local_user().register_local_user_observer(inbox)
        conn.connect(args.token, args.channel, args.user_id)
        say(event="ready")
        if args.wait_peer and not joined.wait(10):
            say(event="error", message="peer never joined")
            return 1
        if args.outage_ms:
            conn.set_parameters({"loopback.fault.outage_ms": args.outage_ms})
        if args.send_tone:
            factory = svc.create_media_node_factory()
            sender = factory.create_audio_pcm_data_sender()
            track = svc.create_custom_audio_track_pcm(sender)
            conn.get_local_user().publish_audio(track)
            x = ramp(args.send_tone) if args.ramp else tone(args.send_tone)
            for start in range(0, len(x), 16000):  # queue it all; the engine paces it
                chunk = x[start:start + 16000]
                sender.send(chunk, len(chunk), 16000)
        if args.send_messages:
            stream = conn.create_data_stream(reliable=not args.unreliable, ordered=not args.unreliable)
            for i in range(args.send_messages):
                while True:
                    try:
                        conn.send_stream_message(stream, f"m{i}")
                        break
                    except AgoraError as e:
                        if e.code != 12:  # ERR_TOO_OFTEN: wait for acknowledgements
                            raise
                        time.sleep(0.005)
            say(event="sent", count=args.send_messages)
        if inbox is not None:
            inbox.done.wait(30)
            say(event="messages", messages=inbox.messages)
        if recorder is not None:
            if not recorder.done.wait(30):
                say(event="error", message=f"only {len(recorder.chunks)} frames")
            np.save(args.record, np.concatenate(recorder.chunks) if recorder.chunks else np.zeros(0, np.int16))
        if args.stay:
            time.sleep(args.stay)
        say(event="done", fault_dropped=conn.get_parameter_number("loopback.stats.fault_dropped"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
