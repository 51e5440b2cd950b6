"""Run Agora's official Python Server SDK, unmodified, on the loopback engine.

The official package (``agora-python-server-sdk``, ctypes) binds Agora's C API
by symbol name, and the loopback engine exports that API, so the official code
runs on it as is. This module prepares a copy for that, for compatibility
checks and side-by-side benchmarks:

1. the sdist is fetched from PyPI (its sha256 checked against PyPI's index) or
   taken from ``$AGORA_RTC_OFFICIAL_SDIST``; its ``setup.py`` is never run
   (it downloads Agora's binary);
2. it is unpacked into a cache folder;
3. the library files the official loader opens are made links to this
   package's engine, and ``version.txt`` holds the archive URL the official
   loader expects, so importing it downloads nothing.

    root = agora_rtc.official.prepare()
    subprocess.run([sys.executable, "bot.py"], env={**os.environ, "PYTHONPATH": str(root)})

Import the prepared package in a separate process: one engine, one initialized
service per process (ours or the official one).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

from .engine import bundled_engine_path

__all__ = ["VERSION", "prepare"]

VERSION = "2.4.10"
PACKAGE = "agora-python-server-sdk"

# File names the official loader opens (agora/__init__.py, agora/rtc/__init__.py).
_LIBRARIES = {"darwin": ("libAgoraRtcKit.dylib", "libAgoraAiNoiseSuppressionExtension.dylib"),
              "linux": ("libagora_rtc_sdk.so", "libaosl.so")}


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "agora_rtc" / "official"


def _fetch_sdist(version: str, cache: Path) -> Path:
    """The sdist's path: $AGORA_RTC_OFFICIAL_SDIST, the cache, or PyPI."""
    given = os.environ.get("AGORA_RTC_OFFICIAL_SDIST")
    if given:
        return Path(given)
    # PyPI's simple index (PEP 691 JSON): file names, URLs and sha256 digests.
    request = urllib.request.Request(f"https://pypi.org/simple/{PACKAGE}/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        index = json.load(r)
    filename = f"{PACKAGE.replace('-', '_')}-{version}.tar.gz"
    files = [f for f in index["files"] if f["filename"] == filename]
    if not files:
        raise RuntimeError(f"PyPI has no sdist {filename}")
    info = files[0]
    digest = info["hashes"]["sha256"]
    target = cache / filename
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == digest:
        return target
    with urllib.request.urlopen(info["url"], timeout=300) as r:
        data = r.read()
    if hashlib.sha256(data).hexdigest() != digest:
        raise RuntimeError(f"{filename}: sha256 does not match PyPI's index")
    cache.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def _unpack(sdist: Path, cache: Path) -> Path:
    with tarfile.open(sdist) as tar:
        top = tar.getnames()[0].split("/")[0]
        root = cache / top
        if not (root / "agora" / "__init__.py").exists():
            tar.extractall(cache, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(cache)
    return root


# Run in a child process: import the official package with its downloader
# intercepted, and print the archive URL it wanted (nothing is downloaded).
_EXPECTED_URL = r"""
import sys, urllib.request
class Wanted(Exception):
    pass
def refuse(url, *args, **kwargs):
    raise Wanted(url)
urllib.request.urlretrieve = refuse
sys.path.insert(0, sys.argv[1])
try:
    import agora
except Wanted as w:
    print(w.args[0])
"""


def prepare(version: str = VERSION, cache: str | os.PathLike[str] | None = None,
            engine: str | os.PathLike[str] | None = None) -> Path:
    """Make the official SDK importable on the loopback engine; returns the
    folder to put on ``sys.path`` (it holds the ``agora`` package)."""
    cache = Path(cache) if cache else _cache_dir()
    engine = Path(engine or bundled_engine_path()).resolve()
    root = _unpack(_fetch_sdist(version, cache), cache)
    lib_dir = root / "agora" / "agora_sdk"
    version_file = root / "agora" / "version.txt"
    names = _LIBRARIES["darwin" if sys.platform == "darwin" else "linux"]
    if not version_file.exists():
        out = subprocess.run([sys.executable, "-c", _EXPECTED_URL, str(root)], capture_output=True, text=True,
                             timeout=120)
        url = out.stdout.strip()
        if not url.startswith("http"):
            raise RuntimeError(f"could not learn the official loader's expected archive: {out.stderr[-2000:]}")
        version_file.write_text(url)
    lib_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        link = lib_dir / name
        if link.is_symlink() or link.exists():
            if link.resolve() == engine:
                continue
            link.unlink()
        link.symlink_to(engine)
    return root


if __name__ == "__main__":
    print(prepare())
