"""The video examples, run as users run them: a sender in one process, the
receive-and-save example in another; what is saved is what was sent."""

import os
import subprocess
import sys

import numpy as np
import pytest
import simplejpeg

from agora_rtc._testsrc import frame_number, h264_stream, i420_pattern
from agora_rtc.h264 import access_units

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def example(name):
    return os.path.join(ROOT, "examples", name)


def send_and_receive(tmp_path, channel, sender, sender_args, receiver_args=(), frames=20):
    out = tmp_path / "received"
    rx = subprocess.Popen([sys.executable, example("example_video_receive.py"), "--channelId", channel,
                           "--frames", str(frames), "--seconds", "30", "--output", str(out), *receiver_args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert rx.stdout.readline().strip() == "ready", rx.stderr.read()
    tx = subprocess.run([sys.executable, example(sender), "--channelId", channel, "--userId", "5", *sender_args],
                        capture_output=True, text=True, timeout=60)
    assert tx.returncode == 0, tx.stderr
    stdout, stderr = rx.communicate(timeout=60)
    assert rx.returncode == 0, stderr
    return out, tx.stdout, stdout


def frames_of(path, width, height):
    return np.fromfile(path, np.uint8).reshape(-1, width * height * 3 // 2)


def numbers(frames, width, height):
    return [frame_number(f[:width * height].reshape(height, width)) for f in frames]


def consecutive(got, count):
    """In order with none missing; the first may be a few frames in (the sender starts
    sending at once and meets the receiver's process after a handshake)."""
    assert len(got) == count and got[0] <= 3 and got == list(range(got[0], got[0] + count)), got


@pytest.mark.parametrize("fmt", ["I420", "NV12"])
def test_yuv_send_arrives_exact_and_in_order(tmp_path, fmt):
    out, sent, received = send_and_receive(tmp_path, f"ex-{fmt}", "example_video_yuv_send.py",
                                           ["--format", fmt, "--width", "160", "--height", "96", "--fps", "30",
                                            "--seconds", "1"])
    assert "sent 30 160x96" in sent and "received 20 frames from 5 (160x96)" in received
    frames = frames_of(out / "5_160x96.yuv", 160, 96)
    consecutive(numbers(frames, 160, 96), 20)
    assert all(f.tobytes() == i420_pattern(i, 160, 96) for i, f in zip(numbers(frames, 160, 96), frames))


def test_yuv_send_of_a_raw_file_loops_it(tmp_path):
    clip = tmp_path / "clip.yuv"
    clip.write_bytes(b"".join(i420_pattern(100 + i, 128, 64) for i in range(3)))
    out, _, _ = send_and_receive(tmp_path, "ex-file", "example_video_yuv_send.py",
                                 ["--videoFile", str(clip), "--width", "128", "--height", "64", "--fps", "30",
                                  "--seconds", "0.5"], frames=9)
    got = numbers(frames_of(out / "5_128x64.yuv", 128, 64), 128, 64)
    assert len(got) == 9 and all(b - 100 == (a - 100 + 1) % 3 for a, b in zip(got, got[1:])), got  # 100, 101, 102, 100...


def test_rgba_send_arrives_converted_with_a_jpeg_snapshot(tmp_path):
    out, _, received = send_and_receive(tmp_path, "ex-rgba", "example_video_yuv_send.py",
                                        ["--format", "RGBA", "--width", "160", "--height", "96", "--fps", "30",
                                         "--seconds", "1"], ["--jpeg"])
    frames = frames_of(out / "5_160x96.yuv", 160, 96)
    consecutive(numbers(frames, 160, 96), 20)
    snapshot = simplejpeg.decode_jpeg((out / "5_first.jpg").read_bytes(), colorspace="GRAY")
    first_luma = frames[0][:160 * 96].reshape(96, 160, 1)
    assert snapshot.shape == (96, 160, 1) and np.abs(snapshot.astype(int) - first_luma).mean() < 3


def test_encoded_send_arrives_as_the_same_h264_stream(tmp_path):
    out, sent, received = send_and_receive(tmp_path, "ex-h264", "example_video_encoded_send.py",
                                           ["--width", "96", "--height", "64", "--fps", "30", "--gop", "10",
                                            "--seconds", "1.2"], ["--encoded"], frames=30)
    assert "received 30 frames from 5 (96x64, " in received
    units = [u.data for u in access_units(h264_stream(30, 96, 64, gop=10))]  # what the sender loops over
    saved = (out / "5.h264").read_bytes()
    first = next(k for k in range(4) if saved.startswith(units[k]))
    assert saved == b"".join(units[(first + i) % 30] for i in range(30))


def test_jpeg_send_example_reports_its_time_per_picture(tmp_path):
    out, sent, received = send_and_receive(tmp_path, "ex-jpeg", "example_jpeg_send.py",
                                           ["--fps", "30", "--seconds", "0.5"], frames=10)
    assert "sent 15 JPEG pictures (640x360)" in sent and "ms each (decode + send)" in sent
    got = numbers(frames_of(out / "5_640x360.yuv", 640, 360), 640, 360)
    # the example loops over 10 generated pictures: in order, none missing, modulo 10
    assert len(got) == 10 and got[0] <= 3 and got == [(got[0] + k) % 10 for k in range(10)], got
