"""Dispatched/asyncio figures: engine thread -> coroutine latency, frames/s
through ``async for`` with many receivers, and video: send() -> ``async for``
latency of 720p frames at 30 fps (the send time rides in the frame's metadata).

    python bench/bench_aio.py [--receivers 100] [--seconds 3]
"""

import argparse
import asyncio
import time

import numpy as np

from agora_rtc.aio import AgoraService, AgoraServiceConfig


async def latency(seconds):
    """Idle loop, one talker, one receiver: queued_ns -> coroutine wake-up."""
    async with AgoraService(AgoraServiceConfig(appid="bench", use_string_uid=1)) as svc:
        rx, tx = svc.create_connection(), svc.create_connection()
        await rx.connect("", "lat", "rx")
        await tx.connect("", "lat", "tx")
        sender = svc.create_pcm_sender()
        tx.local_user.publish_audio(sender.track)
        frames = int(seconds * 100)
        await sender.send(np.zeros(160 * frames, np.int16)[: 16000 * 10], min(160 * frames, 160000), 16000)
        samples = []
        async with rx.local_user.audio_frames("tx") as stream:
            async for frame in stream:
                samples.append((time.monotonic_ns() - frame.queued_ns) / 1000)
                if len(samples) >= min(frames, 1000):
                    break
        samples.sort()
        return samples[len(samples) // 2], samples[int(len(samples) * 0.99)], len(samples), svc.stats()


async def wake_floor(count=300):
    """The platform's floor, nothing of ours: a thread writes a byte to a pipe every
    10 ms; latency to the loop's add_reader callback and to a coroutine awaiting a
    future that callback completes (the same two steps our delivery takes)."""
    import os
    import threading
    loop = asyncio.get_running_loop()
    r, w = os.pipe()
    os.set_blocking(r, False)
    sent, to_callback, to_coroutine = [], [], []
    waiter = [loop.create_future()]

    def on_read():
        os.read(r, 64)
        to_callback.append((time.monotonic_ns() - sent[-1]) / 1000)
        waiter[0].set_result(sent[-1])

    def writer():
        for _ in range(count):
            time.sleep(0.01)
            sent.append(time.monotonic_ns())
            os.write(w, b"x")

    loop.add_reader(r, on_read)
    threading.Thread(target=writer, daemon=True).start()
    for _ in range(count):
        t = await waiter[0]
        to_coroutine.append((time.monotonic_ns() - t) / 1000)
        waiter[0] = loop.create_future()
    loop.remove_reader(r)
    os.close(r)
    os.close(w)
    to_callback.sort()
    to_coroutine.sort()
    pick = lambda s, q: s[min(len(s) - 1, int(len(s) * q))]  # noqa: E731
    return pick(to_callback, .5), pick(to_callback, .99), pick(to_coroutine, .5), pick(to_coroutine, .99)


async def video_latency(seconds, width=1280, height=720, fps=30):
    import struct

    from agora_rtc import VideoPixelFormat
    async with AgoraService(AgoraServiceConfig(appid="bench", use_string_uid=1)) as svc:
        rx, tx = svc.create_connection(), svc.create_connection()
        await rx.connect("", "vlat", "rx")
        await tx.connect("", "vlat", "tx")
        sender = svc.sync.create_media_node_factory().create_video_frame_sender()
        track = svc.sync.create_custom_video_track_frame(sender)
        tx.local_user.publish_video(track)
        frame, count = bytes(width * height * 3 // 2), int(seconds * fps)
        samples = []

        async def receive():
            async with rx.local_user.video_frames("tx") as stream:
                async for f in stream:
                    samples.append((time.monotonic() - struct.unpack("d", f.metadata)[0]) * 1e6)
                    if len(samples) == count:
                        break

        task = asyncio.create_task(receive())
        await asyncio.sleep(0.05)
        start = time.monotonic()
        for i in range(count):
            await asyncio.sleep(max(0.0, start + i / fps - time.monotonic()))
            sender.send(frame, VideoPixelFormat.I420, width, height, metadata=struct.pack("d", time.monotonic()))
        await asyncio.wait_for(task, 10)
        samples.sort()
        return samples[len(samples) // 2], samples[int(len(samples) * 0.99)], len(samples), svc.stats()


async def throughput(receivers, seconds):
    async with AgoraService(AgoraServiceConfig(appid="bench", use_string_uid=1)) as svc:
        svc.set_parameters({"loopback.clock_speed": 5})
        tx = svc.create_connection()
        await tx.connect("", "many", "tx")
        conns = []
        for i in range(receivers):
            c = svc.create_connection()
            await c.connect("", "many", f"rx{i}")
            conns.append(c)
        counts = [0] * receivers

        async def consume(i, conn):
            async with conn.local_user.audio_frames("tx") as stream:
                async for _ in stream:
                    counts[i] += 1

        tasks = [asyncio.create_task(consume(i, c)) for i, c in enumerate(conns)]
        sender = svc.create_pcm_sender()
        tx.local_user.publish_audio(sender.track)
        second = np.zeros(16000, np.int16)
        for _ in range(int(seconds * 5) + 1):
            await sender.send(second, 16000, 16000)
        t0 = time.perf_counter()
        await asyncio.sleep(seconds)
        elapsed = time.perf_counter() - t0
        total = sum(counts)
        for t in tasks:
            t.cancel()
        return total / elapsed, svc.stats()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--receivers", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    cb50, cb99, co50, co99 = asyncio.run(wake_floor())
    print(f"platform floor (a thread's pipe write -> add_reader callback): p50 {cb50:.0f} us, p99 {cb99:.0f} us; "
          f"-> a coroutine: p50 {co50:.0f} us, p99 {co99:.0f} us")
    p50, p99, n, stats = asyncio.run(latency(args.seconds))
    print(f"engine thread -> coroutine: p50 {p50:.1f} us, p99 {p99:.1f} us over {n} frames "
          f"(dropped {stats['dropped']}); ours over the floor: p50 {p50 - co50:+.0f} us")
    p50, p99, n, stats = asyncio.run(video_latency(args.seconds))
    print(f"video 720p30 send() -> async for: p50 {p50:.0f} us, p99 {p99:.0f} us over {n} frames "
          f"(dropped {stats['dropped']}; includes the engine's copy and the dispatcher's)")
    fps, stats = asyncio.run(throughput(args.receivers, args.seconds))
    print(f"async for, {args.receivers} receivers at 5x real time: {fps:,.0f} frames/s "
          f"(dropped {stats['dropped']}, offered {args.receivers * 500:,} frames/s)")


if __name__ == "__main__":
    main()
