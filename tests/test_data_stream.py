"""Data streams: reliable+ordered really is under injected loss, unreliable
really drops (and reports it), limits give clear errors, binary data intact."""

import time

import pytest

from agora_rtc import AgoraError, IRTCConnectionObserver, IRTCLocalUserObserver
from conftest import join, wait_for


class Inbox(IRTCLocalUserObserver, IRTCConnectionObserver):
    def __init__(self):
        self.messages = []
        self.errors = []

    def on_stream_message(self, local_user, user_id, stream_id, data, length):
        assert len(data) == length
        self.messages.append((user_id, stream_id, data))

    def on_stream_message_error(self, conn, user_id, stream_id, code, missed, cached):
        self.errors.append((user_id, stream_id, code, missed))


def member(service, channel, uid, dispatched=False):
    conn, _ = join(service, channel, uid)
    inbox = Inbox()
    conn.get_local_user().register_local_user_observer(inbox)
    conn.register_observer(inbox)
    if dispatched:
        conn.set_event_dispatcher(service.dispatcher)
    return conn, inbox


@pytest.mark.parametrize("dispatched", [False, True])
def test_binary_messages_reach_every_other_member(service, dispatched):
    a, _ = member(service, f"ds{dispatched}", "a")
    b, inbox_b = member(service, f"ds{dispatched}", "b", dispatched)
    c, inbox_c = member(service, f"ds{dispatched}", "c")
    stream = a.create_data_stream(reliable=True, ordered=True)
    payload = bytes(range(256)) * 4  # 1 KB with NUL bytes: the official SDK cuts at the first zero
    a.send_stream_message(stream, payload)
    a.send_stream_message(stream, "héllo")
    for inbox in (inbox_b, inbox_c):
        wait_for(lambda: len(inbox.messages) == 2, what="both messages")
        assert inbox.messages == [("a", stream, payload), ("a", stream, "héllo".encode())]


def test_reliable_ordered_delivers_everything_in_order_under_loss(service):
    service.set_parameters({"loopback.fault.loss_percent": 10})
    a, _ = member(service, "reliable", "a")
    b, inbox = member(service, "reliable", "b")
    stream = a.create_data_stream(reliable=True, ordered=True)
    sent = [f"message {i}".encode() for i in range(300)]
    for i, m in enumerate(sent):
        while True:
            try:
                a.send_stream_message(stream, m)
                break
            except AgoraError as e:  # 30 KB/s or a full window: the caller paces itself
                assert e.code == 12, e  # ERR_TOO_OFTEN
                time.sleep(0.005)
    wait_for(lambda: len(inbox.messages) == len(sent), timeout=30, what="all 300 messages")
    assert [m for _, _, m in inbox.messages] == sent  # everything, once, in order
    assert inbox.errors == []


def test_reliable_unordered_delivers_everything_exactly_once(service):
    service.set_parameters({"loopback.fault.loss_percent": 20})
    a, _ = member(service, "unordered", "a")
    b, inbox = member(service, "unordered", "b")
    stream = a.create_data_stream(reliable=True, ordered=False)
    sent = [bytes([i]) * 10 for i in range(100)]
    for m in sent:
        a.send_stream_message(stream, m)
    wait_for(lambda: len(inbox.messages) == len(sent), timeout=30, what="all 100 messages")
    got = [m for _, _, m in inbox.messages]
    assert sorted(got) == sorted(sent) and len(set(got)) == len(sent)


def test_unreliable_drops_under_loss_and_reports_the_gaps(service):
    service.set_parameters({"loopback.fault.loss_percent": 20})
    a, _ = member(service, "unreliable", "a")
    b, inbox = member(service, "unreliable", "b")
    stream = a.create_data_stream(reliable=False, ordered=False)
    for i in range(200):
        a.send_stream_message(stream, i.to_bytes(2, "big"))
    a.send_stream_message(stream, b"end")
    service.set_parameters({"loopback.fault.loss_percent": 0})
    a.send_stream_message(stream, b"last")  # no loss: it arrives and closes any trailing gap
    wait_for(lambda: inbox.messages and inbox.messages[-1][2] == b"last", what="the last message")
    got = [int.from_bytes(m, "big") for _, _, m in inbox.messages if len(m) == 2]
    assert 120 < len(got) < 200  # about 20% lost
    assert got == sorted(got)
    missed = sum(e[3] for e in inbox.errors)
    delivered = len(inbox.messages)
    assert missed + delivered == 202  # every message is either delivered or counted missing
    assert all(e[0] == "a" and e[1] == stream and e[2] == 117 for e in inbox.errors)


def test_limits_and_bad_use(service):
    # Real time: the 30 KB/s budget refills with engine time, which the 20x test clock would hand out
    # 20 times faster while a loaded machine is slow to run this loop.
    service.set_parameters({"loopback.clock_speed": 1})
    a, _ = member(service, "limits", "a")
    member(service, "limits", "b")
    streams = [a.create_data_stream() for _ in range(5)]
    assert streams == [1, 2, 3, 4, 5]
    with pytest.raises(AgoraError, match="ERR_TOO_MANY_DATA_STREAMS"):
        a.create_data_stream()
    with pytest.raises(AgoraError, match="ERR_SIZE_TOO_LARGE"):
        a.send_stream_message(1, b"x" * 1025)
    with pytest.raises(AgoraError, match="ERR_INVALID_ARGUMENT"):
        a.send_stream_message(9, b"x")
    with pytest.raises(AgoraError, match="ERR_INVALID_ARGUMENT"):
        a.send_stream_message(1, b"")
    with pytest.raises(TypeError):
        a.send_stream_message(1, 3.5)
    sent = 0
    with pytest.raises(AgoraError, match="ERR_TOO_OFTEN"):  # 30 KB/s per stream
        for _ in range(40):
            a.send_stream_message(2, b"y" * 1024)
            sent += 1
    assert 29 <= sent <= 31
    a.disconnect()
    with pytest.raises(AgoraError, match="ERR_NOT_IN_CHANNEL"):
        a.send_stream_message(1, b"x")


def test_default_stream_of_the_24_api(service):
    a, _ = member(service, "default", "a")
    b, inbox = member(service, "default", "b")
    a.send_stream_message("transcript: hello")  # 2.4 form: one argument
    wait_for(lambda: inbox.messages, what="the message")
    assert inbox.messages[0][2] == b"transcript: hello"
