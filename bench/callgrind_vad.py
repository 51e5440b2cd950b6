"""VAD v2 instructions per frame under callgrind (repeatable on a noisy machine):
the official SDK's AudioVadV2 (pure Python, run unmodified) against agora_rtc's,
called from Python per frame and natively in the delivery path (the 2.4
``register_audio_frame_observer(observer, enable_vad=1)`` runs the C VAD on the
engine thread, no Python call per frame). Same labelled frames, same decisions.

    python bench/callgrind_vad.py [frames]

Each implementation runs twice, with 0 and with N frames processed (the frames
are built in both runs), and the difference is divided by N.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

SCRIPT = r"""
import contextlib, io, sys
sys.path.insert(0, HERE)
from bench_vad import labelled_frames, official_vad
impl, n, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
frames = labelled_frames(total)
if impl == "official":
    make = official_vad()
    with contextlib.redirect_stdout(io.StringIO()):
        vad = make()
else:
    from agora_rtc import AudioVadConfigV2, AudioVadV2
    config = AudioVadConfigV2()
    config.preroll_from_onset = False  # byte-identical to the official
    vad = AudioVadV2(config)
process = vad.process
states = [process(f)[0] for f in frames[:n]]
print(sum(s == 1 for s in states), len(states))
"""


def total_instructions(out_file):
    with open(out_file) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {out_file}")


def run(tmp, impl, n, total):
    script = os.path.join(tmp, "vad.py")
    with open(script, "w") as f:
        f.write(f"HERE = {HERE!r}\n" + SCRIPT)
    out = os.path.join(tmp, f"{impl}-{n}.out")
    proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, script,
                           impl, str(n), str(total)], capture_output=True, text=True, check=True)
    utterances, frames = map(int, proc.stdout.split()[-2:])
    return out, utterances, frames


DRIVER = r"""
#include <stdio.h>
#include "_vad.h"
/* argv: frames file, frames to process, then the seven native settings. Prints utterances and frames. */
int main(int argc, char** argv) {
  if (argc != 10) return 2;
  vad_config cfg = {atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), atoi(argv[7]), atof(argv[8]),
                    atoi(argv[9])};
  FILE* f = fopen(argv[1], "rb");
  int total, bytes, n = atoi(argv[2]);
  if (!f || fread(&total, 4, 1, f) != 1 || fread(&bytes, 4, 1, f) != 1) return 2;
  unsigned char* all = malloc((size_t)total * (size_t)(bytes + 8));
  if (!all || fread(all, (size_t)(bytes + 8), (size_t)total, f) != (size_t)total) return 2;
  vad* v = vad_new(&cfg);
  uint8_t* scratch = NULL;
  size_t cap = 0, out_len;
  const uint8_t* out;
  int starts = 0;
  for (int i = 0; i < n; i++) {
    const unsigned char* rec = all + (size_t)i * (size_t)(bytes + 8);
    int labels[2];
    memcpy(labels, rec, 8);
    starts += vad_process(v, rec + 8, (size_t)bytes, labels[0], labels[1], &out, &out_len, &scratch, &cap) == VAD_START;
  }
  printf("%d %d\n", starts, n);
  vad_free(v);
  free(scratch);
  free(all);
  return 0;
}
"""


def native_per_frame(tmp, total):
    """The C VAD alone, as the delivery path runs it: a driver built from _vad.h."""
    import struct

    from agora_rtc import AudioVadConfigV2
    sys.path.insert(0, HERE)
    from bench_vad import labelled_frames
    frames = labelled_frames(total)
    data = os.path.join(tmp, "frames.bin")
    with open(data, "wb") as f:
        f.write(struct.pack("<ii", total, len(frames[0].buffer)))
        for fr in frames:
            f.write(struct.pack("<ii", fr.rms, fr.voice_prob) + bytes(fr.buffer))
    source, driver = os.path.join(tmp, "driver.c"), os.path.join(tmp, "driver")
    with open(source, "w") as f:
        f.write(DRIVER)
    include = os.path.join(os.path.dirname(HERE), "src", "agora_rtc")
    subprocess.run(["cc", "-O2", "-std=c11", f"-I{include}", "-o", driver, source], check=True)  # -O2 as setup.py
    config = AudioVadConfigV2()
    config.preroll_from_onset = False
    settings = [str(a) for a in config._native_args()]
    counts = []
    for n in (0, total):
        out = os.path.join(tmp, f"native-{n}.out")
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", driver, data, str(n),
                               *settings], capture_output=True, text=True, check=True)
        counts.append((total_instructions(out), *map(int, proc.stdout.split())))
    return (counts[1][0] - counts[0][0]) / total, counts[1][1]


def main(total=20_000):
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for impl in ("official", "ours"):
            base, _, _ = run(tmp, impl, 0, total)
            full, utterances, frames = run(tmp, impl, total, total)
            per_frame = (total_instructions(full) - total_instructions(base)) / frames
            results[impl] = (per_frame, utterances, full)
        native, native_utterances = native_per_frame(tmp, total)
    official, ours = results["official"][0], results["ours"][0]
    assert results["official"][1] == results["ours"][1] == native_utterances, "the VADs found different utterances"
    print(f"VAD v2, instructions per 10 ms frame ({total} frames, {results['ours'][1]} utterances, same decisions):")
    print(f"  official AudioVadV2.process (pure Python):   {official:10,.0f}")
    print(f"  agora_rtc AudioVadV2.process from Python:     {ours:10,.0f}   ({official / ours:.1f}x fewer)")
    print(f"  agora_rtc in the delivery path (C, no Python): {native:10,.0f}   ({official / native:.1f}x fewer)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
