"""Which engine library to load: explicit path, then $AGORA_RTC_SDK, then the
bundled loopback engine. Never a silent fallback: a named library that cannot
be loaded raises ImportError naming the file or the missing symbol.

Agora's own library needs sibling libraries (libaosl.so, and optionally the
codec and noise-suppression extensions) that are not on the loader's search
path; they are loaded first, by full path, from the library's folder, so no
LD_LIBRARY_PATH is needed."""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

from . import _core

ENV_VAR = "AGORA_RTC_SDK"
BUNDLED_NAME = "libagora_rtc_loopback" + (".dylib" if sys.platform == "darwin" else ".so")
# Loaded before Agora's library when present next to it (as Agora's own package does).
SIBLINGS_BEFORE = ("libaosl.so", "libagora-fdkaac.so", "libagora-ffmpeg.so", "libagora-soundtouch.so")
_siblings: list[ctypes.CDLL] = []  # kept loaded for the process's lifetime


def bundled_engine_path() -> Path:
    return Path(__file__).with_name(BUNDLED_NAME)


def find_official_library() -> Path | None:
    """The native library inside an installed official package
    (``agora-python-server-sdk``: agora/agora_sdk/), or None."""
    try:
        spec = importlib.util.find_spec("agora")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("libagora_rtc_sdk.so", "libAgoraRtcKit.dylib"):
            candidate = Path(folder) / "agora_sdk" / name
            if candidate.exists():
                return candidate
    return None


def resolve_engine_path(sdk_path: str | os.PathLike[str] | None = None) -> Path:
    if sdk_path:
        return Path(sdk_path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return bundled_engine_path()


def _load_siblings(path: Path) -> None:
    for name in SIBLINGS_BEFORE:
        sibling = path.parent / name
        if sibling.exists() and sibling.resolve() != path.resolve():
            try:
                _siblings.append(ctypes.CDLL(str(sibling), mode=ctypes.RTLD_GLOBAL))
            except OSError as e:
                raise ImportError(f"cannot load {str(sibling)!r}, which {path.name} needs: {e}") from None


def load_engine(sdk_path: str | os.PathLike[str] | None = None) -> str:
    """Load (once per process) and return the engine library's path."""
    path = resolve_engine_path(sdk_path)
    if not path.exists():
        raise ImportError(f"engine library not found: {str(path)!r}")
    if path != bundled_engine_path():
        _load_siblings(path)
    return _core.load(str(path))
