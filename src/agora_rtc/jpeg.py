"""JPEG pictures into a video track: decode (libjpeg-turbo, through simplejpeg),
then send as RGBA (the engine converts to I420 in C without the GIL).

    pip install 'agora-rtc[jpeg]'

    sender = factory.create_video_frame_sender()
    send_jpeg(sender, "slide.jpg")                 # a file
    send_jpeg(sender, camera.read_jpeg_bytes())    # bytes
    for picture in jpeg_frames(mjpeg_bytes):       # a stream of concatenated JPEGs (MJPEG)
        send_jpeg(sender, picture)

simplejpeg is an optional extra, imported on first use, so the core install
stays small.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Union

import numpy as np
import numpy.typing as npt

from .video import VideoFrameSender, VideoPixelFormat

__all__ = ["decode_jpeg", "send_jpeg", "jpeg_frames"]

# A path to a JPEG file, or its bytes.
JpegSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def _simplejpeg() -> ModuleType:
    try:
        import simplejpeg
    except ImportError:
        raise ImportError("JPEG support needs simplejpeg: pip install 'agora-rtc[jpeg]'") from None
    module: ModuleType = simplejpeg  # untyped (no py.typed): its functions return Any
    return module


def _read(source: JpegSource) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return f.read()
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    raise TypeError(f"a JPEG is a path or bytes, not {type(source).__name__}")


def decode_jpeg(source: JpegSource) -> npt.NDArray[np.uint8]:
    """The picture in `source` (path or bytes) as an RGBA array, height x width x 4."""
    data = _read(source)
    jpeg = _simplejpeg()
    if data[:2] != b"\xff\xd8":
        raise ValueError(f"not a JPEG: starts with {data[:4].hex(' ') or 'nothing'} (a JPEG starts with ff d8)")
    try:
        rgba: npt.NDArray[np.uint8] = jpeg.decode_jpeg(data, colorspace="RGBA")
        return rgba
    except ValueError as e:
        raise ValueError(f"cannot decode this JPEG: {e}") from None


def send_jpeg(sender: VideoFrameSender, source: JpegSource, *, timestamp_ms: int = 0,
              rotation: int = 0) -> npt.NDArray[np.uint8]:
    """Decodes `source` and sends it on `sender` (a VideoFrameSender). Returns the RGBA picture sent."""
    rgba = decode_jpeg(source)
    height, width = rgba.shape[:2]
    sender.send(rgba, VideoPixelFormat.RGBA, width, height, rotation=rotation, timestamp_ms=timestamp_ms)
    return rgba


def _segment_end(data: bytes, start: int) -> int:
    """The offset just after the JPEG that begins at `start` (its EOI), walking its markers."""
    n = len(data)
    i = start + 2
    while i + 2 <= n:  # a marker is 2 bytes: an EOI may end the data
        if data[i] != 0xFF:
            raise ValueError(f"corrupt JPEG at byte {i}: expected a marker")
        marker = data[i + 1]
        if marker == 0xD9:  # EOI
            return i + 2
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            i += 2
            continue
        if i + 4 > n:
            break  # a segment's length cut off
        length = data[i + 2] << 8 | data[i + 3]
        i += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next marker that is not RST or a stuffed 00
            while i + 1 < n and not (data[i] == 0xFF and data[i + 1] not in (0x00, *range(0xD0, 0xD8))):
                i += 1
    raise ValueError("truncated JPEG: no end-of-image marker")


def jpeg_frames(stream: JpegSource) -> list[bytes]:
    """The JPEG pictures of a stream of concatenated JPEGs (an MJPEG byte stream), in order."""
    data = _read(stream)
    out: list[bytes] = []
    i = 0
    while i < len(data):
        if data[i:i + 2] != b"\xff\xd8":
            if not data[i:].strip(b"\x00\r\n"):
                break  # padding after the last picture
            raise ValueError(f"not a JPEG stream: byte {i} starts {data[i:i + 2].hex(' ')}, not ff d8")
        end = _segment_end(data, i)
        out.append(data[i:end])
        i = end
    return out
