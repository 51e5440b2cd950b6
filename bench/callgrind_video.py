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

import sys
import tempfile

from bench_official import per_call

from agora_rtc import official


def main(frames=2000):
    root = official.prepare()
    cases = [("official", "push_video_frame"), ("agora_rtc", "push_video_frame"), ("agora_rtc", "send")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in ("720p", "1080p"):
            for sdk, call in cases:
                results[(size, sdk, call)] = per_call(root, sdk, f"videocg:{size}:{call}", frames, tmp)
    print(f"instructions per I420 frame sent, track unpublished ({frames} frames):")
    for size in ("720p", "1080p"):
        official_count = results[(size, "official", "push_video_frame")]
        for sdk, call in cases:
            count = results[(size, sdk, call)]
            ratio = "" if sdk == "official" else f"   ({official_count / count:.1f}x fewer)"
            print(f"  {size:5s} {sdk:9s} {call:17s} {count:10,.0f}{ratio}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
