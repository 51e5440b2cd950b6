"""Client roles, scenarios and local track state: an audience user's published
audio stops reaching the channel and comes back when it is a broadcaster again;
the chorus scenario sets tracks up by itself; the track state follows
set_enabled; the send delay is recorded; bad values raise."""

import numpy as np
import pytest

from agora_rtc import AgoraError, AgoraService, AgoraServiceConfig, AudioScenarioType, ClientRoleType
from conftest import FrameLog, Publisher, join, tone, wait_for


def test_audience_is_not_heard_until_it_broadcasts_again(service):
    rx, _ = join(service, "roles", "rx")
    frames = FrameLog()
    rx.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    rx.get_local_user().register_audio_frame_observer(frames)
    pub = Publisher(service, "roles", "pub")
    user = pub.conn.get_local_user()
    assert user.get_user_role() == ClientRoleType.CLIENT_ROLE_BROADCASTER
    user.set_user_role(ClientRoleType.CLIENT_ROLE_AUDIENCE)
    assert user.get_user_role() == ClientRoleType.CLIENT_ROLE_AUDIENCE
    first = tone(16000, 0.3)
    pub.send(first, 16000)
    wait_for(lambda: pub.track.queue_stats()["queued_frames"] == 30, what="audio queued, not played")
    assert len(frames.samples("pub")) == 0  # an audience member publishes nothing
    user.set_user_role(ClientRoleType.CLIENT_ROLE_BROADCASTER)
    wait_for(lambda: len(frames.samples("pub")) >= len(first), what="the queued audio, once broadcasting")
    assert np.array_equal(frames.samples("pub")[:len(first)], first)
    with pytest.raises(AgoraError, match="INVALID_ARGUMENT"):
        user.set_user_role(3)


def test_track_state_and_send_delay(service):
    pub = Publisher(service, "state", "pub")
    assert pub.track.get_state() == 1  # LOCAL_AUDIO_STREAM_STATE_RECORDING
    pub.track.set_enabled(False)
    assert pub.track.get_state() == 0  # STOPPED
    pub.track.set_send_delay_ms(10)
    assert pub.track.queue_stats()["send_delay_ms"] == 10
    with pytest.raises(ValueError, match=">= 0"):
        pub.track.set_send_delay_ms(-1)
    pub.track.release()
    with pytest.raises(ValueError, match="released"):
        pub.track.get_state()


def test_chorus_service_sets_up_tracks_itself(service):
    plain = service.create_custom_audio_track_pcm(service.create_media_node_factory().create_audio_pcm_data_sender())
    assert plain.queue_stats()["send_delay_ms"] == 0  # AI_SERVER (the default): nothing set
    service.release()
    with AgoraService() as chorus:
        chorus.initialize(AgoraServiceConfig(appid="test-app", audio_scenario=AudioScenarioType.AUDIO_SCENARIO_CHORUS))
        sender = chorus.create_media_node_factory().create_audio_pcm_data_sender()
        track = chorus.create_custom_audio_track_pcm(sender)
        assert track.queue_stats()["send_delay_ms"] == 10  # official 2.1.5: no set_send_delay_ms needed
        chorus.create_rtc_connection()  # its local user takes the service's scenario (the engine accepts it)
    with AgoraService() as bad, pytest.raises(ValueError, match="audio_scenario"):
        bad.initialize(AgoraServiceConfig(appid="test-app", audio_scenario=42))
