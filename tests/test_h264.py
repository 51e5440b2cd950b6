"""The Annex-B access-unit splitter, and the generated H.264 test stream checked
against a real decoder (FFmpeg through PyAV): every picture decodes to the
pattern it was made from."""

import av
import pytest
from hypothesis import given, settings, strategies as st

from agora_rtc._testsrc import frame_number, h264_stream, i420_pattern
from agora_rtc.h264 import AccessUnitSplitter, NalType, access_units, nal_units


def decode(units):
    codec = av.CodecContext.create("h264", "r")
    frames = []
    for au in units:
        frames += codec.decode(av.Packet(au.data))
    return frames + codec.decode(None)


@pytest.mark.parametrize("width,height", [(176, 144), (100, 60)])  # the second needs cropping in the SPS
def test_generated_stream_decodes_to_its_pattern(width, height):
    units = access_units(h264_stream(12, width, height, gop=5))
    frames = decode(units)
    assert len(frames) == len(units) == 12
    for i, frame in enumerate(frames):
        planes = frame.to_ndarray(format="yuv420p")
        idr = i - i % 5  # P pictures repeat their IDR
        assert (frame.width, frame.height) == (width, height)
        assert planes.tobytes() == i420_pattern(idr, width, height), f"picture {i}"
        assert frame_number(planes[:height]) == idr


def test_access_units_key_flags_and_nal_types():
    units = access_units(h264_stream(10, 64, 32, gop=4))
    assert [u.key for u in units] == [i % 4 == 0 for i in range(10)]
    assert units[0].nal_types == (NalType.SPS, NalType.PPS, NalType.IDR)
    assert units[1].nal_types == (NalType.SLICE,)
    assert all(u.data.startswith(b"\x00\x00\x00\x01") for u in units)
    assert b"".join(u.data for u in units) == h264_stream(10, 64, 32, gop=4)


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=20000), max_size=12))
def test_chunked_feeding_gives_the_same_units(cuts):
    stream = h264_stream(6, 64, 32, gop=3)
    edges = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    splitter = AccessUnitSplitter()
    got = []
    for a, b in zip(edges, edges[1:]):
        got += splitter.feed(stream[a:b])
    got += splitter.flush()
    assert got == access_units(stream)


def test_aud_and_three_byte_start_codes_open_units():
    aud, sps, pps = b"\x00\x00\x01\x09\xf0", b"\x00\x00\x01\x67\x42", b"\x00\x00\x01\x68\xce"
    idr = b"\x00\x00\x01\x65\x88\x80"     # first_mb_in_slice 0: a new picture
    slice0, slice1 = b"\x00\x00\x01\x41\x9a", b"\x00\x00\x01\x41\x40"  # the second continues the picture
    units = access_units(aud + sps + pps + idr + aud + slice0 + slice1 + slice0)
    assert [u.nal_types for u in units] == [(9, 7, 8, 5), (9, 1, 1), (1,)]
    assert [u.key for u in units] == [True, False, False]
    assert nal_units(b"\x00\x00\x00\x01\x09\xf0\x00\x00\x01\x09\xf0") == [(0, 6), (6, 11)]


@pytest.mark.parametrize("data,match", [
    (b"\x12\x34\x56\x78" * 10, "no 00 00 01 start code"),
    (b"\x47\x40\x00\x00\x00\x01\x65\x88", "bytes before the first start code"),
    (b"\x00\x00\x01\xe5\x88", "forbidden_zero_bit"),
    (b"\x00\x00\x01\x67\x42\x00\x00\x01\x68\xce", "no picture"),
])
def test_malformed_streams_raise(data, match):
    with pytest.raises(ValueError, match=match):
        access_units(data)


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.one_of(st.sampled_from([b"\x00\x00\x01", b"\x00\x00\x00\x01", b"\x00"]),
                                 st.binary(min_size=1, max_size=8)), max_size=30))
def test_any_bytes_split_losslessly_or_raise_value_error(pieces):
    data = b"".join(pieces)
    try:
        units = access_units(data)
    except ValueError:
        return  # refused with a reason: the only other outcome
    if not units:
        assert data.replace(b"\x00\x00\x01", b"").strip(b"\x00") == b""  # start codes with nothing in them
        return
    # Every byte from the first start code on is in exactly one unit, in order; each unit holds a picture.
    assert b"".join(u.data for u in units) == data[nal_units(data)[0][0]:]
    assert all(NalType.SLICE in u.nal_types or NalType.IDR in u.nal_types for u in units)
