"""Edges a voice bot hits early, each found by a fresh user's review: a push in
a new format (from inside a callback too), a refused format, releasing the
service from a callback, byte-swapped PCM, what dispatched connection events
carry, observers of the wrong form or type, and errors that say what was
expected."""

import subprocess
import sys
import threading

import numpy as np
import pytest

from agora_rtc import (AgoraError, AudioVadConfigV2, AudioVadV2, IAudioFrameObserver, IRTCConnectionObserver, RTCConnConfig,
                       RtcConnectionPublishConfig)
from conftest import FAST_CLOCK, FrameLog, Publisher, join, tone, wait_for

RATE = 16000


def bot(service, channel):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig())
    conn.connect("", channel, "bot")
    conn.publish_audio()
    return conn


def listener(service, channel):
    conn, _ = join(service, channel, "human")
    conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    frames = FrameLog()
    conn.get_local_user().register_audio_frame_observer(frames)
    return conn, frames


def test_a_push_in_a_new_format_queues_after_the_old_audio_without_waiting_for_it(service):
    service.set_parameters({"loopback.clock_speed": 1})  # real time: a second of slack for a loaded machine
    try:
        human, frames = listener(service, "format-change")
        conn = bot(service, "format-change")
        first = tone(RATE, 2.0)
        conn.push_audio_pcm_data(first.tobytes() + b"\x01\x00" * 80, RATE, 1)  # and half a frame
        second = tone(48000, 1.0, freqs=(300.0,))
        conn.push_audio_pcm_data(second.tobytes(), 48000, 1)
        # returned at once: most of the first reply is still to be heard (a wait used to block for all of it)
        assert len(frames.samples("bot")) < len(first) // 2
    finally:
        service.set_parameters({"loopback.clock_speed": FAST_CLOCK})
    wait_for(lambda: len(frames.samples("bot")) >= len(first) + 160 + RATE, timeout=30, what="both replies")
    heard = frames.samples("bot")
    np.testing.assert_array_equal(heard[:len(first)], first)  # the old format first, whole
    np.testing.assert_array_equal(heard[len(first):len(first) + 80], np.ones(80, np.int16))  # its half frame...
    np.testing.assert_array_equal(heard[len(first) + 80:len(first) + 160], np.zeros(80, np.int16))  # ...padded
    assert np.abs(heard[len(first) + 160 + 800:len(first) + 160 + RATE - 800]).max() > 4000  # then the 48 kHz tone
    wait_for(conn.is_push_to_rtc_completed, what="completion")
    conn.release()
    human.release()


class PushOnFifthFrame(IAudioFrameObserver):
    def __init__(self, conn):
        self.conn, self.count, self.pushed = conn, 0, threading.Event()

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame, vad_state=-1, vad_bytes=None):
        self.count += 1
        if self.count == 5:
            self.conn.push_audio_pcm_data(np.zeros(480, np.int16), 48000, 1)  # a new format, on the engine thread
            self.pushed.set()
        return 1


def test_a_push_in_a_new_format_from_an_engine_thread_callback_returns(service):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig())
    observer = PushOnFifthFrame(conn)
    conn.register_audio_frame_observer(observer)
    conn.connect("", "format-callback", "bot")
    conn.publish_audio()
    conn.push_audio_pcm_data(tone(RATE, 2.0).tobytes(), RATE, 1)
    user = Publisher(service, "format-callback", "user")
    user.send(tone(RATE, 1.0), RATE)
    assert observer.pushed.wait(10), "the callback's push did not return"
    wait_for(conn.is_push_to_rtc_completed, what="both formats played")
    conn.release()
    user.conn.release()


def test_a_refused_format_leaves_the_push_path_working(service):
    human, frames = listener(service, "format-refused")
    conn = bot(service, "format-refused")
    conn.push_audio_pcm_data(tone(RATE, 0.2).tobytes(), RATE, 1)
    with pytest.raises(ValueError, match=r"^sample_rate must be one of 8000, 16000, 24000, 32000, 44100, 48000 Hz, "
                                         r"not 11025$"):
        conn.push_audio_pcm_data(b"\0" * 320, 11025, 1)
    with pytest.raises(ValueError, match="channels must be 1 or 2, not 3"):
        conn.push_audio_pcm_data(b"\0" * 960, RATE, 3)
    reply = tone(RATE, 0.3, seed=2)
    conn.push_audio_pcm_data(reply.tobytes(), RATE, 1)  # the same consumer goes on
    wait_for(lambda: len(frames.samples("bot")) >= 0.5 * RATE, what="both pushes")
    np.testing.assert_array_equal(frames.samples("bot")[int(0.2 * RATE):int(0.5 * RATE)], reply)
    assert conn.interrupt_audio() == 0 and conn.is_push_to_rtc_completed()
    conn.release()
    human.release()


class ReleaseOnUserLeft(IRTCConnectionObserver):
    def __init__(self, service):
        self.service, self.error = service, None
        self.done = threading.Event()

    def on_user_left(self, conn, user_id, reason):
        try:
            self.service.release()
        except RuntimeError as e:
            self.error = e
        self.done.set()


def test_releasing_the_service_in_a_direct_callback_is_refused_and_changes_nothing(service):
    watcher = ReleaseOnUserLeft(service)
    a = service.create_rtc_connection(RTCConnConfig())
    a.register_observer(watcher)
    a.connect("", "release-in-callback", "a")
    b, _ = join(service, "release-in-callback", "b")
    b.disconnect()
    assert watcher.done.wait(10)
    assert "cannot run inside a direct callback" in str(watcher.error)
    # nothing was released: the connection and the service go on
    assert a.get_conn_info().state == 3  # CONNECTED
    c, _ = join(service, "release-in-callback", "c")
    for conn in (a, b, c):
        conn.release()


def test_byte_swapped_int16_is_refused_not_sent_swapped(service):
    user = Publisher(service, "big-endian", "u")
    with pytest.raises(ValueError, match="int16"):
        user.sender.send(np.full(160, 1000, ">i2"), 160, RATE)
    assert user.sender.send(np.full(160, 1000, "<i2"), 160, RATE) == 0
    user.conn.release()


def test_pcm_send_refusals_name_the_argument(service):
    user = Publisher(service, "pcm-refusals", "u")
    with pytest.raises(ValueError, match="sample_rate must be one of 8000, 16000, 24000, 32000, 44100, 48000 Hz, "
                                         "not 96000"):
        user.sender.send(bytes(1920), 960, 96000)
    with pytest.raises(ValueError, match="channels must be 1 or 2, not 3"):
        user.sender.send(bytes(960), 160, RATE, 3)
    with pytest.raises(ValueError, match=r"samples_per_channel must be 1..160000 \(at most 10 s per send\), not 0"):
        user.sender.send(b"", 0, RATE)
    user.conn.release()


class Infos(IRTCConnectionObserver):
    def __init__(self):
        self.connected = []

    def on_connected(self, conn, info, reason):
        self.connected.append(info)


@pytest.mark.parametrize("dispatched", [False, True], ids=["direct", "dispatched"])
def test_connection_events_carry_the_connection_id_and_internal_uid(service, dispatched):
    conn = service.create_rtc_connection(RTCConnConfig())
    infos = Infos()
    conn.register_observer(infos)
    if dispatched:
        conn.set_event_dispatcher(service.dispatcher)
    conn.connect("", f"info-{dispatched}", "0")  # uid 0: the engine assigns one
    wait_for(lambda: infos.connected, what="on_connected")
    got, now = infos.connected[0], conn.get_conn_info()
    assert (got.id, got.internal_uid, got.local_user_id) == (now.id, now.internal_uid, now.local_user_id)
    assert got.id != 0 and got.internal_uid != 0
    conn.release()


class FourArgumentEars(IAudioFrameObserver):
    """Written to IAudioFrameObserver's (and LocalUser registration's) four-argument form."""

    def __init__(self):
        self.frames = []

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
        self.frames.append(bytes(frame))


def test_a_four_argument_observer_gets_frames_through_the_connection_registration(service):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    ears = FourArgumentEars()
    conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    conn.register_audio_frame_observer(ears)  # 2.4 registration, enable_vad 0
    conn.connect("", "four-args", "human")
    user = Publisher(service, "four-args", "u")
    sent = tone(RATE, 0.1)
    user.send(sent, RATE)
    wait_for(lambda: len(ears.frames) >= 10, what="10 frames")
    assert b"".join(ears.frames[:10]) == sent.tobytes()
    with pytest.raises(TypeError, match="takes the four-argument form; with enable_vad it gets the VAD result"):
        conn.register_audio_frame_observer(FourArgumentEars(), 1)
    user.conn.release()
    conn.release()


def test_objects_that_cannot_observe_are_refused_at_registration(service):
    conn = service.create_rtc_connection(RTCConnConfig())
    with pytest.raises(TypeError, match=r"register_observer\(\) needs an IRTCConnectionObserver .*, not int"):
        conn.register_observer(42)
    with pytest.raises(TypeError, match=r"register_audio_frame_observer\(\) needs an IAudioFrameObserver .*, not object"):
        conn.get_local_user().register_audio_frame_observer(object())
    with pytest.raises(TypeError, match=r"register_local_user_observer\(\) needs an IRTCLocalUserObserver"):
        conn.register_local_user_observer("observer")

    class Duck:  # not a subclass, but with a callback: taken, as the official SDK takes it
        def on_connected(self, conn, info, reason):
            pass
    assert conn.register_observer(Duck()) == 0
    conn.release()


def test_a_string_user_id_without_use_string_uid_says_how_to_fix_it():
    # the README's first lines once did this: appid only, then connect(..., "bot")
    code = ("from agora_rtc import *\n"
            "with AgoraService() as s:\n"
            "    s.initialize(AgoraServiceConfig(appid='x'))\n"
            "    c = s.create_rtc_connection(RTCConnConfig())\n"
            "    try:\n"
            "        c.connect('', 'room', 'bot')\n"
            "    except AgoraError as e:\n"
            "        print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ("agora_rtc_conn_connect failed: ERR_INVALID_USER_ID (121): user id 'bot' is not a "
                                  "number; string user ids need AgoraServiceConfig(use_string_uid=1)")


def test_wrong_types_say_what_was_expected(service):
    user = Publisher(service, "wrong-types", "u")
    with pytest.raises(TypeError, match="volume must be an int, not '50'"):
        user.track.adjust_publish_volume("50")
    with pytest.raises(TypeError, match="volume must be an int, not '50'"):
        user.conn.get_local_user().adjust_playback_signal_volume("50")
    with pytest.raises(TypeError, match="interval_in_ms must be an int, not '100'"):
        user.conn.get_local_user().set_audio_volume_indication_parameters("100")
    with pytest.raises(ValueError, match="rmsThreshold must be dBFS in \\[-127, 0\\], not 'x'"):
        AudioVadConfigV2(rmsThreshold="x")
    with pytest.raises(TypeError, match="takes an audio frame with its labels .* not a bare ndarray"):
        AudioVadV2().process(np.zeros(160, np.int16))
    user.conn.release()


def test_a_float_format_is_refused_without_breaking_later_pushes(service):
    conn = bot(service, "float-format")
    conn.push_audio_pcm_data(b"\0" * 320, RATE, 1)
    with pytest.raises(TypeError, match="sample_rate must be an int, not 48000.0"):
        conn.push_audio_pcm_data(b"\0" * 960, 48000.0, 1)  # 48000.0 == 48000: it used to be taken as the format
    assert conn.push_audio_pcm_data(b"\0" * 960, 48000, 1) == 0
    conn.release()


def test_an_observer_with_only_mixed_audio_registers_with_vad(service):
    class MixOnly(IAudioFrameObserver):  # the official SDK takes this; before-mixing is the interface's no-op
        def on_playback_audio_frame(self, local_user, channel_id, frame):
            pass
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    assert conn.register_audio_frame_observer(MixOnly(), 1, AudioVadConfigV2()) == 0
    conn.release()


def test_vad_threshold_takes_numpy_numbers():
    assert AudioVadConfigV2(rmsThreshold=np.int32(-40)).start_rms == -40
    assert AudioVadConfigV2(rmsThreshold=np.float32(-40.0)).start_rms == -40


def test_a_too_long_user_id_says_so(service):
    conn = service.create_rtc_connection(RTCConnConfig())
    with pytest.raises(AgoraError, match="ERR_INVALID_USER_ID \\(121\\): user id is 300 bytes; at most 255"):
        conn.connect("", "long-id", "u" * 300)
    conn.release()


def test_the_older_local_user_vad_form_points_to_the_connection_method(service):
    conn = service.create_rtc_connection(RTCConnConfig())
    with pytest.raises(TypeError, match="for \\(observer, enable_vad, vad_configure\\) call RTCConnection"):
        conn.get_local_user().register_audio_frame_observer(FourArgumentEars(), 0, None)
    conn.release()
