"""Injected network faults (loopback.fault.*) at the packet layer, per
connection: jitter and reordering are absorbed by the receive jitter buffer
(frames reach the application in order), a bandwidth cap shows up as loss, an
outage is reported RECONNECTING -> LOST -> RECONNECTED and the channel works
again afterwards; a member in another process sees the outaged one drop and
come back."""

import json
import os
import sys
import threading
import time

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from peer import ramp  # noqa: E402
from test_cross_process import Peer  # noqa: E402

from agora_rtc import (AgoraError, AgoraService, AgoraServiceConfig, IAudioFrameObserver,  # noqa: E402
                       IRTCConnectionObserver, IRTCLocalUserObserver, RTCConnConfig)
from conftest import EventLog, Publisher, join, tone, wait_for  # noqa: E402


class Frames(IAudioFrameObserver):
    def __init__(self):
        self.frames = []

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
        self.frames.append(np.frombuffer(frame, np.int16).copy())


class Tracks(IRTCLocalUserObserver):
    def __init__(self):
        self.audio = {}

    def on_user_audio_track_subscribed(self, local_user, user_id, track):
        self.audio[user_id] = track


def real_time_receiver(svc, channel, uid):
    conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.tracks = Tracks()
    conn.get_local_user().register_local_user_observer(conn.tracks)
    frames = Frames()
    conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    conn.get_local_user().register_audio_frame_observer(frames)
    conn.connect("", channel, uid)
    return conn, frames


def test_jitter_and_reordering_reach_the_application_in_order():
    faults = json.dumps({"loopback.fault.jitter_ms": 60, "loopback.fault.reorder_percent": 10})
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1))
        conn, frames = real_time_receiver(svc, "xp-jitter", "rx")
        tx = Peer("xp-jitter", "tx", "--send-tone", "4", "--ramp", "--conn-params", faults, "--wait-peer", "rx",
                  "--stay", "4.6")
        wait_for(lambda: len(frames.frames) >= 380, timeout=20, what="the audio")
        track_stats = conn.tracks.audio["tx"].get_statistics()  # while the sender is still a member
        tx.wait(lambda e: e["event"] == "done", timeout=30)
        tx.finish()
        late = svc.get_parameter_number("loopback.stats.remote_late")
        lost = svc.get_parameter_number("loopback.stats.remote_lost")
        received = svc.get_parameter_number("loopback.stats.remote_received")
        got = list(frames.frames)
    print(f"jitter 0-60 ms + 10% reordered: received={received:.0f} late={late:.0f} lost={lost:.0f} played={len(got)}")
    sent = ramp(4)
    starts = [int(f[0]) + 15000 for f in got]  # each frame's first sample says where in the ramp it is from
    positions = []
    for f, s in zip(got, starts):
        # the sample index i with i % 30011 == s, nearest after the previous frame
        base = positions[-1] + 160 if positions else 0
        i = base + (s - base) % 30011
        assert np.array_equal(f, sent[i:i + 160]), "a frame is not a 10 ms piece of what was sent"
        positions.append(i)
    assert all(b > a for a, b in zip(positions, positions[1:])), "frames reached the application out of order"
    assert late > 0  # the network really did deliver late and out of order...
    assert len(got) >= 0.9 * 400 and lost <= 0.1 * 400, (len(got), lost, late)  # ...and the buffer absorbed it
    assert received + late >= 395  # no loss was injected: every packet came, some too late to play
    # the remote track's statistics show the grown buffer and the transit time
    print(f"  jitter buffer {track_stats.jitter_buffer_delay} ms, transit {track_stats.network_transport_delay} ms")
    # (the buffer grows by late packets and shrinks back a frame per calm 3 s: at least its 20 ms floor)
    assert track_stats.jitter_buffer_delay >= 20 and track_stats.network_transport_delay >= 1
    assert 380 * 320 <= track_stats.received_bytes <= len(got) * 320


def test_a_bandwidth_cap_shows_up_as_loss():
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1))
        conn, frames = real_time_receiver(svc, "xp-bw", "rx")
        # 16 kHz mono PCM is 256 kbit/s plus headers: a 64 kbit/s link carries about a fifth of it
        tx = Peer("xp-bw", "tx", "--send-tone", "2", "--conn-params", json.dumps({"loopback.fault.bandwidth_kbps": 64}),
                  "--wait-peer", "rx", "--stay", "2.5")
        done = tx.wait(lambda e: e["event"] == "done", timeout=30)
        tx.finish()
        received = svc.get_parameter_number("loopback.stats.remote_received")
    print(f"64 kbit/s cap: dropped at the sender={done['fault_dropped']:.0f} received={received:.0f}")
    assert done["fault_dropped"] >= 120  # of ~200 frames, counted where they were dropped
    assert 10 <= received <= 80, received


class Lifecycle(EventLog, IRTCLocalUserObserver):
    def on_reconnecting(self, conn, info, reason):
        self._add("reconnecting", info.state, reason)

    def on_connection_lost(self, conn, info):
        self._add("lost", info.state)

    def on_reconnected(self, conn, info, reason):
        self._add("reconnected", info.state, reason)

    def on_stream_message(self, local_user, user_id, stream_id, data, length):
        self._add("message", user_id, data)


def test_outage_is_reported_and_the_channel_works_again(service):
    bot, log = join(service, "outage", "bot", Lifecycle())
    bot.get_local_user().register_local_user_observer(log)
    peer = Publisher(service, "outage", "peer")
    bot_stream = bot.create_data_stream(reliable=True, ordered=True)
    peer_stream = peer.conn.create_data_stream(reliable=True, ordered=True)
    bot.set_parameters({"loopback.fault.outage_ms": 12000})  # engine time: 0.6 s on the 20x test clock
    wait_for(lambda: log.of("reconnecting"), what="RECONNECTING")
    assert log.of("reconnecting") == [("reconnecting", 4, 2)]  # CONNECTION_STATE_RECONNECTING, INTERRUPTED
    assert bot.get_parameter_number("loopback.fault.outage_ms") > 0
    peer.conn.send_stream_message(peer_stream, b"sent during the outage")  # reliable: resent until it gets through
    wait_for(lambda: log.of("reconnected"), what="RECONNECTED")
    kinds = [e[0] for e in log.events if e[0] in ("reconnecting", "lost", "reconnected")]
    assert kinds == ["reconnecting", "lost", "reconnected"]  # lost after 10 s without the network
    assert log.of("reconnected") == [("reconnected", 3, 15)]  # CONNECTED, REJOIN_SUCCESS
    wait_for(lambda: log.of("message"), what="the message sent during the outage")
    assert log.of("message") == [("message", "peer", b"sent during the outage")]
    # and media flows again: the bot hears the peer's audio
    from conftest import FrameLog
    frames = FrameLog()
    bot.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    bot.get_local_user().register_audio_frame_observer(frames)
    audio = tone(16000, 0.5)
    peer.send(audio, 16000)
    wait_for(lambda: len(frames.samples("peer")) >= len(audio), what="audio after the outage")
    assert np.array_equal(frames.samples("peer")[:len(audio)], audio)
    bot.send_stream_message(bot_stream, b"back")


def test_fault_parameters_are_per_connection_and_checked(service):
    a, _ = join(service, "scoped", "a")
    b, _ = join(service, "scoped", "b")
    a.set_parameters({"loopback.fault.loss_percent": 10, "loopback.fault.jitter_ms": 40})
    assert a.get_parameter_number("loopback.fault.loss_percent") == 10
    assert b.get_parameter_number("loopback.fault.loss_percent") == 0
    assert service.get_parameter_number("loopback.fault.loss_percent") == 0
    service.set_parameters({"loopback.fault.loss_percent": 5})  # the default of connections without their own
    assert b.get_parameter_number("loopback.fault.loss_percent") == 5
    assert a.get_parameter_number("loopback.fault.loss_percent") == 10
    for bad in ({"loopback.fault.loss_percent": 101}, {"loopback.fault.jitter_ms": -1},
                {"loopback.fault.bandwidth_kbps": -5}, {"loopback.fault.outage_ms": 0}):
        with pytest.raises(AgoraError, match="INVALID_ARGUMENT"):
            a.set_parameters(bad)
    assert a.get_parameter_number("loopback.fault.jitter_ms") == 40  # a refused document changes nothing
    a.release()
    with pytest.raises(ValueError, match="released"):
        a.set_parameters({"loopback.fault.loss_percent": 1})


class Members(IRTCConnectionObserver):
    def __init__(self):
        self.events = []

    def on_user_left(self, conn, user_id, reason):
        self.events.append(("left", user_id, reason, time.monotonic()))

    def on_user_joined(self, conn, user_id):
        self.events.append(("joined", user_id, 0, time.monotonic()))


def test_a_member_elsewhere_sees_the_outaged_one_drop_and_return():
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1))
        conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        members = Members()
        conn.register_observer(members)
        conn.connect("", "xp-outage", "watcher")
        tx = Peer("xp-outage", "flaky", "--outage-ms", "4000", "--wait-peer", "watcher", "--stay", "6")
        tx.wait(lambda e: e["event"] == "reconnecting", timeout=15)
        start = time.monotonic()
        tx.wait(lambda e: e["event"] == "reconnected", timeout=15)
        wait_for(lambda: [e[0] for e in members.events] == ["joined", "left", "joined"], timeout=5,
                 what="flaky joined, dropped and came back")
        tx.wait(lambda e: e["event"] == "done", timeout=30)
        tx.finish()
    (_, _, _, joined), (_, _, reason, left), (_, _, _, back) = members.events[:3]  # then it leaves for good
    assert reason == 1  # USER_OFFLINE_DROPPED: its heartbeats stopped
    assert 1.5 < left - start < 3.5  # dropped after 2.5 s of silence
    assert back - start > 3.5  # back once its 4 s outage ended


def test_a_receiver_that_stops_reading_costs_the_others_nothing(tmp_path):
    """One member elsewhere is frozen (SIGSTOP) while we talk: the engine never blocks on it, the
    other member elsewhere gets every sample in order, and what the frozen one could not take is
    counted (its socket queue and our 64-packet backlog fill, the rest is dropped); silent for
    2.5 s, it is reported gone (USER_OFFLINE_DROPPED)."""
    import signal
    healthy_out = tmp_path / "healthy.npy"
    left = []

    class Left(IRTCConnectionObserver):
        def on_user_left(self, conn, user_id, reason):
            left.append((user_id, reason))
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1))
        talker = svc.create_rtc_connection(RTCConnConfig())
        talker.register_observer(Left())
        talker.connect("", "xp-stall", "talker")
        healthy = Peer("xp-stall", "healthy", "--record", str(healthy_out), "--frames", "300",
                       "--wait-peer", "talker")
        frozen = Peer("xp-stall", "frozen", "--wait-peer", "talker", "--stay", "30")
        healthy.wait(lambda e: e.get("event") == "user_joined" and e["user_id"] == "talker")
        frozen.wait(lambda e: e.get("event") == "user_joined" and e["user_id"] == "talker")
        os.kill(frozen.proc.pid, signal.SIGSTOP)
        try:
            factory = svc.create_media_node_factory()
            sender = factory.create_audio_pcm_data_sender()
            track = svc.create_custom_audio_track_pcm(sender)
            talker.get_local_user().publish_audio(track)
            audio = ramp(3)
            sender.send(audio, len(audio), 16000)
            healthy.finish(timeout=30)
            wait_for(lambda: track.queue_stats()["queued_frames"] == 0, what="all 3 s played out")
            dropped = svc.get_parameter_number("loopback.stats.send_dropped")
            late_ticks = svc.get_parameter_number("loopback.late_ticks")
            wait_for(lambda: ("frozen", 1) in left, timeout=5, what="the frozen member reported dropped")
        finally:
            os.kill(frozen.proc.pid, signal.SIGKILL)
            frozen.proc.wait(10)
    got = np.load(healthy_out)
    assert np.array_equal(got, audio)  # every sample, in order, for the member that kept reading
    print(f"frozen receiver: {dropped:.0f} packets dropped at the sender, late ticks {late_ticks:.0f}")
    assert dropped >= 100  # beyond its socket queue and our 64-packet backlog: dropped, and counted
    assert late_ticks == 0  # the engine thread never waited on it
