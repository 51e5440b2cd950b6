"""agora_rtc side by side with Agora's official Python SDK, on the same engine,
in one run (issue 9). The official SDK is fetched from PyPI and run unmodified
(see agora_rtc.official); each side runs in its own process (one service per
process), the same workloads, interleaved, several times.

    python bench/bench_official.py [--reps 5] [--callgrind CALLS] [--out DIR] [--json out.json]

Workloads:
  send      CPU of the calling thread per 10 ms PCM frame handed to the engine (16 kHz mono):
            official 2.4 ``RTCConnection.push_audio_pcm_data(bytearray, ...)``
            vs ours ``AudioPcmDataSender.send(bytes, ...)``.
  video     CPU of the calling thread per raw I420 frame sent (720p, 1080p), 2.4 API on both sides:
            official ``RTCConnection.push_video_frame(ExternalVideoFrame)`` (a new frame per call,
            as its examples do) vs ours (the same call, and our fast path ``VideoFrameSender.send(buffer, I420, w, h)``). Measured twice:
            track unpublished (the engine discards the frame at once: the SDK layer's own cost,
            what holds the GIL) and published (plus the engine's copy into its queue).
  encoded   CPU of the calling thread per encoded image sent (30 KB, track unpublished), 2.4 API on both
            sides: ``RTCConnection.push_video_encoded_data(bytes, EncodedVideoFrameInfo)``, a new info per call.
  receive   process CPU per remote frame delivered to a Python
            ``on_playback_audio_frame_before_mixing`` (4 publishers at 16 kHz,
            test clock 20x), minus the same run with no observer (the engine's
            own cost), so only the C->Python delivery is compared.
Figures are the minimum over repetitions (least disturbed by other load).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap

from agora_rtc import official

SEND_CALLS = 20000
RECV_SECONDS = 3.0
PUBLISHERS = 4
SPEED = 20

# One program text for both sides: `sdk` selects the API. Each prints JSON.
CHILD = textwrap.dedent(r"""
import json, sys, time
sdk, workload, observe = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
SEND_CALLS, RECV_SECONDS, PUBLISHERS, SPEED = (int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]),
                                               float(sys.argv[7]))
RATE = 16000
FRAME = bytearray(320)  # 10 ms of 16 kHz mono silence
delivered = 0

if sdk == "official":
    from agora.rtc.agora_base import RtcConnectionPublishConfig, RTCConnConfig
    from agora.rtc.agora_service import AgoraService, AgoraServiceConfig
    from agora.rtc.audio_frame_observer import IAudioFrameObserver

    service = AgoraService()
    config = AgoraServiceConfig()
    config.appid = "aab8b8f5a8cd4469a63042fcfafe7063"
    service.initialize(config)
    service.get_agora_parameter().set_parameters(json.dumps({"loopback.clock_speed": SPEED}))

    def publisher(channel, uid):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=0), RtcConnectionPublishConfig())
        conn.connect("", channel, uid)
        conn.publish_audio()
        push = conn.push_audio_pcm_data

        def loop(n):
            for _ in range(n):
                push(FRAME, RATE, 1)

        # clear: the 2.4 API's interrupt_audio() republishes in the AI scenario; use its track's clear
        return loop, conn._audio_track.clear_sender_buffer

    def subscriber(channel, uid, observer):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1),
                                             RtcConnectionPublishConfig(is_publish_audio=False))
        conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
        if observer:
            conn.register_audio_frame_observer(observer, 0, None)
        conn.connect("", channel, uid)
        return conn
else:
    from agora_rtc import AgoraService, AgoraServiceConfig, IAudioFrameObserver, RTCConnConfig

    service = AgoraService()
    service.initialize(AgoraServiceConfig(appid="aab8b8f5a8cd4469a63042fcfafe7063"))
    service.set_parameters({"loopback.clock_speed": SPEED})
    factory = service.create_media_node_factory()

    def publisher(channel, uid):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=0))
        conn.connect("", channel, uid)
        sender = factory.create_audio_pcm_data_sender()
        track = service.create_custom_audio_track_pcm(sender)
        track.set_max_buffer_audio_frame_number(100000)
        conn.get_local_user().publish_audio(track)
        data = bytes(FRAME)
        send = sender.send

        def loop(n):
            for _ in range(n):
                send(data, 160, RATE, 1)

        return loop, track.clear_sender_buffer

    def subscriber(channel, uid, observer):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        user = conn.get_local_user()
        user.set_playback_audio_frame_before_mixing_parameters(1, RATE)
        if observer:
            user.register_audio_frame_observer(observer)
        conn.connect("", channel, uid)
        return conn


class Count(IAudioFrameObserver):
    def on_playback_audio_frame_before_mixing(self, *args):
        global delivered
        delivered += 1
        return 1


def video_sender(width, height, publish, uid="1"):
    if sdk == "official":
        from agora.rtc.agora_base import ExternalVideoFrame, RtcConnectionPublishConfig, VideoPublishType
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
            is_publish_audio=False, is_publish_video=True, video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV))
    else:
        from agora_rtc import ExternalVideoFrame, RtcConnectionPublishConfig, VideoPublishType
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
            is_publish_audio=False, is_publish_video=True, video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV))
    conn.connect("", "video", uid)
    if publish:
        conn.publish_video()
    buf = bytearray(width * height * 3 // 2)
    push = conn.push_video_frame

    # Each loop is the SDK call as a user writes it, n times (no lambda in between: its frame would cost as
    # much as our whole send). A new frame per call, as the official examples do: its send_video_frame()
    # sets frame.buffer to None. Format 1 (I420) as a literal on both sides.
    def push_loop(n):
        rc = 0
        for _ in range(n):
            rc = push(ExternalVideoFrame(type=1, format=1, buffer=buf, stride=width, height=height, timestamp=0))
        return rc

    loops = {"push_video_frame": push_loop}
    if sdk != "official":
        send = conn._publisher.video_sender.send
        data = bytes(buf)

        def send_loop(n):
            rc = 0
            for _ in range(n):
                rc = send(data, 1, width, height)
            return rc

        loops["send"] = send_loop
    return loops


# A connection publishing encoded images (2.4 API), unpublished: the engine drops each unit at once, so
# what is counted is the SDK layer. A 30 KB access unit (a 1080p H.264 P-frame's size), a new
# EncodedVideoFrameInfo per call as a sender of changing frame types writes it.
def encoded_sender():
    if sdk == "official":
        from agora.rtc.agora_base import EncodedVideoFrameInfo, RtcConnectionPublishConfig, VideoPublishType
    else:
        from agora_rtc import EncodedVideoFrameInfo, RtcConnectionPublishConfig, VideoPublishType
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
        is_publish_audio=False, is_publish_video=True,
        video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_ENCODED_IMAGE))
    conn.connect("", "encoded", "1")
    unit = bytes([0, 0, 0, 1, 0x41]) + bytes(30000)
    push = conn.push_video_encoded_data

    def loop(n):
        rc = 0
        for _ in range(n):
            rc = push(unit, EncodedVideoFrameInfo(codec_type=2, width=1920, height=1080, frames_per_second=30,
                                                  frame_type=4))
        return rc

    return loop


if workload.startswith("encoded"):  # "encoded": CPU per call; "encodedcg:n": n calls under callgrind
    loop = encoded_sender()
    first = loop(20)
    if workload == "encoded":
        t0 = time.thread_time()
        loop(2000)
        print(json.dumps({"push_video_encoded_data": (time.thread_time() - t0) / 2000, "rc": first}))
    else:
        loop(int(workload.split(":")[1]))
        print(json.dumps({"calls": int(workload.split(":")[1]), "rc": first}))
elif workload.startswith("videocg"):  # under callgrind (bench/callgrind_video.py): n calls, no timing
    _, size, name, n = workload.split(":")
    width, height = {"720p": (1280, 720), "1080p": (1920, 1080)}[size]
    loop = video_sender(width, height, False)[name]
    assert loop(20) == 0
    loop(int(n))
    print(json.dumps({"calls": int(n)}))
elif workload.startswith("video"):
    _, size, published = workload.split(":")
    width, height = {"720p": (1280, 720), "1080p": (1920, 1080)}[size]
    calls = 300 if published == "1" else 2000  # a published 1080p send copies 3 MB: fewer calls
    out = {}
    for k, name in enumerate(("push_video_frame",) if sdk == "official" else ("push_video_frame", "send")):
        # A track of its own for each call: published, the engine's 64-frame queue fills up and every send then
        # frees the oldest 3 MB frame too, so a call measured second on the same track paid more.
        loop = video_sender(width, height, published == "1", str(k + 1))[name]
        rc = loop(20)
        assert rc == 0, f"{sdk} {name} returned {rc}: a failing call is not a measurement"
        t0 = time.thread_time()
        loop(calls)
        out[name] = (time.thread_time() - t0) / calls
        time.sleep(0.3)  # let the engine thread drain what was queued
    print(json.dumps(out))
elif workload == "send":
    loop, clear = publisher("send", "1")
    loop(SEND_CALLS)  # warm-up: the engine allocates its queue slots on first use
    clear()
    t0 = time.thread_time()  # the calling thread only: the engine thread's clock is not the send's cost
    loop(SEND_CALLS)
    print(json.dumps({"per_call_s": (time.thread_time() - t0) / SEND_CALLS}))
elif workload.startswith("sendcg"):  # under callgrind: n calls, no timing
    loop, clear = publisher("send", "1")
    loop(20)
    loop(int(workload.split(":")[1]))
    print(json.dumps({"calls": int(workload.split(":")[1])}))
else:
    sub = subscriber("recv", "900", Count() if observe else None)
    loops = [publisher("recv", str(i + 1))[0] for i in range(PUBLISHERS)]
    frames = int(RECV_SECONDS * SPEED * 100)
    for loop in loops:  # queue everything first: the clock then plays it out
        loop(frames)
    time.sleep(0.2)
    t0, w0 = time.process_time(), time.monotonic()
    time.sleep(RECV_SECONDS)
    cpu = time.process_time() - t0
    print(json.dumps({"cpu_s": cpu, "wall_s": time.monotonic() - w0, "delivered": delivered}))
""")


def run(root, sdk, workload, observe=True):
    env = dict(os.environ)
    if sdk == "official":
        env["PYTHONPATH"] = str(root)
    env["AGORA_RTC_LOOPBACK_TRANSPORT"] = "off"
    out = subprocess.run([sys.executable, "-c", CHILD, sdk, workload, "1" if observe else "0", str(SEND_CALLS),
                          str(RECV_SECONDS), str(PUBLISHERS), str(SPEED)], capture_output=True, text=True, env=env,
                         timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"{sdk} {workload} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def callgrind_instructions(root, sdk, workload, tmp):
    """Instructions of the calling (main) thread for one child run under callgrind."""
    # A fixed hash seed: otherwise start-up varies by ~1M instructions between runs (dict layouts), which is
    # ~100 per frame at 10,000 frames.
    env = dict(os.environ, AGORA_RTC_LOOPBACK_TRANSPORT="off", PYTHONHASHSEED="0")
    if sdk == "official":
        env["PYTHONPATH"] = str(root)
    out = os.path.join(tmp, "cg.out")
    # One file per thread: the calling (main) thread's count only, not the engine's clock ticks meanwhile.
    subprocess.run(["valgrind", "--tool=callgrind", "--separate-threads=yes", f"--callgrind-out-file={out}",
                    sys.executable, "-c", CHILD, sdk, workload, "0", str(SEND_CALLS), str(RECV_SECONDS),
                    str(PUBLISHERS), str(SPEED)], capture_output=True, text=True, env=env, check=True, timeout=900)
    with open(f"{out}-01") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(("totals:", "summary:")))


def per_call(root, sdk, workload, calls, tmp):
    """Instructions per call: a run with *calls* calls minus one with none, divided by *calls*."""
    base = callgrind_instructions(root, sdk, f"{workload}:0", tmp)
    return (callgrind_instructions(root, sdk, f"{workload}:{calls}", tmp) - base) / calls


# (figure, official call, our call, goal as official/ours, unit)
WALL_ROWS = [
    ("PCM send, 10 ms 16 kHz mono", "send official", "send agora_rtc", 5, "us"),
    ("raw video send 720p I420, unpublished", "720p unpublished official push_video_frame",
     "720p unpublished agora_rtc send", None, "us"),
    ("raw video send 1080p I420, unpublished", "1080p unpublished official push_video_frame",
     "1080p unpublished agora_rtc send", 30, "us"),
    ("raw video push_video_frame 1080p, unpublished (2.4 API on both)", "1080p unpublished official push_video_frame",
     "1080p unpublished agora_rtc push_video_frame", None, "us"),
    ("raw video send 1080p I420, published (+ the engine's 3 MB copy)", "1080p published official push_video_frame",
     "1080p published agora_rtc send", None, "us"),
    ("encoded video send, 30 KB unit, unpublished (2.4 push_video_encoded_data on both)", "encoded official",
     "encoded agora_rtc", None, "us"),
    ("C->Python delivery per 16 kHz frame", "receive official", "receive agora_rtc", 10, "us"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--callgrind", type=int, metavar="CALLS", default=0,
                        help="also count instructions per call under valgrind (repeatable), CALLS calls per run")
    parser.add_argument("--out", help="write official.md (and official.png with matplotlib) into this folder")
    args = parser.parse_args()
    from agora_rtc._progress import Progress

    root = official.prepare()
    samples = {}  # figure key -> [seconds per call], one per repetition

    def add(key, secs):
        samples.setdefault(key, []).append(secs)

    steps = args.reps * 2 * 7 + (11 if args.callgrind else 0)
    progress = Progress(steps, "side by side")
    done = 0

    def step(label):
        nonlocal done
        progress.update(done, label)
        done += 1

    try:
        for rep in range(args.reps):  # interleaved, so drift on the machine hits both sides alike
            for sdk in ("official", "agora_rtc"):
                step(f"rep {rep + 1}/{args.reps} {sdk}: PCM send")
                add(f"send {sdk}", run(root, sdk, "send")["per_call_s"])
                for size in ("720p", "1080p"):
                    for published, label in (("0", "unpublished"), ("1", "published")):
                        step(f"rep {rep + 1}/{args.reps} {sdk}: video {size} {label}")
                        for call, secs in run(root, sdk, f"video:{size}:{published}").items():
                            add(f"{size} {label} {sdk} {call}", secs)
                step(f"rep {rep + 1}/{args.reps} {sdk}: encoded video send")
                add(f"encoded {sdk}", run(root, sdk, "encoded")["push_video_encoded_data"])
                step(f"rep {rep + 1}/{args.reps} {sdk}: delivery")
                with_obs = run(root, sdk, "receive", observe=True)
                without = run(root, sdk, "receive", observe=False)
                add(f"frames {sdk}", with_obs["delivered"])
                if with_obs["delivered"]:
                    add(f"receive {sdk}", (with_obs["cpu_s"] - without["cpu_s"]) / with_obs["delivered"])
        counts = {}
        if args.callgrind:
            import tempfile

            import callgrind_callbacks
            with tempfile.TemporaryDirectory() as tmp:
                for sdk in ("official", "agora_rtc"):
                    step(f"callgrind: PCM send, {sdk}")
                    counts[f"send {sdk}"] = per_call(root, sdk, "sendcg", args.callgrind, tmp)
                for size in ("720p", "1080p"):
                    for sdk, call in (("official", "push_video_frame"), ("agora_rtc", "push_video_frame"),
                                      ("agora_rtc", "send")):
                        step(f"callgrind: video {size} {sdk} {call}")
                        counts[f"{size} unpublished {sdk} {call}"] = per_call(
                            root, sdk, f"videocg:{size}:{call}", args.callgrind, tmp)
                for sdk in ("official", "agora_rtc"):
                    step(f"callgrind: encoded video send, {sdk}")
                    counts[f"encoded {sdk}"] = per_call(root, sdk, "encodedcg", args.callgrind, tmp)
            step("callgrind: delivery")
            for mode, count in callgrind_callbacks.measure().items():
                counts[{"official": "receive official", "direct": "receive agora_rtc",
                        "dispatched": "receive agora_rtc dispatched"}[mode]] = count
    finally:
        progress.update(steps)
        progress.close()

    figures = {
        "seconds_per_call": {k: {"min": min(v), "median": statistics.median(v), "reps": len(v)}
                             for k, v in samples.items()},
        "instructions_per_call": counts,
        "ratios_official_over_ours": {},
    }
    for name, off, ours, goal, _ in WALL_ROWS:
        if off in samples and ours in samples and min(samples[ours]) > 0:
            figures["ratios_official_over_ours"][f"{name} (CPU, min)"] = min(samples[off]) / min(samples[ours])
        if off in counts and ours in counts:
            figures["ratios_official_over_ours"][f"{name} (instructions)"] = counts[off] / counts[ours]
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    if args.out:
        write_report(args.out, samples, counts, args)
        print(f"report written to {args.out}")


def write_report(folder, samples, counts, args):
    """official.md: every figure side by side with its ratio and goal, and the machine; official.png: the
    ratios against the goals (matplotlib, the plots extra)."""
    import platform
    os.makedirs(folder, exist_ok=True)
    rows = []  # (figure, kind, official, ours, ratio, goal)
    for name, off, ours, goal, _ in WALL_ROWS:
        if off in samples and ours in samples:
            o, u = min(samples[off]) * 1e6, min(samples[ours]) * 1e6
            om, um = statistics.median(samples[off]) * 1e6, statistics.median(samples[ours]) * 1e6
            rows.append((name, f"CPU us per call, min (median) of {len(samples[off])}", f"{o:.3f} ({om:.3f})",
                         f"{u:.3f} ({um:.3f})", o / u if u > 0 else float("nan"), goal))
        if off in counts and ours in counts:
            rows.append((name, f"instructions per call (callgrind, {args.callgrind} calls)"
                         if not off.startswith("receive") else "instructions per frame (callgrind)",
                         f"{counts[off]:,.0f}", f"{counts[ours]:,.0f}", counts[off] / counts[ours], goal))
    with open(os.path.join(folder, "official.md"), "w") as f:
        f.write("# agora_rtc side by side with Agora's official Python SDK (same engine, same run)\n\n")
        f.write(f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}\n")
        f.write(f"- Python {platform.python_version()}; official SDK {official.VERSION} from PyPI, run "
                f"unmodified on the loopback engine\n")
        f.write(f"- command: `python bench/bench_official.py --reps {args.reps}"
                f"{f' --callgrind {args.callgrind}' if args.callgrind else ''} --out {folder}`\n\n")
        f.write("| figure | measure | official | agora_rtc | official / ours | goal |\n|---|---|---|---|---|---|\n")
        for name, kind, o, u, ratio, goal in rows:
            if not ratio > 0:  # with-minus-without process CPU: ours can sink into the machine's noise
                f.write(f"| {name} | {kind} | {o} | {u} | - | ours is below this measure's noise: see the "
                        f"instruction count |\n")
                continue
            verdict = "" if goal is None else (f">= {goal}x: met" if ratio >= goal else f">= {goal}x: missed")
            f.write(f"| {name} | {kind} | {o} | {u} | {ratio:.1f}x | {verdict} |\n")
        if "receive agora_rtc dispatched" in counts:
            f.write(f"\nDispatched delivery: {counts['receive agora_rtc dispatched']:,.0f} instructions per frame on "
                    "the engine thread (the callback then runs on the dispatcher's thread).\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(no plot: pip install 'agora-rtc[plots]' for official.png)")
        return
    rows = [r for r in rows if r[4] > 0]
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.2))
    labels = [f"{name}\n{'instructions (callgrind)' if 'instructions' in kind else 'CPU time'}"
              for name, kind, *_ in rows]
    ratios = [r[4] for r in rows]
    ax.barh(range(len(rows)), ratios, color=["tab:blue" if "instructions" in r[1] else "tab:gray" for r in rows])
    for i, (*_, ratio, goal) in enumerate(rows):
        ax.text(ratio * 1.03, i, f"{ratio:.1f}x", va="center", fontsize=7)
        if goal:
            ax.plot([goal, goal], [i - 0.4, i + 0.4], color="tab:red")
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ticks = [1, 2, 5, 10, 20, 50, 100]
    ax.set_xticks(ticks, [f"{t}x" for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(1, max(100, max(ratios) * 1.4))
    ax.set_xlabel("official / agora_rtc, same run (higher is better; red: the goal)")
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "official.png"), dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
