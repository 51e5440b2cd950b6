"""Sending files on a connection made with an RtcConnectionPublishConfig:
PCM audio, I420 video, H.264 access units and JPEG pictures.

Each push_* function sends the file once (``loop=False``) or over and over
until ``stop`` is set, and returns what it sent. Video goes out at --fps on a
fixed schedule (Pacer); audio is pushed a little ahead of playout and the SDK
plays it at real-time pace.
"""

import logging
import os
import time

import numpy as np

from agora_rtc.compat.agora_base import EncodedVideoFrameInfo, ExternalVideoFrame, VideoCodecType

logger = logging.getLogger("example")

I420, RGBA = 1, 4              # ExternalVideoFrame.format (Agora's VIDEO_PIXEL_FORMAT)
RAW_DATA = 1                   # ExternalVideoFrame.type
KEY_FRAME, DELTA_FRAME = 3, 4  # EncodedVideoFrameInfo.frame_type

# After the last frame a sender waits this long before it may leave: the frame is still on its way to
# the receivers, and leaving at once would cut it off (the official is_push_to_rtc_completed() answers
# 180 ms after playout for this reason; agora_rtc's answers at playout).
LINGER = 0.2


class Pacer:
    """Releases tick k at start + k * interval (no drift from the time spent between ticks)."""

    def __init__(self, interval):
        self.interval = interval
        self.start = time.monotonic()
        self.ticks = 0

    def wait(self, stop):
        """Sleeps until the next tick; False when stop was set meanwhile."""
        due = self.start + self.ticks * self.interval
        self.ticks += 1
        return not stop.wait(max(0.0, due - time.monotonic()))


def push_pcm_file(connection, path, sample_rate, channels, stop, loop=False, low_delay=False):
    """Pushes 16-bit PCM from path in whole 10 ms frames, 1 s at a time kept
    up to 2 s ahead of playout (100 ms and 200 ms with low_delay), on one
    connection or on each of a list of them. Sent once, it returns after the
    SDK has played it all. Returns the seconds pushed."""
    connections = connection if isinstance(connection, (list, tuple)) else [connection]
    frame_bytes = sample_rate // 100 * channels * 2
    chunk_frames = 10 if low_delay else 100
    lead = chunk_frames * 0.02
    pushed = 0.0
    started = None
    with open(path, "rb") as f:
        while not stop.is_set():
            if started is not None and pushed - (time.monotonic() - started) >= lead:
                stop.wait(0.01)
                continue
            data = f.read(chunk_frames * frame_bytes)
            data = data[:len(data) - len(data) % frame_bytes]
            if not data:
                if loop and pushed > 0:
                    f.seek(0)
                    continue
                break
            for c in connections:
                ret = c.push_audio_pcm_data(bytearray(data), sample_rate, channels)
                if ret != 0:
                    logger.warning("push_audio_pcm_data returned %s", ret)
            if started is None:
                started = time.monotonic()
            pushed += len(data) / (frame_bytes * 100)
    while not stop.is_set() and not all(c.is_push_to_rtc_completed() for c in connections):
        stop.wait(0.02)
    stop.wait(LINGER)
    logger.info("pushed %.2f s of audio from %s", pushed, os.path.basename(path))
    return pushed


def yuv_frames(path, width, height):
    """The I420 frames of a raw .yuv file, one bytearray each."""
    size = width * height * 3 // 2
    with open(path, "rb") as f:
        while True:
            data = f.read(size)
            if len(data) < size:
                return
            yield bytearray(data)


def push_yuv_file(connection, path, width, height, fps, stop, loop=False):
    """Sends the I420 frames of path at fps; each frame's metadata says its index. Returns frames sent."""
    pacer = Pacer(1.0 / fps)
    sent = 0
    while not stop.is_set():
        before = sent
        for data in yuv_frames(path, width, height):
            if not pacer.wait(stop):
                break
            frame = ExternalVideoFrame()  # a new one per call: the official SDK clears frame.buffer after sending
            frame.type = RAW_DATA
            frame.format = I420
            frame.buffer = data
            frame.stride = width
            frame.height = height
            frame.timestamp = int(sent * 1000 / fps)
            frame.metadata = bytearray(f"frame {sent}".encode())
            ret = connection.push_video_frame(frame)
            if ret != 0:
                logger.warning("push_video_frame returned %s", ret)
            sent += 1
        if not loop or sent == before:
            break
    pacer.wait(stop)  # the last frame lasts one frame time too,
    stop.wait(LINGER)  # and is on its way to the receivers a little longer
    logger.info("sent %d video frames (%dx%d) from %s", sent, width, height, os.path.basename(path))
    return sent


def access_units(data):
    """Splits an H.264 Annex-B stream into access units (the NAL units of one
    picture, with their start codes); yields (bytes, is_key_frame)."""
    starts = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        begin = i - 1 if i > 0 and data[i - 1] == 0 else i  # 4-byte start code
        starts.append((begin, i + 3))
        i = data.find(b"\x00\x00\x01", i + 3)
    unit_start, has_slice, key = None, False, False
    for n, (begin, header) in enumerate(starts):
        if header >= len(data):
            break
        nal_type = data[header] & 0x1F
        first_slice = nal_type in (1, 5) and header + 1 < len(data) and data[header + 1] & 0x80  # first_mb_in_slice 0
        opens_picture = nal_type in (6, 7, 8, 9) or first_slice  # SEI, SPS, PPS, delimiter or a picture's 1st slice
        if unit_start is not None and has_slice and opens_picture:
            yield data[unit_start:begin], key
            unit_start, has_slice, key = None, False, False
        if unit_start is None:
            unit_start = begin
        has_slice = has_slice or nal_type in (1, 5)
        key = key or nal_type == 5
    if unit_start is not None and has_slice:
        yield data[unit_start:], key


def push_h264_file(connection, path, width, height, fps, stop, loop=False):
    """Sends the access units of an Annex-B .h264 file at fps. Returns units sent."""
    with open(path, "rb") as f:
        units = list(access_units(f.read()))
    if not units:
        raise SystemExit(f"{path}: no H.264 access units found (an Annex-B stream is expected)")
    pacer = Pacer(1.0 / fps)
    sent = keys = 0
    while not stop.is_set():
        for data, is_key in units:
            if not pacer.wait(stop):
                break
            info = EncodedVideoFrameInfo(codec_type=VideoCodecType.VIDEO_CODEC_H264, width=width, height=height,
                                         frames_per_second=fps, frame_type=KEY_FRAME if is_key else DELTA_FRAME)
            connection.push_video_encoded_data(data, info)
            sent += 1
            keys += is_key
        if not loop:
            break
    pacer.wait(stop)
    stop.wait(LINGER)
    logger.info("sent %d access units (%d key frames) from %s", sent, keys, os.path.basename(path))
    return sent


def load_jpegs(folder):
    """The .jpg/.jpeg pictures of folder in name order, decoded: [(name, width, height, RGBA bytearray)].
    Decodes with Pillow, or simplejpeg when Pillow is not installed."""
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg")))
    if not names:
        raise SystemExit(f"{folder}: no .jpg or .jpeg files")
    try:
        from PIL import Image

        def decode(path):
            with Image.open(path) as picture:
                return np.asarray(picture.convert("RGBA"))
    except ImportError:
        import simplejpeg

        def decode(path):
            with open(path, "rb") as f:
                return simplejpeg.decode_jpeg(f.read(), colorspace="RGBA")
    pictures = []
    for name in names:
        rgba = decode(os.path.join(folder, name))
        pictures.append((name, rgba.shape[1], rgba.shape[0], bytearray(rgba.tobytes())))
    return pictures


def push_jpegs(connection, pictures, fps, stop, loop=False):
    """Sends decoded pictures (from load_jpegs) as RGBA frames at fps. Returns frames sent."""
    pacer = Pacer(1.0 / fps)
    sent = 0
    while not stop.is_set():
        for name, width, height, rgba in pictures:
            if not pacer.wait(stop):
                break
            frame = ExternalVideoFrame()
            frame.type = RAW_DATA
            frame.format = RGBA
            frame.buffer = bytearray(rgba)  # a copy: the official SDK lets go of the buffer it sent
            frame.stride = width
            frame.height = height
            frame.timestamp = int(sent * 1000 / fps)
            frame.metadata = bytearray(name.encode())
            ret = connection.push_video_frame(frame)
            if ret != 0:
                logger.warning("push_video_frame returned %s", ret)
            sent += 1
        if not loop:
            break
    pacer.wait(stop)
    stop.wait(LINGER)
    logger.info("sent %d JPEG pictures as video", sent)
    return sent
