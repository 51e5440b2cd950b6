"""Publish and subscribe states (on_{audio,video}_publish_state_changed,
on_{audio,video}_subscribe_state_changed): the order Agora reports them in,
for publishing, unpublishing, unsubscribing, subscribing again and leaving,
directly and through a dispatcher."""

import os
import sys
import time

import numpy as np
import pytest

from agora_rtc import AgoraService, AgoraServiceConfig, IRTCLocalUserObserver, RTCConnConfig, VideoPixelFormat
from agora_rtc.audio import RemoteAudioState, RemoteAudioStateReason
from agora_rtc.observers import StreamPublishState as P
from agora_rtc.observers import StreamSubscribeState as S
from conftest import Publisher, join, tone, wait_for


class States(IRTCLocalUserObserver):
    def __init__(self):
        self.events = []

    def on_audio_publish_state_changed(self, local_user, channel, old, new, elapsed):
        assert elapsed >= 0
        self.events.append(("audio_pub", channel, old, new))

    def on_video_publish_state_changed(self, local_user, channel, old, new, elapsed):
        assert elapsed >= 0
        self.events.append(("video_pub", channel, old, new))

    def on_audio_subscribe_state_changed(self, local_user, channel, user_id, old, new, elapsed):
        assert elapsed >= 0
        self.events.append(("audio_sub", channel, user_id, old, new))

    def on_video_subscribe_state_changed(self, local_user, channel, user_id, old, new, elapsed):
        assert elapsed >= 0
        self.events.append(("video_sub", channel, user_id, old, new))

    def on_user_audio_track_subscribed(self, local_user, user_id, track):
        self.events.append(("audio_track_subscribed", user_id))

    def on_user_audio_track_state_changed(self, local_user, user_id, track, state, reason, elapsed):
        self.events.append(("audio_state", user_id, state, reason))

    def of(self, kind):
        return [e[1:] for e in self.events if e[0] == kind]


SUBSCRIBED = [(S.SUB_STATE_NO_SUBSCRIBED, S.SUB_STATE_SUBSCRIBING), (S.SUB_STATE_SUBSCRIBING, S.SUB_STATE_SUBSCRIBED)]
PUBLISHED = [(P.PUB_STATE_NO_PUBLISHED, P.PUB_STATE_PUBLISHING), (P.PUB_STATE_PUBLISHING, P.PUB_STATE_PUBLISHED)]


@pytest.mark.parametrize("dispatched", [False, True])
def test_audio_publish_states(service, dispatched):
    channel = f"pubst{dispatched}"
    conn, _ = join(service, channel, "bot")
    if dispatched:
        conn.set_event_dispatcher(service.dispatcher)
    states = States()
    user = conn.get_local_user()
    user.register_local_user_observer(states)
    factory = service.create_media_node_factory()
    tracks = [service.create_custom_audio_track_pcm(factory.create_audio_pcm_data_sender()) for _ in range(2)]
    user.publish_audio(tracks[0])
    user.publish_audio(tracks[1])  # a second track: the user's audio stays PUBLISHED, no new change
    wait_for(lambda: len(states.of("audio_pub")) == 2, what="publishing, published")
    user.unpublish_audio(tracks[0])
    user.unpublish_audio(tracks[1])  # the last one: NO_PUBLISHED
    wait_for(lambda: len(states.of("audio_pub")) == 3, what="no longer published")
    assert states.of("audio_pub") == [(channel, *s) for s in PUBLISHED] + \
        [(channel, P.PUB_STATE_PUBLISHED, P.PUB_STATE_NO_PUBLISHED)]
    assert not states.of("video_pub")


@pytest.mark.parametrize("dispatched", [False, True])
def test_audio_subscribe_states(service, dispatched):
    channel = f"subst{dispatched}"
    listener, _ = join(service, channel, "human")
    if dispatched:
        listener.set_event_dispatcher(service.dispatcher)
    states = States()
    user = listener.get_local_user()
    user.register_local_user_observer(states)
    talker = Publisher(service, channel, "bot")
    talker.send(tone(16000, 0.3), 16000)
    wait_for(lambda: len(states.of("audio_sub")) == 2, what="subscribing, subscribed")
    # the subscribe states come before on_user_audio_track_subscribed, as Agora orders them
    assert [e[0] for e in states.events[:3]] == ["audio_sub", "audio_sub", "audio_track_subscribed"]
    assert states.of("audio_sub") == [(channel, "bot", *s) for s in SUBSCRIBED]

    talker.conn.get_local_user().unpublish_audio(talker.track)
    wait_for(lambda: len(states.of("audio_sub")) == 3, what="unsubscribed by the remote unpublishing")
    assert states.of("audio_sub")[2] == (channel, "bot", S.SUB_STATE_SUBSCRIBED, S.SUB_STATE_NO_SUBSCRIBED)

    talker.conn.get_local_user().publish_audio(talker.track)
    talker.send(tone(16000, 0.3), 16000)
    wait_for(lambda: len(states.of("audio_sub")) == 5, what="subscribed again")
    user.unsubscribe_audio("bot")  # our own choice: STOPPED with LOCAL_MUTED, NO_SUBSCRIBED
    wait_for(lambda: len(states.of("audio_sub")) == 6, what="unsubscribed locally")
    assert ("bot", RemoteAudioState.STOPPED, RemoteAudioStateReason.LOCAL_MUTED) in states.of("audio_state")
    user.subscribe_audio("bot")
    talker.send(tone(16000, 0.3), 16000)
    wait_for(lambda: len(states.of("audio_sub")) == 8, what="subscribed after subscribe_audio")
    talker.conn.release()
    wait_for(lambda: len(states.of("audio_sub")) == 9, what="unsubscribed: the user left")
    stop = [(channel, "bot", S.SUB_STATE_SUBSCRIBED, S.SUB_STATE_NO_SUBSCRIBED)]
    want = [(channel, "bot", *s) for s in SUBSCRIBED]
    assert states.of("audio_sub") == want + stop + want + stop + want + stop


def test_unsubscribe_all_audio_reports_every_stream_stopped(service):
    listener, _ = join(service, "subst-all", "human")
    states = States()
    user = listener.get_local_user()
    user.register_local_user_observer(states)
    talkers = [Publisher(service, "subst-all", name) for name in ("a", "b")]
    for t in talkers:
        t.send(tone(16000, 0.5), 16000)
    wait_for(lambda: len(states.of("audio_sub")) == 4, what="both subscribed")
    user.unsubscribe_all_audio()
    wait_for(lambda: len(states.of("audio_sub")) == 6, what="both unsubscribed")
    assert sorted(states.of("audio_sub")[4:]) == [("subst-all", name, S.SUB_STATE_SUBSCRIBED, S.SUB_STATE_NO_SUBSCRIBED)
                                                   for name in ("a", "b")]


@pytest.mark.parametrize("dispatched", [False, True])
def test_video_publish_and_subscribe_states(service, dispatched):
    channel = f"vst{dispatched}"
    tx, _ = join(service, channel, "cam")
    rx, _ = join(service, channel, "viewer", config=RTCConnConfig(auto_subscribe_video=1))
    if dispatched:
        tx.set_event_dispatcher(service.dispatcher)
        rx.set_event_dispatcher(service.dispatcher)
    tx_states, rx_states = States(), States()
    tx.get_local_user().register_local_user_observer(tx_states)
    rx.get_local_user().register_local_user_observer(rx_states)
    factory = service.create_media_node_factory()
    sender = factory.create_video_frame_sender()
    track = service.create_custom_video_track_frame(sender)
    tx.get_local_user().publish_video(track)
    frame = np.zeros(64 * 48 * 3 // 2, np.uint8)
    sender.send(frame, VideoPixelFormat.I420, 64, 48)
    wait_for(lambda: len(rx_states.of("video_sub")) == 2, what="video subscribed")
    assert rx_states.of("video_sub") == [(channel, "cam", *s) for s in SUBSCRIBED]
    rx.get_local_user().unsubscribe_video("cam")
    wait_for(lambda: len(rx_states.of("video_sub")) == 3, what="video unsubscribed")
    assert rx_states.of("video_sub")[2] == (channel, "cam", S.SUB_STATE_SUBSCRIBED, S.SUB_STATE_NO_SUBSCRIBED)
    tx.get_local_user().unpublish_video(track)
    wait_for(lambda: len(tx_states.of("video_pub")) == 3, what="video unpublished")
    assert tx_states.of("video_pub") == [(channel, *s) for s in PUBLISHED] + \
        [(channel, P.PUB_STATE_PUBLISHED, P.PUB_STATE_NO_PUBLISHED)]
    assert not tx_states.of("audio_pub") and not rx_states.of("audio_sub")


def test_unsubscribing_one_user_keeps_members_in_other_processes():
    """Going from subscribe-all to all-but-one keeps hearing members in other processes
    (it used to keep only those of this process)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "e2e"))
    from test_cross_process import Peer
    channel = f"subst-xp-{os.getpid()}"
    with AgoraService() as svc:  # real-time clock and the peers' app id: the channel is shared
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1))
        listener, _ = join(svc, channel, "human")
        states = States()
        user = listener.get_local_user()
        user.register_local_user_observer(states)
        far = Peer(channel, "far", "--send-tone", "6", "--stay", "7")
        try:
            near = Publisher(svc, channel, "near")
            near.send(tone(16000, 1.0), 16000)
            wait_for(lambda: sorted(e[1] for e in states.of("audio_sub")) == ["far", "far", "near", "near"],
                     what="both subscribed")
            user.unsubscribe_audio("near")
            wait_for(lambda: (channel, "near", S.SUB_STATE_SUBSCRIBED, S.SUB_STATE_NO_SUBSCRIBED)
                     in states.of("audio_sub"), what="near unsubscribed")
            time.sleep(1.0)  # twice the 500 ms after which a silent stream is FROZEN
            assert [e for e in states.of("audio_sub") if e[1] == "far"] == [(channel, "far", *s) for s in SUBSCRIBED]
            assert ("far", RemoteAudioState.FROZEN, RemoteAudioStateReason.INTERNAL) not in states.of("audio_state")
        finally:
            far.proc.kill()
            far.proc.wait()


class Published(IRTCLocalUserObserver):
    def __init__(self):
        self.events = []

    def on_audio_track_publish_success(self, local_user, track):
        self.events.append(("published", track))

    def on_audio_track_unpublished(self, local_user, track):
        self.events.append(("unpublished", track))


@pytest.mark.parametrize("dispatched", [False, True])
def test_audio_publish_callbacks_get_the_track(service, dispatched):
    """Both deliveries hand over the LocalAudioTrack itself (dispatched ones gave 0)."""
    conn, _ = join(service, f"pubtrack{dispatched}", "bot")
    if dispatched:
        conn.set_event_dispatcher(service.dispatcher)
    seen = Published()
    user = conn.get_local_user()
    user.register_local_user_observer(seen)
    factory = service.create_media_node_factory()
    track = service.create_custom_audio_track_pcm(factory.create_audio_pcm_data_sender())
    user.publish_audio(track)
    user.unpublish_audio(track)
    wait_for(lambda: len(seen.events) == 2, what="published, unpublished")
    assert seen.events == [("published", track), ("unpublished", track)]


def test_video_planes_are_made_by_the_sdk_only():
    from agora_rtc._core import VideoPlane
    with pytest.raises(TypeError, match="made by the SDK"):
        VideoPlane()
