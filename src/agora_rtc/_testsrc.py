"""Test video without any data file: frames that say which frame they are, and
a real H.264 stream built from them.

``i420_pattern(i, w, h)`` is a moving gradient whose first luma row carries the
frame number (so a receiver can check order and losses); ``rgba_pattern``
is the same idea in RGBA with a varying alpha.

``h264_stream`` writes a Constrained Baseline H.264 Annex-B stream that any
decoder plays: every GOP opens with an IDR picture of I_PCM macroblocks (the
pixels stored uncompressed, so no transform or entropy coder is needed) and
continues with P pictures whose macroblocks are all skipped (a repeat of the
IDR). It exists to exercise the Annex-B splitter and the encoded path with a
stream of the right structure -- SPS, PPS, IDR and non-IDR slices, emulation
prevention -- not to compress.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["i420_pattern", "rgba_pattern", "frame_number", "h264_stream"]

_STAMP_BITS = 16
_STAMP_CELL = 4  # pixels per bit: survives scaling by 2 and chroma averaging


def _stamp(y: npt.NDArray[np.uint8], index: int) -> None:
    """Writes index into the first rows of the luma plane, one bit per cell: 235 for 1, 16 for 0."""
    for bit in range(_STAMP_BITS):
        y[:_STAMP_CELL, bit * _STAMP_CELL:(bit + 1) * _STAMP_CELL] = 235 if index >> bit & 1 else 16


def frame_number(y: npt.ArrayLike) -> int:
    """The index stamped by i420_pattern/rgba_pattern, read back from a received luma plane."""
    y = np.asarray(y)
    cells = [int(y[:_STAMP_CELL, b * _STAMP_CELL:(b + 1) * _STAMP_CELL].mean() > 125) for b in range(_STAMP_BITS)]
    return sum(bit << k for k, bit in enumerate(cells))


def i420_pattern(index: int, width: int, height: int) -> bytes:
    """One contiguous I420 frame (bytes of width*height*3/2) that moves with index."""
    if width % 2 or height % 2 or width < _STAMP_BITS * _STAMP_CELL or height < 2 * _STAMP_CELL:
        raise ValueError(f"need an even size of at least {_STAMP_BITS * _STAMP_CELL}x{2 * _STAMP_CELL}, "
                         f"got {width}x{height}")
    cols = np.arange(width, dtype=np.int32)
    rows = np.arange(height, dtype=np.int32)[:, None]
    y = ((cols + rows + 4 * index) % 220 + 16).astype(np.uint8)
    _stamp(y, index)
    u = np.full((height // 2, width // 2), (64 + 3 * index) % 224 + 16, np.uint8)
    v = np.full((height // 2, width // 2), (192 - 5 * index) % 224 + 16, np.uint8)
    return np.concatenate([y.ravel(), u.ravel(), v.ravel()]).tobytes()


def rgba_pattern(index: int, width: int, height: int) -> npt.NDArray[np.uint8]:
    """An RGBA frame (height x width x 4 uint8) that moves with index; alpha varies across rows."""
    cols = np.arange(width, dtype=np.int32)
    rows = np.arange(height, dtype=np.int32)[:, None]
    rgba = np.empty((height, width, 4), np.uint8)
    rgba[..., 0] = (cols * 255 // max(width - 1, 1) + 3 * index) % 256
    rgba[..., 1] = (rows * 255 // max(height - 1, 1)).astype(np.uint8)
    rgba[..., 2] = (128 + 7 * index) % 256
    rgba[..., 3] = (rows * 200 // max(height - 1, 1) + 55).astype(np.uint8)
    for bit in range(_STAMP_BITS):  # white or black cells: luma 235 or 16 after BT.601 conversion
        rgba[:_STAMP_CELL, bit * _STAMP_CELL:(bit + 1) * _STAMP_CELL, :3] = 255 if index >> bit & 1 else 0
    return rgba


class _Bits:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, n: int, value: int) -> None:
        self.bits += [(value >> (n - 1 - k)) & 1 for k in range(n)]

    def ue(self, value: int) -> None:  # Exp-Golomb
        code = value + 1
        self.u(2 * code.bit_length() - 1, code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align_zero(self) -> None:
        self.bits += [0] * (-len(self.bits) % 8)

    def trailing(self) -> None:  # rbsp_trailing_bits
        self.bits.append(1)
        self.align_zero()

    def raw(self, data: bytes) -> None:  # byte-aligned payload
        assert len(self.bits) % 8 == 0
        self.bits += np.unpackbits(np.frombuffer(data, np.uint8)).tolist()

    def rbsp(self) -> bytes:
        return np.packbits(np.array(self.bits, np.uint8)).tobytes()


def _nal(ref_idc: int, kind: int, rbsp: bytes) -> bytes:
    """Start code, header and the RBSP with emulation prevention (00 00 0x -> 00 00 03 0x for x <= 3)."""
    out = bytearray(b"\x00\x00\x00\x01")
    out.append(ref_idc << 5 | kind)
    zeros = 0
    for b in rbsp:
        if zeros >= 2 and b <= 3:
            out.append(3)
            zeros = 0
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


def _sps(width: int, height: int) -> bytes:
    mbw, mbh = (width + 15) // 16, (height + 15) // 16
    b = _Bits()
    b.u(8, 66)      # profile_idc: Baseline
    b.u(8, 0xC0)    # constraint_set0/1: Constrained Baseline
    b.u(8, 40)      # level 4.0 (1080p30)
    b.ue(0)         # seq_parameter_set_id
    b.ue(0)         # log2_max_frame_num_minus4: frame_num has 4 bits
    b.ue(2)         # pic_order_cnt_type 2: output order = decoding order
    b.ue(1)         # max_num_ref_frames
    b.u(1, 0)       # gaps_in_frame_num_value_allowed_flag
    b.ue(mbw - 1)
    b.ue(mbh - 1)
    b.u(1, 1)       # frame_mbs_only_flag
    b.u(1, 1)       # direct_8x8_inference_flag
    crop = mbw * 16 != width or mbh * 16 != height
    b.u(1, crop)
    if crop:        # in 2-pixel units for 4:2:0
        for value in (0, (mbw * 16 - width) // 2, 0, (mbh * 16 - height) // 2):
            b.ue(value)
    b.u(1, 0)       # vui_parameters_present_flag
    b.trailing()
    return _nal(3, 7, b.rbsp())


def _pps() -> bytes:
    b = _Bits()
    b.ue(0)         # pic_parameter_set_id
    b.ue(0)         # seq_parameter_set_id
    b.u(1, 0)       # entropy_coding_mode_flag: CAVLC
    b.u(1, 0)       # bottom_field_pic_order_in_frame_present_flag
    b.ue(0)         # num_slice_groups_minus1
    b.ue(0)         # num_ref_idx_l0_default_active_minus1
    b.ue(0)         # num_ref_idx_l1_default_active_minus1
    b.u(1, 0)       # weighted_pred_flag
    b.u(2, 0)       # weighted_bipred_idc
    b.se(0)         # pic_init_qp_minus26
    b.se(0)         # pic_init_qs_minus26
    b.se(0)         # chroma_qp_index_offset
    b.u(1, 1)       # deblocking_filter_control_present_flag
    b.u(1, 0)       # constrained_intra_pred_flag
    b.u(1, 0)       # redundant_pic_cnt_present_flag
    b.trailing()
    return _nal(3, 8, b.rbsp())


def _macroblocks(frame: bytes, width: int, height: int) -> npt.NDArray[np.uint8]:
    """The I420 frame as 16x16 macroblocks in raster order: 256 luma, 64 Cb, 64 Cr bytes each (edges padded)."""
    mbw, mbh = (width + 15) // 16, (height + 15) // 16
    planes = np.frombuffer(frame, np.uint8)
    y = planes[:width * height].reshape(height, width)
    u = planes[width * height:width * height * 5 // 4].reshape(height // 2, width // 2)
    v = planes[width * height * 5 // 4:].reshape(height // 2, width // 2)

    def blocks(p: npt.NDArray[np.uint8], size: int) -> npt.NDArray[np.uint8]:
        p = np.pad(p, ((0, mbh * size - p.shape[0]), (0, mbw * size - p.shape[1])), mode="edge")
        tiles: npt.NDArray[np.uint8] = p.reshape(mbh, size, mbw, size).transpose(0, 2, 1, 3)
        return tiles.reshape(mbh * mbw, size * size)

    return np.concatenate([blocks(y, 16), blocks(u, 8), blocks(v, 8)], axis=1)


def _idr(frame: bytes, width: int, height: int, idr_id: int) -> bytes:
    b = _Bits()
    b.ue(0)         # first_mb_in_slice
    b.ue(7)         # slice_type: I (all slices)
    b.ue(0)         # pic_parameter_set_id
    b.u(4, 0)       # frame_num
    b.ue(idr_id)    # idr_pic_id
    b.u(1, 0)       # no_output_of_prior_pics_flag
    b.u(1, 0)       # long_term_reference_flag
    b.se(0)         # slice_qp_delta
    b.ue(1)         # disable_deblocking_filter_idc: off (PCM needs none)
    for mb in _macroblocks(frame, width, height):
        b.ue(25)    # mb_type I_PCM
        b.align_zero()
        b.raw(mb.tobytes())
    b.trailing()
    return _nal(3, 5, b.rbsp())


def _p_skip(width: int, height: int, frame_num: int) -> bytes:
    b = _Bits()
    b.ue(0)         # first_mb_in_slice
    b.ue(5)         # slice_type: P (all slices)
    b.ue(0)         # pic_parameter_set_id
    b.u(4, frame_num % 16)
    b.u(1, 0)       # num_ref_idx_active_override_flag
    b.u(1, 0)       # ref_pic_list_modification_flag_l0
    b.u(1, 0)       # adaptive_ref_pic_marking_mode_flag
    b.se(0)         # slice_qp_delta
    b.ue(1)         # disable_deblocking_filter_idc
    b.ue(((width + 15) // 16) * ((height + 15) // 16))  # mb_skip_run: the whole picture
    b.trailing()
    return _nal(2, 1, b.rbsp())


def h264_stream(frames: int, width: int, height: int, gop: int = 10) -> bytes:
    """An Annex-B stream of `frames` pictures: IDR (SPS, PPS, i420_pattern(i)) every `gop`, P-skip between."""
    if not 1 <= gop <= 16:
        raise ValueError("gop must be 1..16 (frame_num has 4 bits)")
    out: list[bytes] = []
    for i in range(frames):
        if i % gop == 0:
            out += [_sps(width, height), _pps(), _idr(i420_pattern(i, width, height), width, height, (i // gop) % 65536)]
        else:
            out.append(_p_skip(width, height, i % gop))
    return b"".join(out)
