"""A faithful pure-Python rendering of the official AudioVadV2 decisions
(agora-python-server-sdk 2.4.x, voice_detection.py), written from its
behaviour: the yardstick for agora_rtc's native VAD (same decisions on the same
input) and for its speed."""

from collections import deque


class ReferenceVadV2:
    def __init__(self, pre=16, start=30, stop=50, rms_threshold=-50, adaptive=True, factor=0.67):
        self.start_count, self.stop_count = start, stop
        self.start_rms = 127 + rms_threshold
        self.adaptive, self.factor = adaptive, factor
        self.size = pre + start
        self.start_queue = deque(maxlen=self.size)
        self.stop_queue = deque(maxlen=stop)
        self.speaking = False
        self.voice_count = self.silence_count = self.total_rms = self.ref_rms = 0

    def _active(self, rms, voice_prob):
        ref = int(self.ref_rms * self.factor) if self.adaptive and self.ref_rms > 0 else self.start_rms
        return voice_prob == 1 or rms > ref

    def process(self, data, rms, voice_prob):
        active = self._active(rms, voice_prob)
        if not self.speaking:
            self.start_queue.append(data)
            if active:
                self.voice_count += 1
                self.total_rms += rms
            else:
                self.voice_count = self.total_rms = 0
            if len(self.start_queue) >= self.size and self.voice_count >= self.start_count:
                out = bytearray(b"".join(self.start_queue))
                self.start_queue.clear()
                self.ref_rms = int(self.total_rms / self.voice_count)
                self.voice_count = self.total_rms = self.silence_count = 0
                self.stop_queue.clear()
                self.speaking = True
                return 1, out
            return 0, bytearray()
        self.stop_queue.append(data)
        self.silence_count = 0 if active else self.silence_count + 1
        if len(self.stop_queue) >= self.stop_count and self.silence_count >= self.stop_count:
            self.stop_queue.clear()
            self.voice_count = self.total_rms = self.silence_count = 0
            self.speaking = False
            return 3, bytearray(data)
        return 2, bytearray(data)
