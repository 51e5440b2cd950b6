"""``agora-rtc install-sdk``: fetch Agora's native SDK archive safely.

Unlike the official package's installer: TLS is verified (never disabled),
the archive's sha256 must match a known or given hash before anything is
unpacked, entries that would land outside the destination (absolute paths,
``..``, links) are refused, and the result appears atomically (unpacked next
to the destination, then renamed) -- a failure leaves nothing behind. It
prints the ``AGORA_RTC_SDK`` to use; it never changes ``LD_LIBRARY_PATH``.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import shutil
import ssl
import stat
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

__all__ = ["InstallError", "KNOWN_ARCHIVES", "install_sdk"]

# version -> (url, sha256). Empty until hashes can be taken from archives
# verified out of band; until then --url and --sha256 are required.
KNOWN_ARCHIVES: dict[str, tuple[str, str]] = {}

LIBRARY_NAMES = ("libagora_rtc_sdk.so", "libAgoraRtcKit.dylib")
_CHUNK = 1 << 16


class InstallError(RuntimeError):
    """The archive could not be installed; nothing was left behind."""


def _download(url: str, target: str | os.PathLike[str], expected_sha256: str, cafile: str | None = None,
              timeout: float = 120) -> None:
    if not url.startswith("https://"):
        raise InstallError(f"refusing {url!r}: only https:// URLs (TLS verified) are fetched")
    context = ssl.create_default_context(cafile=cafile)  # verifies certificate and host name
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, context=context, timeout=timeout) as response, open(target, "wb") as out:
            expected_length = response.headers.get("Content-Length")
            length = 0
            while chunk := response.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                length += len(chunk)
    except (OSError, ssl.SSLError, http.client.HTTPException) as e:  # URLError is an OSError
        raise InstallError(f"download of {url} failed: {e}") from None
    if expected_length is not None and int(expected_length) != length:
        raise InstallError(f"download of {url} is truncated: {length} of {expected_length} bytes")
    if digest.hexdigest() != expected_sha256.lower():
        raise InstallError(f"sha256 of {url} is {digest.hexdigest()}, expected {expected_sha256.lower()}: refused")


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's entries, refusing any that would escape the destination."""
    members = []
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts or info.filename.startswith(("/", "\\")) or ":" in name.parts[0]:
            raise InstallError(f"archive entry {info.filename!r} would land outside the destination: refused")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise InstallError(f"archive entry {info.filename!r} is a link: refused")
        members.append(info)
    return members


def install_sdk(version: str | None = None, url: str | None = None, sha256: str | None = None,
                dest: str | os.PathLike[str] | None = None, cafile: str | None = None) -> Path:
    """Download, verify and unpack; returns the path of Agora's library (the
    value for ``AGORA_RTC_SDK``). Raises InstallError; leaves nothing behind
    on failure."""
    if url is None or sha256 is None:
        known = KNOWN_ARCHIVES.get(version) if version is not None else None
        if known is None:
            raise InstallError(f"no known archive and hash for version {version!r}: give --url and --sha256 "
                               f"(the hash of an archive you obtained and checked from Agora)")
        url, sha256 = url or known[0], sha256 or known[1]
    if len(sha256) != 64 or any(c not in "0123456789abcdefABCDEF" for c in sha256):
        raise InstallError(f"--sha256 must be 64 hex digits, not {sha256!r}")
    dest = Path(dest or Path.home() / ".local" / "share" / "agora_rtc" / "sdk" / (version or "custom")).resolve()
    if dest.exists():
        raise InstallError(f"{dest} already exists: remove it or choose another --dest")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))  # same file system: rename is atomic
    try:
        archive_path = staging / "archive.zip"
        _download(url, archive_path, sha256, cafile=cafile)
        unpacked = staging / "unpacked"
        try:
            with zipfile.ZipFile(archive_path) as archive:
                for info in _safe_members(archive):
                    archive.extract(info, unpacked)
        except zipfile.BadZipFile as e:
            raise InstallError(f"{url} is not a zip archive: {e}") from None
        libraries = [p for p in unpacked.rglob("*") if p.name in LIBRARY_NAMES]
        if not libraries:
            raise InstallError(f"the archive holds no {' or '.join(LIBRARY_NAMES)}")
        os.rename(unpacked, dest)
        return dest / libraries[0].relative_to(unpacked)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main(args: argparse.Namespace) -> int:
    try:
        library = install_sdk(args.version, args.url, args.sha256, args.dest, args.cafile)
    except InstallError as e:
        print(f"install-sdk: {e}", file=sys.stderr)
        return 1
    print(f"installed; use it with:\n  export AGORA_RTC_SDK={library}")
    return 0
