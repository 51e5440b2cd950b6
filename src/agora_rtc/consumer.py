"""AudioConsumer: push TTS audio into a channel at exactly real-time pace,
interruptibly (official name and methods, plus what a voice bot needs).

The pacer is native: pushed audio goes (GIL released, copied once) into the
custom track's queue, and the engine's 10 ms clock plays one frame per tick.
No Python timer, so nothing drifts when the bot's event loop is busy;
``consume()`` exists for code written for the official class and does nothing.

    consumer = AudioConsumer(sender, 16000, 1)
    consumer.push_pcm_data(tts_chunk)      # any size, bytes / bytearray / numpy int16
    consumer.clear()                       # barge-in: silent from the next 10 ms frame
    consumer.wait_for_playout()            # blocks until everything was played
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._core import _Buffer
    from .audio import AudioPcmDataSender

__all__ = ["AudioConsumer"]

_POLL_S = 0.002  # wait_for_playout's polling period


class AudioConsumer:
    def __init__(self, pcm_sender: AudioPcmDataSender, sample_rate: int, channels: int = 1) -> None:
        from .audio import AudioPcmDataSender

        if not isinstance(pcm_sender, AudioPcmDataSender):
            raise TypeError(f"AudioConsumer needs an AudioPcmDataSender, not {type(pcm_sender).__name__}")
        if pcm_sender._track is None:
            raise ValueError("make the sender's track first: service.create_custom_audio_track_pcm(sender)")
        from ._arguments import need_int
        from ._core import PCM_SAMPLE_RATES
        # as ints: 48000.0 would pass the checks below (48000.0 == 48000) and then fail every send
        sample_rate, channels = need_int(sample_rate, "sample_rate"), need_int(channels, "channels")
        if sample_rate not in PCM_SAMPLE_RATES:
            raise ValueError(f"sample_rate must be one of {', '.join(map(str, PCM_SAMPLE_RATES))} Hz, "
                             f"not {sample_rate!r}")
        if channels not in (1, 2):
            raise ValueError(f"channels must be 1 or 2, not {channels!r}")
        self._sender = pcm_sender
        self._track = pcm_sender._track
        self.sample_rate = sample_rate
        self.channels = channels
        self._frame_bytes = sample_rate // 100 * channels * 2
        self._sample_bytes = channels * 2
        self._remainder = b""          # an incomplete sample (odd byte count) carried to the next push
        self._lock = threading.Lock()
        self._released = False
        self._pushed_bytes = 0
        self._cleared_frames = 0
        if self._track.queue_stats() is None:
            raise RuntimeError("AudioConsumer paces through the loopback engine's track queue; "
                               "this engine does not report it")
        # The queue holds what a TTS engine may produce ahead of playout: 10 minutes.
        self._track.set_max_buffer_audio_frame_number(60000)

    def _need_live(self, what: str) -> None:
        if self._released:
            raise ValueError(f"AudioConsumer.{what}(): the consumer was released")

    def _queue_stats(self) -> dict[str, int]:
        st = self._track.queue_stats()
        if st is None:  # __init__ refused such an engine; it cannot change in a process
            raise RuntimeError("this engine does not report the track queue AudioConsumer paces through")
        return st

    def push_pcm_data(self, data: _Buffer) -> int:
        """Queue 16-bit PCM (interleaved when stereo) of any length; played from
        the next free 10 ms tick. Raises ValueError on released consumers and
        non-int16 arrays, AgoraError if the queue is full."""
        self._need_live("push_pcm_data")
        if isinstance(data, np.ndarray):
            if data.dtype != np.int16:
                raise ValueError(f"numpy audio must be int16, not {data.dtype}")
            data = np.ascontiguousarray(data).view(np.uint8).reshape(-1)
        # numpy's stubs give arrays __buffer__ only from Python 3.12 on; they are buffers on every version.
        view = memoryview(data).cast("B")  # type: ignore[arg-type,unused-ignore]
        with self._lock:
            if self._remainder:
                view = memoryview(self._remainder + view.tobytes())
            whole = len(view) // self._sample_bytes * self._sample_bytes
            self._remainder = view[whole:].tobytes()
            # The engine stages partial frames itself, so any sample count goes in;
            # one send carries at most 10 s, so long pushes go in 5 s pieces.
            piece = self.sample_rate * 5 * self._sample_bytes
            for at in range(0, whole, piece):
                chunk = view[at: min(at + piece, whole)]
                self._sender.send(chunk, len(chunk) // self._sample_bytes, self.sample_rate, self.channels)
                self._pushed_bytes += len(chunk)
        return 0

    def consume(self) -> int:
        """Kept for code written for the official class, whose consume() had to
        be called from a 40-80 ms timer; here the engine paces. Returns the
        number of whole frames still queued."""
        self._need_live("consume")
        return self.stats()["queued_frames"]

    def len(self) -> int:
        """Bytes pushed and not yet played (official: bytes in its buffer). Right after
        push_audio_pcm_data changed format, frames of the old format still queued count
        at this consumer's frame size (0 still means everything was played)."""
        if self._released:
            return 0
        return self._pending_bytes(self._queue_stats())

    def _pending_bytes(self, st: dict[str, int]) -> int:
        return st["queued_frames"] * self._frame_bytes + st["staged_samples"] * self._sample_bytes + len(self._remainder)

    __len__ = len

    def is_push_to_rtc_completed(self) -> int:
        """1 when everything pushed has been played (a trailing partial frame
        counts as pending until flush()), else 0; -1 after release."""
        if self._released:
            return -1
        return int(self.len() == 0)

    def flush(self) -> None:
        """Pad a trailing partial frame with silence so it is played too."""
        self._need_live("flush")
        with self._lock:
            st = self._queue_stats()
            staged = st["staged_samples"]
            pad_samples = (self.sample_rate // 100 - staged) % (self.sample_rate // 100) if staged else 0
            if self._remainder:
                self._remainder = b""  # half a sample cannot be played
            if pad_samples:
                self._sender.send(bytes(pad_samples * self._sample_bytes), pad_samples, self.sample_rate,
                                  self.channels)

    def clear(self) -> int:
        """Barge-in: drop everything queued; the next 10 ms frame is silent.
        Returns how many whole frames were dropped."""
        self._need_live("clear")
        with self._lock:
            before = self._queue_stats()["queued_frames"]
            self._track.clear_sender_buffer()
            self._remainder = b""
            self._cleared_frames += before
        return before

    def _playing(self) -> bool:
        """Audio still queued, or its last frame not yet delivered to every receiver (the frame
        played in a tick reaches observers later in that same tick)."""
        st = self._queue_stats()
        return bool(self._pending_bytes(st) or st["delivering"])

    def wait_for_playout(self, timeout: float | None = None) -> bool:
        """Flush, then block until everything pushed has been played and delivered. Returns
        True, or False when *timeout* seconds passed first."""
        self._need_live("wait_for_playout")
        self.flush()
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._playing():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_S)
        return True

    async def wait_for_playout_async(self, timeout: float | None = None) -> bool:
        """``await``-able wait_for_playout (cancellation-safe: nothing to undo)."""
        import asyncio

        self._need_live("wait_for_playout")
        self.flush()
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._playing():
            if deadline is not None and loop.time() >= deadline:
                return False
            await asyncio.sleep(_POLL_S)
        return True

    def stats(self) -> dict[str, int]:
        """Counters: pushed_bytes, queued_frames, played_frames, underruns (the
        queue ran dry mid-stream), starved_ticks, cleared_frames, dropped_frames."""
        st = self._queue_stats() if not self._released else {}
        return {"pushed_bytes": self._pushed_bytes, "queued_frames": st.get("queued_frames", 0),
                "played_frames": st.get("played_frames", 0), "underruns": st.get("underruns", 0),
                "starved_ticks": st.get("starved_ticks", 0), "cleared_frames": self._cleared_frames,
                "dropped_frames": st.get("dropped_frames", 0)}

    def _hand_over(self) -> None:
        """Let go without dropping anything: the partial frame is padded out and what is queued
        plays on (push_audio_pcm_data's next format queues after it)."""
        if not self._released:
            self.flush()
            self._released = True

    def release(self) -> None:
        """Drop queued audio and detach from the sender. Idempotent."""
        if self._released:
            return
        if not self._track.released:
            self._track.clear_sender_buffer()
        self._released = True
        self._remainder = b""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
