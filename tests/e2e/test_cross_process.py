"""Channels shared between processes: audio, joins/leaves, kill -9, privacy."""

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from peer import tone  # noqa: E402


class Peer:
    def __init__(self, *args, prefix=()):
        self.proc = subprocess.Popen([*prefix, sys.executable, os.path.join(HERE, "peer.py"), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.events = []
        self._cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self._cv:
                self.events.append(json.loads(line))
                self._cv.notify_all()

    def wait(self, pred, timeout=20):
        deadline = time.monotonic() + timeout
        with self._cv:
            while not any(pred(e) for e in self.events):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None and not any(pred(e) for e in self.events):
                    err = self.proc.stderr.read() if self.proc.poll() is not None else ""
                    raise AssertionError(f"timed out; events so far: {self.events}\n{err}")
                self._cv.wait(min(left, 0.2))
            return next(e for e in self.events if pred(e))

    def finish(self, timeout=30):
        out = self.proc.wait(timeout)
        assert out == 0, self.proc.stderr.read()


def test_audio_between_processes_arrives_unchanged(tmp_path):
    out = tmp_path / "rx.npy"
    rx = Peer("xp-audio", "receiver", "--record", str(out), "--frames", "150", "--wait-peer", "sender")
    rx.wait(lambda e: e["event"] == "ready")
    tx = Peer("xp-audio", "sender", "--send-tone", "1.5", "--wait-peer", "receiver", "--stay", "2.5")
    rx.wait(lambda e: e.get("event") == "user_joined" and e["user_id"] == "sender")
    tx.wait(lambda e: e.get("event") == "user_joined" and e["user_id"] == "receiver")
    rx.finish()
    tx.finish()
    got = np.load(out)
    np.testing.assert_array_equal(got, tone(1.5))  # every sample, in order


def _can_unshare_net():
    try:
        return subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _can_unshare_net(), reason="creating a network namespace needs CAP_SYS_ADMIN (root)")
def test_audio_between_network_namespaces(tmp_path):
    # The rendezvous is in the file system, which network namespaces share:
    # a bot in its own namespace (its own loopback, no routes) joins as usual.
    out = tmp_path / "rx.npy"
    rx = Peer("xp-netns", "isolated", "--record", str(out), "--frames", "100", "--wait-peer", "host-side",
              prefix=("unshare", "--net"))
    rx.wait(lambda e: e["event"] == "ready")
    tx = Peer("xp-netns", "host-side", "--send-tone", "1", "--wait-peer", "isolated", "--stay", "2")
    rx.finish()
    tx.finish()
    np.testing.assert_array_equal(np.load(out), tone(1.0))


def test_killed_member_is_reported_dropped_within_3s():
    a = Peer("xp-kill", "survivor", "--stay", "7")
    a.wait(lambda e: e["event"] == "ready")
    b = Peer("xp-kill", "victim", "--stay", "30")
    a.wait(lambda e: e.get("event") == "user_joined" and e["user_id"] == "victim")
    t0 = time.monotonic()
    b.proc.send_signal(signal.SIGKILL)
    b.proc.wait()
    left = a.wait(lambda e: e.get("event") == "user_left" and e["user_id"] == "victim", timeout=5)
    assert left["reason"] == 1  # USER_OFFLINE_DROPPED
    assert left["t"] - t0 < 3.0
    c = Peer("xp-kill", "newcomer", "--stay", "1")  # the channel keeps working
    a.wait(lambda e: e.get("event") == "user_joined" and e["user_id"] == "newcomer")
    c.finish()
    a.finish()  # its leave also removes what the killed member left behind


def test_what_a_killed_last_member_left_is_swept_by_the_next_process():
    root = os.environ["AGORA_RTC_LOOPBACK_DIR"]
    victim = Peer("xp-stale", "alone", "--stay", "30")
    victim.wait(lambda e: e["event"] == "ready")
    victim.proc.send_signal(signal.SIGKILL)  # no leave: its socket file and channel directory stay
    victim.proc.wait()
    stale = os.listdir(root)
    assert len(stale) == 1 and os.listdir(os.path.join(root, stale[0]))
    for name in os.listdir(os.path.join(root, stale[0])):  # left a while ago (a fresh one may be mid-bind)
        os.utime(os.path.join(root, stale[0], name), (time.time() - 60, time.time() - 60))
    other = Peer("xp-elsewhere", "next", "--stay", "3")  # a process joining any channel sweeps them
    other.wait(lambda e: e["event"] == "ready")
    assert stale[0] not in os.listdir(root) and len(os.listdir(root)) == 1  # only its own channel's
    other.finish()
    assert os.listdir(root) == []


def test_rendezvous_is_private_and_cleaned_up():
    root = os.environ["AGORA_RTC_LOOPBACK_DIR"]
    assert os.listdir(root) == []  # earlier tests left nothing behind
    a = Peer("xp-private", "one", "--stay", "3")
    a.wait(lambda e: e["event"] == "ready")
    time.sleep(0.3)
    mode = stat.S_IMODE(os.stat(root).st_mode)
    assert mode == 0o700, oct(mode)
    subdirs = [os.path.join(root, d) for d in os.listdir(root)]
    assert subdirs and all(stat.S_IMODE(os.stat(d).st_mode) == 0o700 for d in subdirs)
    a.finish()
    assert os.listdir(root) == []  # the last member out removed the channel directory


def test_on_connected_means_members_elsewhere_can_hear_you():
    """An unreliable message sent from on_connected reaches the member already in the
    channel in another process (connect waits for the members elsewhere to answer)."""
    from agora_rtc import AgoraService, AgoraServiceConfig, IRTCLocalUserObserver, RTCConnConfig
    got = []

    class Inbox(IRTCLocalUserObserver):
        def on_stream_message(self, local_user, user_id, stream_id, data, length):
            got.append((user_id, data))
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1))
        conn = svc.create_rtc_connection(RTCConnConfig())
        conn.get_local_user().register_local_user_observer(Inbox())
        conn.connect("", "xp-first", "here")
        for i in range(3):  # three fresh joiners: each one's first message arrives
            peer = Peer("xp-first", f"new{i}", "--message-on-connected", f"hello {i}", "--stay", "0.3")
            peer.wait(lambda e: e["event"] == "sent_on_connected")
            peer.finish()
        deadline = time.monotonic() + 5
        while len(got) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert got == [(f"new{i}", f"hello {i}".encode()) for i in range(3)]


def test_injected_loss_shows_in_receiver_stats():
    from agora_rtc import AgoraService, AgoraServiceConfig, RTCConnConfig
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1))
        conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        conn.connect("", "xp-loss", "lossy-receiver")
        tx = Peer("xp-loss", "lossy-sender", "--send-tone", "3", "--loss", "10", "--wait-peer", "lossy-receiver",
                  "--stay", "3.5")
        tx.wait(lambda e: e["event"] == "done", timeout=30)
        received = svc.get_parameter_number("loopback.stats.remote_received")
        lost = svc.get_parameter_number("loopback.stats.remote_lost")
        tx.finish()
    assert received + lost >= 250  # ~300 frames sent
    assert 0.05 < lost / (received + lost) < 0.15, (received, lost)


def test_reliable_data_stream_across_processes_under_loss():
    channel = f"data-{os.getpid()}"
    rx = Peer(channel, "rx", "--expect-messages", "300", "--loss", "10", "--wait-peer", "tx")
    rx.wait(lambda e: e.get("event") == "ready")
    tx = Peer(channel, "tx", "--send-messages", "300", "--loss", "10", "--wait-peer", "rx", "--stay", "3")
    got = rx.wait(lambda e: e.get("event") == "messages", timeout=40)["messages"]
    assert got == [f"m{i}" for i in range(300)]  # data and ACKs both lose 10%: all arrive, in order
    rx.finish()
    tx.finish()


def test_tokens_are_checked_by_the_members_that_admit():
    from agora_rtc.token import Role, RtcTokenBuilder
    app, cert = "970CA35de60c44645bbae8a215061b33", "5CFd2fd1755d40ecb72977518be15d3b"
    channel = f"tok-{os.getpid()}"

    def token(uid, certificate=cert):
        return RtcTokenBuilder.build_token_with_user_account(app, certificate, channel, uid, Role.PUBLISHER, 3600)

    host = Peer(channel, "host", "--appid", app, "--certificate", cert, "--token", token("host"), "--stay", "6")
    host.wait(lambda e: e.get("event") == "ready")
    # A member whose own engine verifies nothing (no certificate) and whose token is forged.
    intruder = Peer(channel, "intruder", "--appid", app, "--token", token("intruder", "0" * 32), "--stay", "2")
    failure = intruder.wait(lambda e: e.get("event") == "connection_failure")
    assert failure["reason"] == 8  # CONNECTION_CHANGED_INVALID_TOKEN, sent back by the host's engine
    guest = Peer(channel, "guest", "--appid", app, "--certificate", cert, "--token", token("guest"), "--stay", "1")
    host.wait(lambda e: e.get("event") == "user_joined" and e.get("user_id") == "guest")
    guest.wait(lambda e: e.get("event") == "user_joined" and e.get("user_id") == "host")
    assert not any(e.get("user_id") == "intruder" for e in host.events)  # never admitted
    for p in (intruder, guest, host):
        p.finish()


def test_same_uid_from_another_process_takes_the_seat():
    channel = f"same-{os.getpid()}"
    first = Peer(channel, "same", "--stay", "4")
    first.wait(lambda e: e.get("event") == "ready")
    watcher = Peer(channel, "watcher", "--stay", "4")
    watcher.wait(lambda e: e.get("event") == "user_joined" and e.get("user_id") == "same")
    second = Peer(channel, "same", "--stay", "2")
    failure = first.wait(lambda e: e.get("event") == "connection_failure")
    assert failure["reason"] == 19  # CONNECTION_CHANGED_SAME_UID_LOGIN
    watcher.wait(lambda e: e.get("event") == "user_left" and e.get("user_id") == "same")
    for p in (second, watcher, first):
        p.finish()
