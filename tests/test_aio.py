"""asyncio: connect, events and frames as async iterators, on the loop thread."""

import asyncio
import threading
import time

import numpy as np
import pytest

from agora_rtc.aio import AgoraService, AgoraServiceConfig, ConnectionFailed
from conftest import tone


def run(coro, timeout=60):
    async def guarded():
        return await asyncio.wait_for(coro, timeout)  # a watchdog instead of a hang
    return asyncio.run(guarded())


def config():
    return AgoraServiceConfig(appid="aio", use_string_uid=1)


def test_two_bots_exchange_audio_with_async_for_while_cpu_busy():
    async def main():
        async with AgoraService(config()) as svc:
            svc.set_parameters({"loopback.clock_speed": 10})
            alice, bob = svc.create_connection(), svc.create_connection()
            info = await alice.connect("", "talk", "alice")
            assert info.local_user_id == "alice"
            await bob.connect("", "talk", "bob")
            senders = {}
            sent = {}
            for name, conn in (("alice", alice), ("bob", bob)):
                senders[name] = svc.create_pcm_sender()
                conn.local_user.publish_audio(senders[name].track)
                sent[name] = tone(16000, 2.0, freqs=(250.0 if name == "alice" else 400.0,))

            async def hog():  # CPU-heavy work on the same loop, in short slices
                end = time.monotonic() + 1.5
                while time.monotonic() < end:
                    np.linalg.svd(np.random.rand(80, 80))
                    await asyncio.sleep(0)

            async def receive(conn, peer):
                got = []
                loop_thread = threading.get_ident()
                async with conn.local_user.audio_frames(peer, sample_rate=16000) as frames:
                    async for frame in frames:
                        assert threading.get_ident() == loop_thread
                        assert frame.user_id == peer
                        got.append(np.frombuffer(frame, np.int16).copy())  # dispatched frames are owned
                        if sum(map(len, got)) >= len(sent[peer]):
                            break
                    return np.concatenate(got), frames.dropped

            rx_bob = asyncio.create_task(receive(bob, "alice"))
            rx_alice = asyncio.create_task(receive(alice, "bob"))
            await asyncio.sleep(0)
            for name in senders:
                await senders[name].send(sent[name], len(sent[name]), 16000)
            _, (bob_got, bob_dropped), (alice_got, alice_dropped) = await asyncio.gather(hog(), rx_bob, rx_alice)
            np.testing.assert_array_equal(bob_got, sent["alice"])  # in order, nothing lost
            np.testing.assert_array_equal(alice_got, sent["bob"])
            assert bob_dropped == alice_dropped == 0
            assert svc.stats()["dropped"] == 0
    run(main())


def test_events_async_iterator():
    async def main():
        async with AgoraService(config()) as svc:
            a = svc.create_connection()
            events = a.events()
            await a.connect("", "ev", "a")
            b = svc.create_connection()
            await b.connect("", "ev", "b")
            await b.release()
            names = []
            async for event in events:
                names.append((event.name, event.user_id))
                if event.name == "user_left":
                    break
            assert names == [("connected", "a"), ("user_joined", "b"), ("user_left", "b")]
    run(main())


def test_connect_failure_raises_with_reason():
    async def main():
        async with AgoraService(config()) as svc:
            first = svc.create_connection()
            await first.connect("", "seat", "same")
            failed = asyncio.get_running_loop().create_future()

            async def watch():
                async for event in first.events():
                    if event.name == "connection_failure":
                        failed.set_result(event.reason)
                        return
            watcher = asyncio.create_task(watch())
            await asyncio.sleep(0)
            second = svc.create_connection()
            await second.connect("", "seat", "same")
            assert await failed == 19  # SAME_UID_LOGIN
            watcher.cancel()
            with pytest.raises(Exception, match="ERR_INVALID_CHANNEL_NAME"):
                await svc.create_connection().connect("", "bad/name", "x")
    run(main())


def test_release_ends_frame_streams_and_is_cancellation_safe():
    async def main():
        async with AgoraService(config()) as svc:
            conn = svc.create_connection()
            await conn.connect("", "end", "me")
            stream = conn.local_user.audio_frames()
            reader = asyncio.create_task(stream.__anext__())
            await asyncio.sleep(0.05)
            reader.cancel()  # cancelling a waiting reader leaves the stream usable
            with pytest.raises(asyncio.CancelledError):
                await reader
            nxt = asyncio.create_task(stream.__anext__())
            await asyncio.sleep(0.01)
            await conn.release()
            with pytest.raises(StopAsyncIteration):
                await nxt
    run(main())


def test_two_bots_on_uvloop():
    import uvloop

    async def main():
        assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
        async with AgoraService(config()) as svc:
            svc.set_parameters({"loopback.clock_speed": 20})
            a, b = svc.create_connection(), svc.create_connection()
            await a.connect("", "uv", "a")
            await b.connect("", "uv", "b")
            sender = svc.create_pcm_sender()
            a.local_user.publish_audio(sender.track)
            x = tone(16000, 0.5)
            async with b.local_user.audio_frames("a") as frames:
                await sender.send(x, len(x), 16000)
                got = []
                async for frame in frames:
                    got.append(np.frombuffer(frame, np.int16).copy())
                    if len(got) == 50:
                        break
            np.testing.assert_array_equal(np.concatenate(got), x)
    uvloop.run(asyncio.wait_for(main(), 60))


def test_async_connection_pool():
    from agora_rtc.aio import ConnectionPool

    async def main():
        async with AgoraService(config()) as svc:
            baseline = svc.sync.engine_objects()
            async with ConnectionPool(svc, 3) as pool:
                for i in range(10):
                    async with await pool.acquire("", "apool", f"bot{i % 2}") as use:
                        sender, _ = use.create_pcm_sender()
                        sender.send(tone(16000, 0.02), 320, 16000)
                assert pool.stats()["acquired_total"] == 10
            assert svc.sync.engine_objects() == baseline
    run(main())


def test_video_frames_async_for_owned_frames_in_order():
    from agora_rtc import VideoPixelFormat
    from agora_rtc._testsrc import frame_number, i420_pattern

    async def main():
        async with AgoraService(config()) as svc:
            viewer, camera = svc.create_connection(), svc.create_connection()
            await viewer.connect("", "aio-video", "viewer")
            await camera.connect("", "aio-video", "camera")
            frames = viewer.local_user.video_frames("camera")
            sender = svc.sync.create_media_node_factory().create_video_frame_sender()
            track = svc.sync.create_custom_video_track_frame(sender)
            camera.local_user.publish_video(track)
            for i in range(10):
                sender.send(i420_pattern(i, 128, 64), VideoPixelFormat.I420, 128, 64, timestamp_ms=i)
            got = []
            async for frame in frames:
                got.append(frame)
                if len(got) == 10:
                    break
            await asyncio.sleep(0)  # the frames are still valid here, after their callbacks
            assert [frame_number(np.asarray(f.y)) for f in got] == list(range(10))
            assert all(f.to_i420() == i420_pattern(i, 128, 64) for i, f in enumerate(got))
            assert {f.user_id for f in got} == {"camera"} and frames.dropped == 0
            assert svc.stats()["dropped"] == 0
    run(main())


def test_audio_streams_open_at_once_share_one_format():
    async def main():
        async with AgoraService(config()) as svc:
            conn = svc.create_connection()
            await conn.connect("", "formats", "me")
            first = conn.local_user.audio_frames("a", sample_rate=16000)
            also = conn.local_user.audio_frames("b", sample_rate=16000)  # the same format: fine
            with pytest.raises(ValueError, match=r"audio_frames\(\): the streams already open get 16000 Hz x 1"):
                conn.local_user.audio_frames("c", sample_rate=48000)  # would have changed first's frames
            first.close()
            also.close()
            assert conn.local_user.audio_frames(sample_rate=48000) is not None  # none open: any format
            # that stream was dropped without close() (as an `async for` left by break): it pins nothing
            kept = conn.local_user.audio_frames(sample_rate=24000)
            kept.close()
            await conn.release()
    run(main())


def test_connect_disconnect_connect_and_the_connection_events_a_bot_needs():
    async def main():
        async with AgoraService(config()) as svc:
            conn = svc.create_connection()
            events = conn.events()
            await conn.connect("", "again", "me")
            await conn.disconnect()
            info = await conn.connect("", "again", "me")  # the first disconnect's event no longer fails it
            assert info.state == 3
            svc.set_parameters({"loopback.fault.outage_ms": 1500})  # the network goes away for 1.5 s
            names = []
            while "reconnected" not in names:
                names.append((await asyncio.wait_for(events.__anext__(), 10)).name)
            assert names == ["connected", "disconnected", "connected", "reconnecting", "reconnected"]
            reader = asyncio.create_task(events.__anext__())
            await asyncio.sleep(0.01)
            with pytest.raises(RuntimeError, match="a Stream has one reader"):
                await events.__anext__()  # a second task would have stolen the first one's wake-up
            reader.cancel()
            other = svc.create_connection()
            joining = asyncio.create_task(other.connect("", "again", "late"))
            await asyncio.sleep(0)
            joining.cancel()
            with pytest.raises(asyncio.CancelledError):
                await joining
            assert other.sync.get_conn_info().state == 1  # a cancelled connect leaves: not joined behind our back
            left_open = conn.events()
        # leaving the service block ends the streams of connections never released one by one
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(left_open.__anext__(), 5)
    run(main())


def test_a_cancelled_pool_acquire_gives_its_connection_back():
    from agora_rtc.aio import ConnectionPool

    async def main():
        async with AgoraService(config()) as svc:
            async with ConnectionPool(svc, 2) as pool:
                acquiring = asyncio.create_task(pool.acquire("", "pool-cancel", "a"))
                await asyncio.sleep(0)
                acquiring.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await acquiring
                deadline = time.monotonic() + 10
                while pool.stats()["idle"] != 2 and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
                assert pool.stats()["idle"] == 2 and pool.stats()["in_use"] == 0
    run(main())


def test_a_stream_woken_then_read_again_at_once_still_gets_items_and_its_end():
    from agora_rtc.aio import Stream

    async def main():
        stream = Stream(set(), None, 10)
        first = asyncio.create_task(stream.__anext__())
        await asyncio.sleep(0)
        stream._put(1)
        assert stream._frames.popleft() == 1  # taken before the woken reader runs
        second = asyncio.create_task(stream.__anext__())
        await asyncio.sleep(0)  # both readers run: the first waits again... a reader's wake-up must not be lost
        stream._put(2)
        stream.close()
        done, _ = await asyncio.wait({first, second}, timeout=5)
        assert done == {first, second}
    run(main())


def test_cancelling_a_connect_after_release_is_a_plain_cancel():
    async def main():
        async with AgoraService(config()) as svc:
            conn = svc.create_connection()
            joining = asyncio.create_task(conn.connect("", "rel", "me", timeout=None))
            await asyncio.sleep(0)
            await conn.release()
            with pytest.raises(ConnectionFailed):  # the release ends the pending connect
                await asyncio.wait_for(joining, 5)
            other = svc.create_connection()
            joining = asyncio.create_task(other.connect("", "rel", "you", timeout=None))
            await asyncio.sleep(0)
            other.sync.release()  # released under the aio object's feet
            joining.cancel()
            with pytest.raises(asyncio.CancelledError):  # not the cleanup's ValueError
                await joining
    run(main())


def test_a_connect_cancelled_after_it_joined_does_not_decide_the_next_connect():
    """The cancelled attempt's on_connected is already queued for the loop when the next
    connect() starts: it belongs to the attempt that was left, not to the new one (which fails)."""
    async def main():
        async with AgoraService(config()) as svc:
            conn = svc.create_connection()
            events = conn.events()
            first = asyncio.create_task(conn.connect("", "stale", "me", timeout=None))
            await asyncio.sleep(0)
            deadline = time.monotonic() + 10
            while conn.sync.get_conn_info().state != 3 and time.monotonic() < deadline:
                time.sleep(0.005)  # the loop blocked: the engine joins, its on_connected waits in the queue
            first.cancel()
            svc.set_parameters({"loopback.app_certificate": "0123456789abcdef0123456789abcdef"})
            second = asyncio.create_task(conn.connect("", "stale", "me"))  # starts before the queue is read
            with pytest.raises(asyncio.CancelledError):
                await first
            with pytest.raises(ConnectionFailed) as failed:  # no token, and one is needed now
                await second
            assert failed.value.reason == 8  # INVALID_TOKEN
            names = [(await asyncio.wait_for(events.__anext__(), 5)).name for _ in range(3)]
            assert names == ["connected", "disconnected", "connection_failure"]
            await conn.release()
    run(main())
