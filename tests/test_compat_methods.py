"""Official methods that round out the API: the log file, the audio encoder
profile and scenario per user, remote track lookups and info, local playback on
a server, the 2.4.10 fast-start parameters, and AudioVadManager."""

import os
import time

import numpy as np
import pytest

from agora_rtc import (AgoraError, AgoraService, AgoraServiceConfig, AudioEncoderConfiguration, AudioProfileType,
                       AudioVadConfigV2, AudioVadManager, AudioVadV2, IRTCLocalUserObserver, RTCConnConfig,
                       RtcConnectionPublishConfig, SendExternalAudioParameters, VideoPixelFormat,
                       VideoSubscriptionOptions, VideoTrackInfo)
from agora_rtc.vad import VadState
from conftest import FrameLog, Publisher, join, tone, wait_for

RATE = 16000


def log_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def test_log_file_from_the_config_records_what_happened(tmp_path):
    path = tmp_path / "agora.log"
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="log-app", use_string_uid=1, log_path=str(path)))
    a, _ = join(svc, "logged", "alice")
    b, _ = join(svc, "logged", "bob")
    wait_for(lambda: any("user joined (user bob)" in line for line in log_lines(path)), what="bob's join logged")
    b.disconnect()
    wait_for(lambda: any("user left (user bob)" in line for line in log_lines(path)), what="bob's leave logged")
    svc.release()
    lines = log_lines(path)
    text = "\n".join(lines)
    order = ["service initialized", ": connect to channel logged as user alice", "(logged as alice): connected",
             "(logged as alice): user joined (user bob)", ": disconnect from channel logged",
             "(logged as alice): user left (user bob)", "service released"]
    positions = [text.index(what) for what in order]
    assert positions == sorted(positions), text
    assert all(line[:4].isdigit() and line[23] == "Z" for line in lines), lines[:3]  # timestamped


def test_set_log_file_switches_files_and_rotates(service, tmp_path):
    first, second = tmp_path / "one.log", tmp_path / "two.log"
    service.set_log_file(first)
    conn, _ = join(service, "rotating", "u1")
    service.set_log_file(str(second), 4096)
    for _ in range(60):
        conn.disconnect()
        conn.connect("", "rotating", "u1")
    wait_for(lambda: os.path.exists(f"{second}.1"), what="the log to rotate")
    assert any("connect to channel rotating as user u1" in line for line in log_lines(first))
    assert os.path.getsize(f"{second}.1") >= 4096  # the full file is kept as .1
    assert os.path.getsize(second) < 4096 + 512
    with pytest.raises(ValueError, match="existing folder"):
        service.set_log_file(tmp_path / "missing" / "x.log")
    with pytest.raises(ValueError, match="bytes"):
        service.set_log_file(first, -1)
    with pytest.raises(ValueError, match="existing folder"):
        AgoraService().initialize(AgoraServiceConfig(appid="x", log_path=str(tmp_path / "no" / "such.log")))


def test_audio_encoder_configuration_and_scenario(service):
    user = service.create_rtc_connection(RTCConnConfig()).get_local_user()
    for profile in AudioProfileType:
        assert user.set_audio_encoder_configuration(AudioEncoderConfiguration(audioProfile=profile)) == 0
    with pytest.raises(ValueError, match="audioProfile must be an AudioProfileType"):
        user.set_audio_encoder_configuration(AudioEncoderConfiguration(audioProfile=9))
    with pytest.raises(TypeError, match="AudioEncoderConfiguration"):
        user.set_audio_encoder_configuration({"audioProfile": 1})
    assert user.set_audio_scenario(3) == 0
    with pytest.raises(AgoraError, match="INVALID_ARGUMENT"):
        user.set_audio_scenario(42)


def test_local_playback_is_refused_on_a_server(service):
    track = service.create_custom_audio_track_pcm(service.create_media_node_factory().create_audio_pcm_data_sender())
    with pytest.raises(AgoraError, match="NOT_SUPPORTED"):
        track.enable_local_playback(1)
    with pytest.raises(AgoraError, match="NOT_SUPPORTED"):
        track.enable_ear_monitor(1, 0)
    track.release()
    with pytest.raises(ValueError, match="released"):
        track.enable_local_playback(1)


class Subscribed(IRTCLocalUserObserver):
    def __init__(self):
        self.audio, self.video = {}, {}

    def on_user_audio_track_subscribed(self, local_user, user_id, track):
        self.audio[user_id] = track

    def on_user_video_track_subscribed(self, local_user, user_id, info, track):
        self.video[user_id] = (info, track)


def test_get_remote_audio_track_finds_the_subscribed_track(service):
    listener, _ = join(service, "lookup", "listener")
    seen = Subscribed()
    listener.get_local_user().register_local_user_observer(seen)
    assert listener.get_local_user().get_remote_audio_track("speaker") is None
    speaker = Publisher(service, "lookup", "speaker")
    speaker.send(tone(RATE, 0.5), RATE)
    wait_for(lambda: "speaker" in seen.audio, what="the subscribe callback")
    track = listener.get_local_user().get_remote_audio_track("speaker")
    assert track is seen.audio["speaker"] and track.user_id == "speaker"
    track.release()  # remote tracks belong to the connection: nothing happens
    assert track.get_state() in (1, 2)  # STARTING / DECODING
    assert listener.get_local_user().get_remote_audio_track("nobody") is None


def test_remote_video_track_info_matches_the_subscription(service):
    rx, _ = join(service, "vinfo", "2", config=RTCConnConfig(auto_subscribe_video=0))
    seen = Subscribed()
    rx.get_local_user().register_local_user_observer(seen)
    rx.get_local_user().subscribe_video("1", VideoSubscriptionOptions(type=1))
    tx, _ = join(service, "vinfo", "1")
    sender = service.create_media_node_factory().create_video_frame_sender()
    track = service.create_custom_video_track_frame(sender)
    track.set_enabled(1)
    tx.get_local_user().publish_video(track)
    sender.send(np.zeros(16 * 8 * 3 // 2, np.uint8), VideoPixelFormat.I420, 16, 8)
    wait_for(lambda: "1" in seen.video, what="video subscribed")
    subscribed_info, remote = seen.video["1"]
    info = remote.get_track_info()
    assert isinstance(info, VideoTrackInfo)
    assert info == subscribed_info
    assert (info.owner_uid, info.channel_id, info.stream_type) == (1, "vinfo", 1)
    remote.destroy_track_info(info)
    with pytest.raises(TypeError, match="get_track_info"):
        remote.destroy_track_info("info")
    rx.release()
    with pytest.raises(ValueError, match="released"):
        remote.get_track_info()
    for obj in (track, sender, tx):
        obj.release()


def test_fast_start_parameters_reach_the_engine_each_round(service):
    """SendExternalAudioParameters: the connection gets the official speed
    parameter and, at the start of each round of pushes, the track gets the
    send_ms budget (the loopback reports it; it plays at real-time pace)."""
    listener, _ = join(service, "faststart", "human")
    listener.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    frames = FrameLog()
    listener.get_local_user().register_audio_frame_observer(frames)
    fast = SendExternalAudioParameters(enabled=True, send_ms=500, send_speed=3)
    conn = service.create_rtc_connection(RTCConnConfig(), RtcConnectionPublishConfig(send_external_audio_parameters=fast))
    conn.connect("", "faststart", "bot")
    conn.publish_audio()
    assert conn.get_parameter_number("che.audio.extra_send_frames_per_interval_for_fake_adm") == 3
    track = conn._publisher.track
    assert track.queue_stats()["extra_send_ms"] == 0
    reply = tone(RATE, 0.5)
    conn.push_audio_pcm_data(reply.tobytes(), RATE, 1)
    assert track.queue_stats()["extra_send_ms"] == 500
    track._set_total_extra_send_ms(0)
    conn.push_audio_pcm_data(reply.tobytes(), RATE, 1)  # same round: not set again
    assert track.queue_stats()["extra_send_ms"] == 0
    wait_for(conn.is_push_to_rtc_completed, what="the round played")
    conn.push_audio_pcm_data(reply.tobytes(), RATE, 1)  # a new round
    assert track.queue_stats()["extra_send_ms"] == 500
    wait_for(lambda: len(frames.samples("bot")) >= 3 * len(reply), what="three replies heard")
    np.testing.assert_array_equal(frames.samples("bot")[: 3 * len(reply)], np.tile(reply, 3))
    with pytest.raises(TypeError, match="SendExternalAudioParameters"):
        service.create_rtc_connection(RTCConnConfig(),
                                      RtcConnectionPublishConfig(send_external_audio_parameters={"enabled": True}))
    conn.release()


def test_fast_start_off_sets_nothing(service):
    conn = service.create_rtc_connection(
        RTCConnConfig(), RtcConnectionPublishConfig(send_external_audio_parameters=SendExternalAudioParameters(
            enabled=True, send_ms=0, send_speed=3)))  # no budget: inactive, as in the official
    conn.connect("", "faststart-off", "bot")
    conn.push_audio_pcm_data(tone(RATE, 0.1).tobytes(), RATE, 1)
    assert conn._publisher.track.queue_stats()["extra_send_ms"] == 0
    conn.release()


class Labelled:
    """A frame as the delivery path gives it: PCM with the engine's labels."""

    def __init__(self, pcm, voice):
        self.buffer = pcm
        self.rms, self.voice_prob = (100, 1) if voice else (10, 0)


def speech_frames(pattern):
    return [Labelled(np.full(160, i + 1, np.int16).tobytes(), voice) for i, voice in enumerate(pattern)]


def test_vad_manager_keeps_one_vad_per_channel_and_user():
    config = AudioVadConfigV2(startRecognizeCount=3, stopRecognizeCount=5, preStartRecognizeCount=2)
    manager = AudioVadManager(config)
    pattern = [0] * 4 + [1] * 10 + [0] * 8
    frames = speech_frames(pattern)
    alone = AudioVadV2(config)
    expected = [alone.process(f) for f in frames]
    # two users interleaved, and ("a", "bc") must not be ("ab", "c") as in the official key concatenation
    got_a, got_b = [], []
    for f in frames:
        got_a.append(manager.process("a", "bc", f))
        got_b.append(manager.process("ab", "c", f))
    assert got_a == expected and got_b == expected  # the first frame is processed too
    assert [s for s, _ in got_a].count(VadState.START_SPEAKING) == 1
    assert len(manager) == 2 and manager.get_vad_instance("a", "bc") is not manager.get_vad_instance("ab", "c")
    manager.del_vad_instance("a", "bc")
    assert manager.get_vad_instance("a", "bc") is None and len(manager) == 1
    manager.release()
    with pytest.raises(ValueError, match="released"):
        manager.process("a", "bc", frames[0])
    with pytest.raises(TypeError, match="AudioVadConfigV2"):
        AudioVadManager({"startRecognizeCount": 3})


def test_vad_manager_is_the_official_name():
    from agora_rtc.compat.audio_vad_manager import AudioVadManager as Compat
    assert Compat is AudioVadManager


def test_local_audio_statistics_count_what_was_sent(service):
    speaker = Publisher(service, "detailed", "7")
    user = speaker.conn.get_local_user()
    before = user.get_local_audio_statistics()
    assert (before.bytes_sent, before.packets_sent, before.total_input_duration, before.audio_level) == (0, 0, 0.0, 0)
    amplitude = 16384
    wave = (amplitude * np.sin(2 * np.pi * 500 * np.arange(RATE) / RATE)).astype(np.int16)  # 1 s, 500 Hz
    speaker.send(wave, RATE)
    wait_for(lambda: user.get_local_audio_statistics().packets_sent >= 100, what="100 frames sent")
    time.sleep(0.05)  # a few more ticks of silence: nothing more is sent
    stats = user.get_local_audio_statistics()
    assert stats.packets_sent == 100 and stats.ext_seqnum == 100
    assert stats.bytes_sent == RATE * 2  # 16-bit mono PCM as sent
    assert stats.total_input_duration == pytest.approx(1.0)
    assert stats.total_input_energy == pytest.approx(0.5 * (amplitude / 32767) ** 2, rel=0.01)  # sine: rms² = A²/2
    assert abs(stats.audio_level - amplitude) <= 1
    assert (stats.codec_name, stats.local_ssrc, stats.packets_lost, stats.rtt_ms) == ("L16", 7, 0, 0)
    assert stats.ana_statistics.dtx_action_counter == 0 and stats.apm_statistics.delay_ms == 0
    speaker.conn.release()
    with pytest.raises(ValueError, match="released"):
        user.get_local_audio_statistics()
