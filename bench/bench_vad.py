"""VAD v2 CPU per frame on the same labelled frames, decisions checked equal:
agora_rtc's native AudioVadV2 vs the official SDK's own AudioVadV2 (fetched
from PyPI and run unmodified, see agora_rtc.official) and vs a lean
pure-Python rendering of the same algorithm (tests/vad_reference.py).

    python bench/bench_vad.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from vad_reference import ReferenceVadV2  # noqa: E402

from agora_rtc import AudioVadConfigV2, AudioVadV2  # noqa: E402


class Frame:
    __slots__ = ("buffer", "rms", "voice_prob")

    def __init__(self, buffer, rms, voice_prob):
        self.buffer, self.rms, self.voice_prob = buffer, rms, voice_prob


def labelled_frames(n, seed=5):
    rnd, talking, out = random.Random(seed), False, []
    for i in range(n):
        if rnd.random() < 0.01:
            talking = not talking
        out.append(Frame(bytearray([i % 251]) * 320, rnd.randint(80, 120) if talking else rnd.randint(0, 60),
                         int(talking and rnd.random() < 0.6)))
    return out


def official_vad():
    import contextlib
    import io

    from agora_rtc import official
    sys.path.insert(0, str(official.prepare()))
    with contextlib.redirect_stdout(io.StringIO()):  # its import and constructor print
        from agora.rtc.voice_detection import AudioVadConfigV2 as OfficialConfig
        from agora.rtc.voice_detection import AudioVadV2 as OfficialVad
    return lambda: OfficialVad(OfficialConfig())


def main(n=100_000, reps=5):
    import contextlib
    import io

    frames = labelled_frames(n)
    make_official = official_vad()
    times = {"agora_rtc": [], "official": [], "lean_python": []}
    for _ in range(reps):
        config = AudioVadConfigV2()
        config.preroll_from_onset = False  # byte-identical to the official
        ours, lean = AudioVadV2(config), ReferenceVadV2()
        with contextlib.redirect_stdout(io.StringIO()):
            theirs_vad = make_official()
        t0 = time.perf_counter()
        mine = [ours.process(f)[0] for f in frames]
        times["agora_rtc"].append((time.perf_counter() - t0) / n)
        t0 = time.perf_counter()
        theirs = [theirs_vad.process(f)[0] for f in frames]
        times["official"].append((time.perf_counter() - t0) / n)
        t0 = time.perf_counter()
        leans = [lean.process(f.buffer, f.rms, f.voice_prob)[0] for f in frames]
        times["lean_python"].append((time.perf_counter() - t0) / n)
        assert mine == theirs == leans, "decisions differ"
    best = {k: min(v) for k, v in times.items()}
    print(f"VAD v2 per frame ({n} frames, {sum(s == 1 for s in mine)} utterances, same decisions):")
    for k, v in best.items():
        print(f"  {k:12s} {v * 1e6:7.3f} us  ({v / best['agora_rtc']:.1f}x ours)")


if __name__ == "__main__":
    main()
