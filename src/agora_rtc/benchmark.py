"""``agora-rtc bench``: Python cost per PCM send, C->Python cost per received
frame, send->receive latency, and video: cost per raw/encoded send and per
delivered frame (direct and dispatched), all on the loopback engine.

    agora-rtc bench              # wall-clock figures
    agora-rtc bench --callgrind  # + instruction counts (repeatable; needs valgrind)
    agora-rtc bench --out DIR    # + DIR/report.md (figures and machine) and, with
                                 #   matplotlib (pip install 'agora-rtc[plots]'), DIR/latency.png, scale.png
    agora-rtc bench --scale 50,100,200,300  # connection counts for the real-time scale run

More (side by side with the official SDK, VAD, pacing, asyncio, many
processes) in the repository's bench/ folder.

Wall-clock figures take the minimum over repetitions of a median, the least
noisy estimate on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

from . import (AgoraService, AgoraServiceConfig, AudioFrame, AudioPcmDataSender, IAudioFrameObserver, LocalAudioTrack,
               LocalUser, RTCConnConfig, RTCConnection)
from ._progress import Progress


def make_service(speed: float = 1) -> AgoraService:
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="bench", use_string_uid=1))
    svc.set_parameters({"loopback.clock_speed": speed})
    return svc


def publisher(svc: AgoraService, channel: str,
              uid: str) -> tuple[RTCConnection, AudioPcmDataSender, LocalAudioTrack]:
    conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.connect("", channel, uid)
    factory = svc.create_media_node_factory()
    sender = factory.create_audio_pcm_data_sender()
    track = svc.create_custom_audio_track_pcm(sender)
    conn.get_local_user().publish_audio(track)
    return conn, sender, track


def bench_send(svc: AgoraService, reps: int = 7, calls: int = 20000) -> dict[str, float]:
    """Seconds per send() of one 10 ms frame, 16 kHz mono and 48 kHz stereo."""
    results: dict[str, float] = {}
    for rate, channels in ((16000, 1), (48000, 2)):
        _, sender, track = publisher(svc, f"send{rate}", f"s{rate}")
        track.set_max_buffer_audio_frame_number(calls + 10)
        spc = rate // 100
        frame = np.zeros(spc * channels, np.int16)
        send = sender.send
        samples = []
        for _ in range(reps):
            track.clear_sender_buffer()
            t0 = time.perf_counter()
            for _ in range(calls):
                send(frame, spc, rate, channels)
            samples.append((time.perf_counter() - t0) / calls)
        results[f"{rate // 1000}k{'stereo' if channels == 2 else 'mono'}"] = min(samples)
    return results


class Counter(IAudioFrameObserver):
    def __init__(self) -> None:
        self.n = 0

    def on_playback_audio_frame_before_mixing(self, local_user: LocalUser, channel_id: str, uid: str,
                                              frame: AudioFrame) -> None:
        self.n += 1


def bench_callback(frames: int = 20000, receivers: int = 8) -> tuple[float, int]:
    """CPU seconds per delivered frame: with a Python observer minus without."""

    def run(observe: bool) -> tuple[float, int, int]:
        svc = make_service(speed=1000)
        try:
            conns: list[RTCConnection] = []
            counters: list[Counter] = []
            for i in range(receivers):
                c = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
                c.connect("", "cb", f"r{i}")
                c.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
                counter = Counter()
                if observe:
                    c.get_local_user().register_audio_frame_observer(counter)
                conns.append(c)
                counters.append(counter)
            _, sender, track = publisher(svc, "cb", "talker")
            per_rx = frames // receivers
            track.set_max_buffer_audio_frame_number(per_rx + 10)
            second = np.zeros(16000, np.int16)
            for _ in range(per_rx // 100):
                sender.send(second, 16000, 16000)
            per_rx = per_rx // 100 * 100
            # The engine plays the queue out at 1000x; both runs wait equally long.
            cpu0 = time.process_time()
            time.sleep(per_rx * 0.01 / 1000 + 0.3)
            return time.process_time() - cpu0, per_rx * receivers, sum(c.n for c in counters)
        finally:
            svc.release()

    base_cpu, _, _ = run(False)
    cpu, n, delivered = run(True)
    return (cpu - base_cpu) / max(delivered, 1), delivered


def bench_latency(seconds: float = 3.0) -> tuple[list[float], int]:
    """Send one 10 ms frame per real 10 ms; measure when each arrives."""
    svc = make_service(speed=1)
    try:
        rx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        rx.connect("", "lat", "rx")
        sent_at: dict[int, float] = {}
        arrived: dict[int, float] = {}

        class Stamp(IAudioFrameObserver):
            def on_playback_audio_frame_before_mixing(self, local_user: LocalUser, channel_id: str, uid: str,
                                                      frame: AudioFrame) -> None:
                arrived[frame.presentation_ms] = time.perf_counter()

        rx.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
        rx.get_local_user().register_audio_frame_observer(Stamp())
        _, sender, _ = publisher(svc, "lat", "tx")
        frame = np.zeros(160, np.int16)
        n = int(seconds * 100)
        start = time.perf_counter()
        for i in range(n):
            target = start + i * 0.01
            while time.perf_counter() < target:
                time.sleep(0.0005)
            sent_at[i + 1] = time.perf_counter()
            sender.send(frame, 160, 16000, presentation_ms=i + 1)
        time.sleep(0.1)
        lat = sorted((arrived[k] - sent_at[k]) * 1000 for k in sent_at if k in arrived)
        return lat, n
    finally:
        svc.release()


CALLGRIND_SCRIPT = """
import numpy as np
from agora_rtc.benchmark import make_service, publisher
svc = make_service()
_, sender, track = publisher(svc, "cg", "cg")
track.set_max_buffer_audio_frame_number(20010)
frame = np.zeros(160, np.int16)
for _ in range(20000):
    sender.send(frame, 160, 16000, 1)
svc.release()
"""


def callgrind_send() -> tuple[float, float] | None:
    """Instructions per send() call, split into Python+_core and the engine."""
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "cg.py")
        with open(script, "w") as f:
            f.write(CALLGRIND_SCRIPT)
        out = os.path.join(tmp, "cg.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        "--toggle-collect=__pyx_pw_9agora_rtc_5_core_9PcmSender_5send", sys.executable, script],
                       check=True, capture_output=True)
        ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", out], capture_output=True, text=True).stdout
        total: int | None = None
        engine: int | None = None
        for line in ann.splitlines():
            parts = line.split()
            if not parts or not parts[0].replace(",", "").isdigit():
                continue
            count = int(parts[0].replace(",", ""))
            if "PROGRAM TOTALS" in line:
                total = count
            elif "agora_audio_pcm_data_sender_send" in line and engine is None:
                engine = count
        if total is None:
            return None
        return total / 20000, (engine or 0) / 20000


def bench_video(reps: int = 5) -> dict[str, float]:
    """Video: seconds per raw send (track unpublished: the binding's own cost; published: + the
    engine's copy), per encoded send, and process CPU per delivered 720p frame, direct vs dispatched."""
    from .video import EncodedVideoFrameInfo, IVideoFrameObserver, VideoFrame, VideoPixelFormat
    out: dict[str, float] = {}
    svc = make_service()
    try:
        conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        conn.connect("", "bench-video", "camera")
        factory = svc.create_media_node_factory()
        sender = factory.create_video_frame_sender()
        track = svc.create_custom_video_track_frame(sender)
        for name, (w, h) in (("720p", (1280, 720)), ("1080p", (1920, 1080))):
            frame = bytes(w * h * 3 // 2)
            for published, calls in ((False, 5000), (True, 200)):
                if published:
                    conn.get_local_user().publish_video(track)
                samples: list[float] = []
                for _ in range(reps):
                    t0 = time.perf_counter()
                    for _ in range(calls):
                        sender.send(frame, VideoPixelFormat.I420, w, h)
                    samples.append((time.perf_counter() - t0) / calls)
                    time.sleep(0.05)  # the engine thread drains its queue
                out[f"send {name} I420, {'published' if published else 'unpublished'}"] = min(samples)
                if published:
                    conn.get_local_user().unpublish_video(track)
        enc = factory.create_video_encoded_image_sender()
        enc_track = svc.create_custom_video_track_encoded(enc)
        conn.get_local_user().publish_video(enc_track)
        unit, info = bytes(50_000), EncodedVideoFrameInfo(codec_type=2, width=1280, height=720, frame_type=4)
        samples = []
        for _ in range(reps):
            t0 = time.perf_counter()
            for _ in range(2000):
                enc.send_encoded_video_image(unit, info)
            samples.append((time.perf_counter() - t0) / 2000)
            time.sleep(0.05)
        out["send encoded 50 kB access unit"] = min(samples)
        conn.release()

        class Count(IVideoFrameObserver):
            n = 0

            def on_frame(self, channel_id: str, uid: str, frame: VideoFrame) -> None:
                Count.n += 1

        for mode in ("direct", "dispatched"):
            viewer = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_video=1))
            counter = Count()
            viewer.get_local_user().register_video_frame_observer(
                counter, dispatcher=svc.dispatcher if mode == "dispatched" else None)
            viewer.connect("", f"bench-video-{mode}", "viewer")
            cam = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
            cam.connect("", f"bench-video-{mode}", "camera")
            s = factory.create_video_frame_sender()
            t = svc.create_custom_video_track_frame(s)
            cam.get_local_user().publish_video(t)
            frame, frames = bytes(1280 * 720 * 3 // 2), 300
            Count.n = 0
            c0 = time.process_time()
            for _ in range(frames):
                s.send(frame, VideoPixelFormat.I420, 1280, 720)
                time.sleep(0.001)  # paced, so the queue (64 frames) never drops
            deadline = time.monotonic() + 10
            while Count.n < frames and time.monotonic() < deadline:
                time.sleep(0.005)
            out[f"process CPU per 720p frame sent+delivered, {mode}"] = (time.process_time() - c0) / max(Count.n, 1)
            out[f"frames delivered, {mode}"] = Count.n
            cam.release()
            viewer.release()
    finally:
        svc.release()
    return out


def bench_scale(counts: list[int], seconds: float = 10.0) -> list[dict[str, float]]:
    """Pairs of bots exchanging 16 kHz mono audio in real time, *counts* connections at a
    time: process CPU (% of one core), frames received of those sent, late engine ticks and
    sender underruns. Every frame carries its number, so order is checked too."""
    from .consumer import AudioConsumer

    class Numbered(IAudioFrameObserver):
        def __init__(self) -> None:
            self.frames = 0
            self.out_of_order = 0

        def on_playback_audio_frame_before_mixing(self, local_user: LocalUser, channel_id: str, uid: str,
                                                  frame: AudioFrame) -> None:
            if np.frombuffer(memoryview(frame), np.int16)[0] != self.frames % 30000:
                self.out_of_order += 1
            self.frames += 1

    frames = int(seconds * 100)
    signal = np.full((frames, 160), 2000, np.int16)
    signal[:, 0] = np.arange(frames) % 30000  # each frame starts with its number
    rows = []
    for n in counts:
        svc = make_service()
        try:
            bots = []
            for i in range(n):
                conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
                user = conn.get_local_user()
                user.set_playback_audio_frame_before_mixing_parameters(1, 16000)
                counter = Numbered()
                user.register_audio_frame_observer(counter)
                conn.connect("", f"scale{i // 2}", f"bot{i}")
                sender = svc.create_media_node_factory().create_audio_pcm_data_sender()
                user.publish_audio(svc.create_custom_audio_track_pcm(sender))
                bots.append((counter, AudioConsumer(sender, 16000, 1)))
            time.sleep(0.5)  # everyone joined
            late0 = svc.get_parameter_number("loopback.late_ticks")
            cpu0, wall0 = time.process_time(), time.monotonic()
            for _, consumer in bots:  # the whole stream up front: the engine paces it
                consumer.push_pcm_data(signal)
            for _, consumer in bots:
                consumer.wait_for_playout(timeout=seconds * 3 + 10)
            cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
            rows.append({"connections": n, "cpu_percent": 100 * cpu / wall,
                         "received": sum(c.frames for c, _ in bots), "expected": n * frames,
                         "out_of_order": sum(c.out_of_order for c, _ in bots),
                         "late_ticks": svc.get_parameter_number("loopback.late_ticks") - late0,
                         "underruns": sum(consumer.stats()["underruns"] for _, consumer in bots)})
        finally:
            svc.release()
    return rows


def write_report(folder: str, lines: list[tuple[str, str]], latencies: list[float],
                 scale: list[dict[str, float]] | None = None) -> None:
    """report.md with the figures and the machine; latency.png when matplotlib is installed."""
    import platform
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "report.md"), "w") as f:
        f.write("# agora-rtc bench\n\n")
        f.write(f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}\n")
        f.write(f"- Python {platform.python_version()}, numpy {np.__version__}\n\n")
        f.write("| figure | value |\n|---|---|\n")
        for name, value in lines:
            f.write(f"| {name} | {value} |\n")
        if scale:
            f.write("\n## Scale: pairs exchanging 16 kHz audio in real time\n\n"
                    "| connections | CPU (% of one core) | frames received / sent | out of order | late ticks "
                    "| underruns |\n|---|---|---|---|---|---|\n")
            for row in scale:
                f.write(f"| {row['connections']:.0f} | {row['cpu_percent']:.1f} | {row['received']:.0f} / "
                        f"{row['expected']:.0f} | {row['out_of_order']:.0f} | {row['late_ticks']:.0f} | "
                        f"{row['underruns']:.0f} |\n")
    try:
        # matplotlib is optional (the plots extra)
        import matplotlib  # type: ignore[import-not-found, unused-ignore]
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        print("(no plot: pip install 'agora-rtc[plots]' for latency.png)")
        return
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(latencies, bins=50)
    ax.set_xlabel("send -> receive latency (ms), 16 kHz audio frames")
    ax.set_ylabel("frames")
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "latency.png"), dpi=120)
    plt.close(fig)
    if scale:
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot([r["connections"] for r in scale], [r["cpu_percent"] for r in scale], marker="o")
        ax.set_xlabel("connections (pairs exchanging 16 kHz audio)")
        ax.set_ylabel("process CPU, % of one core")
        ax.set_ylim(bottom=0)
        fig.tight_layout()
        fig.savefig(os.path.join(folder, "scale.png"), dpi=120)
        plt.close(fig)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--callgrind", action="store_true", help="also count instructions with valgrind")
    parser.add_argument("--out", help="write report.md (and latency.png, scale.png with matplotlib) into this folder")
    parser.add_argument("--scale", default="50,100,200",
                        help="connection counts for the real-time scale run (comma-separated; '' skips it)")
    parser.add_argument("--scale-seconds", type=float, default=10.0, help="audio per connection in the scale run")


def main(args: argparse.Namespace | None = None) -> int:
    if args is None:
        parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
        add_arguments(parser)
        args = parser.parse_args()
    report: list[tuple[str, str]] = []
    counts = [int(v) for v in args.scale.split(",") if v.strip()] if args.scale else []
    progress = Progress(5 + int(args.callgrind) + len(counts), "agora-rtc bench")
    done = 0

    def step(label: str) -> None:
        nonlocal done
        progress.update(done, label)
        done += 1

    def say(name: str, value: str) -> None:
        progress.console_line(f"{name}: {value}")
        report.append((name, value))

    try:
        step("PCM send()")
        svc = make_service()
        try:
            for name, secs in bench_send(svc).items():
                say(f"send() per 10 ms frame, {name}", f"{secs * 1e6:.3f} us (wall, min of 7 x 20000)")
        finally:
            svc.release()
        step("C->Python delivery")
        per_frame, delivered = bench_callback()
        say("C->Python per delivered frame", f"{per_frame * 1e6:.3f} us CPU ({delivered} frames, direct mode)")
        step("send->receive latency")
        lat, n = bench_latency()
        p50, p99 = lat[len(lat) // 2], lat[int(len(lat) * 0.99)]
        say("send->receive latency", f"p50 {p50:.2f} ms ({p50 / 10:.2f} frames), p99 {p99:.2f} ms "
            f"({p99 / 10:.2f} frames), {len(lat)}/{n} frames arrived")
        step("video")
        for name, value in bench_video().items():
            say(f"video {name}", f"{value}" if name.startswith("frames") else f"{value * 1e6:.2f} us")
        if args.callgrind:
            step("callgrind send()")
            cg = callgrind_send()
            if cg:
                total, engine = cg
                say("callgrind send()", f"{total:.0f} instructions per call, {engine:.0f} in the engine, "
                    f"{total - engine:.0f} in Python+_core")
        scale = []
        for count in counts:
            step(f"scale: {count} connections in real time")
            scale += bench_scale([count], args.scale_seconds)
        for row in scale:
            say(f"scale, {row['connections']:.0f} connections in real time",
                f"{row['cpu_percent']:.1f}% of one core, {row['received']:.0f}/{row['expected']:.0f} frames "
                f"({row['out_of_order']:.0f} out of order), {row['late_ticks']:.0f} late ticks, "
                f"{row['underruns']:.0f} underruns")
        step("done")
        progress.update(done)
    finally:
        progress.close()
    if args.out:
        write_report(args.out, report, lat, scale)
        print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    main()
