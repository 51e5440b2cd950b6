"""H.264 Annex-B byte streams cut into access units, for the encoded video sender.

An encoded video sender takes one access unit (all NAL units of one picture,
with their start codes) per call, flagged key or delta. A ``.h264`` file or a
pipe from an encoder is a byte stream of NAL units separated by start codes;
:func:`access_units` cuts it where ITU-T H.264 section 7.4.1.2.3 says a new
access unit begins::

    for au in access_units(open("talk.h264", "rb").read()):
        sender.send_encoded_video_image(au.data, EncodedVideoFrameInfo(
            frame_type=VideoFrameType.KEY_FRAME if au.key else VideoFrameType.DELTA_FRAME, ...))

:class:`AccessUnitSplitter` does the same incrementally, for streams read in
chunks of any size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

__all__ = ["NalType", "AccessUnit", "AccessUnitSplitter", "access_units", "nal_units"]


class NalType:
    SLICE = 1
    IDR = 5
    SEI = 6
    SPS = 7
    PPS = 8
    AUD = 9


# NAL unit types that, when they come after a picture's slices, open the next access unit.
_OPENS_ACCESS_UNIT = {NalType.SEI, NalType.SPS, NalType.PPS, NalType.AUD, 14, 15, 16, 17, 18}
_START_CODE = re.compile(b"\x00\x00\x01")


@dataclass(frozen=True)
class AccessUnit:
    data: bytes          # the NAL units of one picture, each with its start code (Annex-B)
    key: bool            # holds an IDR slice: decodable on its own
    nal_types: tuple[int, ...]  # the NAL unit types, in order

    def __len__(self) -> int:
        return len(self.data)


def nal_units(stream: bytes | bytearray | memoryview) -> list[tuple[int, int]]:
    """(start, end) of each NAL unit in an Annex-B stream, start codes included.

    Raises ValueError when the stream does not begin with a start code (it is
    not Annex-B: perhaps an MP4/AVCC sample with length prefixes).
    """
    view = bytes(stream)
    starts = [m.start() for m in _START_CODE.finditer(view)]
    if not starts:
        raise ValueError("not an H.264 Annex-B stream: no 00 00 01 start code")
    # A four-byte start code (00 00 00 01) belongs to the NAL unit it opens.
    starts = [s - 1 if s > 0 and view[s - 1] == 0 else s for s in starts]
    if view[:starts[0]].strip(b"\x00"):
        raise ValueError(f"not an H.264 Annex-B stream: {starts[0]} bytes before the first start code")
    ends = starts[1:] + [len(view)]
    return [(s, e) for s, e in zip(starts, ends)]


def _header_offset(nal: bytes) -> int:
    return 4 if nal[2] == 0 else 3


def _opens_picture(nal: bytes, kind: int) -> bool:
    """A slice with first_mb_in_slice == 0 (its Exp-Golomb code is the single bit 1)."""
    payload = _header_offset(nal) + 1
    return kind in (NalType.SLICE, NalType.IDR) and len(nal) > payload and nal[payload] & 0x80 != 0


class AccessUnitSplitter:
    """Feed bytes in chunks of any size; get complete access units back.

    >>> splitter = AccessUnitSplitter()
    >>> for chunk in iter(lambda: f.read(65536), b""):
    ...     for au in splitter.feed(chunk): send(au)
    >>> for au in splitter.flush(): send(au)
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._nals: list[bytes] = []
        self._has_picture = False

    def _take(self, nal: bytes) -> Iterator[AccessUnit]:
        offset = _header_offset(nal)
        if len(nal) <= offset:
            self._nals.append(nal)  # a start code with nothing after it: kept, so no byte is lost
            return
        if nal[offset] & 0x80:
            raise ValueError("not H.264: a NAL unit header has its forbidden_zero_bit set")
        kind = nal[offset] & 0x1F
        if self._has_picture and (kind in _OPENS_ACCESS_UNIT or _opens_picture(nal, kind)):
            yield self._emit()
        self._nals.append(nal)
        self._has_picture |= kind in (NalType.SLICE, NalType.IDR)

    def _emit(self) -> AccessUnit:
        kinds = tuple(n[_header_offset(n)] & 0x1F for n in self._nals if len(n) > _header_offset(n))
        au = AccessUnit(b"".join(self._nals), NalType.IDR in kinds, kinds)
        self._nals, self._has_picture = [], False
        return au

    def feed(self, chunk: bytes) -> list[AccessUnit]:
        self._buffer += chunk
        if not _START_CODE.search(self._buffer):
            if self._buffer.strip(b"\x00"):
                raise ValueError("not an H.264 Annex-B stream: no 00 00 01 start code")
            return []  # zeros so far: the start code may still be coming
        units = nal_units(self._buffer)
        # The last NAL unit may continue in the next chunk: keep it.
        out = [au for s, e in units[:-1] for au in self._take(bytes(self._buffer[s:e]))]
        del self._buffer[:units[-1][0]]
        return out

    def flush(self) -> list[AccessUnit]:
        """The rest of the stream, once it has ended."""
        out = []
        if self._buffer:
            out = [au for s, e in nal_units(self._buffer) for au in self._take(bytes(self._buffer[s:e]))]
            self._buffer.clear()
        if self._has_picture:
            out.append(self._emit())
        elif any(len(n) > _header_offset(n) for n in self._nals):
            raise ValueError("H.264 stream ends with parameter sets or SEI but no picture")
        return out


def access_units(stream: bytes | Iterable[bytes]) -> list[AccessUnit]:
    """Every access unit of a whole Annex-B stream (bytes, or an iterable of chunks)."""
    splitter = AccessUnitSplitter()
    chunks = [stream] if isinstance(stream, (bytes, bytearray, memoryview)) else stream
    out = [au for chunk in chunks for au in splitter.feed(bytes(chunk))]
    return out + splitter.flush()
