"""Instructions the engine thread spends per delivered audio frame, direct
(the user's Python callback runs on the engine thread) vs dispatched (one
copy into the queue, no GIL). Run under callgrind by this script itself:

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

FUNCS = {"direct": "_tr_before_mixing", "dispatched": "_dtr_before_mixing"}
# direct: includes entering Python and running a trivial user callback;
# dispatched: one copy into the queue, no GIL (the callback runs elsewhere).


def main():
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "s.py")
        with open(script, "w") as f:
            f.write(SCRIPT)
        for mode, func in FUNCS.items():
            out = os.path.join(tmp, f"{mode}.out")
            run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
                                  script, mode], capture_output=True, text=True, check=True)
            frames = int(run.stdout.split()[-1])
            ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out], capture_output=True,
                                 text=True).stdout
            line = next((l for l in ann.splitlines() if l.rstrip().endswith("]") and f"_core_{func} [" in l), None)
            count = int(line.split()[0].replace(",", "")) if line else 0
            print(f"{mode:10s}: {count / frames:8.0f} instructions on the engine thread per frame "
                  f"({func}, {frames} frames)")


if __name__ == "__main__":
    main()
