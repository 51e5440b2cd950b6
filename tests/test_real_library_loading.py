"""Loading Agora's own library by path: its sibling libraries (libaosl.so...)
are found next to it without LD_LIBRARY_PATH; a missing sibling or symbol is
named in a clear ImportError. Agora's binary cannot be downloaded here, so a
stand-in with the same shape is built: libagora_rtc_sdk.so needing libaosl.so
(DT_NEEDED, not on any search path) and exporting the C API."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from agora_rtc.engine import bundled_engine_path

CHILD = textwrap.dedent("""
    import sys
    from agora_rtc import AgoraService, AgoraServiceConfig
    try:
        svc = AgoraService(sdk_path=sys.argv[1])
    except ImportError as e:
        print("ImportError:", e)
        sys.exit(3)
    svc.initialize(AgoraServiceConfig(appid="real"))
    print("loaded", svc.engine_path)
    svc.release()
""")


@pytest.fixture
def fake_sdk(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    sdk = tmp_path / "agora_sdk"
    sdk.mkdir()
    (tmp_path / "aosl.c").write_text("int aosl_marker(void) { return 42; }\n")
    (tmp_path / "shim.c").write_text("int aosl_marker(void);\nint agora_shim_uses_aosl(void) { return aosl_marker(); }\n")
    subprocess.run([cc, "-shared", "-fPIC", "-Wl,-soname,libaosl.so", "-o", str(sdk / "libaosl.so"),
                    str(tmp_path / "aosl.c")], check=True)
    # Needs libaosl.so by soname, and the C API from our engine (by full path).
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(sdk / "libagora_rtc_sdk.so"), str(tmp_path / "shim.c"),
                    "-Wl,--no-as-needed", f"-L{sdk}", "-laosl", str(bundled_engine_path())], check=True)
    return sdk


def run(path):
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    return subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF DT_NEEDED layout")
def test_siblings_are_loaded_by_path(fake_sdk):
    out = run(fake_sdk / "libagora_rtc_sdk.so")
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"loaded {fake_sdk / 'libagora_rtc_sdk.so'}" in out.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF DT_NEEDED layout")
def test_missing_sibling_and_missing_symbols_are_named(fake_sdk, tmp_path):
    (fake_sdk / "libaosl.so").unlink()
    out = run(fake_sdk / "libagora_rtc_sdk.so")
    assert out.returncode == 3 and "libaosl.so" in out.stdout  # the loader's own words, with the name
    lonely = tmp_path / "libagora_rtc_sdk_without_api.so"
    (tmp_path / "empty.c").write_text("int nothing_here(void) { return 0; }\n")
    subprocess.run([shutil.which("cc") or "gcc", "-shared", "-fPIC", "-o", str(lonely), str(tmp_path / "empty.c")],
                   check=True)
    out = run(lonely)
    assert out.returncode == 3 and "lacks symbol(s): agora_service_create" in out.stdout
