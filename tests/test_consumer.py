"""AudioConsumer: TTS pushed in any chunks arrives at real-time pace, whole and
in order; clear() silences within one frame; underruns are counted."""

import asyncio
import time

import numpy as np
import pytest

from agora_rtc import AudioConsumer, aio
from conftest import FrameLog, join, tone, wait_for

RATE = 16000


def talker(service, channel, uid="bot"):
    conn, _ = join(service, channel, uid)
    factory = service.create_media_node_factory()
    sender = factory.create_audio_pcm_data_sender()
    track = service.create_custom_audio_track_pcm(sender)
    conn.get_local_user().publish_audio(track)
    return conn, sender, track


def listener(service, channel):
    conn, _ = join(service, channel, "human")
    conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    frames = FrameLog()
    conn.get_local_user().register_audio_frame_observer(frames)
    return frames


def test_ten_seconds_in_odd_chunks_arrive_whole_at_real_time_pace(service):
    frames = listener(service, "tts")
    _, sender, _ = talker(service, "tts")
    consumer = AudioConsumer(sender, RATE, 1)
    speech = tone(RATE, 10.0, freqs=(220.0, 330.0))
    raw = speech.tobytes()
    consumer.push_pcm_data(raw[: RATE * 2 * 7])  # 7 s at once: longer than one engine send may carry
    raw_rest, raw = raw[RATE * 2 * 7:], None
    rng = np.random.default_rng(1)
    at = 0
    while at < len(raw_rest):  # odd byte counts too: half samples are carried to the next push
        n = int(rng.integers(1, 3001))
        consumer.push_pcm_data(raw_rest[at: at + n])
        at += n
    assert consumer.wait_for_playout(timeout=30)
    wait_for(lambda: len(frames.samples("bot")) >= len(speech), what="10 s at the listener")
    np.testing.assert_array_equal(frames.samples("bot")[: len(speech)], speech)  # no gap, nothing lost, in order
    times = np.array([f[0] for f in frames.before["bot"]])
    assert np.all(np.diff(times[:1000]) == 10)  # one frame per 10 ms tick of the (test) clock
    stats = consumer.stats()
    assert stats["underruns"] == 0 and stats["pushed_bytes"] == len(speech) * 2
    assert consumer.is_push_to_rtc_completed() == 1


def test_wait_for_playout_returns_once_receivers_have_the_audio(service):
    """Played means delivered: when wait_for_playout() returns, the listener's observer already has
    the last frame (it reaches observers later in the tick that played it; the wait covers that)."""
    class SlowEars(FrameLog):  # a receiver whose callback takes a while: the tick ends after it
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            time.sleep(0.003)
            super().on_playback_audio_frame_before_mixing(local_user, channel_id, uid, frame)

    conn, _ = join(service, "delivered", "human")
    conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    frames = SlowEars()
    conn.get_local_user().register_audio_frame_observer(frames)
    _, sender, _ = talker(service, "delivered")
    consumer = AudioConsumer(sender, RATE, 1)
    heard = 0
    for utterance in range(30):  # each ends at a different point of the engine's tick
        consumer.push_pcm_data(tone(RATE, 0.05 + 0.01 * (utterance % 3), seed=utterance))
        assert consumer.wait_for_playout(timeout=10)
        heard += (5 + utterance % 3) * 160
        assert len(frames.samples("bot")) == heard, f"utterance {utterance}"


def test_numpy_pushes_and_trailing_partial_frame_is_flushed(service):
    frames = listener(service, "np")
    _, sender, _ = talker(service, "np")
    consumer = AudioConsumer(sender, RATE, 1)
    speech = tone(RATE, 0.255)  # 25.5 frames
    consumer.push_pcm_data(speech)
    assert consumer.len() > 0 and consumer.is_push_to_rtc_completed() == 0
    assert consumer.wait_for_playout(timeout=10)
    wait_for(lambda: len(frames.samples("bot")) >= 26 * 160)
    got = frames.samples("bot")
    np.testing.assert_array_equal(got[: len(speech)], speech)
    assert not got[len(speech): 26 * 160].any()  # the half frame was padded with silence
    with pytest.raises(ValueError, match="int16"):
        consumer.push_pcm_data(np.zeros(160, np.float32))


def test_clear_silences_within_one_frame(service):
    frames = listener(service, "barge")
    _, sender, _ = talker(service, "barge")
    consumer = AudioConsumer(sender, RATE, 1)
    consumer.push_pcm_data(tone(RATE, 5.0, amplitude=12000))
    wait_for(lambda: len(frames.before.get("bot", [])) >= 50, what="the bot talking")
    heard_before = len(frames.before["bot"])
    dropped = consumer.clear()
    heard_at_clear = len(frames.before["bot"])
    time.sleep(0.2)  # 4 s of test clock
    assert len(frames.before["bot"]) - heard_at_clear <= 1  # at most the frame already in flight
    assert dropped > 300 and heard_before >= 50
    assert consumer.is_push_to_rtc_completed() == 1 and consumer.stats()["cleared_frames"] == dropped
    consumer.push_pcm_data(tone(RATE, 0.1))  # speaking again after barge-in works
    assert consumer.wait_for_playout(timeout=10)


def test_late_audio_is_counted_as_underrun(service):
    service.set_parameters({"loopback.clock_speed": 2})  # a gap of a few ticks must stay under 500 ms of clock
    _, sender, _ = talker(service, "late")
    consumer = AudioConsumer(sender, RATE, 1)
    consumer.push_pcm_data(tone(RATE, 0.2))
    wait_for(lambda: consumer.stats()["queued_frames"] == 0, what="the first chunk played")
    time.sleep(0.05)  # ~10 ticks: the stream ran dry
    consumer.push_pcm_data(tone(RATE, 0.2))
    assert consumer.wait_for_playout(timeout=10)
    stats = consumer.stats()
    assert stats["underruns"] == 1 and stats["starved_ticks"] >= 1


def test_bad_use_is_refused(service):
    _, sender, _ = talker(service, "bad")
    factory = service.create_media_node_factory()
    lonely = factory.create_audio_pcm_data_sender()
    with pytest.raises(ValueError, match="create_custom_audio_track_pcm"):
        AudioConsumer(lonely, RATE, 1)
    with pytest.raises(TypeError, match="AudioPcmDataSender"):
        AudioConsumer(object(), RATE, 1)
    with pytest.raises(ValueError, match="sample_rate"):
        AudioConsumer(sender, 12345, 1)
    with pytest.raises(ValueError, match="channels"):
        AudioConsumer(sender, RATE, 3)
    consumer = AudioConsumer(sender, RATE, 1)
    consumer.release()
    consumer.release()  # idempotent
    assert consumer.is_push_to_rtc_completed() == -1
    with pytest.raises(ValueError, match="released"):
        consumer.push_pcm_data(b"\0\0")
    with pytest.raises(ValueError, match="released"):
        consumer.clear()


def test_async_wait_for_playout(service):
    frames = listener(service, "async")
    _, sender, _ = talker(service, "async")

    async def main():
        consumer = aio.AudioConsumer(sender, RATE, 1)
        consumer.push_pcm_data(tone(RATE, 1.0))
        t0 = time.monotonic()
        assert await consumer.wait_for_playout(timeout=10)
        return time.monotonic() - t0

    elapsed = asyncio.run(main())
    assert 1.0 / 20 * 0.8 <= elapsed < 2.0  # 1 s of audio at the 20x test clock
    wait_for(lambda: len(frames.samples("bot")) >= RATE)
