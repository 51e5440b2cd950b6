"""AccessToken2 ("007…") RTC tokens, byte-compatible with Agora's token
servers: the same packing (little-endian), HMAC-SHA256 chain and zlib+base64
encoding, so tokens made here work with Agora's real library and with the
loopback engine when it is given an app certificate
(``service.set_parameters({"loopback.app_certificate": cert})``).

    token = RtcTokenBuilder.build_token_with_uid(app_id, app_certificate, "room", 1234,
                                                 Role.PUBLISHER, token_expire=3600)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
import zlib
from enum import IntEnum
from typing import TypedDict

__all__ = ["AccessToken2", "Role", "RtcTokenBuilder", "ServiceRtc", "parse_token"]

VERSION = "007"


def _u16(v: int) -> bytes:
    return struct.pack("<H", v)


def _u32(v: int) -> bytes:
    return struct.pack("<I", v)


def _string(b: bytes) -> bytes:
    return _u16(len(b)) + b


class ServiceRtc:
    """The RTC service of a token: a channel, a uid (or account) and privileges."""

    TYPE = 1
    JOIN_CHANNEL, PUBLISH_AUDIO_STREAM, PUBLISH_VIDEO_STREAM, PUBLISH_DATA_STREAM = 1, 2, 3, 4

    def __init__(self, channel_name: str = "", uid: int | str = 0) -> None:
        self.channel_name = channel_name
        # uid 0 means "any uid": the token carries an empty string then
        self.uid = "" if uid in (0, "0", "") else str(uid)
        self.privileges: dict[int, int] = {}

    def add_privilege(self, privilege: int, expire: int) -> None:
        self.privileges[privilege] = expire

    def pack(self) -> bytes:
        privileges = sorted(self.privileges.items())
        packed = _u16(len(privileges)) + b"".join(_u16(k) + _u32(v) for k, v in privileges)
        return _u16(self.TYPE) + packed + _string(self.channel_name.encode()) + _string(self.uid.encode())


class AccessToken2:
    """A token under construction; ``issue_ts`` and ``salt`` may be fixed for tests."""

    def __init__(self, app_id: str, app_certificate: str, issue_ts: int = 0, expire: int = 900,
                 salt: int | None = None) -> None:
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
        self.services: dict[int, ServiceRtc] = {}

    def add_service(self, service: ServiceRtc) -> None:
        self.services[service.TYPE] = service

    def build(self) -> str:
        if not self.services:
            raise ValueError("a token needs at least one service")
        key = hmac.new(_u32(self.issue_ts), self.app_certificate.encode(), hashlib.sha256).digest()
        key = hmac.new(_u32(self.salt), key, hashlib.sha256).digest()
        info = (_string(self.app_id.encode()) + _u32(self.issue_ts) + _u32(self.expire) + _u32(self.salt) +
                _u16(len(self.services)) + b"".join(s.pack() for s in self.services.values()))
        signature = hmac.new(key, info, hashlib.sha256).digest()
        return VERSION + base64.b64encode(zlib.compress(_string(signature) + info)).decode()


class RtcServiceFields(TypedDict):
    """parse_token's view of the RTC service."""

    channel: str
    uid: str
    privileges: dict[int, int]  # privilege -> expire


class TokenFields(TypedDict):
    """What parse_token returns."""

    app_id: str
    issue_ts: int
    expire: int
    salt: int
    services: dict[int, RtcServiceFields]  # service type -> fields


class Role(IntEnum):
    PUBLISHER = 1
    SUBSCRIBER = 2


class RtcTokenBuilder:
    """Agora's RtcTokenBuilder2 entry points (names and arguments kept)."""

    @staticmethod
    def build_token_with_uid(app_id: str, app_certificate: str, channel_name: str, uid: int | str, role: int,
                             token_expire: int, privilege_expire: int = 0) -> str:
        return RtcTokenBuilder.build_token_with_user_account(app_id, app_certificate, channel_name, uid, role,
                                                             token_expire, privilege_expire)

    @staticmethod
    def build_token_with_user_account(app_id: str, app_certificate: str, channel_name: str, account: int | str,
                                      role: int, token_expire: int, privilege_expire: int = 0) -> str:
        token = AccessToken2(app_id, app_certificate, expire=token_expire)
        service = ServiceRtc(channel_name, account)
        service.add_privilege(ServiceRtc.JOIN_CHANNEL, privilege_expire)
        if Role(role) == Role.PUBLISHER:
            for privilege in (ServiceRtc.PUBLISH_AUDIO_STREAM, ServiceRtc.PUBLISH_VIDEO_STREAM,
                              ServiceRtc.PUBLISH_DATA_STREAM):
                service.add_privilege(privilege, privilege_expire)
        token.add_service(service)
        return token.build()


def parse_token(token: str) -> TokenFields:
    """The fields of an AccessToken2 (without checking its signature):
    app_id, issue_ts, expire, salt and, for the RTC service, channel, uid and
    privileges. Raises ValueError on anything malformed."""
    if not isinstance(token, str) or not token.startswith(VERSION):
        raise ValueError("not an AccessToken2 (it must start with '007')")
    try:
        buf = zlib.decompress(base64.b64decode(token[3:], validate=True))

        def take(n: int) -> bytes:
            nonlocal buf
            if len(buf) < n:
                raise ValueError("token is truncated")
            head, buf = buf[:n], buf[n:]
            return head

        def string() -> bytes:
            return take(struct.unpack("<H", take(2))[0])

        string()  # signature
        out: TokenFields = {"app_id": string().decode(), "issue_ts": struct.unpack("<I", take(4))[0],
               "expire": struct.unpack("<I", take(4))[0], "salt": struct.unpack("<I", take(4))[0], "services": {}}
        for _ in range(struct.unpack("<H", take(2))[0]):
            kind = struct.unpack("<H", take(2))[0]
            privileges: dict[int, int] = {}
            for _ in range(struct.unpack("<H", take(2))[0]):
                k, v = struct.unpack("<HI", take(6))
                privileges[k] = v
            if kind != ServiceRtc.TYPE:
                raise ValueError(f"service type {kind} is not RTC")
            out["services"][kind] = {"channel": string().decode(), "uid": string().decode(), "privileges": privileges}
        return out
    except (zlib.error, struct.error, UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"malformed token: {e}") from None
