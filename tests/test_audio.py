"""PCM audio end to end: what one user sends is what others receive."""

import numpy as np
import pytest
import soxr

from agora_rtc import IAudioFrameObserver
from conftest import FrameLog, Publisher, join, tone, wait_for


def receiver(service, channel, user_id, rate=None, channels=1, **params):
    conn, log = join(service, channel, user_id)
    user = conn.get_local_user()
    if rate:
        user.set_playback_audio_frame_before_mixing_parameters(channels, rate)
    for name, (ch, r) in params.items():
        getattr(user, f"set_{name}_audio_frame_parameters")(ch, r)
    frames = FrameLog()
    user.register_audio_frame_observer(frames)
    return conn, frames


def test_three_senders_arrive_unchanged_in_order(service):
    _, frames = receiver(service, "room", "listener", rate=16000)
    pubs = {uid: Publisher(service, "room", uid) for uid in ("a", "b", "c")}
    sent = {uid: tone(16000, 1.0, freqs=(200.0 * (i + 1),), seed=i) for i, uid in enumerate(pubs)}
    for uid, pub in pubs.items():
        pub.send(sent[uid], 16000)
    wait_for(lambda: all(len(frames.before.get(u, [])) >= 100 for u in pubs), what="1 s from each sender")
    for uid in pubs:
        got = frames.samples(uid)
        assert len(got) == len(sent[uid])
        np.testing.assert_array_equal(got, sent[uid])  # same samples, in order, no gaps
        times = [f[0] for f in frames.before[uid]]
        assert times == sorted(times) and np.all(np.diff(times) == 10)  # one frame per 10 ms tick


def test_send_in_odd_chunks_is_reassembled(service):
    _, frames = receiver(service, "chunks", "listener", rate=16000)
    pub = Publisher(service, "chunks", "talker")
    x = tone(16000, 0.5)
    for chunk in np.array_split(x, 37):  # sizes that are not multiples of 10 ms
        pub.send(chunk, 16000)
    wait_for(lambda: len(frames.samples("talker")) >= len(x), what="all samples")
    np.testing.assert_array_equal(frames.samples("talker"), x)


def _aligned_snr(got, ref):
    """SNR (dB) of got against ref after removing the filters' delay."""
    n = min(len(got), len(ref))
    got, ref = got[:n].astype(float), ref[:n].astype(float)
    corr = np.correlate(got[:4000], ref[:4000], mode="full")
    lag = int(np.argmax(corr)) - 3999
    if lag > 0:
        got, ref = got[lag:], ref[: n - lag]
    elif lag < 0:
        got, ref = got[: n + lag], ref[-lag:]
    got, ref = got[2000:-2000], ref[2000:-2000]  # skip filter start-up
    return 10 * np.log10(np.sum(ref**2) / np.sum((got - ref) ** 2)), lag


@pytest.mark.parametrize("src_rate,dst_rate", [(16000, 48000), (48000, 16000), (44100, 16000),
                                               (8000, 44100), (32000, 24000), (24000, 8000)])
def test_resampled_audio_matches_reference_resampler(service, src_rate, dst_rate):
    _, frames = receiver(service, "rs", "listener", rate=dst_rate)
    pub = Publisher(service, "rs", "talker")
    # Content below both Nyquist limits, so a good resampler keeps all of it.
    x = tone(src_rate, 1.0, freqs=(300.0, 1100.0, 2900.0))
    pub.send(x, src_rate)
    wait_for(lambda: len(frames.before.get("talker", [])) >= 100, what="1 s of frames")
    got = frames.samples("talker")
    assert len(got) == dst_rate  # exactly rate/100 samples per 10 ms frame
    assert all(f[2] == dst_rate and len(f[1]) == dst_rate // 100 for f in frames.before["talker"])
    ref = soxr.resample(x.astype(np.float32), src_rate, dst_rate).astype(np.float64)
    snr, lag = _aligned_snr(got, ref)
    assert 0 <= lag <= dst_rate * 0.0025, f"resampler delay {lag} samples"  # <= 2.5 ms, never early
    assert snr > 35, f"SNR {snr:.1f} dB against soxr"


def test_stereo_to_mono_and_mono_to_stereo(service):
    _, mono = receiver(service, "ch", "mono-listener", rate=16000, channels=1)
    _, stereo = receiver(service, "ch", "stereo-listener", rate=16000, channels=2)
    st = Publisher(service, "ch", "stereo-talker")
    mo = Publisher(service, "ch", "mono-talker")
    left = tone(16000, 0.3, freqs=(500.0,))
    right = tone(16000, 0.3, freqs=(700.0,))
    st.send(np.stack([left, right], axis=1).reshape(-1), 16000, channels=2)
    mo.send(left, 16000)
    wait_for(lambda: len(mono.samples("stereo-talker")) >= len(left) and len(stereo.samples("mono-talker")) >= 2 * len(left))
    expected_mono = ((left.astype(np.int32) + right) / 2).astype(np.int16)  # truncating average
    np.testing.assert_array_equal(mono.samples("stereo-talker"), expected_mono)
    dup = stereo.samples("mono-talker").reshape(-1, 2)
    np.testing.assert_array_equal(dup[:, 0], left)
    np.testing.assert_array_equal(dup[:, 1], left)


def test_mixed_playback_frame_is_sum_of_users(service):
    _, frames = receiver(service, "mix", "listener", rate=16000, playback=(1, 16000))
    a, b = Publisher(service, "mix", "a"), Publisher(service, "mix", "b")
    a.send(tone(16000, 0.5, freqs=(300.0,), amplitude=20000), 16000)
    b.send(tone(16000, 0.5, freqs=(310.0,), amplitude=20000), 16000)  # loud: the sum clips
    wait_for(lambda: len(frames.before.get("a", [])) >= 50 and len(frames.before.get("b", [])) >= 50)
    by_tick = {f[0]: f[1] for f in frames.playback}
    a_by_tick = {f[0]: f[1] for f in frames.before["a"]}
    b_by_tick = {f[0]: f[1] for f in frames.before["b"]}
    ticks = sorted(set(a_by_tick) & set(b_by_tick) & set(by_tick))
    assert len(ticks) >= 40
    clipped = 0
    for t in ticks:
        total = a_by_tick[t].astype(np.int32) + b_by_tick[t]
        clipped += int(np.sum(np.abs(total) > 32767))
        np.testing.assert_array_equal(by_tick[t], np.clip(total, -32768, 32767))
    assert clipped > 0  # the test did exercise saturation


def test_playback_frames_continue_in_silence(service):
    _, frames = receiver(service, "quiet", "listener", playback=(2, 48000))
    wait_for(lambda: len(frames.playback) >= 10, what="playback frames with nobody talking")
    assert all(f[2] == 48000 and f[3] == 2 and not f[1].any() for f in frames.playback[:10])


def test_record_frame_is_own_audio(service):
    pub = Publisher(service, "rec", "me")
    frames = FrameLog()
    user = pub.conn.get_local_user()
    user.set_recording_audio_frame_parameters(1, 16000)
    user.register_audio_frame_observer(frames)
    x = tone(16000, 0.3)
    pub.send(x, 16000)
    wait_for(lambda: sum(len(f[1]) for f in frames.record) >= len(x))
    np.testing.assert_array_equal(np.concatenate([f[1] for f in frames.record])[: len(x)], x)


def test_unsubscribed_user_is_not_delivered(service):
    conn, frames = receiver(service, "sub", "listener", rate=16000)
    user = conn.get_local_user()
    user.unsubscribe_all_audio()
    user.subscribe_audio("wanted")
    wanted, other = Publisher(service, "sub", "wanted"), Publisher(service, "sub", "other")
    wanted.send(tone(16000, 0.2), 16000)
    other.send(tone(16000, 0.2), 16000)
    wait_for(lambda: len(frames.before.get("wanted", [])) >= 20)
    assert "other" not in frames.before


def test_views_of_a_direct_frame_keep_its_audio_and_an_unviewed_frame_ends_with_the_callback(service):
    kept = []

    class Keep(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            if len(kept) % 2:  # every other frame is not viewed at all
                kept.append((frame, None, None, frame.buffer))
                return
            arr = np.frombuffer(frame, np.int16)
            view = memoryview(frame)
            # numpy and memoryview share one address: the frame's own copy, made once at the first view
            same_memory = arr.ctypes.data == np.frombuffer(view, np.uint8).ctypes.data
            kept.append((frame, arr, (same_memory, arr.flags.owndata, view.readonly, len(frame)), frame.buffer))
            view.release()

    conn, _ = join(service, "view", "listener")
    conn.get_local_user().register_audio_frame_observer(Keep())
    Publisher(service, "view", "talker").send(tone(16000, 0.2), 16000)
    wait_for(lambda: len(kept) >= 12, what="12 frames")
    for frame, arr, flags, copy in kept[:12]:
        assert isinstance(copy, bytes) and len(copy) == 320
        if arr is None:  # not viewed: the engine's memory, gone with the callback
            assert not frame.valid
            with pytest.raises(ValueError, match="only valid during the callback"):
                memoryview(frame)
            with pytest.raises(ValueError, match="only valid during the callback"):
                frame.buffer
        else:  # viewed: the view still reads this frame's audio, not a later frame's (the engine reuses buffers)
            assert flags == (True, False, True, 320)
            assert arr.tobytes() == copy and frame.valid and bytes(frame) == copy
    assert len({copy for *_, copy in kept[:12]}) > 6  # the frames differ: the check above means something


def test_publish_and_playback_volume_scale_the_signal(service):
    _, frames = receiver(service, "volume", "listener", rate=16000, playback=(1, 16000))
    listener_user = _.get_local_user()
    pub = Publisher(service, "volume", "talker")
    assert pub.track.get_publish_volume() == 100
    pub.track.adjust_publish_volume(50)
    listener_user.adjust_playback_signal_volume(200)
    assert (pub.track.get_publish_volume(), listener_user.get_playback_signal_volume()) == (50, 200)
    sent = tone(16000, 0.3, freqs=(300.0,), amplitude=10000)
    pub.send(sent, 16000)
    wait_for(lambda: len(frames.before.get("talker", [])) >= 30, what="0.3 s of audio")
    half = (sent.astype(np.int32) * 50 // 100).astype(np.int16)  # C division truncates toward zero
    half = np.where(sent < 0, -((-sent.astype(np.int32)) * 50 // 100), half).astype(np.int16)
    np.testing.assert_array_equal(frames.samples("talker"), half)
    by_tick = {f[0]: f[1] for f in frames.before["talker"]}
    played = [(by_tick[f[0]], f[1]) for f in frames.playback if f[0] in by_tick]
    assert len(played) >= 25
    for before, playback in played:  # playback = 2 x the (halved) signal, saturating
        np.testing.assert_array_equal(playback, np.clip(before.astype(np.int32) * 2, -32768, 32767))
    with pytest.raises(ValueError, match=r"\[0, 400\]"):
        pub.track.adjust_publish_volume(401)
    with pytest.raises(ValueError, match=r"\[0, 400\]"):
        listener_user.adjust_playback_signal_volume(-1)


def test_resizing_the_queue_keeps_a_partial_frame(service):
    # Regression: a half-filled 10 ms frame was freed when the queue was resized (a crash on the next send).
    _, frames = receiver(service, "resize", "listener", rate=16000)
    pub = Publisher(service, "resize", "talker")
    x = tone(16000, 0.02)
    pub.send(x[:80], 16000)                          # half a frame: staged
    pub.track.set_max_buffer_audio_frame_number(100)
    pub.send(x[80:], 16000)                          # completes it and one more
    wait_for(lambda: len(frames.samples("talker")) >= 320, what="both frames")
    np.testing.assert_array_equal(frames.samples("talker")[:320], x)
    assert pub.track.queue_stats()["staged_samples"] == 0


def test_send_refuses_floats_and_out_of_range_counts(service):
    pub = Publisher(service, "strict", "talker")
    frame = np.zeros(160, np.int16)
    # a float sample count or rate is not truncated (160.5 used to send 160 samples)
    for args, name in [((frame, 160.5, 16000), "samples_per_channel"), ((frame, 160, 16000.0), "sample_rate"),
                       ((frame, 160, 16000, 1.0), "channels")]:
        with pytest.raises(TypeError, match=f"^{name} must be an int, not "):
            pub.sender.send(*args)
    with pytest.raises(ValueError, match="samples_per_channel must be 0..4294967295, not -160"):
        pub.sender.send(frame, -160, 16000)
    with pytest.raises(ValueError, match="sample_rate must be 0..4294967295, not 4294967296"):
        pub.sender.send(frame, 160, 2**32)
    # three large factors whose 64-bit product wraps around must not pass the size check
    with pytest.raises(ValueError, match=f"PCM buffer holds 320 bytes; expected {(2**32 - 1) ** 2 * 4} "):
        pub.sender.send(frame, 2**32 - 1, 16000, 2**32 - 1, 4)
    assert pub.sender.send(frame, np.int64(160), np.int32(16000)) == 0  # numpy integers are integers


def test_two_tracks_of_one_user_in_different_formats_are_both_heard(service):
    """TTS at 16 kHz mono and music at 48 kHz stereo published by one user: the
    second is converted to the first's format and mixed in (it used to be
    taken from its queue and dropped, with no count)."""
    _, frames = receiver(service, "two-formats", "listener", rate=16000)
    voice = Publisher(service, "two-formats", "bot")
    music_sender = voice.factory.create_audio_pcm_data_sender()
    music = service.create_custom_audio_track_pcm(music_sender)
    voice.conn.get_local_user().publish_audio(music)
    seconds = 0.5
    voice.send(tone(16000, seconds, freqs=(440.0,)), 16000)
    music_sender.send(tone(48000, seconds, freqs=(1250.0,), channels=2), int(48000 * seconds), 48000, 2)
    wait_for(lambda: len(frames.samples("bot")) >= 16000 * seconds, what="the mixed half second")
    got = frames.samples("bot")[1600:int(16000 * seconds) - 1600].astype(float)  # past the filters' start
    spectrum = np.abs(np.fft.rfft(got))
    freqs = np.fft.rfftfreq(len(got), 1 / 16000)

    def level(f):
        return spectrum[np.abs(freqs - f) < 15].max()
    assert level(440) > 20 * np.median(spectrum) and level(1250) > 20 * np.median(spectrum)
    assert 0.3 < level(1250) / level(440) < 1.5  # stereo (x, x/2) averaged to 0.75 x: about as loud
    for obj in (music, music_sender):
        obj.release()


def test_one_track_published_on_two_connections_is_heard_whole_on_both(service):
    """A track published in two channels plays each frame once per tick for both
    (each connection used to take every other frame from the one queue)."""
    _, here = receiver(service, "room-one", "listener", rate=16000)
    _, there = receiver(service, "room-two", "listener", rate=16000)
    one = Publisher(service, "room-one", "bot")
    two, _ = join(service, "room-two", "bot")
    two.get_local_user().publish_audio(one.track)
    sent = tone(16000, 0.3)
    one.send(sent, 16000)
    for frames in (here, there):
        wait_for(lambda: len(frames.samples("bot")) >= len(sent), what="all of it")
        np.testing.assert_array_equal(frames.samples("bot")[:len(sent)], sent)
    two.release()
