"""Joining and leaving: events, reasons, user ids, channel isolation."""

import threading

import pytest

from agora_rtc import (AgoraError, AgoraService, AgoraServiceConfig, ConnectionChangedReason, ConnectionState,
                       RTCConnConfig, UserOfflineReason)
from conftest import EventLog, join, wait_for


def test_join_and_leave_events_with_reasons(service):
    a, log_a = join(service, "lobby", "alice")
    b, log_b = join(service, "lobby", "bob")
    wait_for(lambda: log_a.of("joined") and log_b.of("joined"))
    assert log_a.of("joined") == [("joined", "bob")]
    assert log_b.of("joined") == [("joined", "alice")]  # existing members are reported to a newcomer
    assert log_a.of("connected") == [("connected", "alice", ConnectionChangedReason.JOIN_SUCCESS)]
    b.disconnect()
    wait_for(lambda: log_a.of("left") and log_b.of("disconnected"))
    assert log_a.of("left") == [("left", "bob", UserOfflineReason.QUIT)]
    assert log_b.of("disconnected") == [("disconnected", "bob", ConnectionChangedReason.LEAVE_CHANNEL)]
    assert threading.get_ident() not in log_a.threads  # delivered on an engine thread


def test_release_reports_quit_to_others(service):
    a, log_a = join(service, "lobby", "alice")
    b, _ = join(service, "lobby", "bob")
    wait_for(lambda: log_a.of("joined"))
    b.release()
    wait_for(lambda: log_a.of("left"))
    assert log_a.of("left") == [("left", "bob", UserOfflineReason.QUIT)]


def test_integer_user_ids():
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="ints", use_string_uid=0))
        a, log_a = join(svc, "numbers", 1001)  # int accepted, reported as str
        b, log_b = join(svc, "numbers", "1002")
        wait_for(lambda: log_a.of("joined") and log_b.of("joined"))
        assert log_a.of("joined") == [("joined", "1002")]
        assert log_b.of("joined") == [("joined", "1001")]
        assert a.get_conn_info().internal_uid == 1001
        c = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        with pytest.raises(AgoraError, match="ERR_INVALID_USER_ID"):
            c.connect("", "numbers", "not-a-number")
        d, log_d = join(svc, "numbers", "0")  # "0": the engine assigns a uid
        assigned = d.get_conn_info().local_user_id
        assert assigned.isdigit() and assigned != "0"
        wait_for(lambda: ("joined", assigned) in log_a.events)


def test_string_user_ids_with_unicode(service):
    a, log_a = join(service, "strings", "bot-ü-🤖")
    b, log_b = join(service, "strings", "human:42")
    wait_for(lambda: log_a.of("joined") and log_b.of("joined"))
    assert log_a.of("joined") == [("joined", "human:42")]
    assert log_b.of("joined") == [("joined", "bot-ü-🤖")]


def test_channels_are_isolated_by_name(service):
    a, log_a = join(service, "one", "alice")
    b, log_b = join(service, "two", "bob")
    c, log_c = join(service, "one", "carol")
    wait_for(lambda: log_a.of("joined"))
    assert log_a.of("joined") == [("joined", "carol")]
    assert log_b.of("joined") == []


def test_same_user_id_kicks_the_earlier_connection(service):
    a, log_a = join(service, "seat", "dup")
    b, log_b = join(service, "seat", "dup")
    wait_for(lambda: log_a.of("failure"))
    assert log_a.of("failure") == [("failure", "dup", ConnectionChangedReason.SAME_UID_LOGIN)]
    assert a.get_conn_info().state == ConnectionState.FAILED
    assert b.get_conn_info().state == ConnectionState.CONNECTED


def test_conn_info(service):
    a, _ = join(service, "info", "alice")
    info = a.get_conn_info()
    assert (info.channel_id, info.local_user_id, info.state) == ("info", "alice", ConnectionState.CONNECTED)
    a.disconnect()
    assert a.get_conn_info().state == ConnectionState.DISCONNECTED


def test_every_join_gets_a_new_session_id(service):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    assert conn.get_sid() == ""
    sids = []
    for _ in range(3):
        log = EventLog()
        conn.register_observer(log)
        conn.connect("", "sid", "alice")
        wait_for(lambda: log.of("connected"))
        sids.append(conn.get_sid())
        conn.disconnect()
        conn.unregister_observer(log)
    other, _ = join(service, "sid", "bob")
    sids.append(other.get_sid())
    assert all(len(s) == 32 and int(s, 16) >= 0 for s in sids)
    assert len(set(sids)) == 4


@pytest.mark.parametrize("name", ["", "x" * 65, "bad/slash", "tab\there", "emoji🙂"])
def test_invalid_channel_names_are_refused(service, name):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    with pytest.raises(AgoraError, match="ERR_INVALID_CHANNEL_NAME"):
        conn.connect("", name, "u1")


def test_connect_twice_and_disconnect_twice(service):
    a, _ = join(service, "twice", "alice")
    with pytest.raises(AgoraError, match="ERR_INVALID_STATE"):
        a.connect("", "twice", "alice")
    a.disconnect()
    with pytest.raises(AgoraError, match="ERR_NOT_IN_CHANNEL"):
        a.disconnect()
    a.connect("", "twice", "alice")  # a disconnected connection can join again
    assert a.get_conn_info().state == ConnectionState.CONNECTED


def test_wrong_argument_types(service):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    with pytest.raises(TypeError, match="chan_id must be str"):
        conn.connect("", 42, "u")
    with pytest.raises(TypeError, match="user_id must be str"):
        conn.connect("", "c", 1.5)
    with pytest.raises(ValueError, match="NUL"):
        conn.connect("", "c", "a\0b")
    with pytest.raises(TypeError, match="RTCConnConfig"):
        service.create_rtc_connection({"auto_subscribe_audio": 1})
