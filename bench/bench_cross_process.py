"""Scale across processes: N connections spread over P processes, in pairs
(the two members of each channel live in different processes), every
connection sending 16 kHz mono audio and receiving its partner's, in real time.

    python bench/bench_cross_process.py [--connections 200] [--processes 8] [--seconds 10]
    python bench/bench_cross_process.py --sweep 50,100,200 [--out scale.md]

Reports CPU % per process and in total, frames received/lost, jitter-buffer
underruns and the engines' late clock ticks.
"""

import argparse
import json
import multiprocessing as mp
import os
import resource
import tempfile
import time


def worker(index, processes, connections, seconds, ready, go, results):
    import numpy as np

    from agora_rtc import AgoraService, AgoraServiceConfig, IAudioFrameObserver, RTCConnConfig

    class Count(IAudioFrameObserver):
        def __init__(self):
            self.frames = 0

        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            self.frames += 1

    channels = connections // 2
    mine = [(k, side) for k in range(channels) for side in (0, 1) if (k + side) % processes == index]
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="scale", use_string_uid=1))
        counters, senders = [], []
        factory = svc.create_media_node_factory()
        for k, side in mine:
            conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
            counter = Count()
            conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
            conn.get_local_user().register_audio_frame_observer(counter)
            conn.connect("", f"pair{k}", f"u{k}-{side}")
            sender = factory.create_audio_pcm_data_sender()
            track = svc.create_custom_audio_track_pcm(sender)
            track.set_max_buffer_audio_frame_number(int(seconds * 100) + 100)
            conn.get_local_user().publish_audio(track)
            counters.append(counter)
            senders.append(sender)
        ready.put(index)
        go.wait()
        second = (np.sin(np.arange(16000) / 16000 * 2 * np.pi * 300) * 5000).astype(np.int16)
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        for sender in senders:
            for _ in range(int(seconds)):
                sender.send(second, 16000, 16000)
        time.sleep(seconds + 0.5)
        r1, t1 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        stat = {k: svc.get_parameter_number(f"loopback.stats.remote_{k}") for k in ("received", "lost", "underruns")}
        results.put({"process": index, "connections": len(mine), "cpu_percent": 100 * cpu / (t1 - t0),
                     "frames_delivered": sum(c.frames for c in counters),
                     "late_ticks": svc.get_parameter_number("loopback.late_ticks"), **stat})


def run(connections, processes, seconds, verbose=True):
    """One run; returns its totals (summed over the processes)."""
    ctx = mp.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=worker, args=(i, processes, connections, seconds, ready, go, results))
             for i in range(processes)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    time.sleep(1.0)  # let every HELLO be answered
    go.set()
    rows = sorted((results.get(timeout=seconds + 120) for _ in procs), key=lambda r: r["process"])
    for p in procs:
        p.join()
    if verbose:
        for r in rows:
            print(json.dumps(r))
    total = {k: sum(r[k] for r in rows) for k in ("cpu_percent", "frames_delivered", "received", "lost", "underruns",
                                                   "late_ticks")}
    total["expected"] = connections * seconds * 100
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--sweep", default="", help="comma-separated connection counts, e.g. 50,100,200: "
                                                    "one run each and a markdown table")
    parser.add_argument("--out", help="with --sweep: also write the table to this file")
    args = parser.parse_args()
    os.environ.setdefault("AGORA_RTC_LOOPBACK_DIR", tempfile.mkdtemp(prefix="agora-rtc-bench-"))
    if args.sweep:
        lines = [f"| connections ({args.processes} processes, {args.seconds:.0f} s) | CPU % of one core | "
                 "per connection | frames delivered | lost | underruns | late ticks |", "|---|---|---|---|---|---|---|"]
        for n in (int(v) for v in args.sweep.split(",")):
            t = run(n, args.processes, args.seconds, verbose=False)
            lines.append(f"| {n} | {t['cpu_percent']:.0f} | {t['cpu_percent'] / n:.2f} | "
                         f"{t['frames_delivered']:.0f}/{t['expected']:.0f} | {t['lost']:.0f} | {t['underruns']:.0f} | "
                         f"{t['late_ticks']:.0f} |")
            print(lines[-1], flush=True)
        if args.out:
            with open(args.out, "w") as f:
                f.write("\n".join(lines) + "\n")
        print("\n".join(lines))
        return
    t = run(args.connections, args.processes, args.seconds)
    print(f"{args.connections} connections / {args.processes} processes, {args.seconds:.0f} s: "
          f"CPU {t['cpu_percent']:.0f}% of one core in total ({t['cpu_percent'] / args.connections:.2f}% per "
          f"connection); delivered {t['frames_delivered']:.0f}/{t['expected']:.0f} frames; lost {t['lost']:.0f}; "
          f"underruns {t['underruns']:.0f}; late ticks {t['late_ticks']:.0f}")


if __name__ == "__main__":
    main()
