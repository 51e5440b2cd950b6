"""Speech-like test audio without any data file: a glottal pulse train with a
wandering pitch, shaped by vowel formants and a syllable-rate envelope, with
pauses between phrases. Deterministic for a given seed."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Formant frequencies (Hz) of a few vowels: a, e, i, o, u.
_VOWELS = ((730, 1090, 2440), (530, 1840, 2480), (270, 2290, 3010), (570, 840, 2410), (300, 870, 2240))


def _resonator(x: npt.NDArray[np.float64], freq: float, bandwidth: float, rate: int) -> npt.NDArray[np.float64]:
    """Second-order IIR resonance (a formant)."""
    r = np.exp(-np.pi * bandwidth / rate)
    a1, a2 = -2 * r * np.cos(2 * np.pi * freq / rate), r * r
    y = np.zeros_like(x)
    y1 = y2 = 0.0
    gain = 1 - r
    for i, v in enumerate(x):
        y0 = gain * v - a1 * y1 - a2 * y2
        y[i] = y0
        y2, y1 = y1, y0
    return y


def speechlike(seconds: float, rate: int = 16000, seed: int = 1) -> npt.NDArray[np.int16]:
    """int16 mono samples: ~4 syllables/s, phrases of ~1.5 s, pauses ~0.4 s."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    pitch = 150 + 50 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6)) + 20 * np.sin(2 * np.pi * 3.1 * t)
    phase = np.cumsum(pitch / rate)
    pulses = np.diff(np.floor(phase), prepend=0.0)  # one impulse per glottal period
    source = np.convolve(pulses, np.hanning(int(rate * 0.002)), mode="same") + rng.normal(0, 0.02, n)
    out = np.zeros(n)
    syllable = int(rate * 0.25)
    for start in range(0, n, syllable):
        seg = slice(start, min(start + syllable, n))
        f1, f2, f3 = _VOWELS[rng.integers(len(_VOWELS))]
        x = source[seg]
        out[seg] = _resonator(x, f1, 90, rate) + 0.6 * _resonator(x, f2, 110, rate) + 0.3 * _resonator(x, f3, 150, rate)
    envelope = np.clip(np.sin(np.pi * (t * 4 % 1)), 0, None) ** 0.6  # syllables
    phrase = ((t % 1.9) < 1.5).astype(float)  # pauses between phrases
    out *= envelope * phrase
    out /= max(np.max(np.abs(out)), 1e-9)
    return (out * 12000).astype(np.int16)
