"""Statistics whose counters move: on_transport_stats every 2 s (direct and
dispatched) with the bytes actually sent and received, remote audio/video and
local video track statistics, frozen time that grows while a track is frozen."""

import numpy as np
import pytest

from agora_rtc import (AgoraError, IRTCConnectionObserver, IRTCLocalUserObserver, RemoteAudioTrackStats, RTCStats,
                       VideoPixelFormat)
from conftest import EventLog, Publisher, join, tone, wait_for
from test_video import Pair, i420


class Stats(EventLog, IRTCLocalUserObserver):
    def __init__(self):
        super().__init__()
        self.reports = []
        self.tracks = {}

    def on_transport_stats(self, conn, stats):
        self.reports.append(stats)

    def on_user_audio_track_subscribed(self, local_user, user_id, track):
        self.tracks[user_id] = track


@pytest.mark.parametrize("dispatched", [False, True])
def test_transport_stats_count_the_audio_sent_and_received(service, dispatched):
    rx_log = Stats()
    rx, _ = join(service, f"stats{dispatched}", "rx", rx_log)
    rx.get_local_user().register_local_user_observer(rx_log)
    if dispatched:
        rx.set_event_dispatcher(service.dispatcher)
    pub = Publisher(service, f"stats{dispatched}", "pub")
    pub_log = Stats()
    pub.conn.register_observer(pub_log)
    pub.send(tone(16000, 1.0), 16000)  # 100 frames of 320 bytes
    wait_for(lambda: rx_log.reports and rx_log.reports[-1].rx_audio_bytes == 32000, timeout=15,
             what="a report with all 32000 bytes received")
    wait_for(lambda: pub_log.reports and pub_log.reports[-1].tx_audio_bytes == 32000, what="the sender's report")
    report = rx_log.reports[-1]
    assert isinstance(report, RTCStats)
    assert report.rx_bytes == 32000 and report.tx_bytes == 0 and report.user_count == 2
    assert report.first_audio_packet_duration > 0 and report.memory_app_usage_in_kbytes > 1000
    assert any(r.rx_audio_k_bit_rate > 0 for r in rx_log.reports)  # 256 kbit/s while the tone played
    assert max(r.rx_audio_k_bit_rate for r in rx_log.reports) <= 256
    durations = [r.duration for r in rx_log.reports]
    assert durations == sorted(durations) and len(set(r.connection_id for r in rx_log.reports)) == 1


def test_remote_audio_track_stats_and_frozen_time(service):
    rx_log = Stats()
    rx, _ = join(service, "rstats", "rx", rx_log)
    rx.get_local_user().register_local_user_observer(rx_log)
    pub = Publisher(service, "rstats", "pub")
    pub.send(tone(16000, 0.5, channels=2), 16000, channels=2)
    wait_for(lambda: "pub" in rx_log.tracks, what="the subscribed track")
    track = rx_log.tracks["pub"]
    wait_for(lambda: track.get_statistics().received_bytes == 32000, what="0.5 s of stereo")
    s = track.get_statistics()
    assert isinstance(s, RemoteAudioTrackStats)
    assert (s.received_sample_rate, s.num_channels, s.quality) == (16000, 2, 1)  # EXCELLENT
    assert s.audio_loss_rate == 0 and s.uid == 0  # string user ids have no numeric uid
    wait_for(lambda: track.get_statistics().total_frozen_time > 1000, what="frozen time to grow")
    later = track.get_statistics()
    assert later.frozen_rate > 50 and later.received_bytes == 32000


def test_video_track_statistics(service):
    p = Pair(service, channel="vstats")
    states = Stats()
    tracks = {}

    class Subscribed(IRTCLocalUserObserver):
        def on_user_video_track_subscribed(self, local_user, user_id, info, track):
            tracks[user_id] = track
    p.rx.get_local_user().register_local_user_observer(Subscribed())
    for seed in range(30):
        p.sender.send(i420(320, 240, seed)[3], VideoPixelFormat.I420, 320, 240, timestamp_ms=seed * 33)
    p.wait(30)
    local = p.track.get_statistics()
    assert local.frames_encoded == 30 and local.bytes_major_stream == 30 * 320 * 240 * 3 // 2
    assert (local.width, local.height, local.number_of_streams) == (320, 240, 1)
    remote = tracks["1"].get_statistics()
    assert remote.total_decoded_frames == 30 and (remote.width, remote.height) == (320, 240)
    assert remote.received_bitrate > 0 and remote.rx_stream_type == 0


def test_statistics_after_release_raise(service):
    p = Pair(service, channel="vrel")
    tracks = {}

    class Subscribed(IRTCLocalUserObserver):
        def on_user_video_track_subscribed(self, local_user, user_id, info, track):
            tracks[user_id] = track
    p.rx.get_local_user().register_local_user_observer(Subscribed())
    p.sender.send(i420(64, 48)[3], VideoPixelFormat.I420, 64, 48)
    p.wait(1)
    wait_for(lambda: "1" in tracks, what="the subscribed track")
    p.rx.release()
    with pytest.raises(ValueError, match="released"):
        tracks["1"].get_statistics()
    p.track.release()
    with pytest.raises(ValueError, match="released"):
        p.track.get_statistics()


class TrackStats(IRTCLocalUserObserver):
    def __init__(self):
        self.local_audio, self.remote_audio, self.local_video, self.remote_video = [], [], [], []
        self.subscribed = {}

    def on_user_audio_track_subscribed(self, local_user, user_id, track):
        self.subscribed[("audio", user_id)] = track

    def on_user_video_track_subscribed(self, local_user, user_id, info, track):
        self.subscribed[("video", user_id)] = track

    def on_local_audio_track_statistics(self, local_user, stats):
        self.local_audio.append(stats)

    def on_remote_audio_track_statistics(self, local_user, track, stats):
        self.remote_audio.append((track, stats))

    def on_local_video_track_statistics(self, local_user, track, stats):
        self.local_video.append((track, stats))

    def on_remote_video_track_statistics(self, local_user, track, stats):
        self.remote_video.append((track, stats))


@pytest.mark.parametrize("dispatched", [False, True])
def test_track_statistics_every_two_seconds(service, dispatched):
    """With on_transport_stats the local user reports each track: what it sends (16 kHz mono PCM =
    256 kbps; the published video's size) and what it receives, on the track objects it was given."""
    p = Pair(service, channel=f"tstats{dispatched}")
    tx_stats, rx_stats = TrackStats(), TrackStats()
    for conn, seen in ((p.tx, tx_stats), (p.rx, rx_stats)):
        if dispatched:
            conn.set_event_dispatcher(service.dispatcher)
        conn.get_local_user().register_local_user_observer(seen)
    p.rx.get_local_user().subscribe_all_audio()
    talker = Publisher(service, f"tstats{dispatched}", "talker")  # audio, heard by rx ("2")
    talker_stats = TrackStats()
    if dispatched:
        talker.conn.set_event_dispatcher(service.dispatcher)
    talker.conn.get_local_user().register_local_user_observer(talker_stats)
    talker.send(tone(16000, 6.0), 16000)
    for seed in range(10):
        p.sender.send(i420(320, 240, seed)[3], VideoPixelFormat.I420, 320, 240, timestamp_ms=seed * 33)
    wait_for(lambda: len(talker_stats.local_audio) >= 2 and rx_stats.remote_audio and rx_stats.remote_video
             and tx_stats.local_video, timeout=20, what="two rounds of track statistics")
    local = talker_stats.local_audio[1]  # a whole interval of sending
    assert (local.num_channels, local.sent_sample_rate, local.internal_codec) == (1, 16000, 0)
    assert local.sent_bitrate == pytest.approx(256, abs=8)
    track, remote = next((t, s) for t, s in rx_stats.remote_audio if s.uid == 0 or t.user_id == "talker")
    assert track is rx_stats.subscribed[("audio", "talker")]
    assert (remote.received_sample_rate, remote.num_channels) == (16000, 1) and remote.received_bytes > 0
    video_track, video = tx_stats.local_video[-1]
    assert video_track is p.track and (video.width, video.height) == (320, 240) and video.frames_encoded == 10
    remote_video_track, remote_video = rx_stats.remote_video[-1]
    assert remote_video_track is rx_stats.subscribed[("video", "1")]
    assert remote_video.total_decoded_frames == 10 and (remote_video.width, remote_video.height) == (320, 240)
    assert not rx_stats.local_audio and not rx_stats.local_video  # it publishes nothing
