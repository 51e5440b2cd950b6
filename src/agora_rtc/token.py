"""AccessToken2 ("007…") RTC tokens, byte-compatible with Agora's token
servers: the same packing (little-endian), HMAC-SHA256 chain and zlib+base64
encoding, so tokens made here work with Agora's real library and with the
loopback engine when it is given an app certificate
(``service.set_parameters({"loopback.app_certificate": cert})``).

    token = RtcTokenBuilder.build_token_with_uid(app_id, app_certificate, "room", 1234,
                                                 Role.PUBLISHER, token_expire=3600)
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
import zlib
from enum import IntEnum

__all__ = ["AccessToken2", "Role", "RtcTokenBuilder", "ServiceRtc", "parse_token"]

VERSION = "007"


def _u16(v):
    return struct.pack("<H", v)


def _u32(v):
    return struct.pack("<I", v)


def _string(b):
    return _u16(len(b)) + b


class ServiceRtc:
    """The RTC service of a token: a channel, a uid (or account) and privileges."""

    TYPE = 1
    JOIN_CHANNEL, PUBLISH_AUDIO_STREAM, PUBLISH_VIDEO_STREAM, PUBLISH_DATA_STREAM = 1, 2, 3, 4

    def __init__(self, channel_name="", uid=0):
        self.channel_name = channel_name
        # uid 0 means "any uid": the token carries an empty string then
        self.uid = "" if uid in (0, "0", "") else str(uid)
        self.privileges = {}

    def add_privilege(self, privilege, expire):
        self.privileges[privilege] = expire

    def pack(self):
        privileges = sorted(self.privileges.items())
        packed = _u16(len(privileges)) + b"".join(_u16(k) + _u32(v) for k, v in privileges)
        return _u16(self.TYPE) + packed + _string(self.channel_name.encode()) + _string(self.uid.encode())


class AccessToken2:
    """A token under construction; ``issue_ts`` and ``salt`` may be fixed for tests."""

    def __init__(self, app_id, app_certificate, issue_ts=0, expire=900, salt=None):
        for name, value in (("app_id", app_id), ("app_certificate", app_certificate)):
            if len(value) != 32 or any(c not in "0123456789abcdefABCDEF" for c in value):
                raise ValueError(f"{name} must be 32 hex digits (as shown in Agora's console)")
        if not 0 <= expire < 2**32:
            raise ValueError(f"expire must be seconds in [0, 2**32), not {expire}")
        self.app_id = app_id
        self.app_certificate = app_certificate
        self.issue_ts = issue_ts or int(time.time())
        self.expire = expire
        self.salt = salt if salt is not None else secrets.randbelow(99999999) + 1
        self.services = {}

    def add_service(self, service):
        self.services[service.TYPE] = service

    def build(self):
        if not self.services:
            raise ValueError("a token needs at least one service")
        key = hmac.new(_u32(self.issue_ts), self.app_certificate.encode(), hashlib.sha256).digest()
        key = hmac.new(_u32(self.salt), key, hashlib.sha256).digest()
        info = (_string(self.app_id.encode()) + _u32(self.issue_ts) + _u32(self.expire) + _u32(self.salt) +
                _u16(len(self.services)) + b"".join(s.pack() for s in self.services.values()))
        signature = hmac.new(key, info, hashlib.sha256).digest()
        return VERSION + base64.b64encode(zlib.compress(_string(signature) + info)).decode()


class Role(IntEnum):
    PUBLISHER = 1
    SUBSCRIBER = 2


class RtcTokenBuilder:
    """Agora's RtcTokenBuilder2 entry points (names and arguments kept)."""

    @staticmethod
    def build_token_with_uid(app_id, app_certificate, channel_name, uid, role, token_expire, privilege_expire=0):
        return RtcTokenBuilder.build_token_with_user_account(app_id, app_certificate, channel_name, uid, role,
                                                             token_expire, privilege_expire)

    @staticmethod
    def build_token_with_user_account(app_id, app_certificate, channel_name, account, role, token_expire,
                                      privilege_expire=0):
        token = AccessToken2(app_id, app_certificate, expire=token_expire)
        service = ServiceRtc(channel_name, account)
        service.add_privilege(ServiceRtc.JOIN_CHANNEL, privilege_expire)
        if Role(role) == Role.PUBLISHER:
            for privilege in (ServiceRtc.PUBLISH_AUDIO_STREAM, ServiceRtc.PUBLISH_VIDEO_STREAM,
                              ServiceRtc.PUBLISH_DATA_STREAM):
                service.add_privilege(privilege, privilege_expire)
        token.add_service(service)
        return token.build()


def parse_token(token):
    """The fields of an AccessToken2 (without checking its signature):
    app_id, issue_ts, expire, salt and, for the RTC service, channel, uid and
    privileges. Raises ValueError on anything malformed."""
    if not isinstance(token, str) or not token.startswith(VERSION):
        raise ValueError("not an AccessToken2 (it must start with '007')")
    try:
        buf = zlib.decompress(base64.b64decode(token[3:], validate=True))

        def take(n):
            nonlocal buf
            if len(buf) < n:
                raise ValueError("token is truncated")
            head, buf = buf[:n], buf[n:]
            return head

        def string():
            return take(struct.unpack("<H", take(2))[0])

        string()  # signature
        out = {"app_id": string().decode(), "issue_ts": struct.unpack("<I", take(4))[0],
               "expire": struct.unpack("<I", take(4))[0], "salt": struct.unpack("<I", take(4))[0], "services": {}}
        for _ in range(struct.unpack("<H", take(2))[0]):
            kind = struct.unpack("<H", take(2))[0]
            privileges = {}
            for _ in range(struct.unpack("<H", take(2))[0]):
                k, v = struct.unpack("<HI", take(6))
                privileges[k] = v
            if kind != ServiceRtc.TYPE:
                raise ValueError(f"service type {kind} is not RTC")
            out["services"][kind] = {"channel": string().decode(), "uid": string().decode(), "privileges": privileges}
        return out
    except (zlib.error, struct.error, UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"malformed token: {e}") from None
