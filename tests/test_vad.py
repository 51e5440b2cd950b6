"""Audio labels and VAD v2 on real speech (espeak-ng), through the engine."""

import os
import random
import shutil
import subprocess

import numpy as np
import pytest
import soxr

from agora_rtc import AudioVadConfigV2, AudioVadV2, VadDump
from conftest import Publisher, join, wait_for
from vad_reference import ReferenceVadV2

RATE = 16000
FRAME = RATE // 100
SENTENCES = [
    "Hello there, how can I help you today?", "I would like to book a table for two.",
    "What is the weather like in Paris tomorrow?", "Please call me back after five.",
    "Seven hundred and twenty three.", "Can you repeat that one more time?",
    "Thanks, that is all I needed.", "Where is the nearest train station?",
    "Turn the lights off in the kitchen.", "My order number is four four two nine.",
    "Sure, go ahead.", "No, I said Tuesday, not Thursday.",
    "How long does the delivery take?", "Set a timer for ten minutes.",
    "Play something relaxing.", "Is the shop open on Sunday morning?",
    "Yes.", "Send the report to Anna and Lucas.",
    "Could you spell your last name please?", "Goodbye, and have a nice evening.",
]
VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb+m3"]


def say(text, voice):
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is needed for the real-speech VAD tests (apt-get install espeak-ng)")
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}  # no sanitizer runtime in espeak-ng
    raw = subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "--stdout", text], capture_output=True,
                         check=True, env=env).stdout
    rate = int.from_bytes(raw[24:28], "little")
    x = np.frombuffer(raw[44:], np.int16).astype(np.float32)
    return soxr.resample(x, rate, RATE).astype(np.int16)


def block_db(x):
    blocks = x[: len(x) // FRAME * FRAME].reshape(-1, FRAME).astype(np.float64)
    return 10 * np.log10((blocks ** 2).mean(1) / 32768.0 ** 2 + 1e-13)


@pytest.fixture(scope="module")
def conversation():
    """20 utterances with 1.5-2 s of silence between them, white noise at -70 dBFS
    under everything, and the true speech boundaries (ms): first/last 10 ms of
    the clean utterance above -60 dBFS (10 dB over the noise).

    Not -60 dBFS: the official algorithm's adaptive threshold (0.67 x the last
    utterance's mean rms label, e.g. 0.67 x 100 = 67 = -60 dBFS) then sits at
    the noise level and the VAD never stops; ours makes the same decisions."""
    rng = np.random.default_rng(7)
    pieces, truth, pos = [np.zeros(RATE, np.int16)], [], RATE
    for i, text in enumerate(SENTENCES):
        speech = say(text, VOICES[i % len(VOICES)])
        speech = speech[: len(speech) // FRAME * FRAME]
        loud = np.nonzero(block_db(speech) > -60)[0]
        truth.append(((pos // FRAME + loud[0]) * 10, (pos // FRAME + loud[-1] + 1) * 10))
        gap = np.zeros(int(RATE * rng.uniform(1.5, 2.0)) // FRAME * FRAME, np.int16)
        pieces += [speech, gap]
        pos += len(speech) + len(gap)
    clean = np.concatenate(pieces)
    noisy = clean + rng.normal(0, 32768 * 10 ** (-70 / 20), len(clean))
    return np.clip(noisy, -32768, 32767).astype(np.int16), truth


def through_engine(service, signal, channel):
    """Frames as a subscriber receives them, labels included."""
    service.set_parameters({"che.audio.label.enable": True})
    conn, _ = join(service, channel, "listener")
    user = conn.get_local_user()
    user.set_playback_audio_frame_before_mixing_parameters(1, RATE)
    frames = []

    class Keep:
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            frames.append(frame.detach())

    user.register_audio_frame_observer(Keep())
    pub = Publisher(service, channel, "talker")
    pub.track.set_max_buffer_audio_frame_number(len(signal) // FRAME + 10)
    for at in range(0, len(signal), 5 * RATE):  # a send carries at most 10 s
        pub.send(signal[at: at + 5 * RATE], RATE)
    wait_for(lambda: len(frames) >= len(signal) // FRAME, timeout=60, what="the whole signal")
    conn.release()
    pub.conn.release()
    return frames[: len(signal) // FRAME]


def run_vad(vad, frames):
    """(start_ms, stop_ms) per utterance, and the bytes of each utterance."""
    utterances, current = [], None
    for frame in frames:
        state, data = vad.process(frame)
        if state == AudioVadV2.START_SPEAKING:
            current = [vad.last_start_ms, None, bytearray(data), vad.frames_processed - len(data) // (2 * FRAME)]
        elif state in (AudioVadV2.SPEAKING, AudioVadV2.STOP_SPEAKING):
            current[2] += data
            if state == AudioVadV2.STOP_SPEAKING:
                current[1] = vad.last_stop_ms
                utterances.append(current)
                current = None
    return utterances


def test_labels_on_real_speech(service, conversation):
    signal, truth = conversation
    frames = through_engine(service, signal, "labels")
    rms = np.array([f.rms for f in frames])
    voice = np.array([f.voice_prob for f in frames])
    expected_rms = np.clip(np.round(127 + block_db(signal)), 0, 127)
    assert np.abs(rms - expected_rms).max() <= 1  # dBFS + 127, per frame
    in_speech = np.zeros(len(frames), bool)
    for start, stop in truth:
        in_speech[start // 10: stop // 10] = True
    assert voice[in_speech].mean() > 0.6       # most speech frames are voiced or bridged
    assert voice[~in_speech].mean() < 0.01     # silence + noise is not voice
    pitches = np.array([f.pitch for f in frames])[voice == 1]
    assert np.median(pitches[pitches > 0]) == pytest.approx(150, abs=80)  # espeak voices: ~100-250 Hz


def test_vad_boundaries_on_real_speech(service, conversation):
    signal, truth = conversation
    frames = through_engine(service, signal, "vad")
    found = run_vad(AudioVadV2(AudioVadConfigV2()), frames)
    assert len(found) == len(truth), f"{len(found)} utterances detected, {len(truth)} spoken"
    within = heard_from_onset = 0
    for (start, stop, data, first_frame), (true_start, true_stop) in zip(found, truth):
        within += abs(start - true_start) <= 60 and abs(stop - true_stop) <= 60
        # Nothing lost: START's pre-roll through STOP is one contiguous run of the input.
        n = len(data) // 2
        np.testing.assert_array_equal(np.frombuffer(bytes(data), np.int16),
                                      signal[first_frame * FRAME: first_frame * FRAME + n])
        heard_from_onset += first_frame * 10 <= true_start  # the pre-roll holds the first syllable
    assert within / len(truth) >= 0.95, f"only {within} of {len(truth)} utterances within 60 ms"
    assert heard_from_onset == len(truth)  # the pre-roll starts before the first syllable, every time


def test_low_latency_profile_starts_sooner(service, conversation):
    signal, truth = conversation
    frames = through_engine(service, signal, "fast")
    default, fast = AudioVadV2(AudioVadConfigV2()), AudioVadV2(AudioVadConfigV2.low_latency())
    first = {}
    for name, vad in (("default", default), ("fast", fast)):
        for i, frame in enumerate(frames):
            if vad.process(frame)[0] == AudioVadV2.START_SPEAKING:
                first[name] = i
                break
    assert first["default"] - first["fast"] == 20  # 30 vs 10 frames of speech before START


@pytest.mark.parametrize("kind", ["white", "pink"])
def test_no_start_on_pure_noise(service, kind):
    rng = np.random.default_rng(3)
    n = RATE * 10
    x = rng.normal(0, 1, n)
    if kind == "pink":
        spectrum = np.fft.rfft(x)
        x = np.fft.irfft(spectrum / np.sqrt(np.arange(1, len(spectrum) + 1)), n)
    x = x / np.sqrt((x ** 2).mean()) * 32768 * 10 ** (-55 / 20)  # below the -50 dBFS default threshold
    frames = through_engine(service, x.astype(np.int16), f"noise-{kind}")
    vad = AudioVadV2(AudioVadConfigV2())
    states = [vad.process(f)[0] for f in frames]
    assert AudioVadV2.START_SPEAKING not in states
    assert sum(f.voice_prob for f in frames) < len(frames) * 0.02


class Labelled:
    def __init__(self, data, rms, voice_prob):
        self.buffer, self.rms, self.voice_prob = data, rms, voice_prob


@pytest.mark.parametrize("preroll_from_onset", [False, True])
def test_same_decisions_as_the_official_algorithm(preroll_from_onset):
    rnd = random.Random(11)
    for trial in range(20):
        config = dict(pre=rnd.randint(1, 20), start=rnd.randint(1, 40), stop=rnd.randint(1, 60),
                      rms_threshold=rnd.randint(-80, -20), adaptive=rnd.random() < 0.7)
        ours = AudioVadV2(AudioVadConfigV2(preStartRecognizeCount=config["pre"], startRecognizeCount=config["start"],
                                           stopRecognizeCount=config["stop"], rmsThreshold=config["rms_threshold"]))
        ours.config.enable_adaptive_rms_threshold = config["adaptive"]  # read at construction: rebuild
        ours.config.preroll_from_onset = preroll_from_onset
        ours = AudioVadV2(ours.config)
        reference = ReferenceVadV2(**config)
        talking = False
        for i in range(3000):
            if rnd.random() < 0.02:
                talking = not talking
            rms = rnd.randint(60, 120) if talking else rnd.randint(0, 90)
            voice_prob = int(talking and rnd.random() < 0.5)
            data = bytes([i % 251]) * 320
            mine, theirs = ours.process(Labelled(data, rms, voice_prob)), reference.process(data, rms, voice_prob)
            where = f"trial {trial}, frame {i}, config {config}"
            assert mine[0] == theirs[0], where
            if preroll_from_onset and mine[0] == AudioVadV2.START_SPEAKING:
                assert mine[1].endswith(theirs[1]), where  # the official pre-roll, maybe reaching further back
            else:
                assert mine[1] == theirs[1], where


def test_config_is_copied_per_instance():
    config = AudioVadConfigV2()
    a, b = AudioVadV2(config), AudioVadV2(config)
    assert config.start_rms == -50  # unchanged (the official VAD rewrites it to 77)
    frames = [Labelled(bytes(320), 100, 0)] * 46
    assert [a.process(f)[0] for f in frames][-1] == AudioVadV2.START_SPEAKING
    assert b.process(frames[0])[0] == AudioVadV2.NONE  # b's state is its own


@pytest.mark.parametrize("kwargs, message", [
    (dict(startRecognizeCount=0), "startRecognizeCount"),
    (dict(stopRecognizeCount=5000), "stopRecognizeCount"),
    (dict(preStartRecognizeCount=1.5), "preStartRecognizeCount"),
    (dict(rmsThreshold=10), "rmsThreshold"),
    (dict(activePercent=2), "activePercent"),
    (dict(start_voiceprob=101), "start_voiceprob"),
])
def test_bad_config_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AudioVadConfigV2(**kwargs)


def test_a_count_set_after_construction_is_checked_when_the_vad_is_made():
    config = AudioVadConfigV2()
    config.start_recognize_count = 2.5  # attributes are plain; 2.5 must not become 2 frames
    with pytest.raises(ValueError, match=r"start_recognize_count must be an int in \[1, 1000\] \(10 ms frames\), not 2\.5"):
        AudioVadV2(config)


def test_bad_frames_are_refused():
    vad = AudioVadV2()
    vad.process(Labelled(bytes(320), 10, 0))
    with pytest.raises(ValueError, match="320-byte frames"):
        vad.process(Labelled(bytes(960), 10, 0))  # 48 kHz after 16 kHz
    with pytest.raises(TypeError, match="audio frame"):
        vad.process(42)
    with pytest.raises(ValueError, match="empty"):
        vad.process(Labelled(b"", 10, 0))
    with pytest.raises(TypeError, match="AudioVadConfigV2"):
        AudioVadV2({"start": 3})


def test_vad_dump_writes_source_labels_and_utterances(tmp_path):
    vad = AudioVadV2(AudioVadConfigV2(preStartRecognizeCount=2, startRecognizeCount=3, stopRecognizeCount=4))

    class Frame(Labelled):
        pitch = music_prob = far_field_flag = 0

    levels = [10] * 10 + [100] * 10 + [10] * 10
    with VadDump(tmp_path) as dump:
        for i, level in enumerate(levels):
            frame = Frame(bytes([i]) * 320, level, 0)
            state, data = vad.process(frame)
            dump.write(frame, data, state)
    folder = dump.folder
    assert (folder / "source.pcm").read_bytes() == b"".join(bytes([i]) * 320 for i in range(30))
    lines = (folder / "label.txt").read_text().splitlines()
    assert len(lines) == 30 and "state:1" in lines[12] and "rms:100" in lines[12]
    utterance = (folder / "vad_0.pcm").read_bytes()
    assert utterance == b"".join(bytes([i]) * 320 for i in range(8, 24))  # 2 pre-roll + 3 start ... 4 silent
    assert len((folder / "rms.pcm").read_bytes()) == 30 * 320
