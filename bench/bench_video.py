"""Raw video send cost, side by side in one run (min/median of repeated timings):

* ours, track unpublished: the binding's own cost per send (argument and
  buffer checks, the C call) -- the frame is discarded before any copy, so
  this is the Python-side (GIL-held) cost, and it does not grow with size;
* ours, published: the whole send, including the C conversion/copy into the
  engine's queue, done with the GIL released;
* ctypes ``from_buffer_copy`` of the same frame, the official SDK's way of
  handing a frame to C (GIL held throughout), for the ratio.
And receiver throughput: frames/s delivered to a Python observer for N
publishers sending 720p or 1080p I420 as fast as they can for a few seconds.

    python bench/bench_video.py [--repeat 200] [--publishers 10]
"""

import argparse
import ctypes
import os
import statistics
import threading
import time

import numpy as np

os.environ.setdefault("AGORA_RTC_LOOPBACK_TRANSPORT", "off")

from agora_rtc import (AgoraService, AgoraServiceConfig, IVideoFrameObserver, RTCConnConfig,  # noqa: E402
                       VideoPixelFormat)

I420 = VideoPixelFormat.I420
SIZES = {"64x64": (64, 64), "720p": (1280, 720), "1080p": (1920, 1080)}


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    return min(times) / 1000, statistics.median(times) / 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--publishers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="bench", use_string_uid=1))
    factory = svc.create_media_node_factory()
    rx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_video=1))
    received = [0]

    class Count(IVideoFrameObserver):
        def on_frame(self, channel_id, uid, frame):
            received[0] += 1

    rx.get_local_user().register_video_frame_observer(Count())
    rx.connect("", "bench", "rx")
    tx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    tx.connect("", "bench", "tx")
    sender = factory.create_video_frame_sender()
    track = svc.create_custom_video_track_frame(sender)

    print(f"{'frame':>6} {'ours unpublished':>18} {'ours published':>18} {'ctypes copy':>14}  (us, min/median)")
    for name, (w, h) in SIZES.items():
        frame = np.random.default_rng(0).integers(0, 256, w * h * 3 // 2, dtype=np.uint8)
        raw = bytearray(frame.tobytes())
        ctype = ctypes.c_uint8 * len(raw)
        unpub = timed(lambda: sender.send(frame, I420, w, h), args.repeat)
        tx.get_local_user().publish_video(track)
        pub = timed(lambda: sender.send(frame, I420, w, h), args.repeat)
        tx.get_local_user().unpublish_video(track)
        copy = timed(lambda: ctype.from_buffer_copy(raw), args.repeat)
        print(f"{name:>6} {unpub[0]:8.2f}/{unpub[1]:8.2f} {pub[0]:8.1f}/{pub[1]:8.1f} {copy[0]:6.1f}/{copy[1]:6.1f}"
              f"   ctypes copy / ours unpublished (min) = {copy[0] / unpub[0]:.0f}x")

    for name in ("720p", "1080p"):
        w, h = SIZES[name]
        frame = np.random.default_rng(1).integers(0, 256, w * h * 3 // 2, dtype=np.uint8)
        pubs = []
        for i in range(args.publishers):
            c = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
            c.connect("", "bench", f"p{i}")
            s = factory.create_video_frame_sender()
            t = svc.create_custom_video_track_frame(s)
            c.get_local_user().publish_video(t)
            pubs.append((c, s, t))
        stop = time.monotonic() + args.seconds
        sent = [0] * len(pubs)

        def run(i):
            s = pubs[i][1]
            due = time.monotonic()
            while due < stop:  # 30 fps per publisher, on absolute deadlines
                s.send(frame, I420, w, h)
                sent[i] += 1
                due += 1 / 30
                time.sleep(max(0.0, due - time.monotonic()))

        received[0] = 0
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(pubs))]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(0.2)
        elapsed = min(time.monotonic() - t0, args.seconds)
        dropped = sum(p[2].stats()["dropped_frames"] for p in pubs)
        print(f"{name}30 x {len(pubs)} publishers: sent {sum(sent) / elapsed:.0f} frames/s, received "
              f"{received[0] / elapsed:.0f} frames/s, dropped {dropped} (target {30 * len(pubs)} frames/s)")
        for c, s, t in pubs:
            t.release()
            s.release()
            c.release()
    svc.release()


if __name__ == "__main__":
    main()
