"""Runs under Agora's official Python SDK (unmodified; see agora_rtc.official),
never under agora_rtc: its ExternalAudioProcessor (2.4.1) pushes 1 s of a known
16 kHz tone with AGC off and 48 kHz stereo out, and records what its sink
observer receives. Prints one JSON line of what happened."""

import json
import threading
import time

from agora.rtc.agora_base import APMConfig
from agora.rtc.agora_service import AgoraService, AgoraServiceConfig
from agora.rtc.external_audio_processor import ExternalAudioProcessor, IAudioSinkObserver
from agora.rtc.voice_detection import AudioVadConfigV2

frames = []
lock = threading.Lock()


class Sink(IAudioSinkObserver):
    def on_processed_audio_frame(self, processor, frame, vad_result_state, vad_result_data):
        with lock:
            frames.append({"rate": frame.samples_per_sec, "channels": frame.channels,
                           "samples": frame.samples_per_channel, "rms": frame.rms, "state": vad_result_state,
                           "pcm": bytes(frame.buffer).hex()})


def main():
    service = AgoraService()
    config = AgoraServiceConfig()
    config.appid = "aab8b8f5a8cd4469a63042fcfafe7063"
    init = service.initialize(config)
    processor = ExternalAudioProcessor(service)
    ret = processor.initialize(APMConfig(), 16000, 1, AudioVadConfigV2(), Sink())
    tone = bytearray()
    for i in range(16000):  # a ramp: every sample distinct, easy to compare
        tone += ((i * 7) % 20000 - 10000).to_bytes(2, "little", signed=True)
    pushed = processor.push_audio_pcm_data(tone, 16000, 1)  # a bytearray: the official sender needs it writable
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with lock:
            if len(frames) >= 100:
                break
        time.sleep(0.05)
    time.sleep(0.1)
    with lock:
        got = list(frames)
    print(json.dumps({"initialize": init, "processor_initialize": ret, "push": pushed, "sent": tone.hex(),
                      "frames": got}))


main()
