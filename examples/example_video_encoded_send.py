"""Send an H.264 stream into a channel, one access unit per frame interval.

    python examples/example_video_encoded_send.py --appId APP --channelId room --userId 1 \
        --videoFile talk.h264 --width 1280 --height 720 --fps 30

--videoFile is an Annex-B byte stream (``ffmpeg -i in.mp4 -c:v libx264 -bsf:v
h264_mp4toannexb -f h264 talk.h264``); it is read in chunks and cut into
access units as it goes (agora_rtc.h264), each sent with its key/delta flag.
Without --videoFile it sends a generated stream (IDR every --gop frames) that
any H.264 decoder plays. The stream loops until --seconds.
"""

from __future__ import annotations

import argparse
import time

from common import example_parser, paced, run_example

from agora_rtc import (AgoraService, EncodedVideoFrameInfo, RTCConnConfig, SenderOptions,
                       VideoCodecType, VideoFrameType)
from agora_rtc._testsrc import h264_stream
from agora_rtc.h264 import AccessUnit, AccessUnitSplitter, access_units


def access_units_of(path: str) -> list[AccessUnit]:
    splitter = AccessUnitSplitter()
    out: list[AccessUnit] = []
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            out += splitter.feed(chunk)
    out += splitter.flush()
    if not out:
        raise SystemExit(f"{path}: no H.264 pictures")
    return out


def run_sender(args: argparse.Namespace, service: AgoraService) -> None:
    if args.videoFile:
        units = access_units_of(args.videoFile)
    else:
        units = access_units(h264_stream(args.gop * 3, args.width, args.height, gop=args.gop))
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.connect(args.token, args.channelId, args.userId)
    sender = service.create_media_node_factory().create_video_encoded_image_sender()
    track = service.create_custom_video_track_encoded(sender, SenderOptions())
    conn.get_local_user().publish_video(track)
    count = int(args.seconds * args.fps)
    for i in paced(count, 1 / args.fps):
        au = units[i % len(units)]
        info = EncodedVideoFrameInfo(
            codec_type=VideoCodecType.VIDEO_CODEC_H264, width=args.width, height=args.height,
            frames_per_second=args.fps, capture_time_ms=int(i * 1000 / args.fps),
            frame_type=VideoFrameType.KEY_FRAME if au.key else VideoFrameType.DELTA_FRAME)
        sender.send_encoded_video_image(au.data, info)
    time.sleep(0.2)
    conn.get_local_user().unpublish_video(track)
    conn.release()
    keys = sum(units[i % len(units)].key for i in range(count))
    print(f"sent {count} access units ({keys} key) to {args.channelId!r} as {args.userId!r}")


def parser() -> argparse.ArgumentParser:
    p = example_parser(__doc__, user_id="1")
    p.add_argument("--videoFile", default="")
    p.add_argument("--width", type=int, default=320)
    p.add_argument("--height", type=int, default=240)
    p.add_argument("--fps", type=int, default=15)
    p.add_argument("--gop", type=int, default=10, help="generated stream: frames per IDR")
    p.add_argument("--seconds", type=float, default=5.0)
    return p


def main() -> None:
    run_example(parser(), run_sender, enable_video=True)


if __name__ == "__main__":
    main()
