"""Remote audio track states as a local user sees them: subscribed, first
frame, DECODING, FROZEN after 500 ms of nothing, recovery, STOPPED on
unpublish (REMOTE_MUTED) and on leave (REMOTE_OFFLINE)."""

import pytest

from agora_rtc import IRTCLocalUserObserver
from agora_rtc.audio import RemoteAudioState as S
from agora_rtc.audio import RemoteAudioStateReason as R
from conftest import Publisher, join, tone, wait_for


class Watch(IRTCLocalUserObserver):
    def __init__(self):
        self.events = []
        self.tracks = {}

    def on_user_audio_track_subscribed(self, local_user, user_id, track):
        self.tracks[user_id] = track
        self.events.append(("subscribed", user_id))

    def on_user_audio_track_state_changed(self, local_user, user_id, track, state, reason, elapsed):
        assert track is self.tracks[user_id] and elapsed >= 0
        self.events.append(("state", user_id, state, reason))

    def on_first_remote_audio_frame(self, local_user, user_id, elapsed):
        self.events.append(("first_frame", user_id))

    def on_first_remote_audio_decoded(self, local_user, user_id, elapsed):
        self.events.append(("first_decoded", user_id))


@pytest.mark.parametrize("dispatched", [False, True])
def test_remote_audio_state_sequence(service, dispatched):
    listener, _ = join(service, f"ras{dispatched}", "human")
    if dispatched:
        listener.set_event_dispatcher(service.dispatcher)
    watch = Watch()
    listener.get_local_user().register_local_user_observer(watch)
    talker = Publisher(service, f"ras{dispatched}", "bot")
    talker.send(tone(16000, 0.3), 16000)
    wait_for(lambda: ("state", "bot", S.DECODING, R.REMOTE_UNMUTED) in watch.events, what="decoding")
    assert watch.events[:5] == [("subscribed", "bot"), ("state", "bot", S.STARTING, R.REMOTE_UNMUTED),
                                ("first_frame", "bot"), ("first_decoded", "bot"),
                                ("state", "bot", S.DECODING, R.REMOTE_UNMUTED)]
    wait_for(lambda: ("state", "bot", S.FROZEN, R.INTERNAL) in watch.events, what="frozen after 500 ms")
    assert watch.tracks["bot"].get_state() == S.FROZEN
    talker.send(tone(16000, 0.2), 16000)
    wait_for(lambda: ("state", "bot", S.DECODING, R.NETWORK_RECOVERY) in watch.events, what="recovered")
    talker.conn.get_local_user().unpublish_audio(talker.track)
    wait_for(lambda: ("state", "bot", S.STOPPED, R.REMOTE_MUTED) in watch.events, what="stopped (unpublished)")
    talker.conn.get_local_user().publish_audio(talker.track)
    talker.send(tone(16000, 0.2), 16000)
    wait_for(lambda: watch.events.count(("subscribed", "bot")) == 2, what="subscribed again")
    talker.conn.release()
    wait_for(lambda: ("state", "bot", S.STOPPED, R.REMOTE_OFFLINE) in watch.events, what="stopped (left)")
    assert watch.tracks["bot"].get_state() == S.STOPPED
