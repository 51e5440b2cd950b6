"""ConnectionPool: connections made up front and reused, for long-running
servers that join and leave channels all day. Acquiring connects; releasing
disconnects and frees what was bound to that use (published tracks, senders,
observers) but keeps the connection for the next acquire."""

import threading

from .connection import RTCConnConfig
from .observers import IRTCConnectionObserver

__all__ = ["ConnectionPool", "PooledConnection"]


class _Joined(IRTCConnectionObserver):
    def __init__(self):
        self.event = threading.Event()
        self.reason = None

    def on_connected(self, conn, info, reason):
        self.reason = reason
        self.event.set()

    def on_connection_failure(self, conn, info, reason):
        self.reason = reason
        self.event.set()


class PooledConnection:
    """One use of a pooled RTCConnection (``.connection``). Make senders with
    ``create_pcm_sender()`` so they are freed when the use ends."""

    def __init__(self, pool, connection):
        self.pool = pool
        self.connection = connection
        self.local_user = connection.get_local_user()
        self._bound = []  # engine objects to free on release, in creation order

    def create_pcm_sender(self):
        """A PCM sender and its track, published; freed with this use."""
        service = self.pool.service
        factory = service.create_media_node_factory()
        sender = factory.create_audio_pcm_data_sender()
        track = service.create_custom_audio_track_pcm(sender)
        self._bound += [factory, sender, track]
        self.local_user.publish_audio(track)
        return sender, track

    def release(self):
        self.pool.release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.release()


class ConnectionPool:
    """``size`` connections created at once, none connected. Thread-safe."""

    def __init__(self, service, size, config=None):
        if size < 1:
            raise ValueError(f"pool size must be >= 1, not {size}")
        self.service = service
        self._lock = threading.Lock()
        self._idle = [service.create_rtc_connection(config or RTCConnConfig(auto_subscribe_audio=1)) for _ in range(size)]
        self._all = list(self._idle)
        self._in_use = set()
        self._closed = False
        self.acquired_total = 0

    def acquire(self, token, channel_id, user_id, timeout=10.0):
        """Connect an idle connection and wait until it has joined."""
        with self._lock:
            if self._closed:
                raise ValueError("ConnectionPool is closed")
            if not self._idle:
                raise RuntimeError(f"ConnectionPool exhausted: all {len(self._all)} connections are in use")
            conn = self._idle.pop()
        joined = _Joined()
        conn.register_observer(joined)
        try:
            conn.connect(token, channel_id, user_id)
            if not joined.event.wait(timeout):
                raise TimeoutError(f"connect to {channel_id!r} as {user_id!r} took more than {timeout} s")
            if joined.reason != 1:  # CONNECTION_CHANGED_JOIN_SUCCESS
                raise ConnectionError(f"connect to {channel_id!r} failed: reason {joined.reason}")
        except BaseException:
            conn.unregister_observer(joined)
            self._reset(conn)
            with self._lock:
                self._idle.append(conn)
            raise
        conn.unregister_observer(joined)
        use = PooledConnection(self, conn)
        with self._lock:
            self._in_use.add(use)
            self.acquired_total += 1
        return use

    def _reset(self, conn):
        user = conn.get_local_user()
        for track in list(user._tracks.values()):
            user.unpublish_audio(track)
        if user._audio_observer is not None:
            user.unregister_audio_frame_observer()
        user.unregister_local_user_observer()
        conn.unregister_observer()
        user.subscribe_all_audio()
        if conn.get_conn_info().state != 1:  # not DISCONNECTED
            conn.disconnect()

    def release(self, use):
        """End a use: disconnect, unpublish, free its senders/tracks, drop
        observers; the connection goes back to the pool. Idempotent."""
        with self._lock:
            if use not in self._in_use:
                return
            self._in_use.discard(use)
        self._reset(use.connection)
        for obj in reversed(use._bound):
            obj.release()
        use._bound = []
        with self._lock:
            if self._closed:
                use.connection.release()
            else:
                self._idle.append(use.connection)

    def stats(self):
        with self._lock:
            return {"size": len(self._all), "in_use": len(self._in_use), "idle": len(self._idle),
                    "acquired_total": self.acquired_total}

    def close(self):
        """Release every connection (uses in progress end too). Idempotent."""
        with self._lock:
            self._closed = True
            uses = list(self._in_use)
        for use in uses:
            self.release(use)
        for conn in self._all:
            conn.release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
