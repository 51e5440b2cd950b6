"""JPEG send: pictures decoded with libjpeg-turbo (simplejpeg) arrive as the
I420 of what was decoded; MJPEG streams split into pictures; bad input raises."""

import numpy as np
import pytest
import simplejpeg
from hypothesis import given, settings, strategies as st

from agora_rtc._testsrc import rgba_pattern
from agora_rtc.jpeg import decode_jpeg, jpeg_frames

from conftest import wait_for
from test_video import Pair


def bt601(rgba):
    """The I420 luma the engine must produce from RGBA (BT.601 limited range)."""
    r, g, b = (rgba[..., k].astype(np.float64) for k in range(3))
    return 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255


def jpeg_of(index, w=320, h=180, **kw):
    return simplejpeg.encode_jpeg(rgba_pattern(index, w, h), quality=95, colorspace="RGBA", **kw)


def test_jpeg_bytes_and_files_arrive_as_the_decoded_picture(service, tmp_path):
    pair = Pair(service, channel="jpeg")
    path = tmp_path / "slide.jpg"
    path.write_bytes(jpeg_of(1))
    sent = [pair.sender.send_jpeg(jpeg_of(0), timestamp_ms=5), pair.sender.send_jpeg(str(path), timestamp_ms=6)]
    frames = pair.wait(2)
    for rgba, f in zip(sent, frames):
        assert rgba.shape == (180, 320, 4) and (f["w"], f["h"]) == (320, 180)
        assert np.abs(f["y"][:180, :320] - bt601(rgba)).max() <= 2
    assert [f["ts"] for f in frames] == [5, 6]
    # decoding is libjpeg-turbo's: within JPEG's loss of the original pattern
    assert np.abs(sent[0][..., :3].astype(int) - rgba_pattern(0, 320, 180)[..., :3]).mean() < 4


def test_mjpeg_stream_splits_into_pictures_even_with_an_embedded_thumbnail():
    thumb = jpeg_of(9, 64, 8)
    # An APP1 segment carrying a whole JPEG (as EXIF thumbnails do): its ff d8 / ff d9 must not split the stream.
    app1 = b"\xff\xe1" + (len(thumb) + 2).to_bytes(2, "big") + thumb
    first = jpeg_of(0)
    with_thumb = first[:2] + app1 + first[2:]
    stream = with_thumb + jpeg_of(1) + jpeg_of(2) + b"\x00\r\n"
    pictures = jpeg_frames(stream)
    assert pictures == [with_thumb, jpeg_of(1), jpeg_of(2)]
    assert decode_jpeg(pictures[0]).shape == (180, 320, 4)


def test_a_stream_ending_on_its_last_end_of_image_marker_splits():
    # a plain .mjpeg file, or one JPEG: the last two bytes are ff d9 (the loop used to stop 2 bytes early)
    assert jpeg_frames(jpeg_of(1) + jpeg_of(2)) == [jpeg_of(1), jpeg_of(2)]
    assert jpeg_frames(jpeg_of(3)) == [jpeg_of(3)]
    with pytest.raises(ValueError, match="truncated JPEG"):
        jpeg_frames(jpeg_of(3)[:-1])


@pytest.mark.parametrize("data,error,match", [
    (b"GIF89a" + bytes(100), ValueError, "not a JPEG"),
    (b"", ValueError, "not a JPEG"),
    (12, TypeError, "path or bytes"),
])
def test_bad_pictures_raise(data, error, match):
    with pytest.raises(error, match=match):
        decode_jpeg(data)


def test_truncated_or_foreign_streams_raise():
    with pytest.raises(ValueError, match="truncated JPEG"):
        jpeg_frames(jpeg_of(0)[:-200])
    with pytest.raises(ValueError, match="not a JPEG stream"):
        jpeg_frames(jpeg_of(0) + b"RIFF....")
    with pytest.raises(ValueError, match="cannot decode"):
        decode_jpeg(jpeg_of(0)[:300])


def test_sender_stays_usable_after_a_bad_picture(service):
    pair = Pair(service, channel="jpeg-bad")
    with pytest.raises(ValueError):
        pair.sender.send_jpeg(b"\xff\xd8 broken")
    pair.sender.send_jpeg(jpeg_of(3))
    wait_for(lambda: len(pair.got.frames) == 1, what="the good picture")


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=400),
                      st.builds(lambda cut, junk: jpeg_of(0, 64, 8)[:cut] + junk,
                                st.integers(min_value=0, max_value=2000), st.binary(max_size=40))))
def test_any_bytes_are_split_and_decoded_or_refused_with_value_error(data):
    """Random bytes, and real JPEGs cut anywhere with junk after: pictures or ValueError, nothing else."""
    try:
        pictures = jpeg_frames(data)
    except ValueError:
        return
    for picture in pictures:
        assert picture.startswith(b"\xff\xd8") and picture.endswith(b"\xff\xd9")
        try:
            assert decode_jpeg(picture).ndim == 3
        except ValueError:
            pass
