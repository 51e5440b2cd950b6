"""Which engine library to load: explicit path, then $AGORA_RTC_SDK, then the
bundled loopback engine. Never a silent fallback: a named library that cannot
be loaded raises ImportError naming the file or the missing symbol."""

import os
import sys
from pathlib import Path

from . import _core

ENV_VAR = "AGORA_RTC_SDK"
BUNDLED_NAME = "libagora_rtc_loopback" + (".dylib" if sys.platform == "darwin" else ".so")


def bundled_engine_path():
    return Path(__file__).with_name(BUNDLED_NAME)


def resolve_engine_path(sdk_path=None):
    if sdk_path:
        return Path(sdk_path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return bundled_engine_path()


def load_engine(sdk_path=None):
    """Load (once per process) and return the engine library's path."""
    path = resolve_engine_path(sdk_path)
    if not path.exists():
        raise ImportError(f"engine library not found: {str(path)!r}")
    return _core.load(str(path))
