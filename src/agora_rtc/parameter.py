"""AgoraParameter: the official parameter object of a service or a connection.

Every setter goes through the engine's JSON parameter parser (validated:
malformed input raises AgoraError, nothing is half-applied). Numeric getters
return None when the engine has no such value, as the official ones do; the
loopback keeps no string, object or array values (those getters return None).
A connection's parameter object scopes the loopback's fault keys
(``loopback.fault.*``) and ``che.audio.extra_send_frames_per_interval_for_fake_adm``
to that connection; other keys are engine-wide.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import _core

if TYPE_CHECKING:
    from .connection import RTCConnection
    from .service import AgoraService

__all__ = ["AgoraParameter"]


class AgoraParameter:
    def __init__(self, owner: AgoraService | RTCConnection, handle_of: Callable[[], int], connection: bool) -> None:
        self._owner = owner            # the AgoraService or RTCConnection
        self._handle_of = handle_of    # () -> its live handle, or raises ValueError
        self._connection = connection

    def release(self) -> None:
        """Nothing to free: the parameter object belongs to its service or connection."""

    # -- setters ---------------------------------------------------------------
    def set_parameters(self, json_src: str) -> int:
        if not isinstance(json_src, str):
            raise TypeError(f"set_parameters() takes a JSON object as str, not {type(json_src).__name__}")
        return _core.service_set_parameters(self._handle_of(), json_src, self._connection)

    def _set(self, key: str, value: object) -> int:
        if not isinstance(key, str) or not key:
            raise TypeError(f"the key must be a non-empty str, not {key!r}")
        return self.set_parameters(json.dumps({key: value}))

    def set_int(self, key: str, value: int) -> int:
        return self._set(key, _integer(value))

    def set_uint(self, key: str, value: int) -> int:
        if _integer(value) < 0:
            raise ValueError(f"set_uint({key!r}): {value} is negative")
        return self._set(key, value)

    def set_bool(self, key: str, value: bool | int) -> int:
        return self._set(key, bool(value))

    def set_number(self, key: str, value: float) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"set_number({key!r}) takes a number, not {type(value).__name__}")
        return self._set(key, value)

    def set_string(self, key: str, value: str) -> int:
        if not isinstance(value, str):
            raise TypeError(f"set_string({key!r}) takes a str, not {type(value).__name__}")
        return self._set(key, value)

    def set_array(self, key: str, json_src: str) -> int:
        try:
            array = json.loads(json_src)
        except (TypeError, ValueError) as e:
            raise ValueError(f"set_array({key!r}): not JSON: {e}") from None
        if not isinstance(array, list):
            raise ValueError(f"set_array({key!r}) takes a JSON array, not {json_src!r}")
        return self._set(key, array)

    # -- getters (None: no such value) ------------------------------------------
    def get_number(self, key: str) -> float | None:
        handle = self._handle_of()
        try:
            return _core.service_get_number(handle, key, self._connection)
        except _core.AgoraError:
            return None

    def get_int(self, key: str) -> int | None:
        value = self.get_number(key)
        return None if value is None else int(value)

    def get_uint(self, key: str) -> int | None:
        value = self.get_number(key)
        return None if value is None else max(0, int(value))

    def get_bool(self, key: str) -> bool | None:
        value = self.get_number(key)
        return None if value is None else value != 0

    def get_string(self, key: str) -> str | None:
        self._handle_of()
        return None

    def get_object(self, key: str) -> str | None:
        self._handle_of()
        return None

    def get_array(self, key: str, json_src: str = "") -> str | None:
        self._handle_of()
        return None

    def convert_path(self, file_path: str | os.PathLike[str]) -> str:
        """Paths are used as given on this host."""
        self._handle_of()
        return str(file_path)


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int, not {type(value).__name__}")
    return value
