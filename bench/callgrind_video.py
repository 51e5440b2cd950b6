"""Instructions per raw I420 video frame sent, under callgrind (repeatable on a
noisy machine): the official SDK's ``RTCConnection.push_video_frame`` (run
unmodified on our engine, a new ExternalVideoFrame per call as its examples do)
vs ours, the same call and our ``VideoFrameSender.send(buffer, I420, w, h)``,
each called n times from a plain loop (no lambda around the call: a Python
frame costs about as much as our whole send).
The track is unpublished, so the engine drops each frame at once and what is
counted (on the calling thread only) is the SDK layer's own work (the part that holds the GIL; the engine's
copy of a published frame is the same C code for both). Each call runs with 0
and with N frames; the difference divided by N is the figure.

    python bench/callgrind_video.py [frames]
"""

import os
import subprocess
import sys
import tempfile

from bench_official import CHILD, PUBLISHERS, RECV_SECONDS, SEND_CALLS, SPEED

from agora_rtc import official


def instructions(tmp, root, sdk, workload):
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


def main(frames=400):
    root = official.prepare()
    cases = [("official", "push_video_frame"), ("agora_rtc", "push_video_frame"), ("agora_rtc", "send")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in ("720p", "1080p"):
            for sdk, call in cases:
                base = instructions(tmp, root, sdk, f"videocg:{size}:{call}:0")
                full = instructions(tmp, root, sdk, f"videocg:{size}:{call}:{frames}")
                results[(size, sdk, call)] = (full - base) / frames
    print(f"instructions per I420 frame sent, track unpublished ({frames} frames):")
    for size in ("720p", "1080p"):
        official_count = results[(size, "official", "push_video_frame")]
        for sdk, call in cases:
            count = results[(size, sdk, call)]
            ratio = "" if sdk == "official" else f"   ({official_count / count:.1f}x fewer)"
            print(f"  {size:5s} {sdk:9s} {call:17s} {count:10,.0f}{ratio}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
