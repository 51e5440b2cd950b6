"""The package is typed: ``mypy --strict`` passes on our examples, type-checked
against the agora_rtc that is importable (so against an installed wheel this
proves the wheel ships ``py.typed`` and the ``.pyi`` stubs of its compiled
modules), and, from a source checkout, on the package itself."""

import subprocess
import sys
from pathlib import Path

import pytest

import agora_rtc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SOURCE_PACKAGE = ROOT / "src" / "agora_rtc"
IMPORTED_PACKAGE = Path(agora_rtc.__file__).resolve().parent

# Without a stub, mypy types a compiled module as Any and says nothing when it is
# reached through the package (``from agora_rtc import _core``); importing it by
# its full name makes a missing stub an error.
STUBS_PROBE = '"""The compiled modules have stubs."""\n\nimport agora_rtc._core\nimport agora_rtc._vad\n'


# A few seconds with mypy's compiled wheel; minutes without it or under emulation (cold cache).
@pytest.mark.timeout(600)
def test_mypy_strict(tmp_path):
    probe = tmp_path / "stubs_probe.py"
    probe.write_text(STUBS_PROBE)
    # Our examples, not examples/official/ (Agora's untyped examples, kept as they are).
    # Given as files, mypy puts examples/ on the search path, so they find ``common``.
    targets = [str(probe), *sorted(str(p) for p in EXAMPLES.glob("*.py"))]
    # mypy reports no errors inside installed packages, so the package's own modules
    # are checked only when agora_rtc is imported from this repository's src/ (an
    # editable install); against an installed wheel the examples and the probe are the check.
    if IMPORTED_PACKAGE == SOURCE_PACKAGE:
        targets.append(str(SOURCE_PACKAGE))
    # The project's [tool.mypy] settings, run from tmp_path: its relative mypy_path
    # ("src") then names nothing, and imports resolve to the importable agora_rtc.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "mypy_cache"), *targets],
        cwd=tmp_path, capture_output=True, text=True, timeout=540)
    assert result.returncode == 0, (f"mypy --strict failed (agora_rtc from {IMPORTED_PACKAGE}):\n"
                                    f"{result.stdout}{result.stderr}")


@pytest.mark.timeout(300)
def test_stubs_match_the_compiled_modules(tmp_path):
    """stubtest imports _core and _vad and compares every name and signature with the .pyi
    stubs: a function added to the extension without its stub, or a changed signature, fails."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "agora_rtc._core", "agora_rtc._vad",
         "--allowlist", str(ROOT / "tools" / "stubtest_allowlist.txt"), "--mypy-config-file",
         str(ROOT / "pyproject.toml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, f"stubtest found differences:\n{result.stdout}{result.stderr}"
