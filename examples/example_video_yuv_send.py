"""Send raw video into a channel at a steady frame rate (the official example's flags).

    python examples/example_video_yuv_send.py --appId APP --channelId room --userId 1 \
        --videoFile clip_352x288.yuv --width 352 --height 288 --fps 15

--videoFile is raw frames back to back, I420 by default (``ffmpeg -i in.mp4
-pix_fmt yuv420p out.yuv``); --format NV12, RGBA or BGRA for other layouts
(the engine converts them to I420). The file loops until --seconds. Without
--videoFile it sends a generated pattern whose first row carries the frame
number. Runs on the bundled loopback engine (channels shared by every process
on this host), or on Agora's library with AGORA_RTC_SDK=/path/to/libagora_rtc_sdk.so.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import numpy.typing as npt

from common import example_parser, paced, run_example

from agora_rtc import AgoraService, RTCConnConfig, VideoDimensions, VideoEncoderConfiguration
from agora_rtc import VideoPixelFormat
from agora_rtc._testsrc import i420_pattern, rgba_pattern

BYTES_PER_PIXEL = {"I420": 1.5, "NV12": 1.5, "RGBA": 4, "BGRA": 4}


def frames_from_file(path: str, fmt: str, width: int, height: int) -> list[npt.NDArray[np.uint8]]:
    size = int(width * height * BYTES_PER_PIXEL[fmt])
    data = np.fromfile(path, np.uint8)
    if len(data) < size:
        raise SystemExit(f"{path}: {len(data)} bytes is less than one {width}x{height} {fmt} frame ({size} bytes)")
    if len(data) % size:
        print(f"warning: {path} has {len(data) % size} bytes after its last whole frame; ignored")
    return [data[k:k + size] for k in range(0, len(data) - size + 1, size)]


def generated_frame(i: int, fmt: str, width: int, height: int) -> npt.NDArray[np.uint8]:
    if fmt == "I420":
        return np.frombuffer(i420_pattern(i, width, height), np.uint8)
    if fmt == "NV12":
        planes = np.frombuffer(i420_pattern(i, width, height), np.uint8)
        luma, chroma = width * height, width * height // 4
        uv = np.stack([planes[luma:luma + chroma], planes[luma + chroma:]], axis=1).ravel()  # interleaved
        return np.concatenate([planes[:luma], uv])
    rgba = rgba_pattern(i, width, height)
    frame: npt.NDArray[np.uint8] = rgba[..., [2, 1, 0, 3]].copy() if fmt == "BGRA" else rgba
    return frame


def run_sender(args: argparse.Namespace, service: AgoraService) -> None:
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.connect(args.token, args.channelId, args.userId)
    sender = service.create_media_node_factory().create_video_frame_sender()
    track = service.create_custom_video_track_frame(sender)
    track.set_video_encoder_configuration(VideoEncoderConfiguration(
        frame_rate=args.fps, dimensions=VideoDimensions(width=args.width, height=args.height)))
    track.set_enabled(1)
    conn.get_local_user().publish_video(track)
    looped = frames_from_file(args.videoFile, args.format, args.width, args.height) if args.videoFile else None
    count = int(args.seconds * args.fps)
    fmt = getattr(VideoPixelFormat, args.format)
    for i in paced(count, 1 / args.fps):
        frame = looped[i % len(looped)] if looped else generated_frame(i, args.format, args.width, args.height)
        sender.send(frame, fmt, args.width, args.height, timestamp_ms=int(i * 1000 / args.fps))
    time.sleep(0.2)  # the last frames reach the others before we leave
    conn.get_local_user().unpublish_video(track)
    conn.release()
    print(f"sent {count} {args.width}x{args.height} {args.format} frames to {args.channelId!r} as {args.userId!r}")


def parser() -> argparse.ArgumentParser:
    p = example_parser(__doc__, user_id="1")
    p.add_argument("--videoFile", default="")
    p.add_argument("--format", choices=sorted(BYTES_PER_PIXEL), default="I420")
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--fps", type=int, default=15)
    p.add_argument("--seconds", type=float, default=5.0)
    return p


def main() -> None:
    run_example(parser(), run_sender, enable_video=True)


if __name__ == "__main__":
    main()
