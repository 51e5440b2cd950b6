"""Dispatched delivery for the synchronous API: a Python thread that drains a
_core.Dispatcher. Engine threads never wait for the GIL; callbacks run on this
thread, where they may call any SDK API and take their time (the queue is
bounded: when it is full the oldest item is dropped and counted in stats())."""

import select
import threading

from . import _core

__all__ = ["DispatchThread"]


class DispatchThread:
    """Runs callbacks routed to ``self.queue`` on one named daemon thread."""

    def __init__(self, capacity=1024, name="agora-rtc-dispatch"):
        self.queue = _core.Dispatcher(capacity)
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self):
        fd = self.queue.fileno()
        while not self._closed:
            select.select([fd], [], [], 1.0)
            self.queue.dispatch()

    def stats(self):
        return self.queue.stats()

    def close(self):
        """Stop the thread after delivering what is queued. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.queue.wake()
        if threading.current_thread() is not self._thread:
            self._thread.join()
