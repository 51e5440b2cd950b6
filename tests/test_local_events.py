"""Local track states and publish start, role changes, network type and quality, what remote users
publish (on_user_info_updated / on_user_state_changed), remote video size, first rendered frame and
stream info: the arguments and the order Agora reports them in, directly and through a dispatcher,
and from members in other processes."""

import os
import subprocess
import sys

import numpy as np
import pytest

from agora_rtc import (AgoraService, AgoraServiceConfig, ClientRoleType, IRTCLocalUserObserver, IVideoFrameObserver,
                       RemoteVideoStreamInfo, RTCConnConfig, VideoPixelFormat)
from agora_rtc.audio import RemoteAudioState
from agora_rtc.observers import LocalAudioStreamState as LA
from agora_rtc.observers import LocalVideoStreamState as LV
from agora_rtc.observers import NetworkType, QualityType
from agora_rtc.observers import RemoteUserState as U
from agora_rtc.observers import UserMediaInfo as M
from conftest import EventLog, Publisher, join, tone, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))


class UserEvents(IRTCLocalUserObserver):
    def __init__(self):
        self.events = []

    def _add(self, *event):
        self.events.append(event)

    def on_local_audio_track_state_changed(self, local_user, track, state, error):
        self._add("audio_state", track, state, error)

    def on_local_video_track_state_changed(self, local_user, track, state, error):
        self._add("video_state", track, state, error)

    def on_audio_track_publish_start(self, local_user, track):
        self._add("audio_start", track)

    def on_video_track_publish_start(self, local_user, track):
        self._add("video_start", track)

    def on_audio_track_publish_success(self, local_user, track):
        self._add("audio_success", track)

    def on_video_track_publish_success(self, local_user, track):
        self._add("video_success", track)

    def on_audio_track_unpublished(self, local_user, track):
        self._add("audio_unpublished", track)

    def on_video_track_unpublished(self, local_user, track):
        self._add("video_unpublished", track)

    def on_user_audio_track_subscribed(self, local_user, user_id, track):
        self._add("audio_subscribed", user_id)

    def on_user_video_track_subscribed(self, local_user, user_id, info, track):
        self._add("video_subscribed", user_id)

    def on_user_audio_track_state_changed(self, local_user, user_id, track, state, reason, elapsed):
        self._add("remote_audio", user_id, state, reason)

    def on_first_remote_video_decoded(self, local_user, user_id, width, height, elapsed):
        self._add("first_decoded", user_id, width, height)

    def on_user_info_updated(self, local_user, user_id, msg, val):
        self._add("info", user_id, msg, val)

    def on_user_state_changed(self, local_user, user_id, state):
        self._add("user_state", user_id, state)

    def on_video_size_changed(self, local_user, user_id, width, height, rotation):
        self._add("size", user_id, width, height, rotation)

    def on_first_remote_video_frame_rendered(self, local_user, user_id, width, height, elapsed):
        assert elapsed >= 0
        self._add("rendered", user_id, width, height)

    def on_remote_video_stream_info_updated(self, local_user, info):
        self._add("stream_info", info)

    def of(self, *kinds):
        return [e[1:] for e in self.events if e[0] in kinds]

    def kinds(self):
        return [e[0] for e in self.events]


class ConnEvents(EventLog):
    def on_change_role_success(self, conn, old_role, new_role):
        self._add("role", old_role, new_role)

    def on_network_type_changed(self, conn, network_type):
        self._add("network_type", network_type)

    def on_user_network_quality(self, conn, uid, tx_quality, rx_quality):
        self._add("quality", uid, tx_quality, rx_quality)

    def on_transport_stats(self, conn, stats):
        self._add("stats")


class Frames(IVideoFrameObserver):
    def __init__(self):
        self.count = 0

    def on_frame(self, channel_id, remote_uid, frame):
        self.count += 1


def i420(w, h):
    return np.zeros(w * h * 3 // 2, np.uint8)


@pytest.mark.parametrize("dispatched", [False, True])
def test_local_track_states_and_publish_start(service, dispatched):
    conn, _ = join(service, f"lts{dispatched}", "bot")
    if dispatched:
        conn.set_event_dispatcher(service.dispatcher)
    events = UserEvents()
    user = conn.get_local_user()
    user.register_local_user_observer(events)
    factory = service.create_media_node_factory()
    audio = service.create_custom_audio_track_pcm(factory.create_audio_pcm_data_sender())
    video = service.create_custom_video_track_frame(factory.create_video_frame_sender())
    user.publish_audio(audio)
    user.publish_video(video)
    wait_for(lambda: len(events.of("audio_success", "video_success")) == 2, what="both published")
    user.unpublish_audio(audio)
    user.unpublish_video(video)
    wait_for(lambda: len(events.of("audio_state", "video_state")) == 4, what="both stopped")
    audio_events = [e for e in events.events if e[0].startswith("audio")]
    video_events = [e for e in events.events if e[0].startswith("video")]
    # the state (error 0), then publish start right before publish success; STOPPED after unpublished
    assert audio_events == [("audio_state", audio, LA.LOCAL_AUDIO_STREAM_STATE_ENCODING, 0), ("audio_start", audio),
                            ("audio_success", audio), ("audio_unpublished", audio),
                            ("audio_state", audio, LA.LOCAL_AUDIO_STREAM_STATE_STOPPED, 0)]
    assert video_events == [("video_state", video, LV.LOCAL_VIDEO_STREAM_STATE_ENCODING, 0), ("video_start", video),
                            ("video_success", video), ("video_unpublished", video),
                            ("video_state", video, LV.LOCAL_VIDEO_STREAM_STATE_STOPPED, 0)]


@pytest.mark.parametrize("dispatched", [False, True])
def test_change_role_success_while_connected(service, dispatched):
    log = ConnEvents()
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.register_observer(log)
    if dispatched:
        conn.set_event_dispatcher(service.dispatcher)
    user = conn.get_local_user()
    user.set_user_role(ClientRoleType.CLIENT_ROLE_AUDIENCE)  # before joining: set, not reported
    user.set_user_role(ClientRoleType.CLIENT_ROLE_BROADCASTER)
    conn.connect("", f"role{dispatched}", "bot")
    wait_for(lambda: log.of("connected"), what="connected")
    user.set_user_role(ClientRoleType.CLIENT_ROLE_AUDIENCE)
    user.set_user_role(ClientRoleType.CLIENT_ROLE_AUDIENCE)  # the role it has: nothing
    user.set_user_role(ClientRoleType.CLIENT_ROLE_BROADCASTER)
    wait_for(lambda: len(log.of("role")) == 2, what="two role changes")
    assert log.of("role") == [("role", ClientRoleType.CLIENT_ROLE_BROADCASTER, ClientRoleType.CLIENT_ROLE_AUDIENCE),
                              ("role", ClientRoleType.CLIENT_ROLE_AUDIENCE, ClientRoleType.CLIENT_ROLE_BROADCASTER)]
    assert user.get_user_role() == ClientRoleType.CLIENT_ROLE_BROADCASTER


@pytest.mark.parametrize("dispatched", [False, True])
def test_network_type_once_per_connect(service, dispatched):
    log = ConnEvents()
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.register_observer(log)
    if dispatched:
        conn.set_event_dispatcher(service.dispatcher)
    for round_ in (1, 2):
        conn.connect("", f"nettype{dispatched}", "bot")
        wait_for(lambda: len(log.of("network_type")) == round_, what=f"network type, connect {round_}")
        conn.disconnect()
        wait_for(lambda: len(log.of("disconnected")) == round_, what="disconnected")
    kinds = [e[0] for e in log.events if e[0] in ("connected", "network_type", "disconnected")]
    assert kinds == ["connected", "network_type", "disconnected"] * 2
    assert log.of("network_type") == [("network_type", NetworkType.NETWORK_TYPE_LAN)] * 2


@pytest.mark.parametrize("dispatched", [False, True])
def test_user_network_quality_follows_the_faults(service, dispatched):
    channel = f"quality{dispatched}"
    log = ConnEvents()
    watcher, _ = join(service, channel, "watcher", observer=log)
    if dispatched:
        watcher.set_event_dispatcher(service.dispatcher)
    other, _ = join(service, channel, "other")
    wait_for(lambda: len(log.of("quality")) >= 2, what="two quality reports")
    # every 2 s with on_transport_stats, one per remote user: EXCELLENT on a clean network
    assert {e for e in log.of("quality")} == {("quality", "other", QualityType.QUALITY_EXCELLENT,
                                               QualityType.QUALITY_EXCELLENT)}
    first = log.events.index(log.of("quality")[0])
    assert log.events[first - 1] == ("stats",)
    other.set_parameters({"loopback.fault.loss_percent": 5})  # its uplink loses 5%
    wait_for(lambda: log.of("quality")[-1][2] == QualityType.QUALITY_POOR, what="POOR with 5% loss")
    assert log.of("quality")[-1] == ("quality", "other", QualityType.QUALITY_POOR, QualityType.QUALITY_EXCELLENT)
    other.set_parameters({"loopback.fault.loss_percent": 0, "loopback.fault.outage_ms": 60000})
    wait_for(lambda: log.of("quality")[-1][2:] == (QualityType.QUALITY_DOWN, QualityType.QUALITY_DOWN),
             what="DOWN during its outage")
    other.release()


@pytest.mark.parametrize("dispatched", [False, True])
def test_user_info_and_state_follow_remote_publishing(service, dispatched):
    channel = f"uinfo{dispatched}"
    listener, _ = join(service, channel, "human", config=RTCConnConfig(auto_subscribe_audio=1, auto_subscribe_video=1))
    if dispatched:
        listener.set_event_dispatcher(service.dispatcher)
    events = UserEvents()
    listener.get_local_user().register_local_user_observer(events)
    talker = Publisher(service, channel, "bot")
    talker.send(tone(16000, 0.3), 16000)
    wait_for(lambda: len(events.of("user_state")) == 1, what="audio published")
    # between on_user_audio_track_subscribed and the remote audio state STARTING
    kinds = events.kinds()
    assert kinds.index("audio_subscribed") < kinds.index("info") < kinds.index("user_state") < \
        kinds.index("remote_audio")
    tx_user = talker.conn.get_local_user()
    sender = talker.factory.create_video_frame_sender()
    video = service.create_custom_video_track_frame(sender)
    tx_user.publish_video(video)
    sender.send(i420(64, 48), VideoPixelFormat.I420, 64, 48)
    wait_for(lambda: len(events.of("user_state")) == 2, what="video published")
    tx_user.unpublish_audio(talker.track)
    wait_for(lambda: len(events.of("user_state")) == 3, what="audio unpublished")
    tx_user.unpublish_video(video)
    wait_for(lambda: len(events.of("user_state")) == 4, what="video unpublished")
    video_on = U.USER_STATE_ENABLE_VIDEO | U.USER_STATE_ENABLE_LOCAL_VIDEO
    assert events.of("info", "user_state") == [
        ("bot", M.USER_MEDIA_INFO_MUTE_AUDIO, 0), ("bot", U.USER_STATE_MUTE_VIDEO),
        ("bot", M.USER_MEDIA_INFO_MUTE_VIDEO, 0), ("bot", video_on),
        ("bot", M.USER_MEDIA_INFO_MUTE_AUDIO, 1), ("bot", U.USER_STATE_MUTE_AUDIO | video_on),
        ("bot", M.USER_MEDIA_INFO_MUTE_VIDEO, 1), ("bot", U.USER_STATE_MUTE_AUDIO | U.USER_STATE_MUTE_VIDEO)]


def test_unsubscribing_is_not_a_remote_mute(service):
    listener, _ = join(service, "uinfo-unsub", "human")
    events = UserEvents()
    user = listener.get_local_user()
    user.register_local_user_observer(events)
    talker = Publisher(service, "uinfo-unsub", "bot")
    talker.send(tone(16000, 0.3), 16000)
    wait_for(lambda: events.of("info"), what="audio published")
    user.unsubscribe_audio("bot")
    wait_for(lambda: ("bot", RemoteAudioState.STOPPED) in [e[:2] for e in events.of("remote_audio")],
             what="stopped here (LOCAL_MUTED)")
    talker.conn.get_local_user().unpublish_audio(talker.track)  # while not subscribed: still reported
    wait_for(lambda: len(events.of("info")) == 2, what="the remote unpublishing")
    assert events.of("info") == [("bot", M.USER_MEDIA_INFO_MUTE_AUDIO, 0), ("bot", M.USER_MEDIA_INFO_MUTE_AUDIO, 1)]


@pytest.mark.parametrize("dispatched", [False, True])
def test_video_size_first_rendered_and_stream_info(service, dispatched):
    channel = f"vsize{dispatched}"
    config = RTCConnConfig(auto_subscribe_audio=1, auto_subscribe_video=1)
    viewer, _ = join(service, channel, "2001", config=config)
    blind, _ = join(service, channel, "2002", config=config)  # subscribed, no video frame observer
    if dispatched:
        viewer.set_event_dispatcher(service.dispatcher)
        blind.set_event_dispatcher(service.dispatcher)
    events, blind_events = UserEvents(), UserEvents()
    viewer.get_local_user().register_local_user_observer(events)
    blind.get_local_user().register_local_user_observer(blind_events)
    frames = Frames()
    viewer.get_local_user().register_video_frame_observer(frames, service.dispatcher if dispatched else None)
    cam, _ = join(service, channel, "1001")
    sender = service.create_media_node_factory().create_video_frame_sender()
    track = service.create_custom_video_track_frame(sender)
    cam.get_local_user().publish_video(track)
    for w, h, rotation in [(64, 48, 0), (64, 48, 0), (64, 48, 90), (128, 96, 90), (128, 96, 90)]:
        sender.send(i420(w, h), VideoPixelFormat.I420, w, h, rotation=rotation)
        wait_for(lambda: ("1001", w, h, rotation) in blind_events.of("size"), what=f"{w}x{h} rotated {rotation}")
    sizes = [("1001", 64, 48, 0), ("1001", 64, 48, 90), ("1001", 128, 96, 90)]  # the first, then each change
    wait_for(lambda: len(events.of("size")) == 3 and events.of("rendered"), what="the viewer's events")
    for ev in (events, blind_events):
        assert ev.of("size") == sizes
        assert ev.of("stream_info") == [(RemoteVideoStreamInfo(uid=1001, stream_type=0, current_downscale_level=0,
                                                               total_downscale_level_counts=0),)]
        kinds = ev.kinds()
        assert kinds.index("video_subscribed") < kinds.index("stream_info") < kinds.index("first_decoded") < \
            kinds.index("size")
    assert events.of("rendered") == [("1001", 64, 48)]  # once, the first frame handed to the observer
    assert frames.count >= 1
    # frames reached the blind viewer (its sizes above), but no observer of its had one to render
    assert not blind_events.of("rendered")


def test_remote_user_events_from_another_process():
    """A member in another process: its audio reported published, its network rated; its video
    published, sized and, when it unpublishes there, reported muted here."""
    sys.path.insert(0, os.path.join(HERE, "e2e"))
    from test_cross_process import Peer
    channel = f"levents-xp-{os.getpid()}"
    with AgoraService() as svc:  # real-time clock and the peers' app id: the channel is shared
        svc.initialize(AgoraServiceConfig(appid="e2e", use_string_uid=1, enable_video=1))
        log = ConnEvents()
        listener, _ = join(svc, channel, "human", observer=log,
                           config=RTCConnConfig(auto_subscribe_audio=1, auto_subscribe_video=1))
        events = UserEvents()
        listener.get_local_user().register_local_user_observer(events)
        far = Peer(channel, "3001", "--send-tone", "4", "--stay", "5")
        video = subprocess.Popen([sys.executable, os.path.join(HERE, "e2e", "video_peer.py"), channel, "3002", "raw",
                                  "10", "--width", "96", "--height", "64", "--stay", "0.5", "--peers", "1"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert video.stdout.readline().strip() == "ready", video.stderr.read()
            video.stdin.write("go\n")
            video.stdin.flush()
            wait_for(lambda: ("3001", M.USER_MEDIA_INFO_MUTE_AUDIO, 0) in events.of("info"), timeout=20,
                     what="the far member's audio")
            wait_for(lambda: ("3002", M.USER_MEDIA_INFO_MUTE_VIDEO, 1) in events.of("info"), timeout=20,
                     what="the far video unpublished")
            wait_for(lambda: any(e[1] == "3001" for e in log.of("quality")), timeout=20, what="far quality")
            assert ("3001", U.USER_STATE_MUTE_VIDEO) in events.of("user_state")
            assert [e for e in events.of("info") if e[0] == "3002"] == [("3002", M.USER_MEDIA_INFO_MUTE_VIDEO, 0),
                                                                       ("3002", M.USER_MEDIA_INFO_MUTE_VIDEO, 1)]
            assert events.of("size") == [("3002", 96, 64, 90)]
            assert [(i.uid, i.stream_type) for (i,) in events.of("stream_info")] == [(3002, 0)]
            quality = [e for e in log.of("quality") if e[1] == "3001"][0]
            assert quality == ("quality", "3001", QualityType.QUALITY_EXCELLENT, QualityType.QUALITY_EXCELLENT)
        finally:
            for proc in (far.proc, video):
                proc.kill()
                proc.wait()
