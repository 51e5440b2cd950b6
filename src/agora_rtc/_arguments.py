"""Checks of arguments the façades compare or compute with before the binding sees them."""

from __future__ import annotations

import operator


def need_int(value: object, name: str) -> int:
    """*value* as an int (int, bool, IntEnum, numpy integers: anything with ``__index__``), or a TypeError
    naming the argument: compared first, "50" or 48000.0 would fail later, or pass, without saying why."""
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{name} must be an int, not {value!r}") from None
