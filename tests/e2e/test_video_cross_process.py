"""Video between processes: raw frames (pixels, alpha, metadata, rotation,
timestamps, the low stream) and encoded access units arrive from another
process exactly as sent and in order; unpublishing there stops the track here."""

import os
import subprocess
import sys
import time

import numpy as np

from agora_rtc import (AgoraService, AgoraServiceConfig, IRTCLocalUserObserver, IVideoEncodedFrameObserver,
                       IVideoFrameObserver, RTCConnConfig, VideoStreamType, VideoSubscriptionOptions)
from agora_rtc._testsrc import i420_pattern
from agora_rtc.video import RemoteVideoState, RemoteVideoStateReason

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from video_peer import alpha_plane, encoded_payload  # noqa: E402


def wait_for(predicate, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


class Frames(IVideoFrameObserver):
    def __init__(self):
        self.frames = []

    def on_frame(self, channel_id, remote_uid, frame):
        self.frames.append(dict(uid=remote_uid, w=frame.width, h=frame.height, y=np.array(frame.y),
                                u=np.array(frame.u), v=np.array(frame.v), alpha=frame.alpha_buffer,
                                metadata=frame.metadata, rotation=frame.rotation, ts=frame.render_time_ms))


class Encoded(IVideoEncodedFrameObserver):
    def __init__(self):
        self.frames = []

    def on_encoded_video_frame(self, uid, image_buffer, length, info):
        self.frames.append((uid, bytes(image_buffer), info.stream_type, info.frame_type, info.width))


class States(IRTCLocalUserObserver):
    def __init__(self):
        self.states = []

    def on_user_video_track_state_changed(self, local_user, user_id, track, state, reason, elapsed):
        self.states.append((user_id, state, reason))


class Publisher:
    def __init__(self, channel, user_id, kind, frames):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "video_peer.py"), channel, user_id, kind,
                                      str(frames), "--peers", "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready", self.proc.stderr.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):  # a failed test leaves no process (or its pipes) behind
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()

    def go(self):
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self):
        out, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err
        return out


def receiver(service, channel, user_id, options, observer):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_video=0))
    user = conn.get_local_user()
    user.subscribe_all_video(options)
    states = States()
    user.register_local_user_observer(states)
    if isinstance(observer, Encoded):
        user.register_video_encoded_frame_observer(observer)
    else:
        user.register_video_frame_observer(observer)
    conn.connect("", channel, user_id)
    return conn, states


def test_raw_frames_from_another_process_arrive_exact_with_alpha_metadata_and_low_stream():
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1, enable_video=1))
        high, low = Frames(), Frames()
        rx_high, states = receiver(svc, "xvideo", "h", VideoSubscriptionOptions(), high)
        rx_low, _ = receiver(svc, "xvideo", "l", VideoSubscriptionOptions(type=VideoStreamType.VIDEO_STREAM_LOW), low)
        with Publisher("xvideo", "7", "raw", 20) as pub:
            wait_for(lambda: svc.get_parameter_number("loopback.stats.remote_members") >= 2, what="the publisher joins")
            pub.go()
            wait_for(lambda: len(high.frames) == 20 and len(low.frames) == 20, what="20 frames on each stream")
            for i, f in enumerate(high.frames):
                assert (f["uid"], f["w"], f["h"], f["rotation"], f["ts"]) == ("7", 320, 180, 90, 1000 + i)
                planes = np.concatenate([f["y"][:180, :320].ravel(), f["u"][:90, :160].ravel(),
                                         f["v"][:90, :160].ravel()])
                assert planes.tobytes() == i420_pattern(i, 320, 180), f"frame {i} pixels differ"
                assert f["metadata"] == f"frame-{i}".encode()
                assert f["alpha"] == alpha_plane(i, 320, 180).tobytes()
            assert [(f["w"], f["h"], f["metadata"]) for f in low.frames] == [(160, 90, f"frame-{i}".encode())
                                                                             for i in range(20)]
            assert svc.get_parameter_number("loopback.stats.remote_video_received") == 40  # 20 per receiver
            pub.finish()
        wait_for(lambda: ("7", RemoteVideoState.STOPPED, RemoteVideoStateReason.REMOTE_MUTED) in states.states,
                 what="the unpublish seen here")
        seen = [state for uid, state, _ in states.states if uid == "7"]
        assert seen.index(RemoteVideoState.DECODING) < seen.index(RemoteVideoState.STOPPED)
        rx_high.release()
        rx_low.release()


def test_encoded_access_units_from_another_process_arrive_byte_exact_per_stream():
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1, enable_video=1))
        high, low = Encoded(), Encoded()
        encoded_only = dict(encodedFrameOnly=True)
        rx_high, _ = receiver(svc, "xenc", "h", VideoSubscriptionOptions(**encoded_only), high)
        rx_low, _ = receiver(svc, "xenc", "l", VideoSubscriptionOptions(type=VideoStreamType.VIDEO_STREAM_LOW,
                                                                        **encoded_only), low)
        with Publisher("xenc", "9", "encoded", 30) as pub:
            wait_for(lambda: svc.get_parameter_number("loopback.stats.remote_members") >= 2, what="the publisher joins")
            pub.go()
            wait_for(lambda: len(high.frames) == 30 and len(low.frames) == 30, what="30 access units on each stream")
            for stream, got in ((0, high.frames), (1, low.frames)):
                assert [g[1] for g in got] == [encoded_payload(stream, i) for i in range(30)]
                assert [g[3] for g in got] == [3 if i % 5 == 0 else 4 for i in range(30)]  # key / delta
                assert {(g[0], g[2], g[4]) for g in got} == {(9, stream, 320 >> stream)}
            assert rx_low.get_local_user().send_intra_request("9") == 0  # a key frame, please: heard in its process
            assert "intra request" in pub.finish()
        rx_high.release()
        rx_low.release()
