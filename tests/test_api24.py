"""The official 2.4 connection-level API on agora_rtc: a connection made with
an RtcConnectionPublishConfig owns its sender and track; VAD results arrive in
the audio observer's callback."""

import time

import numpy as np
import pytest

from agora_rtc import (AudioVadConfigV2, IAudioFrameObserver, RTCConnConfig, RtcConnectionPublishConfig,
                       RTCConnection)
from conftest import EventLog, FrameLog, join, tone, wait_for

RATE = 16000


def bot(service, channel, uid="bot", **publish):
    conn = service.create_rtc_connection(RTCConnConfig(), RtcConnectionPublishConfig(**publish))
    log = EventLog()
    conn.register_observer(log)
    conn.connect("", channel, uid)
    wait_for(lambda: log.of("connected"))
    return conn


def test_push_pcm_like_the_official_examples(service):
    listener, _ = join(service, "api24", "human")
    listener.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    frames = FrameLog()
    listener.get_local_user().register_audio_frame_observer(frames)
    conn = bot(service, "api24")
    assert conn.publish_audio() == 0
    speech = tone(RATE, 3.0)
    raw = bytearray(speech.tobytes())
    for at in range(0, len(raw), 3200 + 7):  # chunks that are not whole frames
        conn.push_audio_pcm_data(raw[at: at + 3207], RATE, 1)
    assert not conn.is_push_to_rtc_completed()
    wait_for(lambda: len(frames.samples("bot")) >= len(speech), what="3 s at the listener")
    np.testing.assert_array_equal(frames.samples("bot")[: len(speech)], speech)
    wait_for(conn.is_push_to_rtc_completed, what="completion")
    conn.push_audio_pcm_data(tone(RATE, 5.0), RATE, 1)
    wait_for(lambda: len(frames.samples("bot")) >= len(speech) + 1600, what="the second reply started")
    conn.interrupt_audio()
    assert conn.is_push_to_rtc_completed()
    heard = len(frames.before["bot"])
    time.sleep(0.1)  # 2 s of test clock
    assert len(frames.before["bot"]) - heard <= 1  # silent within one frame
    assert len(conn.get_sid()) == 32
    conn.release()


class VadLog(IAudioFrameObserver):
    def __init__(self):
        self.calls = []

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame, vad_state, vad_bytes):
        self.calls.append((uid, vad_state, None if vad_bytes is None else bytes(vad_bytes), bytes(frame)))


@pytest.mark.parametrize("enable_vad, dispatched", [(1, False), (1, True), (0, False)])
def test_vad_results_arrive_in_the_callback(service, enable_vad, dispatched):
    listener = service.create_rtc_connection(RTCConnConfig())
    log = VadLog()
    listener.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    listener.register_audio_frame_observer(log, enable_vad, AudioVadConfigV2.low_latency() if enable_vad else None,
                                           dispatcher=service.dispatcher if dispatched else None)
    listener.connect("", f"vad24-{enable_vad}{dispatched}", "human")
    conn = bot(service, f"vad24-{enable_vad}{dispatched}")
    conn.publish_audio()
    silence = np.zeros(RATE, np.int16)
    burst = tone(RATE, 1.0, freqs=(180.0, 360.0), amplitude=6000)
    signal = np.concatenate([silence, burst, silence, burst, silence])
    conn.push_audio_pcm_data(signal.tobytes(), RATE, 1)
    wait_for(lambda: len(log.calls) >= len(signal) // 160, timeout=20, what="all frames")
    states = [c[1] for c in log.calls]
    if not enable_vad:
        assert set(states) == {-1} and all(c[2] is None for c in log.calls)
        return
    assert states.count(1) == 2 and states.count(3) == 2  # two utterances: START ... STOP each
    # START's bytes are the pre-roll and first frames; with SPEAKING/STOP they rebuild the input run.
    start = states.index(1)
    stop = states.index(3)
    rebuilt = b"".join(c[2] for c in log.calls[start: stop + 1])
    received = b"".join(c[3] for c in log.calls[: stop + 1])
    assert received.endswith(rebuilt) and len(rebuilt) > len(burst.tobytes())


def test_misuse_of_the_24_api_is_refused(service):
    plain = service.create_rtc_connection(RTCConnConfig())
    with pytest.raises(ValueError, match="RtcConnectionPublishConfig"):
        plain.push_audio_pcm_data(b"\0\0", RATE, 1)
    with pytest.raises(NotImplementedError, match="video"):
        plain.publish_video()
    listener_only = service.create_rtc_connection(RTCConnConfig(), RtcConnectionPublishConfig(is_publish_audio=False))
    with pytest.raises(ValueError, match="does not publish PCM"):
        listener_only.publish_audio()
    with pytest.raises(TypeError, match="RtcConnectionPublishConfig"):
        RTCConnection(service, RTCConnConfig(), {"is_publish_audio": True})
    with pytest.raises(TypeError, match="AudioVadConfigV2"):
        plain.register_audio_frame_observer(VadLog(), 1, {"start": 3})
    objects = service.engine_objects()
    conn = bot(service, "gone")
    conn.release()
    assert service.engine_objects() == objects  # its own sender, track and factory went with it
