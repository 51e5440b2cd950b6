"""ConnectionPool: connections made up front and reused, for long-running
servers that join and leave channels all day. Acquiring connects; releasing
disconnects and frees what was bound to that use (published tracks, senders)
and returns the connection to its state when the pool made it (observers of
every kind removed, subscriptions and role as its RTCConnConfig says,
encryption off, events delivered directly) for the next acquire. What a use
sets with set_parameters or the audio frame parameter setters carries over, and
so do data streams it created (a connection has 5: create them once per pooled
connection, e.g. on first use, rather than per use)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .connection import RTCConnConfig
from .observers import IRTCConnectionObserver
from .video import LocalVideoTrack

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._core import RTCConnInfo
    from .audio import AudioPcmDataSender, LocalAudioTrack, MediaNodeFactory, _Owned
    from .connection import RTCConnection
    from .local_user import LocalUser
    from .service import AgoraService

__all__ = ["ConnectionPool", "PooledConnection"]


class _Joined(IRTCConnectionObserver):
    def __init__(self) -> None:
        self.event = threading.Event()
        self.reason: int | None = None

    def on_connected(self, conn: RTCConnection, info: RTCConnInfo, reason: int) -> None:
        self.reason = reason
        self.event.set()

    def on_connection_failure(self, conn: RTCConnection, info: RTCConnInfo, reason: int) -> None:
        self.reason = reason
        self.event.set()


class PooledConnection:
    """One use of a pooled RTCConnection (``.connection``). Make senders with
    ``create_pcm_sender()`` so they are freed when the use ends."""

    def __init__(self, pool: ConnectionPool, connection: RTCConnection) -> None:
        self.pool = pool
        self._connection: RTCConnection | None = connection
        self._bound: list[_Owned] = []  # engine objects to free on release, in creation order

    @property
    def connection(self) -> RTCConnection:
        """The connection, while this use lasts (after release() it belongs to the pool again)."""
        if self._connection is None:
            raise ValueError("this PooledConnection was released: its connection went back to the pool "
                             "(acquire() another)")
        return self._connection

    @property
    def local_user(self) -> LocalUser:
        return self.connection.get_local_user()

    def create_pcm_sender(self) -> tuple[AudioPcmDataSender, LocalAudioTrack]:
        """A PCM sender and its track, published; freed with this use."""
        service = self.pool.service
        factory: MediaNodeFactory = service.create_media_node_factory()
        sender = factory.create_audio_pcm_data_sender()
        track = service.create_custom_audio_track_pcm(sender)
        self._bound += [factory, sender, track]
        self.local_user.publish_audio(track)
        return sender, track

    def release(self) -> None:
        self.pool.release(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.release()


class ConnectionPool:
    """``size`` connections created at once, none connected. Thread-safe."""

    def __init__(self, service: AgoraService, size: int, config: RTCConnConfig | None = None) -> None:
        if size < 1:
            raise ValueError(f"pool size must be >= 1, not {size}")
        self.service = service
        self._lock = threading.Lock()
        self._config = config or RTCConnConfig(auto_subscribe_audio=1)
        self._idle: list[RTCConnection] = [service.create_rtc_connection(self._config) for _ in range(size)]
        self._all = list(self._idle)
        self._in_use: set[PooledConnection] = set()
        self._closed = False
        self.acquired_total = 0

    def acquire(self, token: str | None, channel_id: str, user_id: str | int,
                timeout: float = 10.0) -> PooledConnection:
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

    def _reset(self, conn: RTCConnection) -> None:
        user = conn.get_local_user()
        for track in list(user._published.values()):
            if track.released:  # released while published: the engine unpublished it then
                continue
            if isinstance(track, LocalVideoTrack):  # published tracks are audio and video ones
                user.unpublish_video(track)
            else:
                user.unpublish_audio(track)
        # back to how the pool made it: the next use must not get this one's frames or events
        if user._audio_observer is not None:
            user.unregister_audio_frame_observer()
        user.unregister_video_frame_observer()
        user.unregister_video_encoded_frame_observer()
        user.unregister_audio_encoded_frame_observer()
        user.unregister_local_user_observer()
        conn.unregister_observer()
        conn.set_event_dispatcher(None)
        if conn.get_conn_info().state != 1:  # not DISCONNECTED
            conn.disconnect()
        conn.enable_encryption(False)
        config = self._config
        user.set_user_role(config.client_role_type)
        (user.subscribe_all_audio if config.auto_subscribe_audio else user.unsubscribe_all_audio)()
        if config.auto_subscribe_video:
            user.subscribe_all_video()
        else:
            user.unsubscribe_all_video()

    def release(self, use: PooledConnection) -> None:
        """End a use: disconnect, unpublish, free its senders/tracks, reset the
        connection (see the module's docstring); it goes back to the pool. Idempotent."""
        with self._lock:
            if use not in self._in_use:
                return
            self._in_use.discard(use)
        conn, use._connection = use.connection, None
        self._reset(conn)
        for obj in reversed(use._bound):
            obj.release()
        use._bound = []
        with self._lock:
            if self._closed:
                conn.release()
            else:
                self._idle.append(conn)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"size": len(self._all), "in_use": len(self._in_use), "idle": len(self._idle),
                    "acquired_total": self.acquired_total}

    def close(self) -> None:
        """Release every connection (uses in progress end too). Idempotent."""
        with self._lock:
            self._closed = True
            uses = list(self._in_use)
        for use in uses:
            self.release(use)
        for conn in self._all:
            conn.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
