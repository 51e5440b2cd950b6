"""Dispatched delivery, ConnectionPool, and concurrent lifecycle stress."""

import random
import threading
import time

import numpy as np
import pytest

from agora_rtc import (ClientRoleType, EncryptionConfig, IAudioFrameObserver, IRTCConnectionObserver,
                       IRTCLocalUserObserver, IVideoFrameObserver, RTCConnConfig, VideoPixelFormat)
from agora_rtc.pool import ConnectionPool
from conftest import FrameLog, Publisher, join, tone, wait_for


def test_dispatched_frames_arrive_on_the_dispatch_thread_and_are_owned(service):
    conn, _ = join(service, "d", "listener")
    frames, threads, kept = FrameLog(), set(), []

    class Owned(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            threads.add(threading.current_thread().name)
            kept.append(frame)  # dispatched frames may be kept
            frames.on_playback_audio_frame_before_mixing(local_user, channel_id, uid, frame)

    conn.get_local_user().register_audio_frame_observer(Owned(), dispatcher=service.dispatcher)
    x = tone(16000, 0.5)
    Publisher(service, "d", "talker").send(x, 16000)
    wait_for(lambda: len(frames.samples("talker")) >= len(x))
    np.testing.assert_array_equal(frames.samples("talker"), x)
    assert threads == {"agora-rtc-dispatch"}
    assert np.frombuffer(kept[0], np.int16).tolist() == x[:160].tolist()  # still valid later
    assert service.dispatcher.stats()["dropped"] == 0


def test_dispatched_callback_may_disconnect_and_release_its_own_connection(service):
    released = threading.Event()

    class Quit(IRTCConnectionObserver):
        def on_user_joined(self, conn, user_id):
            conn.get_local_user().unsubscribe_all_audio()
            conn.disconnect()
            conn.release()
            released.set()

    a = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    a.set_event_dispatcher(service.dispatcher)
    a.register_observer(Quit())
    a.connect("", "quit", "a")
    b, log_b = join(service, "quit", "b")
    assert released.wait(10), "dispatched callback deadlocked"  # watchdog
    wait_for(lambda: log_b.of("left"))
    assert a.released


def test_slow_dispatched_consumer_drops_oldest_and_counts(service):
    from agora_rtc.dispatch import DispatchThread
    slow = DispatchThread(capacity=8, name="slow")
    try:
        conn, _ = join(service, "slow", "listener")
        got = []

        class Slow(IAudioFrameObserver):
            def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
                got.append(frame.render_time_ms)
                time.sleep(0.05)  # far slower than the 0.5 ms ticks of the test clock

        conn.get_local_user().register_audio_frame_observer(Slow(), dispatcher=slow)
        Publisher(service, "slow", "talker").send(tone(16000, 1.0), 16000)
        wait_for(lambda: slow.stats()["dropped"] > 0, what="drops to be counted")
        conn.get_local_user().unregister_audio_frame_observer()
        stats = slow.stats()
        assert stats["dropped"] + len(got) + stats["pending"] <= stats["delivered_to_queue"] + 1
        assert got == sorted(got)  # what survives stays in order
    finally:
        slow.close()


def test_pool_reuses_connections_without_leaks(service):
    baseline = service.engine_objects()
    with ConnectionPool(service, 4) as pool:
        listener, _ = join(service, "pool", "listener")
        frames = FrameLog()
        listener.get_local_user().register_audio_frame_observer(frames)
        after_create = service.engine_objects()
        for cycle in range(50):
            use = pool.acquire("", "pool", f"bot{cycle % 3}")
            sender, _ = use.create_pcm_sender()
            sent_before = sum(len(v) for v in frames.before.values())
            sender.send(tone(16000, 0.02), 320, 16000)
            use.local_user.register_audio_frame_observer(FrameLog())
            wait_for(lambda: sum(len(v) for v in frames.before.values()) > sent_before, what="the bot's audio")
            use.release()
            assert service.engine_objects() == after_create, f"cycle {cycle}"
        assert pool.stats() == {"size": 4, "in_use": 0, "idle": 4, "acquired_total": 50}
        with pytest.raises(ValueError, match="PooledConnection was released: its connection went back to the pool"):
            use.connection.connect("", "pool", "late")  # the pool's now: a released use cannot reach it
        listener.release()
    assert service.engine_objects() == baseline


def test_pool_takes_back_uses_that_published_video_or_released_their_tracks(service):
    """A use that published video, unpublished one track itself and released another while
    published still goes back to the pool (the video one used to raise ERR_INVALID_STATE there)."""
    with ConnectionPool(service, 1) as pool:
        for cycle in range(3):
            use = pool.acquire("", "pool-video", f"cam{cycle}")
            factory = service.create_media_node_factory()
            video_sender = factory.create_video_frame_sender()
            video = service.create_custom_video_track_frame(video_sender)
            use.local_user.publish_video(video)
            unpublished = service.create_custom_audio_track_pcm(factory.create_audio_pcm_data_sender())
            use.local_user.publish_audio(unpublished)
            use.local_user.unpublish_audio(unpublished)
            released = service.create_custom_audio_track_pcm(factory.create_audio_pcm_data_sender())
            use.local_user.publish_audio(released)
            released.release()
            use.release()
            assert pool.stats()["idle"] == 1, f"cycle {cycle}"
            for obj in (video, video_sender, unpublished, factory):
                obj.release()
        assert pool.stats()["acquired_total"] == 3


def test_a_pool_use_leaves_nothing_to_the_next_use_of_its_connection(service):
    """Observers of every kind, audio unsubscribed, the audience role, encryption and a
    dispatcher set by one use do not reach the next use of the same connection."""
    stale = []

    class Video(IVideoFrameObserver):
        def on_frame(self, channel_id, remote_uid, frame):
            stale.append(("frame", remote_uid))

    class Events(IRTCConnectionObserver, IRTCLocalUserObserver):
        def on_user_joined(self, conn, user_id):
            stale.append(("joined", user_id))

        def on_user_audio_track_subscribed(self, local_user, user_id, info, track):
            stale.append(("subscribed", user_id))

    config = RTCConnConfig(auto_subscribe_audio=1, auto_subscribe_video=1)
    with ConnectionPool(service, 1, config) as pool:
        use = pool.acquire("", "pool-reset", "first")
        first = use.local_user
        first.register_video_frame_observer(Video())
        first.register_local_user_observer(Events())
        use.connection.register_observer(Events())
        use.connection.set_event_dispatcher(service.dispatcher)
        use.connection.enable_encryption(True, EncryptionConfig(encryption_mode=1, encryption_key="secret"))
        first.set_user_role(ClientRoleType.CLIENT_ROLE_AUDIENCE)
        first.unsubscribe_all_audio()
        use.release()

        use = pool.acquire("", "pool-reset", "second")
        joined = threading.Event()

        class Joined(IRTCConnectionObserver):
            def on_user_joined(self, conn, user_id):
                joined.set()
        use.connection.register_observer(Joined())
        frames, video = FrameLog(), []

        class NewVideo(IVideoFrameObserver):
            def on_frame(self, channel_id, remote_uid, frame):
                video.append(remote_uid)
        use.local_user.register_audio_frame_observer(frames)
        use.local_user.register_video_frame_observer(NewVideo())
        talker = Publisher(service, "pool-reset", "talker")  # not encrypted: heard only without a key
        camera_sender = talker.factory.create_video_frame_sender()
        camera = service.create_custom_video_track_frame(camera_sender)
        talker.conn.get_local_user().publish_video(camera)
        wait_for(joined.is_set, what="the talker seen joining")
        talker.send(tone(16000, 0.1), 16000)
        camera_sender.send(np.zeros(16 * 8 * 3 // 2, np.uint8), VideoPixelFormat.I420, 16, 8)
        wait_for(lambda: len(frames.samples("talker")) >= 800 and video, what="the talker's audio and video")
        assert use.local_user.get_user_role() == ClientRoleType.CLIENT_ROLE_BROADCASTER
        sender, _ = use.create_pcm_sender()  # a broadcaster again: it may publish
        assert sender.send(tone(16000, 0.01), 160, 16000) == 0
        assert stale == []  # the first use's observers heard nothing of the second
        for obj in (camera, camera_sender, talker.track, talker.sender, talker.conn):
            obj.release()


def test_pool_exhaustion_and_closed_errors(service):
    pool = ConnectionPool(service, 1)
    use = pool.acquire("", "px", "1")
    conn = use.connection
    with pytest.raises(RuntimeError, match="exhausted"):
        pool.acquire("", "px", "2")
    pool.close()  # ends the uses still open and releases every connection
    assert conn.released
    with pytest.raises(ValueError, match="PooledConnection was released"):
        use.local_user.get_user_role()
    with pytest.raises(ValueError, match="closed"):
        pool.acquire("", "px", "3")


def test_eight_threads_publish_send_unpublish_release_concurrently(service):
    stop = time.monotonic() + 3.0  # ~60 s of engine time at 20x
    errors, cycles = [], [0] * 8
    listener, _ = join(service, "storm", "listener")
    listener.get_local_user().register_audio_frame_observer(FrameLog(), dispatcher=service.dispatcher)

    def worker(i):
        rng = random.Random(i)
        try:
            while time.monotonic() < stop:
                pub = Publisher(service, "storm", f"w{i}")
                for _ in range(rng.randint(1, 5)):
                    pub.send(tone(16000, 0.03, seed=i), 16000)
                if rng.random() < 0.5:
                    pub.conn.get_local_user().unpublish_audio(pub.track)
                objs = [pub.conn, pub.track, pub.sender, pub.factory]
                rng.shuffle(objs)
                for obj in objs:
                    obj.release()
                cycles[i] += 1
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert errors == []
    assert sum(cycles) >= 8
    listener.release()
    # A destroyed connection lets go of its published tracks with its last reference, which an event
    # still queued for it may hold a moment longer (seen under ASan): wait for that, then require zero.
    wait_for(lambda: not any(service.engine_objects().values()), timeout=10, what="engine objects back to zero")
    counts = service.engine_objects()
    assert not any(counts.values()), counts
