"""Soak: pairs of bots exchanging audio for a stretch of engine time; on a
clean network every frame sent is received, in order, with no late ticks and
no underruns. Short in CI (4x test clock, where a loaded CI machine may make
a tick late); AGORA_RTC_SOAK=200:600 (connections:seconds) for the long form
at real-time pace, which also requires that no tick was late."""

import os
import time

import numpy as np
import pytest

from agora_rtc import AudioConsumer, IAudioFrameObserver, RTCConnConfig

CONNECTIONS, SECONDS = (int(v) for v in os.environ.get("AGORA_RTC_SOAK", "20:20").split(":"))
SPEED = 4 if "AGORA_RTC_SOAK" not in os.environ else 1
pytestmark = pytest.mark.stress


class Count(IAudioFrameObserver):
    """Counts frames per sender and checks, as they come, that each carries the
    next number (kept small: millions of stored ints would make the GC pause
    the engine thread's callbacks)."""

    def __init__(self):
        self.frames = {}
        self.out_of_order = 0

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
        n = self.frames.get(uid, 0)
        if np.frombuffer(frame, np.int16)[0] != n % 30000:
            self.out_of_order += 1
        self.frames[uid] = n + 1


@pytest.mark.timeout(SECONDS / SPEED * 3 + 120)
def test_pairs_exchange_audio_without_loss(service):
    service.set_parameters({"loopback.clock_speed": SPEED})
    late_before = service.get_parameter_number("loopback.late_ticks")
    bots = []
    for i in range(CONNECTIONS):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        counter = Count()
        user = conn.get_local_user()
        user.set_playback_audio_frame_before_mixing_parameters(1, 16000)
        user.register_audio_frame_observer(counter)
        conn.connect("", f"soak{i // 2}", f"bot{i}")
        factory = service.create_media_node_factory()
        sender = factory.create_audio_pcm_data_sender()
        track = service.create_custom_audio_track_pcm(sender)
        user.publish_audio(track)
        bots.append((conn, counter, AudioConsumer(sender, 16000, 1)))
    frames = SECONDS * 100
    # Each frame starts with its own number, so order and completeness can be read back.
    signal = np.zeros((frames, 160), np.int16)
    signal[:, 0] = np.arange(frames) % 30000
    signal[:, 1:] = 3000
    # Fed like a TTS stream: each bot keeps 1-2 s queued ahead of the clock.
    fed = [0] * len(bots)
    while min(fed) < frames:
        for k, (_, _, consumer) in enumerate(bots):
            if fed[k] < frames and consumer.stats()["queued_frames"] < 100:
                consumer.push_pcm_data(signal[fed[k]: fed[k] + 100])
                fed[k] += 100
        time.sleep(0.05 / SPEED)
    for _, _, consumer in bots:
        assert consumer.wait_for_playout(timeout=SECONDS / SPEED * 3 + 30)
    for i, (_, counter, consumer) in enumerate(bots):
        peer = f"bot{i ^ 1}"
        assert counter.frames.get(peer) == frames, f"bot{i} got {counter.frames.get(peer)} of {frames}"
        assert counter.out_of_order == 0
        assert consumer.stats()["underruns"] == 0
    if "AGORA_RTC_SOAK" in os.environ:  # the long form runs alone, at real-time pace: no tick may be late
        assert service.get_parameter_number("loopback.late_ticks") == late_before
    for conn, _, consumer in bots:
        consumer.release()
        conn.release()
