"""Run a PCM file through the SDK's audio processing and VAD without joining a
channel (ExternalAudioProcessor, official 2.4.1).

    python example_external_audio_processor.py APPID CHANNEL test_data/demo.pcm 16000 1 0

The arguments are the official example's, positional: app id, channel name (not
joined), a raw 16-bit PCM file, its sample rate and channels, and a mode (unused,
as in the official). The processor gives 48 kHz stereo frames with their labels
to an IAudioSinkObserver and runs VAD v2 on them; the example logs
"start speaking" and "stop speaking (N ms of speech)" per utterance and a
summary once the whole file went through (real-time pace: a 3 s file takes 3 s).
The official example sets the processor up and returns before reading the file;
this one processes it.
"""

import sys
import threading
import time

from agora_rtc.compat.agora_base import AgoraServiceConfig, AudioScenarioType
from agora_rtc.compat.agora_service import AgoraService
from agora_rtc.compat.external_audio_processor import (AgcConfig, AiAecConfig, AiNsConfig, APMConfig, BghvsCConfig,
                                                      ExternalAudioProcessor, IAudioSinkObserver)
from agora_rtc.compat.voice_detection import AudioVadConfigV2

START_SPEAKING, SPEAKING, STOP_SPEAKING = 1, 2, 3
OUT_RATE, OUT_CHANNELS = 48000, 2


class ExampleAudioSinkObserver(IAudioSinkObserver):
    def __init__(self):
        self.frames = 0
        self.utterances = 0
        self.speech_bytes = 0
        self.done = threading.Event()
        self.expected = 0

    def on_processed_audio_frame(self, processor, frame, vad_result_state, vad_result_data):
        self.frames += 1
        if vad_result_state == START_SPEAKING:
            self.utterances += 1
            self.speech_bytes = len(vad_result_data)
            print(f"start speaking (voice_prob {frame.voice_prob}, rms {frame.rms}, pitch {frame.pitch})", flush=True)
        elif vad_result_state == SPEAKING:
            self.speech_bytes += len(vad_result_data)
        elif vad_result_state == STOP_SPEAKING:
            self.speech_bytes += len(vad_result_data)
            ms = self.speech_bytes * 1000 // (2 * frame.channels * frame.samples_per_sec)
            print(f"stop speaking ({ms} ms of speech)", flush=True)
        if self.frames == self.expected:
            self.done.set()


def main():
    if len(sys.argv) < 7:
        print("usage: python example_external_audio_processor.py appid channelname pcm_file_path sample_rate "
              "channels mode")
        return
    appid, _channel, pcm_file_path = sys.argv[1], sys.argv[2], sys.argv[3]
    sample_rate, channels = int(sys.argv[4]), int(sys.argv[5])

    config = AgoraServiceConfig()
    config.appid = appid
    config.audio_scenario = AudioScenarioType.AUDIO_SCENARIO_AI_SERVER
    config.enable_apm = True
    agora_service = AgoraService()
    agora_service.initialize(config)

    apm_config = APMConfig(ai_aec_config=AiAecConfig(enabled=False), ai_ns_config=AiNsConfig(),
                           bghvs_c_config=BghvsCConfig(), agc_config=AgcConfig(enabled=False))
    apm_config.bghvs_c_config.bvcEnvMaxSpeed = 2
    observer = ExampleAudioSinkObserver()
    processor = ExternalAudioProcessor(agora_service)
    ret = processor.initialize(apm_config, OUT_RATE, OUT_CHANNELS, AudioVadConfigV2(), observer)
    if ret < 0:
        print(f"Failed to initialize external audio processor, error: {ret}")
        return

    with open(pcm_file_path, "rb") as file:
        data = file.read()
    whole_ms = len(data) // (sample_rate // 1000 * 2 * channels) * (sample_rate // 1000 * 2 * channels)
    observer.expected = whole_ms // (sample_rate // 100 * 2 * channels)
    chunk = sample_rate // 100 * 2 * channels * 20  # 200 ms at a time, as the official reads it
    for offset in range(0, whole_ms, chunk):
        ret = processor.push_audio_pcm_data(bytearray(data[offset:min(offset + chunk, whole_ms)]), sample_rate,
                                            channels)
        if ret < 0:
            print(f"Failed to push audio pcm data, error: {ret}")
            break
    started = time.monotonic()
    observer.done.wait(timeout=observer.expected / 100 * 2 + 5)
    print(f"processed {observer.frames} frames ({observer.frames / 100:.2f} s) in {time.monotonic() - started:.2f} s, "
          f"{observer.utterances} utterance(s)", flush=True)
    processor.release()
    agora_service.release()


if __name__ == "__main__":
    main()
