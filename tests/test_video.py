"""Video through the loopback engine: pixels (exact for I420, within +-2 for
converted formats), metadata, alpha, rotation and timestamps; encoded access
units byte-exact and in order; high/low streams; remote video track states;
bad input raising clear exceptions."""

import pickle
import threading

import numpy as np
import pytest

from agora_rtc import (AgoraError, EncodedVideoFrameInfo, ExternalVideoFrame, IRTCLocalUserObserver,
                       IVideoEncodedFrameObserver,
                       IVideoFrameObserver, RTCConnConfig, SenderOptions, SimulcastStreamConfig, VideoDimensions,
                       VideoCodecType, VideoEncoderConfiguration, VideoPixelFormat, VideoStreamType,
                       VideoSubscriptionOptions)
from agora_rtc import _core
from agora_rtc.video import ColorSpaceType, RemoteVideoState, RemoteVideoStateReason

from conftest import join, wait_for

I420, NV12, NV21, RGBA, BGRA = (VideoPixelFormat.I420, VideoPixelFormat.NV12, VideoPixelFormat.NV21,
                                VideoPixelFormat.RGBA, VideoPixelFormat.BGRA)


class Frames(IVideoFrameObserver):
    """Keeps copies of every received frame's planes and fields."""

    def __init__(self):
        self.frames = []

    def on_frame(self, channel_id, remote_uid, frame):
        self.frames.append(dict(channel=channel_id, uid=remote_uid, w=frame.width, h=frame.height,
                                y=np.array(frame.y), u=np.array(frame.u), v=np.array(frame.v),
                                metadata=frame.metadata, alpha=frame.alpha_buffer, rotation=frame.rotation,
                                ts=frame.render_time_ms, frame=frame))


class Encoded(IVideoEncodedFrameObserver):
    def __init__(self):
        self.frames = []

    def on_encoded_video_frame(self, uid, image_buffer, length, info):
        self.frames.append((uid, image_buffer, length, info))


class VideoStates(IRTCLocalUserObserver):
    def __init__(self):
        self.events = []

    def on_user_video_track_subscribed(self, local_user, user_id, info, track):
        self.events.append(("subscribed", user_id))
        self.info = info

    def on_user_video_track_state_changed(self, local_user, user_id, track, state, reason, elapsed):
        self.events.append(("state", user_id, state, reason))

    def on_first_remote_video_frame(self, local_user, user_id, width, height, elapsed):
        self.events.append(("first_frame", user_id, width, height))

    def states(self):
        return [(e[2], e[3]) for e in self.events if e[0] == "state"]


class Pair:
    """Sender "1" publishing a custom video track; receiver "2" with an observer."""

    def __init__(self, service, encoded=False, receiver_config=None, channel="video"):
        self.service = service
        self.tx, _ = join(service, channel, "1")
        self.rx, _ = join(service, channel, "2", config=receiver_config or RTCConnConfig(auto_subscribe_video=1))
        self.factory = service.create_media_node_factory()
        if encoded:
            self.sender = self.factory.create_video_encoded_image_sender()
            self.track = service.create_custom_video_track_encoded(self.sender, SenderOptions())
            self.got = Encoded()
            self.rx.get_local_user().register_video_encoded_frame_observer(self.got)
        else:
            self.sender = self.factory.create_video_frame_sender()
            self.track = service.create_custom_video_track_frame(self.sender)
            self.got = Frames()
            self.rx.get_local_user().register_video_frame_observer(self.got)
        self.tx.get_local_user().publish_video(self.track)

    def wait(self, n):
        wait_for(lambda: len(self.got.frames) >= n, what=f"{n} video frames")
        return self.got.frames


def pattern(w, h, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w), dtype=np.uint8)


def i420(w, h, seed=0):
    y, u, v = pattern(w, h, seed), pattern(w // 2, h // 2, seed + 1), pattern(w // 2, h // 2, seed + 2)
    return y, u, v, np.concatenate([y.ravel(), u.ravel(), v.ravel()])


def bt601(rgb):
    """Reference BT.601 limited-range YUV 4:2:0 in floating point (chroma from 2x2 means)."""
    rgb = rgb.astype(np.float64)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256
    h, w = r.shape
    m = rgb.reshape(h // 2, 2, w // 2, 2, 3).mean(axis=(1, 3))
    r, g, b = m[..., 0], m[..., 1], m[..., 2]
    u = 128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256
    v = 128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256
    return y, u, v


def close(a, b, tol=2):
    return np.abs(a.astype(np.int32) - np.round(b).astype(np.int32)).max() <= tol


def test_i420_frames_arrive_exact_in_order_with_metadata_rotation_timestamp(service):
    p = Pair(service)
    sent = [i420(64, 48, seed) for seed in range(5)]
    for k, (_, _, _, buf) in enumerate(sent):
        assert p.sender.send(buf, I420, 64, 48, rotation=90, timestamp_ms=5000 + k,
                             metadata=bytes([0, k, 255, 10])) == 0
    frames = p.wait(5)
    for k, f in enumerate(frames):
        y, u, v, _ = sent[k]
        assert (f["w"], f["h"], f["uid"], f["channel"]) == (64, 48, "1", "video")
        assert np.array_equal(f["y"], y) and np.array_equal(f["u"], u) and np.array_equal(f["v"], v)
        assert f["metadata"] == bytes([0, k, 255, 10])  # binary metadata intact, zero bytes included
        assert (f["rotation"], f["ts"]) == (90, 5000 + k)


def test_official_external_video_frame_path(service):
    p = Pair(service)
    y, u, v, buf = i420(32, 16)
    frame = ExternalVideoFrame(format=I420, buffer=bytearray(buf.tobytes()), stride=32, height=16, timestamp=7,
                               metadata=bytearray(b"meta"))
    assert p.sender.send_video_frame(frame) == 0
    f = p.wait(1)[0]
    assert np.array_equal(f["y"], y) and f["metadata"] == b"meta" and f["ts"] == 7



def test_external_video_frame_crops_send_the_window(service):
    # a 1088-row encoder-aligned I420 buffer cut down, as official senders do, with every crop at once
    p = Pair(service)
    stride, height, left, top, right, bottom = 48, 40, 4, 6, 12, 10
    y, u, v, buf = i420(stride, height, seed=4)
    alpha = pattern(stride - left - right, height - top - bottom, seed=5)
    frame = ExternalVideoFrame(format=I420, buffer=buf.tobytes(), stride=stride, height=height, crop_left=left,
                               crop_top=top, crop_right=right, crop_bottom=bottom, alpha_buffer=alpha.tobytes(),
                               fill_alpha_buffer=1)
    assert p.sender.send_video_frame(frame) == 0
    rgba = np.random.default_rng(6).integers(0, 256, (height, stride, 4), dtype=np.uint8)
    assert p.sender.send_video_frame(ExternalVideoFrame(format=RGBA, buffer=rgba, stride=stride, height=height,
                                                        crop_left=left, crop_top=top, crop_right=right,
                                                        crop_bottom=bottom)) == 0
    nv12 = np.concatenate([y, np.stack([u, v], axis=-1).reshape(height // 2, stride)])
    assert p.sender.send_video_frame(ExternalVideoFrame(format=NV12, buffer=nv12, stride=stride, height=height,
                                                        crop_left=left, crop_top=top, crop_right=right,
                                                        crop_bottom=bottom)) == 0
    f = p.wait(3)
    assert (f[0]["w"], f[0]["h"]) == (32, 24) == (f[1]["w"], f[1]["h"]) == (f[2]["w"], f[2]["h"])
    for sent_yuv in (f[0], f[2]):
        assert np.array_equal(sent_yuv["y"], y[top:height - bottom, left:stride - right])
        assert np.array_equal(sent_yuv["u"], u[top // 2:(height - bottom) // 2, left // 2:(stride - right) // 2])
        assert np.array_equal(sent_yuv["v"], v[top // 2:(height - bottom) // 2, left // 2:(stride - right) // 2])
    assert f[0]["alpha"] == alpha.tobytes()
    ry, ru, rv = bt601(rgba[top:height - bottom, left:stride - right, :3])
    assert close(f[1]["y"], ry) and close(f[1]["u"], ru) and close(f[1]["v"], rv)


@pytest.mark.parametrize("crops, error, match", [
    (dict(crop_top=3, crop_bottom=1), ValueError, r"I420 crops must be even \(4:2:0 chroma\), not left 0, top 3, "
                                                  r"bottom 1"),
    (dict(crop_left=-2), ValueError, "crops must be >= 0, not left -2, top 0, right 0, bottom 0"),
    (dict(crop_left=10, crop_right=8), ValueError, "crops leave no columns: crop_left 10 \\+ crop_right 8 >= stride 16"),
    (dict(crop_top=2**31 - 1, crop_bottom=2), ValueError, "crops leave no rows: crop_top 2147483647 \\+ crop_bottom 2"),
    (dict(crop_bottom=2.0), TypeError, "ExternalVideoFrame.crop_bottom must be an int, not 2.0"),
])
def test_external_video_frame_bad_crops_raise_clear_errors(service, crops, error, match):
    p = Pair(service)
    with pytest.raises(error, match=match):
        p.sender.send_video_frame(ExternalVideoFrame(format=I420, buffer=i420(16, 8)[3], stride=16, height=8, **crops))


def test_a_cropped_frame_of_the_wrong_size_names_the_window(service):
    p = Pair(service)
    with pytest.raises(ValueError, match=r"I420 12x4 window at \(2, 2\) of a 8-row frame with stride 16 needs 192 "
                                         r"bytes, got 100"):
        p.sender.send_video_frame(ExternalVideoFrame(format=I420, buffer=bytes(100), stride=16, height=8, crop_left=2,
                                                     crop_top=2, crop_right=2, crop_bottom=2))


def test_external_video_frame_behaves_like_the_official_dataclass():
    frame = ExternalVideoFrame(format=I420, stride=32, height=16)
    # official defaults (type RAW_DATA = 1), one matrix list and one color space per frame
    assert (frame.type, frame.buffer, frame.timestamp, frame.matrix, frame.color_space) == (1, None, 0, [], ColorSpaceType())
    other = ExternalVideoFrame(format=I420, stride=32, height=16)
    assert other.matrix is not frame.matrix and other.color_space is not frame.color_space
    assert frame == other and frame != ExternalVideoFrame(format=I420, stride=32, height=18)
    frame.matrix.append(1.0)
    assert frame != other and frame.matrix == [1.0]
    assert repr(other).startswith("ExternalVideoFrame(type=1, format=<VideoPixelFormat.I420: 1>, buffer=None, "
                                  "stride=32, height=16, crop_left=0, ")
    frame.note = "mine"  # extra attributes, as on the dataclass
    copy = pickle.loads(pickle.dumps(ExternalVideoFrame(buffer=b"abc", timestamp=5, color_space=ColorSpaceType(range_id=2))))
    assert (copy.buffer, copy.timestamp, copy.color_space.range_id) == (b"abc", 5, 2)
    with pytest.raises(TypeError):
        ExternalVideoFrame(I420)  # keyword arguments only, as the official one
    with pytest.raises(TypeError, match="strides"):
        ExternalVideoFrame(strides=32)


def test_external_video_frame_bad_fields_name_the_field(service):
    p = Pair(service)
    _, _, _, buf = i420(16, 8)
    for field, value in [("stride", "16"), ("height", 8.0), ("timestamp", "now"), ("format", None)]:
        frame = ExternalVideoFrame(format=I420, buffer=buf, stride=16, height=8)
        setattr(frame, field, value)
        with pytest.raises(TypeError, match=f"ExternalVideoFrame.{field} must be an int"):
            p.sender.send_video_frame(frame)
    with pytest.raises(ValueError, match="ExternalVideoFrame.height must be -2147483648..2147483647, not 1099511627776"):
        p.sender.send_video_frame(ExternalVideoFrame(format=I420, buffer=buf, stride=16, height=2**40))
    with pytest.raises(TypeError, match="takes an ExternalVideoFrame, not dict"):
        p.sender.send_video_frame({"buffer": buf})
    frame = ExternalVideoFrame(format=I420, buffer=buf, stride=16, height=8, rotation=90, timestamp=3,
                               metadata=np.frombuffer(b"meta", np.uint8))  # any buffer, a numpy array too
    assert p.sender.send_video_frame(frame) == 0  # the same frame object, fixed, goes out
    frame.metadata = bytearray()  # empty: no metadata
    assert p.sender.send_video_frame(frame) == 0
    f = p.wait(2)
    assert (f[0]["w"], f[0]["h"], f[0]["rotation"], f[0]["ts"], f[0]["metadata"]) == (16, 8, 90, 3, b"meta")
    assert f[1]["metadata"] == b""

@pytest.mark.parametrize("fmt", [NV12, NV21])
def test_nv12_and_nv21_arrive_as_the_same_i420(service, fmt):
    p = Pair(service)
    y, u, v, _ = i420(64, 32, seed=3)
    uv = np.stack([u, v] if fmt == NV12 else [v, u], axis=-1).reshape(16, 64)
    p.sender.send(np.concatenate([y, uv]), fmt, 64, 32)
    f = p.wait(1)[0]
    assert np.array_equal(f["y"], y) and np.array_equal(f["u"], u) and np.array_equal(f["v"], v)


@pytest.mark.parametrize("fmt", [RGBA, BGRA])
def test_rgb_converts_with_bt601_within_two(service, fmt):
    p = Pair(service)
    rng = np.random.default_rng(7)
    rgb = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    # Smooth areas too: gradients and flat colours, not only noise.
    rgb[:16] = np.linspace(0, 255, 64, dtype=np.uint8)[None, :, None]
    rgb[16:24] = (255, 0, 0)
    pixels = np.concatenate([rgb if fmt == RGBA else rgb[..., ::-1], np.full((48, 64, 1), 200, np.uint8)], axis=-1)
    p.sender.send(pixels, fmt, 64, 48)
    f = p.wait(1)[0]
    ry, ru, rv = bt601(rgb)
    assert close(f["y"], ry) and close(f["u"], ru) and close(f["v"], rv)
    assert f["alpha"] is None  # fill_alpha not set: no alpha travels


def test_alpha_given_or_filled_from_rgba_arrives_intact(service):
    p = Pair(service)
    y, u, v, buf = i420(16, 8)
    alpha = pattern(16, 8, seed=9)
    p.sender.send(buf, I420, 16, 8, alpha=alpha)
    rgba = np.zeros((8, 16, 4), np.uint8)
    rgba[..., 3] = pattern(16, 8, seed=10)
    p.sender.send(rgba, RGBA, 16, 8, fill_alpha=True)
    # official semantics: alpha_buffer only counts when fill_alpha_buffer is set
    p.sender.send_video_frame(ExternalVideoFrame(format=I420, buffer=buf, stride=16, height=8,
                                                 alpha_buffer=alpha.tobytes(), fill_alpha_buffer=0))
    f = p.wait(3)
    assert f[0]["alpha"] == alpha.tobytes()
    assert f[1]["alpha"] == rgba[..., 3].tobytes()
    assert f[2]["alpha"] is None


def test_padded_numpy_rows_set_the_stride(service):
    p = Pair(service)
    rgb = np.random.default_rng(1).integers(0, 256, (16, 40, 4), dtype=np.uint8)
    view = rgb[:, :32]  # rows 40 pixels apart, 32 visible
    p.sender.send(view, RGBA, 32, 16)
    f = p.wait(1)[0]
    ry, _, _ = bt601(np.ascontiguousarray(view[..., :3]))
    assert (f["w"], f["h"]) == (32, 16) and close(f["y"], ry)


@pytest.fixture(params=["engine memory held", "copied as with Agora's library"])
def frame_holds(request):
    held = request.param == "engine memory held"
    _core._use_video_frame_holds(held)
    yield held
    _core._use_video_frame_holds(True)


def test_plane_views_kept_past_the_callback_still_read_their_own_frame(service, frame_holds):
    # a numpy view made in a direct callback holds the engine's memory (or, with Agora's library, which
    # has no holds, a copy the frame makes at the first view): it used to read freed memory (1080p: a
    # segfault) or, for small frames, a later frame's pixels
    p = Pair(service)
    views = []

    class KeepViews(IVideoFrameObserver):
        def on_frame(self, channel_id, remote_uid, frame):
            if len(views) % 2:  # half the views made on another thread while the callback waits
                helper = threading.Thread(target=lambda: views.append(np.asarray(frame.y)))
                helper.start()
                helper.join()
            else:
                views.append(np.asarray(frame.y))
    p.rx.get_local_user().register_video_frame_observer(KeepViews())
    sent = [np.full(1920 * 1080 * 3 // 2, 10 + k, np.uint8) for k in range(4)]
    for k, frame in enumerate(sent):
        p.sender.send(frame, I420, 1920, 1080)
    wait_for(lambda: len(views) >= 4, what="4 frames")
    p.tx.release()  # and the sender's side is gone
    assert [int(v[0, 0]) for v in views] == [10, 11, 12, 13] and all(int(v.min()) == int(v.max()) for v in views)
    views.clear()  # the last view of a frame releases the engine's hold on it


def test_frames_still_queued_when_unpublished_are_discarded_not_played_at_the_next_publish(service):
    p = Pair(service)
    release = threading.Event()
    got = []

    class Slow(IVideoFrameObserver):  # holds the engine thread in the first frame's callback
        def on_frame(self, channel_id, remote_uid, frame):
            got.append(int(np.asarray(frame.y)[0, 0]))
            release.wait(10)
    p.rx.get_local_user().unregister_video_frame_observer()
    p.rx.get_local_user().register_video_frame_observer(Slow())
    send = lambda value: p.sender.send(np.full(16 * 8 * 3 // 2, value, np.uint8), I420, 16, 8)  # noqa: E731
    send(10)
    wait_for(lambda: got == [10], what="the first frame in its callback")
    send(11)
    send(12)  # queued: the engine thread is busy
    assert p.track.stats()["queued_frames"] == 2
    user = p.tx.get_local_user()
    user.unpublish_video(p.track)
    assert p.track.stats()["queued_frames"] == 0 and p.track.stats()["discarded_frames"] == 2
    release.set()
    user.publish_video(p.track)
    send(13)
    wait_for(lambda: len(got) >= 2, what="the frame sent after the new publish")
    assert got == [10, 13]  # not 11 and 12, seconds late


def test_planes_are_zero_copy_views_valid_only_during_the_callback(service):
    p = Pair(service)
    p.sender.send(i420(16, 8)[3], I420, 16, 8)
    frame = p.wait(1)[0]["frame"]
    with pytest.raises(ValueError, match="only valid during the callback"):
        np.asarray(frame.y)


def test_encoder_configuration_caps_the_resolution(service):
    p = Pair(service)
    p.track.set_video_encoder_configuration(VideoEncoderConfiguration(dimensions=VideoDimensions(width=320,
                                                                                                 height=180)))
    p.sender.send(np.zeros((720, 1280, 4), np.uint8), RGBA, 1280, 720, metadata=b"x")
    f = p.wait(1)[0]
    assert (f["w"], f["h"], f["metadata"]) == (320, 180, b"x")


def test_low_stream_subscriber_gets_the_simulcast_size(service):
    p = Pair(service, receiver_config=RTCConnConfig(auto_subscribe_video=0))
    p.rx.get_local_user().subscribe_video("1", VideoSubscriptionOptions(type=1))
    p.track.enable_simulcast_stream(True, SimulcastStreamConfig(dimensions=VideoDimensions(width=160, height=90),
                                                                bitrate=100, framerate=15))
    grey = np.full((360, 640, 4), 128, np.uint8)
    p.sender.send(grey, RGBA, 640, 360)
    f = p.wait(1)[0]
    assert (f["w"], f["h"]) == (160, 90)
    assert close(f["y"], np.full((90, 160), 16 + (65.738 + 129.057 + 25.064) * 128 / 256))
    p.rx.get_local_user().subscribe_video("1", VideoSubscriptionOptions(type=0))
    p.sender.send(grey, RGBA, 640, 360)
    assert (p.wait(2)[1]["w"], p.wait(2)[1]["h"]) == (640, 360)


def test_encoded_access_units_arrive_byte_exact_in_order(service):
    p = Pair(service, encoded=True)
    units = [bytes([0, 0, 0, 1, 0x65]) + bytes(range(256)) * 3, bytes([0, 0, 0, 1, 0x41, 0, 7])] + \
            [np.random.default_rng(k).bytes(100 + k) for k in range(20)]
    for k, unit in enumerate(units):
        info = EncodedVideoFrameInfo(codec_type=2, width=640, height=360, frames_per_second=30,
                                     frame_type=3 if k % 10 == 0 else 4, rotation=0, capture_time_ms=1000 + k)
        assert p.sender.send_encoded_video_image(unit, info) == 1
    frames = p.wait(len(units))
    assert [f[1] for f in frames] == units
    assert [f[3].frame_type for f in frames] == [3 if k % 10 == 0 else 4 for k in range(len(units))]
    assert [f[3].capture_time_ms for f in frames] == [1000 + k for k in range(len(units))]
    assert all(f[0] == 1 and f[2] == len(f[1]) and (f[3].width, f[3].height) == (640, 360) for f in frames)



def test_encoded_video_frame_info_behaves_like_the_official_dataclass(service):
    info = EncodedVideoFrameInfo(codec_type=2, width=640, height=360, frame_type=3, uid=7)
    assert (info.frames_per_second, info.stream_type, info.presentation_ms) == (0, 0, 0)  # official defaults
    assert info == EncodedVideoFrameInfo(codec_type=2, width=640, height=360, frame_type=3, uid=7) != \
        EncodedVideoFrameInfo(codec_type=2, width=640, height=360, frame_type=4, uid=7)
    assert repr(info).startswith("EncodedVideoFrameInfo(codec_type=2, width=640, height=360, frames_per_second=0, ")
    assert pickle.loads(pickle.dumps(info)) == info
    with pytest.raises(TypeError):
        EncodedVideoFrameInfo(2)  # keyword arguments only, as the official one
    p = Pair(service, encoded=True)
    for field, value, error in [("width", 640.5, TypeError), ("capture_time_ms", "now", TypeError),
                                ("uid", -1, ValueError), ("frame_type", 2**40, ValueError)]:
        bad = EncodedVideoFrameInfo(codec_type=2, frame_type=3)
        setattr(bad, field, value)
        with pytest.raises(error, match=f"EncodedVideoFrameInfo.{field} "):
            p.sender.send_encoded_video_image(b"\x01" * 10, bad)
    with pytest.raises(TypeError, match="frame_info must be an EncodedVideoFrameInfo"):
        p.sender.send_encoded_video_image(b"\x01" * 10, {"codec_type": 2})
    good = EncodedVideoFrameInfo(codec_type=2, frame_type=3)
    for field, value, match in [("rotation", 45, "rotation must be 0, 90, 180 or 270, not 45"),
                                ("width", -1, "width and height must be >= 0, not -1x0")]:
        bad = EncodedVideoFrameInfo(codec_type=2, frame_type=3)
        setattr(bad, field, value)
        with pytest.raises(ValueError, match=match):
            p.sender.send_encoded_video_image(b"\x01" * 10, bad)
    with pytest.raises(ValueError, match="buffer_size 2 disagrees with the data's 3 bytes"):
        p.sender.send_encoded_video_image(b"xyz", 2, good)  # the official (data, size, info) order, checked
    assert p.sender.send_encoded_video_image(b"xyz", 3, good) == 1
    with pytest.raises(ValueError, match="encoded image must be a C-contiguous buffer"):
        p.sender.send_encoded_video_image(np.zeros(10, np.uint8)[::2], good)
    p.wait(1)
    p.got.frames.clear()
    # the fields arrive as sent (the uid field is the sender's on receipt)
    assert p.sender.send_encoded_video_image(b"\x01" * 10, EncodedVideoFrameInfo(
        codec_type=2, width=640, height=360, frames_per_second=30, frame_type=3, rotation=90, track_id=0,
        capture_time_ms=123, decode_time_ms=456)) == 1
    got = p.wait(1)[0][3]
    assert (got.codec_type, got.width, got.height, got.frames_per_second, got.frame_type, got.rotation,
            got.capture_time_ms, got.decode_time_ms) == (2, 640, 360, 30, 3, 90, 123, 456)

def test_encoded_low_stream_goes_to_low_subscribers_high_to_high(service):
    p = Pair(service, encoded=True, receiver_config=RTCConnConfig(auto_subscribe_video=0))
    p.rx.get_local_user().subscribe_video("1", VideoSubscriptionOptions(type=1, encodedFrameOnly=True))
    p.track.enable_simulcast_stream(True, SimulcastStreamConfig(dimensions=VideoDimensions(width=320, height=180)))
    for k in range(6):
        p.sender.send_encoded_video_image(bytes([k]) * 10, EncodedVideoFrameInfo(codec_type=2, frame_type=3,
                                                                                  stream_type=k % 2))
    frames = p.wait(3)
    assert [f[1][0] for f in frames] == [1, 3, 5]
    assert all(f[3].stream_type == 1 for f in frames)
    # Without a declared low stream, a low subscriber gets the high stream.
    p.track.enable_simulcast_stream(False)
    p.sender.send_encoded_video_image(b"\x07" * 10, EncodedVideoFrameInfo(codec_type=2, frame_type=3))
    assert p.wait(4)[3][1] == b"\x07" * 10


def test_remote_video_states_follow_publish_freeze_and_unpublish(service):
    p = Pair(service)
    states = VideoStates()
    p.rx.get_local_user().register_local_user_observer(states)
    frame = i420(16, 8)[3]
    p.sender.send(frame, I420, 16, 8)
    wait_for(lambda: (RemoteVideoState.DECODING, RemoteVideoStateReason.REMOTE_UNMUTED) in states.states())
    assert ("subscribed", "1") in states.events and ("first_frame", "1", 16, 8) in states.events
    info = states.info
    assert (info.owner_uid, info.channel_id, info.codec_type, info.stream_type, info.encoded_frame_only) == \
        (1, "video", VideoCodecType.VIDEO_CODEC_H264, VideoStreamType.VIDEO_STREAM_HIGH, 0)
    wait_for(lambda: (RemoteVideoState.FROZEN, RemoteVideoStateReason.INTERNAL) in states.states(),
             what="frozen after 500 ms (engine time) without frames")
    p.sender.send(frame, I420, 16, 8)
    wait_for(lambda: states.states()[-1] == (RemoteVideoState.DECODING, RemoteVideoStateReason.NETWORK_RECOVERY))
    p.tx.get_local_user().unpublish_video(p.track)
    wait_for(lambda: states.states()[-1] == (RemoteVideoState.STOPPED, RemoteVideoStateReason.REMOTE_MUTED))
    before = p.track.stats()["discarded_frames"]
    p.sender.send(frame, I420, 16, 8)  # unpublished: discarded, and counted
    assert p.track.stats()["discarded_frames"] == before + 1


def test_unsubscribe_stops_frames(service):
    p = Pair(service)
    p.sender.send(i420(16, 8)[3], I420, 16, 8)
    p.wait(1)
    p.rx.get_local_user().unsubscribe_video("1")
    p.sender.send(i420(16, 8)[3], I420, 16, 8)
    p.sender.send(i420(16, 8)[3], I420, 16, 8)
    wait_for(lambda: p.track.stats()["queued_frames"] == 0)
    p.rx.get_local_user().subscribe_video("1")
    p.sender.send(i420(16, 8, seed=5)[3], I420, 16, 8)
    frames = p.wait(2)
    assert len(frames) == 2 and np.array_equal(frames[1]["y"], i420(16, 8, seed=5)[0])


@pytest.mark.parametrize("args, match", [
    ((np.zeros(100, np.uint8), I420, 16, 8), "needs 192 bytes, got 100"),
    ((np.zeros(16 * 8 * 3 // 2, np.uint8), I420, 15, 8), "even width and height"),
    ((np.zeros(16 * 8 * 4, np.uint8), 99, 16, 8), "unknown pixel format 99"),
    ((np.zeros((8, 16, 3), np.uint8), RGBA, 16, 8), "rows of 16 pixels hold 64 bytes, got 48"),
    ((np.zeros((12, 16), np.uint8), I420, 16, 16), "needs 24 rows"),
    ((np.zeros((8, 16, 4), np.uint8)[:, ::2], RGBA, 8, 8), "each row of the frame array must be contiguous"),
    ((np.zeros(16 * 8 * 4, np.uint8), RGBA, 16, 8, ), None),
    ((np.zeros(192, np.uint8), I420, 16, 8, {"rotation": 45}), "rotation must be 0, 90, 180 or 270"),
    ((np.zeros(192, np.uint8), I420, 16, 8, {"alpha": b"12"}), "alpha holds 2 bytes; expected 128"),
    (("not a buffer", I420, 16, 8), "buffer protocol"),
    ((np.zeros(192, np.uint8), I420, 16, 8.0), "cannot be interpreted as an integer"),  # not truncated
    ((np.zeros(192, np.uint8), I420, 16, 8, {"stride": 16.5}), "cannot be interpreted as an integer"),
    ((np.zeros(192, np.uint8), I420, 2**32 + 16, 8), "width must be -2147483648..2147483647, not 4294967312"),
])
def test_bad_frames_raise_clear_errors(service, args, match):
    p = Pair(service)
    kwargs = args[-1] if isinstance(args[-1], dict) else {}
    args = args[:-1] if kwargs else args
    if match is None:
        assert p.sender.send(*args, **kwargs) == 0
        return
    with pytest.raises((ValueError, TypeError), match=match):
        p.sender.send(*args, **kwargs)


def test_a_sender_without_a_track_says_how_to_make_one(service):
    factory = service.create_media_node_factory()
    raw, encoded = factory.create_video_frame_sender(), factory.create_video_encoded_image_sender()
    with pytest.raises(AgoraError, match=r"service.create_custom_video_track_frame\(sender\)\) failed: ERR_NOT_READY"):
        raw.send(i420(16, 8)[3], I420, 16, 8)
    with pytest.raises(AgoraError, match=r"service.create_custom_video_track_encoded\(sender\)\) failed: ERR_NOT_READY"):
        encoded.send_encoded_video_image(b"\x01", EncodedVideoFrameInfo(codec_type=2, frame_type=3))
    pcm = factory.create_audio_pcm_data_sender()
    with pytest.raises(AgoraError, match=r"service.create_custom_audio_track_pcm\(sender\)\) failed: ERR_NOT_READY"):
        pcm.send(bytes(320), 160, 16000)
    for obj in (raw, encoded, pcm, factory):
        obj.release()


def test_released_objects_raise(service):
    p = Pair(service)
    p.sender.release()
    with pytest.raises(ValueError, match="released"):
        p.sender.send(i420(16, 8)[3], I420, 16, 8)
    p.track.release()
    with pytest.raises(ValueError, match="released"):
        p.track.set_enabled(True)
    enc = p.factory.create_video_encoded_image_sender()
    with pytest.raises(TypeError, match="not a raw address"):
        enc.send_encoded_video_image(12345, EncodedVideoFrameInfo())
    with pytest.raises(ValueError, match="empty"):
        enc.send_encoded_video_image(b"", EncodedVideoFrameInfo())


def test_video_objects_are_freed(service):
    baseline = service.engine_objects()
    for _ in range(3):
        p = Pair(service, channel="churn")
        p.sender.send(i420(16, 8)[3], I420, 16, 8)
        p.wait(1)
        p.track.release()
        p.sender.release()
        p.factory.release()
        p.tx.release()
        p.rx.release()
    assert service.engine_objects() == baseline


def test_remote_video_track_handle_reports_its_state(service):
    p = Pair(service)
    tracks = []

    class Keep(IRTCLocalUserObserver):
        def on_user_video_track_subscribed(self, local_user, user_id, info, track):
            tracks.append(track)

    p.rx.get_local_user().register_local_user_observer(Keep())
    p.sender.send(i420(16, 8)[3], I420, 16, 8)
    wait_for(lambda: tracks and tracks[0].get_state() == RemoteVideoState.DECODING)
    assert tracks[0].user_id == "1" and repr(tracks[0]) == "<RemoteVideoTrack of '1'>"
    p.rx.release()
    with pytest.raises(ValueError, match="RemoteVideoTrack.get_state\\(\\): the connection was released"):
        tracks[0].get_state()


def test_dispatched_frames_are_owned_and_arrive_on_the_dispatch_thread(service):
    p = Pair(service, channel="video-dispatched")
    kept, threads = [], set()

    class Keep(IVideoFrameObserver):
        def on_frame(self, channel_id, remote_uid, frame):
            threads.add(threading.current_thread().name)
            kept.append((remote_uid, frame))  # kept past the callback: the frame owns its planes

    p.rx.get_local_user().register_video_frame_observer(Keep(), dispatcher=service.dispatcher)
    sent = [i420(64, 32, seed) for seed in range(5)]
    for k, (_, _, _, whole) in enumerate(sent):
        p.sender.send(whole, I420, 64, 32, metadata=b"m%d" % k, alpha=np.full(64 * 32, k, np.uint8), timestamp_ms=k)
    wait_for(lambda: len(kept) == 5, what="5 dispatched frames")
    assert threads == {"agora-rtc-dispatch"}
    for k, (uid, frame) in enumerate(kept):
        y, u, v, _ = sent[k]
        assert uid == "1" and frame.valid and frame.detach() is frame  # owned: detach copies nothing
        np.testing.assert_array_equal(np.asarray(frame.y), y)
        np.testing.assert_array_equal(np.asarray(frame.u), u)
        np.testing.assert_array_equal(np.asarray(frame.v), v)
        assert (frame.metadata, frame.alpha_buffer, frame.render_time_ms) == (b"m%d" % k, bytes([k]) * 2048, k)
    assert service.dispatcher.stats()["dropped"] == 0


def test_dispatched_encoded_callback_may_unregister_and_release(service):
    p = Pair(service, encoded=True, channel="video-dispatched-enc")
    got, done = [], threading.Event()
    user = p.rx.get_local_user()

    class Quit(IVideoEncodedFrameObserver):
        def on_encoded_video_frame(self, uid, image_buffer, length, info):
            got.append((uid, image_buffer, info.frame_type))
            if len(got) == 3:  # SDK calls from the callback: no deadlock on the dispatcher
                user.unregister_video_encoded_frame_observer(self)
                p.rx.release()
                done.set()

    user.register_video_encoded_frame_observer(Quit(), dispatcher=service.dispatcher)
    for i in range(3):
        p.sender.send_encoded_video_image(b"au%d" % i * 100, EncodedVideoFrameInfo(
            codec_type=2, width=64, height=32, frame_type=3 if i == 0 else 4))
    assert done.wait(10), "dispatched encoded callback deadlocked"  # watchdog
    assert got == [(1, b"au%d" % i * 100, 3 if i == 0 else 4) for i in range(3)]
    assert p.rx.released


def test_intra_request_reaches_the_publisher_only(service):
    p = Pair(service, encoded=True, channel="video-intra")
    asked = []

    class Publisher(IRTCLocalUserObserver):
        def on_intra_request_received(self, local_user):
            asked.append(local_user)

    p.tx.get_local_user().register_local_user_observer(Publisher())
    assert p.rx.get_local_user().send_intra_request("1") == 0
    wait_for(lambda: asked, what="on_intra_request_received")
    assert asked == [p.tx.get_local_user()]
    with pytest.raises(AgoraError, match="ERR_INVALID_STATE"):  # "2" publishes no video
        p.tx.get_local_user().send_intra_request("2")


def test_video_events_through_a_dispatcher_match_direct_delivery(service):
    """With set_event_dispatcher the local user's video events run on the dispatch thread, same arguments."""
    got, threads = {}, set()

    class Watch(IRTCLocalUserObserver):
        def __init__(self, name):
            self.name = name

        def _log(self, *event):
            threads.add(threading.current_thread().name)
            got.setdefault(self.name, []).append(event)

        def on_video_track_publish_success(self, local_user, track):
            self._log("published", track is not None)

        def on_intra_request_received(self, local_user):
            self._log("intra")

        def on_user_video_track_subscribed(self, local_user, user_id, info, track):
            self._log("subscribed", user_id, info.owner_uid, info.channel_id, track is not None)

        def on_user_video_track_state_changed(self, local_user, user_id, track, state, reason, elapsed):
            self._log("state", user_id, state, reason)

        def on_first_remote_video_frame(self, local_user, user_id, width, height, elapsed):
            self._log("first", user_id, width, height)

    tx, _ = join(service, "video-events-d", "1")
    rx, _ = join(service, "video-events-d", "2", config=RTCConnConfig(auto_subscribe_video=1))
    for conn, name in ((tx, "tx"), (rx, "rx")):
        conn.set_event_dispatcher(service.dispatcher)
        conn.get_local_user().register_local_user_observer(Watch(name))
    factory = service.create_media_node_factory()
    sender = factory.create_video_frame_sender()
    track = service.create_custom_video_track_frame(sender)
    tx.get_local_user().publish_video(track)
    sender.send(i420(16, 8)[3], I420, 16, 8)
    wait_for(lambda: ("first", "1", 16, 8) in got.get("rx", []), what=f"first frame event in {got}")
    rx.get_local_user().send_intra_request("1")
    wait_for(lambda: ("intra",) in got.get("tx", []), what="intra request event")
    assert got["tx"][0] == ("published", True)
    assert ("subscribed", "1", 1, "video-events-d", True) in got["rx"]
    assert ("state", "1", RemoteVideoState.DECODING, RemoteVideoStateReason.REMOTE_UNMUTED) in got["rx"]
    assert threads == {"agora-rtc-dispatch"}
