"""Lifecycle and misuse: release in any order, calls in the wrong state,
callbacks that raise or call back into the SDK. Nothing crashes or hangs."""

import itertools
import logging
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from agora_rtc import (AgoraError, AgoraService, AgoraServiceConfig, IAudioFrameObserver, IRTCConnectionObserver,
                       RTCConnConfig)
from conftest import FrameLog, Publisher, join, tone, wait_for


def test_calls_before_initialize_raise():
    svc = AgoraService()
    try:
        with pytest.raises(RuntimeError, match="initialize"):
            svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        with pytest.raises(RuntimeError, match="initialize"):
            svc.create_media_node_factory()
        with pytest.raises(RuntimeError, match="initialize"):
            svc.set_parameters({})
    finally:
        svc.release()


def test_bad_config_raises():
    svc = AgoraService()
    try:
        with pytest.raises(ValueError, match="appid"):
            svc.initialize(AgoraServiceConfig())
        with pytest.raises(TypeError, match="AgoraServiceConfig"):
            svc.initialize({"appid": "x"})
    finally:
        svc.release()


def test_one_initialized_service_per_process(service):
    other = AgoraService()
    try:
        with pytest.raises(RuntimeError, match="one service per process"):
            other.initialize(AgoraServiceConfig(appid="second"))
        with pytest.raises(RuntimeError, match="already initialized"):
            service.initialize(AgoraServiceConfig(appid="again"))
    finally:
        other.release()
    service.release()
    with AgoraService() as third:  # after a release, a new service may initialize
        assert third.initialize(AgoraServiceConfig(appid="third")) == 0


def test_calls_after_release_raise_clear_errors(service):
    pub = Publisher(service, "gone", "alice")
    user = pub.conn.get_local_user()
    pub.conn.release()
    with pytest.raises(ValueError, match="connection was released"):
        pub.conn.connect("", "gone", "alice")
    with pytest.raises(ValueError, match="connection was released"):
        user.subscribe_all_audio()
    pub.sender.release()
    with pytest.raises(ValueError, match="AudioPcmDataSender was released"):
        pub.sender.send(b"\0" * 320, 160, 16000)
    pub.track.release()
    with pytest.raises(ValueError, match="LocalAudioTrack was released"):
        pub.track.set_enabled(True)
    service.release()
    with pytest.raises(ValueError, match="released"):
        service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    with pytest.raises(ValueError, match="released"):
        service.initialize(AgoraServiceConfig(appid="x"))


def test_double_release_everything(service):
    pub = Publisher(service, "twice", "alice")
    for obj in (pub.conn, pub.track, pub.sender, pub.factory, service):
        obj.release()
        obj.release()


_OBJECTS = ("service", "conn", "track", "sender", "factory")


@pytest.mark.parametrize("order", list(itertools.permutations(_OBJECTS)))
def test_release_in_every_order_while_audio_flows(order):
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="orders", use_string_uid=1))
    svc.set_parameters({"loopback.clock_speed": 20})
    listener, _ = join(svc, "orders", "listener")
    frames = FrameLog()
    listener.get_local_user().register_audio_frame_observer(frames)
    pub = Publisher(svc, "orders", "talker")
    pub.send(tone(16000, 0.2), 16000)
    wait_for(lambda: frames.before.get("talker"), what="audio flowing")
    objects = {"service": svc, "conn": pub.conn, "track": pub.track, "sender": pub.sender, "factory": pub.factory}
    for name in order:
        objects[name].release()
    listener.release()  # already released when the service went first: still fine


def test_sends_are_refused_with_counted_reason(service):
    factory = service.create_media_node_factory()
    sender = factory.create_audio_pcm_data_sender()
    with pytest.raises(AgoraError, match="ERR_NOT_READY"):  # no track made from it yet
        sender.send(np.zeros(160, np.int16), 160, 16000)
    track = service.create_custom_audio_track_pcm(sender)
    track.set_max_buffer_audio_frame_number(5)
    sender.send(np.zeros(800, np.int16), 800, 16000)  # 5 frames fill the queue
    with pytest.raises(AgoraError, match="ERR_RESOURCE_LIMITED"):
        sender.send(np.zeros(160, np.int16), 160, 16000)
    track.clear_sender_buffer()
    sender.send(np.zeros(160, np.int16), 160, 16000)


@pytest.mark.parametrize("data,spc,rate,ch,message", [
    (np.zeros(160, np.float32), 160, 16000, 1, "16-bit"),
    (np.zeros(320, np.int16)[::2], 160, 16000, 1, "C-contiguous"),
    (np.zeros(100, np.int16), 160, 16000, 1, "expected 320"),
    (np.zeros(320, np.int16), 160, 16000, 1, "expected 320"),  # 640 bytes for a mono frame
    ("text", 2, 16000, 1, "buffer protocol"),
])
def test_bad_pcm_buffers_raise_value_errors(service, data, spc, rate, ch, message):
    factory = service.create_media_node_factory()
    sender = factory.create_audio_pcm_data_sender()
    service.create_custom_audio_track_pcm(sender)
    with pytest.raises((ValueError, TypeError), match=message):
        sender.send(data, spc, rate, ch)


@pytest.mark.parametrize("rate,channels", [(12345, 1), (16000, 3), (96000, 1)])
def test_unsupported_formats_are_refused(service, rate, channels):
    pub = Publisher(service, "fmt", "alice")
    # the engine refuses (ERR_INVALID_ARGUMENT); the binding says which argument and what it takes
    wrong = f"channels must be 1 or 2, not {channels}" if channels != 1 else \
        f"sample_rate must be one of 8000, 16000, 24000, 32000, 44100, 48000 Hz, not {rate}"
    with pytest.raises(ValueError, match=wrong):
        pub.sender.send(np.zeros(rate // 100 * channels, np.int16), rate // 100, rate, channels)
    with pytest.raises(ValueError, match="sample rate must be one of"):
        pub.conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, rate if rate != 16000 else 1)
    with pytest.raises(ValueError, match="channels must be 1 or 2"):
        pub.conn.get_local_user().set_playback_audio_frame_parameters(3, 16000)


@pytest.mark.parametrize("text", ['{"a": 1', "[1, 2]", "", '{"loopback.clock_speed": -5}', '{"a": tru}', "{} x"])
def test_malformed_parameters_are_refused(service, text):
    with pytest.raises(AgoraError, match="ERR_INVALID_ARGUMENT"):
        service.set_parameters(text)


def test_raising_callback_is_logged_and_delivery_continues(service, caplog):
    calls = []

    class Broken(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            calls.append(1)
            raise RuntimeError("boom in user code")

    conn, _ = join(service, "boom", "listener")
    conn.get_local_user().register_audio_frame_observer(Broken())
    with caplog.at_level(logging.ERROR, logger="agora_rtc"):
        Publisher(service, "boom", "talker").send(tone(16000, 0.2), 16000)
        wait_for(lambda: len(calls) >= 20, what="delivery to continue after exceptions")
    assert any("boom in user code" in r.exc_text for r in caplog.records if r.exc_text)


def test_release_connection_from_its_own_callbacks(service):
    class Leaver(IRTCConnectionObserver):
        done = False

        def on_user_joined(self, conn, user_id):
            conn.release()  # inside the engine's callback: must not deadlock
            Leaver.done = True

    a = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    a.register_observer(Leaver())
    a.connect("", "self", "a")
    b, log_b = join(service, "self", "b")
    wait_for(lambda: Leaver.done and log_b.of("left"))
    assert log_b.of("left") == [("left", "a", 0)]


def test_service_release_while_a_callback_releases_another_object_does_not_deadlock():
    """release() waits for running callbacks; a callback releasing a connection meanwhile needs the
    service's lock, which release() held while it freed the children (both waited for good)."""
    import threading
    import time
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="deadlock", use_string_uid=1))
    other = svc.create_rtc_connection(RTCConnConfig())
    released_other, entered = threading.Event(), threading.Event()

    class ReleaseOtherDuringServiceRelease(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            if released_other.is_set():
                return
            entered.set()
            deadline = time.monotonic() + 5
            while not talker.track.released and time.monotonic() < deadline:
                time.sleep(0.001)  # hold this callback until the service's release has begun (newest first)
            other.release()
            released_other.set()

    listener, _ = join(svc, "deadlock", "listener")
    listener.get_local_user().register_audio_frame_observer(ReleaseOtherDuringServiceRelease())
    talker = Publisher(svc, "deadlock", "talker")
    talker.send(tone(16000, 2.0), 16000)
    assert entered.wait(10), "the listener's callback never ran"  # it now waits for the release to begin
    finished = threading.Event()
    threading.Thread(target=lambda: (svc.release(), finished.set()), daemon=True).start()
    assert finished.wait(20), "AgoraService.release() deadlocked with a callback releasing a connection"
    assert released_other.is_set() and other.released


def test_sdk_calls_from_inside_audio_callbacks(service):
    conn, _ = join(service, "reentry", "listener")
    user = conn.get_local_user()
    seen = []

    class Reenter(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            seen.append(uid)
            if len(seen) == 5:
                local_user.unsubscribe_audio(uid)
                local_user.unregister_audio_frame_observer()

    user.register_audio_frame_observer(Reenter())
    Publisher(service, "reentry", "talker").send(tone(16000, 0.3), 16000)
    wait_for(lambda: len(seen) >= 5)
    count = len(seen)
    Publisher(service, "reentry", "other").send(tone(16000, 0.1), 16000)
    import time
    time.sleep(0.1)
    assert len(seen) == count == 5  # no frame after unregister returned


def test_interpreter_exit_releases_open_objects():
    script = textwrap.dedent("""
        import numpy as np
        from agora_rtc import *
        svc = AgoraService()
        svc.initialize(AgoraServiceConfig(appid="exit"))
        class Obs(IAudioFrameObserver):
            def on_playback_audio_frame_before_mixing(self, *a):
                pass
        conns = [svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1)) for _ in range(3)]
        for i, c in enumerate(conns):
            c.connect("", "exit", str(i + 1))
            c.get_local_user().register_audio_frame_observer(Obs())
        f = svc.create_media_node_factory()
        s = f.create_audio_pcm_data_sender()
        t = svc.create_custom_audio_track_pcm(s)
        conns[0].get_local_user().publish_audio(t)
        s.send(np.zeros(16000, np.int16), 16000, 16000)
        print("leaving with everything open")
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "leaving with everything open" in out.stdout
    assert "Traceback" not in out.stderr
