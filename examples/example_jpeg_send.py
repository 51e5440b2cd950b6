"""Send JPEG pictures as video (needs the jpeg extra: pip install 'agora-rtc[jpeg]').

    python examples/example_jpeg_send.py --appId APP --channelId room --userId 1 --dir slides/ --fps 1
    python examples/example_jpeg_send.py --channelId room --mjpeg camera.mjpeg --fps 30

--dir sends every .jpg/.jpeg in the folder in name order; --mjpeg a stream of
concatenated JPEGs; both loop until --seconds. Each picture is decoded to RGBA
(libjpeg-turbo) and sent; the engine converts it to I420. Prints the time per
picture from file bytes to sent. Without --dir or --mjpeg it sends generated
pictures.
"""

from __future__ import annotations

import argparse
import os
import time

from common import example_parser, paced, run_example

from agora_rtc import AgoraService, RTCConnConfig
from agora_rtc.jpeg import jpeg_frames


def pictures(args: argparse.Namespace) -> list[bytes]:
    if args.dir:
        names = sorted(n for n in os.listdir(args.dir) if n.lower().endswith((".jpg", ".jpeg")))
        if not names:
            raise SystemExit(f"{args.dir}: no .jpg or .jpeg files")
        out: list[bytes] = []
        for n in names:
            with open(os.path.join(args.dir, n), "rb") as f:
                out.append(f.read())
        return out
    if args.mjpeg:
        return jpeg_frames(args.mjpeg)
    import simplejpeg
    from agora_rtc._testsrc import rgba_pattern
    return [simplejpeg.encode_jpeg(rgba_pattern(i, 640, 360), quality=90, colorspace="RGBA") for i in range(10)]


def run_sender(args: argparse.Namespace, service: AgoraService) -> None:
    jpegs = pictures(args)
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.connect(args.token, args.channelId, args.userId)
    sender = service.create_media_node_factory().create_video_frame_sender()
    track = service.create_custom_video_track_frame(sender)
    track.set_enabled(1)
    conn.get_local_user().publish_video(track)
    count = int(args.seconds * args.fps)
    spent = 0.0
    for i in paced(count, 1 / args.fps):
        t = time.perf_counter()
        rgba = sender.send_jpeg(jpegs[i % len(jpegs)], timestamp_ms=int(i * 1000 / args.fps))
        spent += time.perf_counter() - t
    time.sleep(0.2)
    conn.get_local_user().unpublish_video(track)
    conn.release()
    h, w = rgba.shape[:2]
    print(f"sent {count} JPEG pictures ({w}x{h}) to {args.channelId!r} as {args.userId!r}, "
          f"{spent / max(count, 1) * 1000:.2f} ms each (decode + send)")


def parser() -> argparse.ArgumentParser:
    p = example_parser(__doc__, user_id="1")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--dir", default="", help="a folder of .jpg/.jpeg files")
    source.add_argument("--mjpeg", default="", help="a file of concatenated JPEGs")
    p.add_argument("--fps", type=int, default=15)
    p.add_argument("--seconds", type=float, default=5.0)
    return p


def main() -> None:
    run_example(parser(), run_sender, enable_video=True)


if __name__ == "__main__":
    main()
