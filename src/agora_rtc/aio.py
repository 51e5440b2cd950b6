"""asyncio API. Engine threads hand frames and events to the event loop
through a bounded queue and a pipe registered with ``loop.add_reader`` (no
``call_soon_threadsafe`` per frame); everything user-visible runs on the loop.

    async with AgoraService(AgoraServiceConfig(appid=..., use_string_uid=1)) as service:
        conn = service.create_connection()
        await conn.connect("", "room", "bot")
        async for frame in conn.local_user.audio_frames():
            ...

Works with any asyncio loop that supports ``add_reader`` (the default loop
on Linux and macOS, and uvloop).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import weakref
from collections.abc import Callable, Mapping, MutableSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from . import _core
from .audio import PcmAudioFrame
from .consumer import AudioConsumer as _SyncConsumer
from .connection import RTCConnConfig
from .observers import IAudioFrameObserver, IRTCConnectionObserver
from .service import AgoraService as _SyncService
from .service import AgoraServiceConfig
from .video import IVideoFrameObserver

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._core import AudioFrame, RTCConnInfo, VideoFrame, _Buffer
    from .audio import LocalAudioTrack
    from .connection import RTCConnection
    from .local_user import LocalUser as _SyncLocalUser
    from .pool import PooledConnection
    from .video import LocalVideoTrack, VideoSubscriptionOptions

__all__ = ["AgoraService", "AgoraServiceConfig", "AudioConsumer", "Connection", "ConnectionFailed", "ConnectionPool",
           "Event",
           "LoopDispatcher", "RTCConnConfig", "Stream"]


class ConnectionFailed(ConnectionError):
    """``connect()`` ended without joining; ``reason`` is Agora's CONNECTION_CHANGED_REASON_TYPE."""

    def __init__(self, reason: int, state: int) -> None:
        self.reason = reason
        self.state = state
        super().__init__(f"connection failed: reason {reason}, state {state}")


@dataclass(frozen=True)
class Event:
    """A connection event: ``name`` is the observer method without ``on_``
    (``"user_joined"``, ``"user_left"``, ``"connected"``…)."""

    name: str
    user_id: str = ""
    reason: int = 0
    info: RTCConnInfo | None = None
    token: str = field(default="", repr=False)  # for "token_privilege_will_expire"; never printed


class LoopDispatcher:
    """A _core.Dispatcher drained by *loop* whenever its pipe is readable."""

    def __init__(self, loop: asyncio.AbstractEventLoop, capacity: int = 4096) -> None:
        self.loop = loop
        self.queue = _core.Dispatcher(capacity)
        loop.add_reader(self.queue.fileno(), self.queue.dispatch)

    def stats(self) -> dict[str, int]:
        return self.queue.stats()

    def close(self) -> None:
        if self.queue is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.queue.fileno())
            self.queue.dispatch()


_Item = TypeVar("_Item")


class Stream(Generic[_Item]):
    """An async iterator over a ring that drops the oldest item when full
    (``dropped`` counts them): owned AudioFrames, or Events. Ends when closed
    or when its connection is released."""

    def __init__(self, registry: MutableSet[Stream[_Item]], user_id: str | None, maxsize: int) -> None:
        self._registry = registry  # the live streams this one belongs to (weak: one dropped unclosed leaves)
        registry.add(self)
        self.user_id = user_id
        self._frames: collections.deque[_Item] = collections.deque(maxlen=maxsize)
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False
        self.dropped = 0

    def _put(self, frame: _Item) -> None:
        if len(self._frames) == self._frames.maxlen:
            self.dropped += 1
        self._frames.append(frame)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> _Item:
        while not self._frames:
            if self._closed:
                raise StopAsyncIteration
            if self._waiter is not None:  # a second waiter would replace the first, which then never wakes
                raise RuntimeError("another task is already waiting on this stream: a Stream has one reader "
                                   "(open one stream per task)")
            self._waiter = waiter = asyncio.get_running_loop().create_future()
            try:
                await waiter
            finally:
                if self._waiter is waiter:  # _put may have cleared it and a newer reader set its own
                    self._waiter = None
        return self._frames.popleft()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._registry.discard(self)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def aclose(self) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class _Router(IAudioFrameObserver):
    def __init__(self, user: LocalUser) -> None:
        self.user = user

    def on_playback_audio_frame_before_mixing(self, local_user: _SyncLocalUser, channel_id: str, uid: str,
                                              frame: AudioFrame) -> None:
        for stream in tuple(self.user._streams):
            if stream.user_id is None or stream.user_id == uid:
                stream._put(frame)

    def on_playback_audio_frame(self, local_user: _SyncLocalUser, channel_id: str, frame: AudioFrame) -> None:
        for stream in tuple(self.user._mixed_streams):
            stream._put(frame)


class _VideoRouter(IVideoFrameObserver):
    def __init__(self, user: LocalUser) -> None:
        self.user = user

    def on_frame(self, channel_id: str, uid: str, frame: VideoFrame) -> None:
        for stream in tuple(self.user._video_streams):
            if stream.user_id is None or stream.user_id == uid:
                stream._put(frame)


class LocalUser:
    """The asyncio view of a connection's local user."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self.sync = connection.sync.get_local_user()
        # Weak: a stream left without close() (an `async for` ended by break) stops receiving when dropped.
        self._streams: weakref.WeakSet[Stream[AudioFrame]] = weakref.WeakSet()
        self._mixed_streams: weakref.WeakSet[Stream[AudioFrame]] = weakref.WeakSet()
        self._video_streams: weakref.WeakSet[Stream[VideoFrame]] = weakref.WeakSet()
        self._observing = False
        self._observing_video = False
        self._formats: dict[str, tuple[int, int]] = {}  # per kind of stream: (sample_rate, channels) while open

    def _set_format(self, what: str, streams: MutableSet[Stream[AudioFrame]], sample_rate: int, channels: int,
                    apply: Callable[[int, int], int]) -> None:
        if streams and self._formats.get(what, (sample_rate, channels)) != (sample_rate, channels):
            open_rate, open_channels = self._formats[what]
            raise ValueError(f"{what}(): the streams already open get {open_rate} Hz x {open_channels} channel(s), "
                             f"and the engine has one such format per local user; ask for that, or close them first")
        apply(channels, sample_rate)
        self._formats[what] = (sample_rate, channels)

    def _observe(self) -> None:
        if not self._observing:
            self.sync.register_audio_frame_observer(_Router(self), dispatcher=self._conn._dispatcher)
            self._observing = True

    def audio_frames(self, user_id: str | int | None = None, *, sample_rate: int = 16000, channels: int = 1,
                     maxsize: int = 500) -> Stream[AudioFrame]:
        """Frames from one remote user (``user_id``) or from all (each frame's
        ``user_id`` tells whose), in the given format (one format for all the
        streams open at a time: the engine has one per local user)."""
        self._set_format("audio_frames", self._streams, sample_rate, channels,
                         self.sync.set_playback_audio_frame_before_mixing_parameters)
        self._observe()
        return Stream(self._streams, None if user_id is None else str(user_id), maxsize)

    def mixed_audio_frames(self, *, sample_rate: int = 16000, channels: int = 1,
                           maxsize: int = 500) -> Stream[AudioFrame]:
        """The mix of every subscribed remote user, one frame per 10 ms."""
        self._set_format("mixed_audio_frames", self._mixed_streams, sample_rate, channels,
                         self.sync.set_playback_audio_frame_parameters)
        self._observe()
        return Stream(self._mixed_streams, None, maxsize)

    def video_frames(self, user_id: str | int | None = None, *, options: VideoSubscriptionOptions | None = None,
                     maxsize: int = 30) -> Stream[VideoFrame]:
        """Raw video frames (I420 ``VideoFrame``, owned: keep them as long as
        needed) from one remote user or from all, as they arrive. Subscribes to
        that user's video (or everyone's) with ``options``
        (VideoSubscriptionOptions: high/low stream). When the consumer falls
        behind by ``maxsize`` frames the oldest go, counted in ``dropped``."""
        if user_id is None:
            self.sync.subscribe_all_video(options)
        else:
            self.sync.subscribe_video(str(user_id), options)
        if not self._observing_video:
            self.sync.register_video_frame_observer(_VideoRouter(self), dispatcher=self._conn._dispatcher)
            self._observing_video = True
        return Stream(self._video_streams, None if user_id is None else str(user_id), maxsize)

    def publish_audio(self, track: LocalAudioTrack) -> int:
        return self.sync.publish_audio(track)

    def publish_video(self, track: LocalVideoTrack) -> int:
        return self.sync.publish_video(track)

    def unpublish_video(self, track: LocalVideoTrack) -> int:
        return self.sync.unpublish_video(track)

    def unpublish_audio(self, track: LocalAudioTrack) -> int:
        return self.sync.unpublish_audio(track)

    def _close_streams(self) -> None:
        for stream in tuple(self._streams) + tuple(self._mixed_streams) + tuple(self._video_streams):
            stream.close()


class _EventRouter(IRTCConnectionObserver):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _emit(self, event: Event) -> None:
        for stream in tuple(self.conn._event_streams):
            stream._put(event)

    # Events come in the engine's order: while a disconnect() we asked for has not been
    # answered, a connected/failure event is the end of an attempt made before it
    # (cancelled, timed out), and must not decide the connect() pending now.
    def on_connected(self, conn: RTCConnection, info: RTCConnInfo, reason: int) -> None:
        if not self.conn._own_disconnects:
            self.conn._settle_connect(None, info)
        self._emit(Event("connected", info.local_user_id, reason, info))

    def on_connection_failure(self, conn: RTCConnection, info: RTCConnInfo, reason: int) -> None:
        if not self.conn._own_disconnects:
            self.conn._settle_connect(ConnectionFailed(reason, info.state), info)
        self._emit(Event("connection_failure", info.local_user_id, reason, info))

    def on_disconnected(self, conn: RTCConnection, info: RTCConnInfo, reason: int) -> None:
        if self.conn._own_disconnects:  # the end of a disconnect() we asked for, not of a connect() pending now
            self.conn._own_disconnects -= 1
        else:
            self.conn._settle_connect(ConnectionFailed(reason, info.state), info)
        self._emit(Event("disconnected", info.local_user_id, reason, info))

    def on_reconnecting(self, conn: RTCConnection, info: RTCConnInfo, reason: int) -> None:
        self._emit(Event("reconnecting", info.local_user_id, reason, info))

    def on_connection_lost(self, conn: RTCConnection, info: RTCConnInfo) -> None:
        self._emit(Event("connection_lost", info.local_user_id, 0, info))

    def on_reconnected(self, conn: RTCConnection, info: RTCConnInfo, reason: int) -> None:
        self._emit(Event("reconnected", info.local_user_id, reason, info))

    def on_user_joined(self, conn: RTCConnection, user_id: str) -> None:
        self._emit(Event("user_joined", user_id))

    def on_user_left(self, conn: RTCConnection, user_id: str, reason: int) -> None:
        self._emit(Event("user_left", user_id, reason))

    def on_token_privilege_will_expire(self, conn: RTCConnection, token: str) -> None:
        self._emit(Event("token_privilege_will_expire", token=token))

    def on_token_privilege_did_expire(self, conn: RTCConnection) -> None:
        self._emit(Event("token_privilege_did_expire"))


class Connection:
    """An RTCConnection driven from asyncio (``self.sync`` is the RTCConnection)."""

    def __init__(self, service: AgoraService, config: RTCConnConfig) -> None:
        self._service = service
        self._dispatcher = service._dispatcher
        self.sync = service.sync.create_rtc_connection(config)
        self.sync.set_event_dispatcher(self._dispatcher)
        self._connect_future: asyncio.Future[RTCConnInfo] | None = None
        self._own_disconnects = 0  # disconnect() calls whose on_disconnected has not arrived yet
        self._event_streams: weakref.WeakSet[Stream[Event]] = weakref.WeakSet()
        service._connections.add(self)
        self.sync.register_observer(_EventRouter(self))
        self.local_user = LocalUser(self)

    def _settle_connect(self, error: ConnectionFailed | None, info: RTCConnInfo | None) -> None:
        fut, self._connect_future = self._connect_future, None
        if fut is None or fut.done():
            return
        if error is None:
            assert info is not None  # on_connected gives it
            fut.set_result(info)
        else:
            fut.set_exception(error)
            fut.exception()  # retrieved here: a connect() cancelled before would never read it

    async def connect(self, token: str | None, channel_id: str, user_id: str | int,
                      timeout: float | None = 10.0) -> RTCConnInfo:
        """Join; returns the RTCConnInfo once connected, or raises
        ConnectionFailed with Agora's reason (or TimeoutError). Cancelled or
        timed out, it leaves the channel again (disconnect), so the
        connection is not left joining behind the caller's back."""
        loop = asyncio.get_running_loop()
        self._connect_future = fut = loop.create_future()  # RTCConnInfo when joined
        self.sync.connect(token, channel_id, user_id)
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except (asyncio.CancelledError, asyncio.TimeoutError):
            with contextlib.suppress(Exception):  # released meanwhile, or not in the channel: the cancel stands
                await self.disconnect()
            raise
        finally:
            if self._connect_future is fut:
                self._connect_future = None

    def events(self, maxsize: int = 1000) -> Stream[Event]:
        """Every connection event from this call on, in order, as an async
        iterator (subscribed at once, so nothing between the call and the
        first ``await`` is missed); it ends when the connection is released."""
        return Stream(self._event_streams, None, maxsize)

    async def disconnect(self) -> int:
        """Leave the channel; a connect() still pending ends with ConnectionFailed (reason 5, LEAVE_CHANNEL)."""
        if self.sync.get_conn_info().state == 1:  # DISCONNECTED: no on_disconnected will come
            return self.sync.disconnect()
        rc = self.sync.disconnect()
        self._own_disconnects += 1
        self._settle_connect(ConnectionFailed(5, 1), None)
        return rc

    async def renew_token(self, token: str) -> int:
        """Replace the token (see RTCConnection.renew_token)."""
        return self.sync.renew_token(token)

    async def release(self) -> None:
        """Disconnect and free; open frame streams end, a pending connect() fails."""
        try:
            self.sync.release()
        finally:
            self._close_streams()
            self._settle_connect(ConnectionFailed(5, 1), None)  # no event will come for a pending connect now

    def _close_streams(self) -> None:
        self.local_user._close_streams()
        for stream in tuple(self._event_streams):
            stream.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.release()


class AudioConsumer(_SyncConsumer):
    """AudioConsumer whose wait_for_playout() is awaited."""

    # Deliberately not substitutable: the asyncio form of the same method is a coroutine.
    async def wait_for_playout(self, timeout: float | None = None) -> bool:  # type: ignore[override]
        return await self.wait_for_playout_async(timeout)


class PcmSender:
    """A PCM sender and its custom track; ``await send(...)`` never blocks the
    loop (the engine queues the audio and plays it out in real time)."""

    def __init__(self, service: AgoraService) -> None:
        sync = service.sync
        self.factory = sync.create_media_node_factory()
        self.sender = self.factory.create_audio_pcm_data_sender()
        self.track = sync.create_custom_audio_track_pcm(self.sender)

    # **kw: PcmSender.send's bytes_per_sample, capture_timestamp, presentation_ms
    async def send(self, data: _Buffer, samples_per_channel: int, sample_rate: int, channels: int = 1,
                   **kw: int) -> int:
        return self.sender.send(data, samples_per_channel, sample_rate, channels, **kw)

    async def send_audio_pcm_data(self, frame: PcmAudioFrame) -> int:
        return self.sender.send_audio_pcm_data(frame)

    def clear(self) -> int:
        """Drop queued audio at once (barge-in)."""
        return self.track.clear_sender_buffer()

    def release(self) -> None:
        for obj in (self.track, self.sender, self.factory):
            obj.release()


def _release_if_acquired(joining: asyncio.Future[PooledConnection]) -> None:
    if not joining.cancelled() and joining.exception() is None:
        joining.result().release()


class ConnectionPool:
    """The asyncio form of agora_rtc.pool.ConnectionPool: ``await acquire()``
    joins without blocking the loop; ``async with`` closes the pool."""

    def __init__(self, service: AgoraService, size: int, config: RTCConnConfig | None = None) -> None:
        from .pool import ConnectionPool as _Pool
        self.sync = _Pool(service.sync, size, config)

    async def acquire(self, token: str | None, channel_id: str, user_id: str | int,
                      timeout: float = 10.0) -> PooledConnection:
        loop = asyncio.get_running_loop()
        joining = loop.run_in_executor(None, self.sync.acquire, token, channel_id, user_id, timeout)
        try:
            return await asyncio.shield(joining)
        except asyncio.CancelledError:
            # the join goes on in its thread: give the use back once it is made, or it is lost to the pool
            joining.add_done_callback(_release_if_acquired)
            raise

    def stats(self) -> dict[str, int]:
        return self.sync.stats()

    async def close(self) -> None:
        self.sync.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AgoraService:
    """``async with AgoraService(config) as service`` initializes on entry and
    releases everything on exit. ``self.sync`` is the underlying service."""

    def __init__(self, config: AgoraServiceConfig, sdk_path: str | os.PathLike[str] | None = None,
                 queue_capacity: int = 4096) -> None:
        self.config = config
        self.sync = _SyncService(sdk_path)
        self._capacity = queue_capacity
        self._dispatcher: LoopDispatcher | None = None  # made on entry, on the running loop
        self._connections: weakref.WeakSet[Connection] = weakref.WeakSet()

    async def __aenter__(self) -> Self:
        self.sync.initialize(self.config)
        self._dispatcher = LoopDispatcher(asyncio.get_running_loop(), self._capacity)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.release()

    def set_parameters(self, params: str | Mapping[str, object]) -> int:
        return self.sync.set_parameters(params)

    def create_connection(self, config: RTCConnConfig | None = None) -> Connection:
        return Connection(self, config if config is not None else RTCConnConfig(auto_subscribe_audio=1))

    def create_pcm_sender(self) -> PcmSender:
        return PcmSender(self)

    def stats(self) -> dict[str, int]:
        """The loop dispatcher's queue counters (``dropped`` must stay 0)."""
        return self._dispatcher.stats() if self._dispatcher else {}

    async def release(self) -> None:
        for conn in tuple(self._connections):  # their streams end (their engine objects go with the service)
            conn._close_streams()
        self.sync.release()
        if self._dispatcher is not None:
            self._dispatcher.close()
            self._dispatcher = None
