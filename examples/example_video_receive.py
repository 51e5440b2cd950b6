"""Receive the video of remote users and save it (the official receive examples, in one).

    python examples/example_video_receive.py --appId APP --channelId room --userId 2 \
        --frames 150 --output received/

Raw (default): every frame of remote user U is appended to ``U_WxH.yuv``
(I420, planes packed; a new file when the size changes: play with
``ffplay -f rawvideo -pixel_format yuv420p -video_size WxH U_WxH.yuv``), and
with --jpeg its first frame is also written to ``U_first.jpg`` (needs the
``jpeg`` extra). With --encoded it subscribes to the encoded stream instead
and appends each access unit to ``U.h264`` (Annex-B, plays with ffplay).
Stops after --frames frames in all or --seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections import Counter
from typing import BinaryIO

import numpy as np

from common import example_parser, run_example

from agora_rtc import (AgoraService, EncodedVideoFrameInfo, IVideoEncodedFrameObserver, IVideoFrameObserver,
                       RTCConnConfig, VideoFrame, VideoSubscriptionOptions)


class Saver(IVideoFrameObserver, IVideoEncodedFrameObserver):
    def __init__(self, folder: str, frames_wanted: int, jpeg: bool) -> None:
        self.folder, self.frames_wanted, self.jpeg = folder, frames_wanted, jpeg
        self.files: dict[str, BinaryIO] = {}
        # remote users by id: str for raw frames, int (the numeric uid) for encoded ones
        self.counts: Counter[str | int] = Counter()
        self.sizes: dict[str | int, tuple[int, int]] = {}
        self.keys: Counter[str | int] = Counter()
        self.done = threading.Event()
        self.lock = threading.Lock()

    def _file(self, name: str) -> BinaryIO:
        if name not in self.files:
            self.files[name] = open(os.path.join(self.folder, name), "wb")
        return self.files[name]

    def _count(self, uid: str | int) -> None:
        self.counts[uid] += 1
        if sum(self.counts.values()) >= self.frames_wanted:
            self.done.set()

    def on_frame(self, channel_id: str, remote_uid: str, frame: VideoFrame) -> None:
        with self.lock:
            if self.done.is_set():
                return
            w, h = frame.width, frame.height
            y = np.asarray(frame.y)[:h, :w]  # planes without row padding
            u = np.asarray(frame.u)[:(h + 1) // 2, :(w + 1) // 2]
            v = np.asarray(frame.v)[:(h + 1) // 2, :(w + 1) // 2]
            out = self._file(f"{remote_uid}_{w}x{h}.yuv")
            for plane in (y, u, v):
                out.write(np.ascontiguousarray(plane).tobytes())
            if self.jpeg and remote_uid not in self.sizes:
                import simplejpeg
                with open(os.path.join(self.folder, f"{remote_uid}_first.jpg"), "wb") as f:
                    f.write(simplejpeg.encode_jpeg_yuv_planes(np.ascontiguousarray(y), np.ascontiguousarray(u),
                                                              np.ascontiguousarray(v), quality=90))
            self.sizes[remote_uid] = (w, h)
            self._count(remote_uid)

    def on_encoded_video_frame(self, uid: int, image_buffer: bytes, length: int, info: EncodedVideoFrameInfo) -> None:
        with self.lock:
            if self.done.is_set():
                return
            self._file(f"{uid}.h264").write(image_buffer)
            self.keys[uid] += info.frame_type == 3  # VideoFrameType.KEY
            self.sizes[uid] = (info.width, info.height)
            self._count(uid)

    def close(self) -> None:
        with self.lock:
            self.done.set()
            for f in self.files.values():
                f.close()


def run_receiver(args: argparse.Namespace, service: AgoraService) -> None:
    os.makedirs(args.output, exist_ok=True)
    saver = Saver(args.output, args.frames, args.jpeg)
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_video=0))
    user = conn.get_local_user()
    options = VideoSubscriptionOptions(encodedFrameOnly=args.encoded)
    if args.remoteUserId:
        user.subscribe_video(args.remoteUserId, options)
    else:
        user.subscribe_all_video(options)
    if args.encoded:
        user.register_video_encoded_frame_observer(saver)
    else:
        user.register_video_frame_observer(saver)
    conn.connect(args.token, args.channelId, args.userId)
    print("ready", flush=True)
    deadline = time.monotonic() + args.seconds
    while not saver.done.wait(0.1) and time.monotonic() < deadline:
        pass
    conn.release()
    saver.close()
    for uid, n in sorted(saver.counts.items()):
        w, h = saver.sizes[uid]
        keys = f", {saver.keys[uid]} key" if args.encoded else ""
        print(f"received {n} frames from {uid} ({w}x{h}{keys})")
    if not saver.counts:
        print("received nothing")


def parser() -> argparse.ArgumentParser:
    p = example_parser(__doc__, user_id="2")
    p.add_argument("--remoteUserId", default="", help="only this user (default: everyone)")
    p.add_argument("--encoded", action="store_true", help="save the encoded stream (.h264) instead of frames")
    p.add_argument("--jpeg", action="store_true", help="also save each user's first frame as JPEG")
    p.add_argument("--frames", type=int, default=150)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--output", default="received")
    return p


def main() -> None:
    run_example(parser(), run_receiver, enable_video=True)


if __name__ == "__main__":
    main()
