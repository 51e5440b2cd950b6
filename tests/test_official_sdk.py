"""The ABI contract: Agora's official Python SDK (fetched from PyPI, unmodified,
its setup.py never run) imports and runs its audio path on the loopback engine.

The official package binds every C function it knows at import; a missing
symbol, a wrong struct layout or observer slot order shows up here as an
import error, a crash of the child process, or wrong samples."""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from agora_rtc import official
from agora_rtc.engine import bundled_engine_path

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def official_root():
    return official.prepare()


def run_official(root, script, *args, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, str(HERE / "official" / script), *args], capture_output=True, text=True,
                         env=env, timeout=timeout)
    assert out.returncode == 0, f"official SDK run failed ({out.returncode}):\n{out.stderr[-4000:]}"
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_engine_exports_every_symbol_the_official_sdk_binds(official_root):
    bound = set()
    for path in (official_root / "agora" / "rtc").rglob("*.py"):
        for line in path.read_text(errors="replace").splitlines():
            if not line.lstrip().startswith("#"):  # some bindings are commented out
                bound |= set(re.findall(r"agora_lib\.(agora_\w+)", line))
    assert len(bound) >= 130  # 136 in 2.4.10
    out = subprocess.run(["nm", "-D", "--defined-only", str(bundled_engine_path())], capture_output=True, text=True)
    if out.returncode != 0:  # macOS nm: no -D
        out = subprocess.run(["nm", "-gU", str(bundled_engine_path())], capture_output=True, text=True)
    exported = {name.lstrip("_") for name in re.findall(r"\b_?(agora_\w+)", out.stdout)}
    assert sorted(bound - exported) == []


def test_official_sdk_audio_roundtrip_is_byte_exact(official_root):
    result = run_official(official_root, "audio_roundtrip.py", f"official-{uuid.uuid4().hex[:8]}")
    assert result["initialize"] == 0
    assert result["publish_audio"] == 0 and result["push_audio_pcm_data"] == 0
    events = result["events"]
    assert ["sub", "connected", "2001", 1] in events and ["pub", "connected", "1001", 1] in events
    assert ["sub", "user_joined", "1001"] in events and ["pub", "user_joined", "2001"] in events
    assert ["sub", "user_left", "1001", 0] in events  # USER_OFFLINE_QUIT after the publisher's disconnect
    sent, received = bytes.fromhex(result["sent"]), bytes.fromhex(result["received"])
    assert len(sent) == 32000
    assert received[:len(sent)] == sent  # every sample, in order, unchanged
    assert re.fullmatch(r"[0-9a-f]{32}", result["sid"])


def test_official_sdk_video_raw_and_encoded_roundtrip(official_root):
    result = run_official(official_root, "video_roundtrip.py", f"official-video-{uuid.uuid4().hex[:8]}")
    assert result["initialize"] == 0 and result["publish_yuv"] == 0 and result["publish_encoded"] == 0
    assert result["push_video_frame"] == [0, 0, 0]
    assert result["push_video_encoded_data"] == [1, 1, 1]  # the C API's bool, as the official SDK expects
    raw, encoded = result["raw"], result["encoded"]
    assert [f["y"] + f["u"] + f["v"] for f in raw] == result["sent_frames"]  # I420 pixels exact, in order
    assert [(f["uid"], f["w"], f["h"], f["ts"]) for f in raw] == [("1001", 32, 16, 100 + k) for k in range(3)]
    assert [bytes.fromhex(f["metadata"]) for f in raw] == [b"\x00meta" + bytes([k]) for k in range(3)]
    assert [e["data"] for e in encoded] == result["sent_units"]  # access units byte-exact, in order
    assert [(e["uid"], e["frame_type"], e["w"]) for e in encoded] == [(1002, 3, 640), (1002, 4, 640),
                                                                     (1002, 4, 640)]


def test_official_sdk_encoded_audio_meta_data_and_encryption(official_root):
    """Its EncodedAudioFrameInfo, EncryptionConfig, meta data and encryption-error slots line up with ours."""
    import av
    import numpy as np
    result = run_official(official_root, "encoded_audio_roundtrip.py", f"official-{uuid.uuid4().hex[:8]}")
    assert result["enable_encryption"] == 0 and result["publish_audio"] == 0
    assert set(result["pushed"]) == {0} and len(result["pushed"]) == 50
    assert result["send_audio_meta_data"] == [0] * 20
    payload = bytes.fromhex(result["payload"])
    dec = av.CodecContext.create("pcm_mulaw", "r")
    dec.sample_rate, dec.layout = 8000, "mono"
    reference = np.concatenate([f.to_ndarray().reshape(-1) for f in dec.decode(av.Packet(payload))]).astype("<i2")
    assert bytes.fromhex(result["same"])[:len(payload) * 2] == reference.tobytes()  # G.711 heard as PCM, exactly
    assert result["meta"]["same"] == [["1001", f"caption {i}"] for i in range(20)]
    assert result["other"] == "" and result["meta"]["other"] == []
    # Its observer struct names on_encryption_error twice: ctypes binds the callback to a 31st slot that no
    # engine reads and leaves the real slot (29) NULL, so official users never hear it (ours do: test_encryption).
    assert result["encryption_errors"] == {"same": [], "other": []}


def test_official_external_audio_processor_runs_on_the_engine(official_root):
    """The official ExternalAudioProcessor (audio filter properties, an audio sink and its
    audio_pcm_frame layout) on the loopback: its sink hears the pushed PCM unchanged, labelled."""
    result = run_official(official_root, "external_audio_processor.py")
    assert result["initialize"] == 0 and result["processor_initialize"] == 0 and result["push"] == 0
    frames = result["frames"]
    assert len(frames) == 100  # 1 s in 10 ms frames, no more, no less
    assert {(f["rate"], f["channels"], f["samples"]) for f in frames} == {(16000, 1, 160)}
    assert "".join(f["pcm"] for f in frames) == result["sent"]
    assert all(f["rms"] > 0 for f in frames)
