"""AccessToken2: bit-exact building, and verification by the engine when it is
given an app certificate (wrong certificate, channel, uid, app id, expired;
will-expire / did-expire on the token clock; renew_token)."""

import time

import pytest

from agora_rtc import AgoraError, AgoraService, AgoraServiceConfig, RTCConnConfig
from agora_rtc.token import AccessToken2, Role, RtcTokenBuilder, ServiceRtc, parse_token

from conftest import FAST_CLOCK, EventLog, wait_for

APP_ID = "970CA35de60c44645bbae8a215061b33"
CERT = "5CFd2fd1755d40ecb72977518be15d3b"
OTHER_CERT = "0123456789abcdef0123456789abcdef"


def test_token_matches_agora_reference_vectors():
    # Inputs and expected strings from Agora's AccessToken2 reference tests (AgoraIO/Tools).
    channel, issue_ts, salt = "7d72365eb983485397e3e3f9d460bdda", 1111111, 1
    for uid, expected_head, expected_tail in ((2882341273, "007eJxTYBBbsMMnKq7p9Hf", "CaiTj"),
                                              (0, "007eJxTYLhzZP08", "ADacImo=")):
        token = AccessToken2(APP_ID, CERT, issue_ts=issue_ts, expire=600, salt=salt)
        service = ServiceRtc(channel, uid)
        service.add_privilege(ServiceRtc.JOIN_CHANNEL, 600)
        token.add_service(service)
        built = token.build()
        assert built.startswith(expected_head) and built.endswith(expected_tail)
        fields = parse_token(built)
        assert fields["app_id"] == APP_ID and fields["issue_ts"] == issue_ts and fields["salt"] == salt
        assert fields["services"][1]["uid"] == ("" if uid == 0 else str(uid))


def test_builder_privileges_by_role():
    pub = parse_token(RtcTokenBuilder.build_token_with_uid(APP_ID, CERT, "room", 42, Role.PUBLISHER, 3600, 600))
    sub = parse_token(RtcTokenBuilder.build_token_with_user_account(APP_ID, CERT, "room", "bob", Role.SUBSCRIBER,
                                                                    3600))
    assert pub["services"][1]["privileges"] == {1: 600, 2: 600, 3: 600, 4: 600}
    assert sub["services"][1] == {"channel": "room", "uid": "bob", "privileges": {1: 0}}


@pytest.mark.parametrize("bad", ["", "006abc", "007!!!notbase64", "007" + "A" * 40])
def test_parse_token_rejects_malformed(bad):
    with pytest.raises(ValueError):
        parse_token(bad)


def test_builder_rejects_bad_credentials():
    with pytest.raises(ValueError, match="32 hex digits"):
        AccessToken2("short", CERT)


@pytest.fixture
def secured():
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid=APP_ID, use_string_uid=1))
    svc.set_parameters({"loopback.clock_speed": FAST_CLOCK, "loopback.app_certificate": CERT})
    yield svc
    svc.release()


def connect(svc, token, channel, uid):
    conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    log = EventLog()
    conn.register_observer(log)
    assert conn.connect(token, channel, uid) == 0
    wait_for(lambda: log.of("connected") or log.of("failure"), what=f"{uid} connected or failed")
    return conn, log


def build(channel="room", uid="7", cert=CERT, app_id=APP_ID, expire=3600):
    return RtcTokenBuilder.build_token_with_user_account(app_id, cert, channel, uid, Role.PUBLISHER, expire)


def test_valid_tokens_admit_and_uid_zero_token_admits_any_uid(secured):
    conn, log = connect(secured, build(), "room", "7")
    assert log.of("connected") and not log.of("failure")
    conn2, log2 = connect(secured, build(uid="0"), "room", "8")
    assert log2.of("connected")
    wait_for(lambda: ("joined", "7") in log2.events, what="the first member seen")
    conn.release()
    conn2.release()


INVALID_TOKEN, TOKEN_EXPIRED = 8, 9


@pytest.mark.parametrize("token, why", [
    (lambda: build(cert=OTHER_CERT), "wrong certificate"),
    (lambda: build(channel="other"), "wrong channel"),
    (lambda: build(uid="8"), "wrong uid"),
    (lambda: build(app_id="00000000000000000000000000000000"), "wrong app id"),
    (lambda: "", "no token"),
    (lambda: "007garbage", "malformed"),
    (lambda: build()[:-6], "truncated"),
])
def test_wrong_tokens_fail_with_invalid_token(secured, token, why):
    conn, log = connect(secured, token(), "room", "7")
    assert log.of("failure") == [("failure", "7", INVALID_TOKEN)], why
    assert not log.of("connected")
    assert conn.get_conn_info().state == 5  # CONNECTION_STATE_FAILED
    conn.release()


def test_expired_token_fails_with_token_expired(secured):
    expired = AccessToken2(APP_ID, CERT, issue_ts=int(time.time()) - 100, expire=60)
    service = ServiceRtc("room", "7")
    service.add_privilege(ServiceRtc.JOIN_CHANNEL, 0)
    expired.add_service(service)
    conn, log = connect(secured, expired.build(), "room", "7")
    assert log.of("failure") == [("failure", "7", TOKEN_EXPIRED)]
    conn.release()


def test_join_privilege_expiry_is_honoured(secured):
    token = RtcTokenBuilder.build_token_with_user_account(APP_ID, CERT, "room", "7", Role.PUBLISHER, 3600, 40)
    conn, log = connect(secured, token, "room", "7")
    assert log.of("connected")
    secured.set_parameters({"loopback.time_offset_s": 41})  # the join privilege ran out; the token did not
    wait_for(lambda: log.of("failure"), what="join privilege expiry")
    assert log.of("failure") == [("failure", "7", TOKEN_EXPIRED)]
    conn.release()


class TokenLog(EventLog):
    def on_token_privilege_will_expire(self, conn, token):
        self._add("will_expire", token)

    def on_token_privilege_did_expire(self, conn):
        self._add("did_expire")


def test_expiry_events_on_the_token_clock_and_renew(secured):
    token = build(expire=100)
    conn = secured.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    log = TokenLog()
    conn.register_observer(log)
    watcher = secured.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    watch = EventLog()
    watcher.register_observer(watch)
    conn.connect(token, "room", "7")
    watcher.connect(build(uid="9"), "room", "9")
    wait_for(lambda: log.of("connected") and ("joined", "7") in watch.events, what="both joined")

    secured.set_parameters({"loopback.time_offset_s": 60})  # 40 s left: no warning yet
    time.sleep(0.3)
    assert not log.of("will_expire")
    secured.set_parameters({"loopback.time_offset_s": 71})  # 29 s left
    wait_for(lambda: log.of("will_expire"), what="will-expire")
    assert log.of("will_expire") == [("will_expire", token)]

    with pytest.raises(AgoraError, match="110|INVALID_TOKEN"):
        conn.renew_token(build(uid="8"))  # someone else's token is refused, the old one stays
    conn.renew_token(build(expire=3600))
    secured.set_parameters({"loopback.time_offset_s": 150})  # the first token would be dead by now
    time.sleep(0.3)
    assert not log.of("did_expire") and not log.of("failure")

    secured.set_parameters({"loopback.time_offset_s": 3700})
    wait_for(lambda: log.of("failure"), what="expiry")
    kinds = [e[0] for e in log.events]
    assert kinds.index("did_expire") < kinds.index("failure")
    assert log.of("failure") == [("failure", "7", TOKEN_EXPIRED)]
    wait_for(lambda: ("left", "7", 1) in watch.events, what="the expired member dropped")
    with pytest.raises(AgoraError):
        conn.renew_token(build())  # not in the channel any more
    conn.release()
    watcher.release()


def test_certificate_parameter_is_validated_and_never_readable(secured):
    with pytest.raises(AgoraError) as err:
        secured.set_parameters({"loopback.app_certificate": "not-hex-" + CERT})
    assert CERT not in str(err.value)
    assert secured.get_parameter_number("loopback.token_verification") == 1
    secured.set_parameters({"loopback.app_certificate": ""})
    assert secured.get_parameter_number("loopback.token_verification") == 0
    conn, log = connect(secured, "anything", "room", "7")  # verification off: any token joins
    assert log.of("connected")
    conn.release()
