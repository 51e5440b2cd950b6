"""ExternalAudioProcessor: pushed PCM comes out of the engine's audio sink
frame by frame (exact, resampled, gain-controlled), labelled, through a native
VAD that finds real speech; bad input is refused; nothing leaks."""

import threading

import numpy as np
import pytest

from agora_rtc.audio_processor import AgcConfig, APMConfig, ExternalAudioProcessor, IAudioSinkObserver
from agora_rtc.vad import AudioVadConfigV2, VadState
from conftest import tone, wait_for
from test_vad import say


class Sink(IAudioSinkObserver):
    def __init__(self):
        self.frames, self.labels, self.states, self.formats = [], [], [], set()
        self.utterances = []
        self.lock = threading.Lock()

    def on_processed_audio_frame(self, processor, frame, state, data):
        with self.lock:
            self.frames.append(np.frombuffer(frame, np.int16).copy())
            self.formats.add((frame.samples_per_sec, frame.channels, frame.samples_per_channel))
            self.labels.append((frame.rms, frame.voice_prob))
            self.states.append(state)
            if state == VadState.START_SPEAKING:
                self.utterances.append(bytearray(data))
            elif state in (VadState.SPEAKING, VadState.STOP_SPEAKING):
                self.utterances[-1] += data

    def pcm(self):
        with self.lock:
            return np.concatenate(self.frames) if self.frames else np.zeros(0, np.int16)


def processed(service, signal, rate, channels, out_rate=16000, out_channels=1, apm=None, vad=None):
    sink = Sink()
    with ExternalAudioProcessor(service) as processor:
        processor.initialize(apm if apm is not None else APMConfig(), out_rate, out_channels, vad, sink)
        processor.push_audio_pcm_data(signal, rate, channels)
        frames = len(signal) // channels // (rate // 100)
        wait_for(lambda: len(sink.frames) >= frames, timeout=30, what=f"{frames} processed frames")
        assert processor.frames_processed == len(sink.frames)
    return sink


def test_pcm_comes_out_exact_and_in_order(service):
    ramp = (np.arange(16000 * 2) * 7 % 20000 - 10000).astype(np.int16)  # every sample distinct
    sink = processed(service, ramp, 16000, 1)
    assert sink.formats == {(16000, 1, 160)}
    np.testing.assert_array_equal(sink.pcm()[: len(ramp)], ramp)
    assert len(sink.frames) == 200  # nothing more: the processor stops when the audio does
    assert all(rms > 0 for rms, _ in sink.labels)


def test_resampled_and_downmixed_to_what_the_sink_wants(service):
    stereo = tone(48000, 1.0, freqs=(440.0,), channels=2)  # right channel = left / 2
    sink = processed(service, stereo, 48000, 2, out_rate=16000, out_channels=1)
    assert sink.formats == {(16000, 1, 160)}
    out = sink.pcm()[1600:].astype(np.float64)  # past the resampler's start-up
    spectrum = np.abs(np.fft.rfft(out * np.hanning(len(out))))
    assert np.argmax(spectrum) * 16000 / len(out) == pytest.approx(440, abs=3)
    expected_rms = 8000 * 0.75 / np.sqrt(2)  # mono = mean of L and R/2
    assert np.sqrt((out ** 2).mean()) == pytest.approx(expected_rms, rel=0.05)


def test_vad_finds_each_utterance_of_real_speech(service):
    silence = np.zeros(16000, np.int16)
    sentences = ["Turn the lights off in the kitchen.", "What is the weather tomorrow?", "Goodbye."]
    pieces = [silence]
    for text in sentences:
        speech = say(text, "en-us")
        pieces += [speech[: len(speech) // 160 * 160], silence]
    signal = np.concatenate(pieces)
    sink = processed(service, signal, 16000, 1, vad=AudioVadConfigV2())
    assert sink.states.count(VadState.START_SPEAKING) == len(sentences)
    assert sink.states.count(VadState.STOP_SPEAKING) == len(sentences)
    assert all(len(u) > 16000 for u in sink.utterances)  # each at least 0.5 s of 16-bit audio
    voiced = [p for _, p in sink.labels]
    assert 0 < sum(voiced) < len(voiced)  # the labels' voice detector heard voice, and silence


def test_agc_brings_a_quiet_voice_up_and_off_leaves_it(service):
    quiet = tone(16000, 3.0, amplitude=300)  # about -44 dBFS
    raised = processed(service, quiet, 16000, 1, apm=APMConfig(agc_config=AgcConfig(enabled=True))).pcm()
    tail = raised[-8000:].astype(np.float64)
    assert np.sqrt((tail ** 2).mean()) > 10 * np.sqrt((quiet[-8000:].astype(np.float64) ** 2).mean())
    assert np.abs(raised).max() < 32767  # raised, not clipped
    untouched = processed(service, quiet, 16000, 1, apm=APMConfig()).pcm()
    np.testing.assert_array_equal(untouched[: len(quiet)], quiet)


def test_bad_input_is_refused_clearly(service):
    sink = Sink()
    with ExternalAudioProcessor(service) as processor:
        with pytest.raises(RuntimeError, match="initialize"):
            processor.push_audio_pcm_data(b"\0" * 320, 16000, 1)
        with pytest.raises(ValueError, match="both are None"):
            processor.initialize(None, 16000, 1, None, sink)
        with pytest.raises(ValueError, match="out_sample_rate"):
            processor.initialize(APMConfig(), 12345, 1, None, sink)
        with pytest.raises(ValueError, match="out_channels"):
            processor.initialize(APMConfig(), 16000, 3, None, sink)
        with pytest.raises(TypeError, match="on_processed_audio_frame"):
            processor.initialize(APMConfig(), 16000, 1, None, object())
        with pytest.raises(TypeError, match="APMConfig"):
            processor.initialize({"agc": True}, 16000, 1, None, sink)
        assert processor.initialize(APMConfig(), 16000, 1, None, sink) == 0
        assert processor.initialize(APMConfig(), 16000, 1, None, sink) == 0  # again: nothing to do
        with pytest.raises(ValueError, match="whole milliseconds"):
            processor.push_audio_pcm_data(b"\0" * 33, 16000, 1)
        with pytest.raises(ValueError, match=r"not whole milliseconds of 44100 Hz .*\(88.2 bytes per ms\)"):
            processor.push_audio_pcm_data(b"\0" * 88, 44100, 1)  # 44 samples: 0.998 ms
        assert processor.push_audio_pcm_data(b"\0" * 88200, 44100, 1) == 0  # 1 s (44.1 samples per ms)
    with pytest.raises(ValueError, match="released"):
        processor.push_audio_pcm_data(b"\0" * 320, 16000, 1)


def test_release_from_its_own_callback_and_no_leaks(service):
    before = service.get_parameter_number("loopback.objects.audio_sinks")
    released = threading.Event()

    class ReleaseOnFirst(IAudioSinkObserver):
        def on_processed_audio_frame(self, processor, frame, state, data):
            processor.release()  # on the engine thread, inside the sink's callback
            released.set()

    processor = ExternalAudioProcessor(service)
    processor.initialize(APMConfig(), 16000, 1, None, ReleaseOnFirst())
    processor.push_audio_pcm_data(tone(16000, 1.0), 16000, 1)
    assert released.wait(10)
    wait_for(lambda: service.get_parameter_number("loopback.objects.audio_sinks") == before, what="sink freed")
    left = ExternalAudioProcessor(service)  # never released by the user: the service frees it
    left.initialize(APMConfig(), 16000, 1, None, Sink())
    assert service.get_parameter_number("loopback.objects.audio_sinks") == before + 1
