"""Video between processes: P publishers in one process send I420 at a fixed
frame rate; a receiver in this process counts frames and their latency (send
time carried in the frame's metadata, CLOCK_MONOTONIC is host-wide).

    python bench/bench_video_cross_process.py [--publishers 4] [--fps 30] [--seconds 5] [--size 1080p]

Reports frames/s sent and received, frames dropped (socket queue full or the
receiver behind), latency p50/p99 from send() to the observer, and CPU % of
each process.
"""

import argparse
import multiprocessing as mp
import os
import resource
import struct
import time

SIZES = {"360p": (640, 360), "720p": (1280, 720), "1080p": (1920, 1080)}


def publisher(channel, count, fps, seconds, size, ready, go, results):
    import numpy as np

    from agora_rtc import AgoraService, AgoraServiceConfig, RTCConnConfig, VideoPixelFormat

    w, h = SIZES[size]
    frame = np.random.default_rng(0).integers(0, 255, w * h * 3 // 2, dtype=np.uint8)
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="bench-xv", enable_video=1, use_string_uid=1))
        factory = svc.create_media_node_factory()
        senders = []
        for k in range(count):
            conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
            conn.connect("", channel, f"pub{k}")
            sender = factory.create_video_frame_sender()
            track = svc.create_custom_video_track_frame(sender)
            track.set_enabled(1)
            conn.get_local_user().publish_video(track)
            senders.append((conn, sender, track))
        ready.set()
        go.wait()
        cpu0 = time.process_time()
        start = time.monotonic()
        sent = 0
        for i in range(int(seconds * fps)):
            while time.monotonic() < start + i / fps:
                time.sleep(0.0005)
            for _, sender, _ in senders:
                sender.send(frame, VideoPixelFormat.I420, w, h, metadata=struct.pack("d", time.monotonic()))
                sent += 1
        elapsed = time.monotonic() - start
        time.sleep(0.5)
        dropped = svc.get_parameter_number("loopback.stats.remote_video_dropped")
        results.put(dict(sent=sent, elapsed=elapsed, cpu=(time.process_time() - cpu0) / elapsed * 100,
                         dropped_send=dropped))
        for conn, _, _ in senders:
            conn.release()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--publishers", type=int, default=4)
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--size", choices=sorted(SIZES), default="1080p")
    args = p.parse_args()
    import numpy as np

    from agora_rtc import AgoraService, AgoraServiceConfig, IVideoFrameObserver, RTCConnConfig

    channel = f"bench-xv-{os.getpid()}"
    latencies = []

    class Count(IVideoFrameObserver):
        def on_frame(self, channel_id, uid, frame):
            latencies.append(time.monotonic() - struct.unpack("d", frame.metadata)[0])

    ctx = mp.get_context("spawn")
    ready, go, results = ctx.Event(), ctx.Event(), ctx.Queue()
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="bench-xv", enable_video=1, use_string_uid=1))
        rx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_video=1))
        rx.get_local_user().register_video_frame_observer(Count())
        rx.connect("", channel, "rx")
        proc = ctx.Process(target=publisher, args=(channel, args.publishers, args.fps, args.seconds, args.size,
                                                   ready, go, results))
        proc.start()
        ready.wait(60)
        deadline = time.monotonic() + 10
        while svc.get_parameter_number("loopback.stats.remote_members") < args.publishers:
            if time.monotonic() > deadline:
                raise SystemExit("the publishers never joined")
            time.sleep(0.01)
        usage0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
        go.set()
        r = results.get(timeout=args.seconds + 60)
        usage1, t1 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
        proc.join(30)
        received = len(latencies)
        dropped_rx = svc.get_parameter_number("loopback.stats.remote_video_dropped")
        rx.release()
    cpu_rx = (usage1.ru_utime + usage1.ru_stime - usage0.ru_utime - usage0.ru_stime) / (t1 - t0) * 100
    lat = np.array(latencies) * 1000
    print(f"{args.publishers} publishers x {args.size}{args.fps} in another process, {args.seconds:.0f} s:")
    print(f"  sent {r['sent'] / r['elapsed']:.0f} frames/s, received {received / r['elapsed']:.0f} frames/s "
          f"({received}/{r['sent']}), dropped: {r['dropped_send']:.0f} at send, {dropped_rx:.0f} at receive")
    if received:
        print(f"  latency send() -> observer: p50 {np.percentile(lat, 50):.2f} ms, p99 {np.percentile(lat, 99):.2f} ms,"
              f" max {lat.max():.2f} ms")
    print(f"  CPU: publisher process {r['cpu']:.0f}%, receiver process {cpu_rx:.0f}% (of one core)")


if __name__ == "__main__":
    main()
