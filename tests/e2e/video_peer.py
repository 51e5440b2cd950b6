"""Publishes video from its own process, for the cross-process video tests.

    python video_peer.py CHANNEL USER_ID raw|encoded FRAMES [--width W --height H] [--stay SECONDS] [--peers N]

raw: I420 test-pattern frames with metadata b"frame-<i>", a per-frame alpha
plane, rotation 90 and timestamp 1000 + i, simulcast low stream on (half size).
encoded: high and low access units, key every 5th, payload b"<stream>:<i>:" + pattern.
Says "ready" once it knows N members (--peers: frames go only to members it knows,
and it learns of a member after that member learnt of it), then waits for "go" on
stdin before sending; prints "sent" and "done" after.
"""

import argparse
import sys
import threading
import time

import numpy as np

from agora_rtc import (AgoraService, AgoraServiceConfig, EncodedVideoFrameInfo, IRTCConnectionObserver,
                       IRTCLocalUserObserver, RTCConnConfig, SenderOptions,
                       SimulcastStreamConfig, VideoCodecType, VideoDimensions, VideoFrameType, VideoPixelFormat)
from agora_rtc._testsrc import i420_pattern


def alpha_plane(i, w, h):
    return ((np.arange(w * h, dtype=np.int64) + i) % 251).astype(np.uint8)


def encoded_payload(stream, i):
    return f"{stream}:{i}:".encode() + bytes(range(256)) * (1 + i % 7)


class Members(IRTCConnectionObserver):
    def __init__(self, wanted):
        self.wanted, self.joined, self.known = wanted, [], threading.Event()
        if wanted == 0:
            self.known.set()

    def on_user_joined(self, agora_rtc_conn, user_id):
        self.joined.append(user_id)
        if len(self.joined) >= self.wanted:
            self.known.set()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("channel")
    p.add_argument("user_id")
    p.add_argument("kind", choices=["raw", "encoded"])
    p.add_argument("frames", type=int)
    p.add_argument("--width", type=int, default=320)
    p.add_argument("--height", type=int, default=180)
    p.add_argument("--stay", type=float, default=1.0)
    p.add_argument("--peers", type=int, default=0)
    args = p.parse_args()
    w, h = args.width, args.height
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", enable_video=1))
        conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        members = Members(args.peers)
        conn.register_observer(members)
        conn.connect("", args.channel, args.user_id)
        factory = svc.create_media_node_factory()
        if args.kind == "raw":
            sender = factory.create_video_frame_sender()
            track = svc.create_custom_video_track_frame(sender)
        else:
            sender = factory.create_video_encoded_image_sender()
            track = svc.create_custom_video_track_encoded(sender, SenderOptions())
        track.enable_simulcast_stream(True, SimulcastStreamConfig(dimensions=VideoDimensions(width=w // 2,
                                                                                             height=h // 2)))
        class Intra(IRTCLocalUserObserver):
            def on_intra_request_received(self, local_user):
                print("intra request", flush=True)

        conn.get_local_user().register_local_user_observer(Intra())
        conn.get_local_user().publish_video(track)
        if not members.known.wait(20):
            sys.exit(f"knows {members.joined} after 20 s, waited for {args.peers} members")
        print("ready", flush=True)
        assert sys.stdin.readline().strip() == "go"
        for i in range(args.frames):
            if args.kind == "raw":
                sender.send(i420_pattern(i, w, h), VideoPixelFormat.I420, w, h, rotation=90, timestamp_ms=1000 + i,
                            metadata=f"frame-{i}".encode(), alpha=alpha_plane(i, w, h))
            else:
                for stream in (0, 1):
                    info = EncodedVideoFrameInfo(codec_type=VideoCodecType.VIDEO_CODEC_H264, width=w >> stream,
                                                 height=h >> stream, frames_per_second=30, stream_type=stream,
                                                 frame_type=VideoFrameType.KEY_FRAME if i % 5 == 0
                                                 else VideoFrameType.DELTA_FRAME)
                    sender.send_encoded_video_image(encoded_payload(stream, i), info)
            time.sleep(1 / 60)
        print("sent", flush=True)
        time.sleep(args.stay)
        conn.get_local_user().unpublish_video(track)
        time.sleep(0.3)
        conn.release()
        print("done", flush=True)


if __name__ == "__main__":
    main()
