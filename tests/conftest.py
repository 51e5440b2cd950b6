"""Shared fixtures: a fresh service per test on the fast test clock, and
observers that record what the engine delivers."""

import atexit
import os
import shutil
import tempfile
import threading
import time

# Every test session gets its own rendezvous directory, so concurrent test runs
# on one host never share channels (the engine joins channels across processes).
if "AGORA_RTC_LOOPBACK_DIR" not in os.environ:
    os.environ["AGORA_RTC_LOOPBACK_DIR"] = tempfile.mkdtemp(prefix="agora-rtc-test-")
    atexit.register(shutil.rmtree, os.environ["AGORA_RTC_LOOPBACK_DIR"], ignore_errors=True)

import numpy as np
import pytest

from agora_rtc import (AgoraService, AgoraServiceConfig, IAudioFrameObserver, IRTCConnectionObserver,
                       RTCConnConfig)

FAST_CLOCK = 20  # the engine's 10 ms clock runs 20x faster than real time


def pytest_configure(config):
    # Also declared here (not only in pyproject.toml) for runs against an installed wheel.
    config.addinivalue_line("markers", "stress: churn/soak runs (short by default; long forms via environment)")


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.002)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def service():
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="test-app", use_string_uid=1))
    svc.set_parameters({"loopback.clock_speed": FAST_CLOCK})
    yield svc
    svc.release()


class EventLog(IRTCConnectionObserver):
    """Records connection events as tuples, in arrival order."""

    def __init__(self):
        self.events = []
        self.threads = set()

    def _add(self, *event):
        self.threads.add(threading.get_ident())
        self.events.append(event)

    def on_connected(self, conn, info, reason):
        self._add("connected", info.local_user_id, reason)

    def on_disconnected(self, conn, info, reason):
        self._add("disconnected", info.local_user_id, reason)

    def on_connection_failure(self, conn, info, reason):
        self._add("failure", info.local_user_id, reason)

    def on_user_joined(self, conn, user_id):
        self._add("joined", user_id)

    def on_user_left(self, conn, user_id, reason):
        self._add("left", user_id, reason)

    def of(self, kind):
        return [e for e in self.events if e[0] == kind]


class FrameLog(IAudioFrameObserver):
    """Copies every frame it receives (frames are only valid in the callback)."""

    def __init__(self):
        self.before = {}      # uid -> list of (render_time_ms, int16 array, rate, channels)
        self.playback = []
        self.record = []
        self.mixed = []

    @staticmethod
    def _copy(frame):
        return (frame.render_time_ms, np.frombuffer(frame, np.int16).copy(), frame.samples_per_sec, frame.channels)

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
        self.before.setdefault(uid, []).append(self._copy(frame))

    def on_playback_audio_frame(self, local_user, channel_id, frame):
        self.playback.append(self._copy(frame))

    def on_record_audio_frame(self, local_user, channel_id, frame):
        self.record.append(self._copy(frame))

    def on_mixed_audio_frame(self, local_user, channel_id, frame):
        self.mixed.append(self._copy(frame))

    def samples(self, uid):
        return np.concatenate([f[1] for f in self.before.get(uid, [])]) if self.before.get(uid) else np.zeros(0, np.int16)


def join(service, channel, user_id, observer=None, config=None):
    conn = service.create_rtc_connection(config or RTCConnConfig(auto_subscribe_audio=1))
    log = observer or EventLog()
    conn.register_observer(log)
    conn.connect("", channel, user_id)
    wait_for(lambda: log.of("connected"), what=f"{user_id} connected")
    return conn, log


class Publisher:
    """A connection that publishes one custom PCM track."""

    def __init__(self, service, channel, user_id):
        self.conn, self.log = join(service, channel, user_id)
        self.factory = service.create_media_node_factory()
        self.sender = self.factory.create_audio_pcm_data_sender()
        self.track = service.create_custom_audio_track_pcm(self.sender)
        self.conn.get_local_user().publish_audio(self.track)

    def send(self, samples, rate, channels=1):
        samples = np.ascontiguousarray(samples, dtype=np.int16)
        return self.sender.send(samples, len(samples) // channels, rate, channels)


def tone(rate, seconds, freqs=(440.0, 1250.0), channels=1, amplitude=8000, seed=0):
    t = np.arange(int(rate * seconds)) / rate
    x = sum(np.sin(2 * np.pi * f * t + seed) for f in freqs) / len(freqs) * amplitude
    x = x.astype(np.int16)
    if channels == 2:
        x = np.stack([x, (x // 2)], axis=1).reshape(-1)
    return x
