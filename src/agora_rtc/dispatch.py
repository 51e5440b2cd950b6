"""Dispatched delivery for the synchronous API: a Python thread that drains a
_core.Dispatcher. Engine threads never wait for the GIL; callbacks run on this
thread, where they may call any SDK API and take their time (the queue is
bounded: when it is full the oldest item is dropped and counted in stats())."""

from __future__ import annotations

import select
import threading
from typing import Protocol, Union

from . import _core

__all__ = ["DispatchThread"]


class QueueOwner(Protocol):
    """A dispatcher that drains a _core.Dispatcher: DispatchThread, aio.LoopDispatcher."""

    @property
    def queue(self) -> _core.Dispatcher: ...


# What a ``dispatcher=`` argument takes (None, where allowed, means direct delivery).
DispatcherLike = Union[_core.Dispatcher, QueueOwner]


class DispatchThread:
    """Runs callbacks routed to ``self.queue`` on one named daemon thread."""

    def __init__(self, capacity: int = 1024, name: str = "agora-rtc-dispatch") -> None:
        self.queue = _core.Dispatcher(capacity)
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        fd = self.queue.fileno()
        while not self._closed:
            select.select([fd], [], [], 1.0)
            self.queue.dispatch()

    def stats(self) -> dict[str, int]:
        return self.queue.stats()

    def close(self) -> None:
        """Stop the thread after delivering what is queued. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.queue.wake()
        if threading.current_thread() is not self._thread:
            self._thread.join()
