"""JPEG send cost per picture, side by side in one run (min/median of repeats):

* read + decode to RGBA with simplejpeg (libjpeg-turbo), what agora_rtc.jpeg does;
* read + decode to RGBA with Pillow (``Image.open(path).convert("RGBA")``), the
  official example's way (~11 ms at 1080p by its own account), when installed;
* the whole ``sender.send_jpeg(path)`` into a published track: decode, then the
  RGBA -> I420 conversion in C (GIL released).

    python bench/bench_jpeg.py [--repeat 30] [--size 1920x1080]
"""

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("AGORA_RTC_LOOPBACK_TRANSPORT", "off")

import simplejpeg  # noqa: E402

from agora_rtc import AgoraService, AgoraServiceConfig, RTCConnConfig  # noqa: E402
from agora_rtc._testsrc import rgba_pattern  # noqa: E402
from agora_rtc.jpeg import decode_jpeg  # noqa: E402


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, statistics.median(times) * 1000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--size", default="1920x1080")
    args = p.parse_args()
    width, height = map(int, args.size.split("x"))
    # A photo-like picture compresses like one: the pattern plus noise.
    import numpy as np
    rgba = rgba_pattern(7, width, height)
    rgba[..., :3] = np.clip(rgba[..., :3] + np.random.default_rng(1).normal(0, 4, (height, width, 3)), 0, 255)
    path = os.path.join(tempfile.mkdtemp(), "picture.jpg")
    with open(path, "wb") as f:
        f.write(simplejpeg.encode_jpeg(rgba, quality=90, colorspace="RGBA"))
    print(f"{width}x{height} JPEG, {os.path.getsize(path) / 1e3:.0f} kB, ms per picture (min/median of {args.repeat})")
    ours = timed(lambda: decode_jpeg(path), args.repeat)
    print(f"  read + decode to RGBA, simplejpeg:  {ours[0]:6.2f} / {ours[1]:6.2f}")
    try:
        from PIL import Image
        pil = timed(lambda: np.asarray(Image.open(path).convert("RGBA")), args.repeat)
        print(f"  read + decode to RGBA, Pillow:      {pil[0]:6.2f} / {pil[1]:6.2f}   "
              f"(simplejpeg {pil[1] / ours[1]:.1f}x faster, medians)")
    except ImportError:
        print("  read + decode to RGBA, Pillow:      not installed (pip install pillow for the comparison)")
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="bench", enable_video=1))
        conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        conn.connect("", "bench-jpeg", "1")
        sender = svc.create_media_node_factory().create_video_frame_sender()
        track = svc.create_custom_video_track_frame(sender)
        track.set_enabled(1)
        conn.get_local_user().publish_video(track)
        whole = timed(lambda: sender.send_jpeg(path), args.repeat)
        print(f"  send_jpeg(path), published track:   {whole[0]:6.2f} / {whole[1]:6.2f}   (decode + C conversion)")
        conn.release()


if __name__ == "__main__":
    main()
