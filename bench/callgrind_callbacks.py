"""Instructions the engine thread spends per delivered audio frame (16 kHz
mono, 10 ms), from the engine's call into the SDK's observer slot to its
return: Agora's official Python SDK (run unmodified on our engine: its
ctypes callback, the same trivial user method) vs ours direct (the user's
Python callback runs on the engine thread) vs ours dispatched (one copy into
the queue, no GIL). Run under callgrind by this script itself:

    python bench/callgrind_callbacks.py
"""

import os
import subprocess
import sys
import tempfile

SCRIPT = r"""
import sys, time, numpy as np
from agora_rtc import AgoraService, AgoraServiceConfig, IAudioFrameObserver, RTCConnConfig
mode = sys.argv[1]
svc = AgoraService(); svc.initialize(AgoraServiceConfig(appid="cg", use_string_uid=1))
svc.set_parameters({"loopback.clock_speed": 50})
class Obs(IAudioFrameObserver):
    n = 0
    def on_playback_audio_frame_before_mixing(self, u, c, uid, frame):
        Obs.n += 1
rx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1)); rx.connect("", "cg", "rx")
rx.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
rx.get_local_user().register_audio_frame_observer(Obs(), dispatcher=svc.dispatcher if mode == "dispatched" else None)
tx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1)); tx.connect("", "cg", "tx")
f = svc.create_media_node_factory(); s = f.create_audio_pcm_data_sender(); t = svc.create_custom_audio_track_pcm(s)
tx.get_local_user().publish_audio(t)
for _ in range(5):
    s.send(np.zeros(16000, np.int16), 16000, 16000)
while Obs.n < 500:
    time.sleep(0.05)
svc.release()
print(Obs.n)
"""

# The official SDK's 2.4 API, the same flow. Its uids must be numeric (it parses them).
OFFICIAL_SCRIPT = r"""
import json, time
from agora.rtc.agora_base import RtcConnectionPublishConfig, RTCConnConfig
from agora.rtc.agora_service import AgoraService, AgoraServiceConfig
from agora.rtc.audio_frame_observer import IAudioFrameObserver
svc = AgoraService(); config = AgoraServiceConfig(); config.appid = "cg"; svc.initialize(config)
svc.get_agora_parameter().set_parameters(json.dumps({"loopback.clock_speed": 50}))
class Obs(IAudioFrameObserver):
    n = 0
    def on_playback_audio_frame_before_mixing(self, *args):
        Obs.n += 1
        return 1
rx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(is_publish_audio=False))
rx.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
rx.register_audio_frame_observer(Obs(), 0, None)
rx.connect("", "cg", "1")
tx = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=0), RtcConnectionPublishConfig())
tx.connect("", "cg", "2"); tx.publish_audio()
pcm = bytearray(32000)
for _ in range(5):
    tx.push_audio_pcm_data(pcm, 16000, 1)
while Obs.n < 500:
    time.sleep(0.05)
print(Obs.n)
"""

# mode -> (program, the function whose inclusive count is the delivery, "ours" or "official")
FUNCS = {
    # ctypes' closure_fcn: takes the GIL, converts the arguments, calls the Python method (libffi's own
    # trampoline before it, ~500 instructions, is left out: in the official's favour).
    "official": (OFFICIAL_SCRIPT, "callbacks.c:closure_fcn [", "official"),
    # direct: includes taking the GIL, entering Python and running a trivial user callback;
    "direct": (SCRIPT, "_core__tr_before_mixing [", "ours"),
    # dispatched: one copy into the queue, no GIL (the callback runs elsewhere).
    "dispatched": (SCRIPT, "_core__dtr_before_mixing [", "ours"),
}


def measure(show=lambda line: None):
    """Instructions per delivered frame: {"official": ..., "direct": ..., "dispatched": ...}."""
    from agora_rtc import official
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode, (program, func, sdk) in FUNCS.items():
            script = os.path.join(tmp, f"{mode}.py")
            with open(script, "w") as f:
                f.write(program)
            env = dict(os.environ, PYTHONHASHSEED="0")
            if sdk == "official":
                env["PYTHONPATH"] = str(official.prepare())
            out = os.path.join(tmp, f"{mode}.out")
            run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
                                  script, mode], capture_output=True, text=True, check=True, env=env, timeout=900)
            frames = int(run.stdout.split()[-1])
            ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out], capture_output=True,
                                 text=True).stdout
            line = next((l for l in ann.splitlines() if l.rstrip().endswith("]") and func in l), None)
            if line is None:
                raise RuntimeError(f"{mode}: {func} not found in the callgrind output")
            counts[mode] = int(line.split()[0].replace(",", "")) / frames
            # dispatched runs the user's callback on another thread, not counted here: no ratio
            ratio = f"  ({counts['official'] / counts[mode]:.1f}x fewer)" if mode == "direct" else ""
            show(f"{mode:10s}: {counts[mode]:8.0f} instructions on the engine thread per frame "
                 f"({func.split(':')[-1].strip(' [')}, {frames} frames){ratio}")
    return counts


def main():
    measure(print)


if __name__ == "__main__":
    main()
