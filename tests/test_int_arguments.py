"""Integer arguments refuse floats with a TypeError naming the argument (the
C conversion would truncate 2.5 to 2 without a word; ctypes under the official
SDK refuses them too), and still take what is an integer: int, bool, IntEnum,
numpy integers."""

import numpy as np
import pytest

from agora_rtc import (AudioScenarioType, ClientRoleType, RTCConnConfig, RtcConnectionPublishConfig, SenderOptions,
                       SimulcastStreamConfig, VideoDimensions, VideoEncoderConfiguration)


@pytest.fixture
def parts(service):
    conn = service.create_rtc_connection(RTCConnConfig(), RtcConnectionPublishConfig())
    conn.connect("", "int-arguments", "1")
    factory = service.create_media_node_factory()
    pcm = factory.create_audio_pcm_data_sender()
    audio_track = service.create_custom_audio_track_pcm(pcm)
    video_track = service.create_custom_video_track_frame(factory.create_video_frame_sender())
    yield dict(service=service, factory=factory, user=conn.get_local_user(), audio_track=audio_track,
               video_track=video_track, pcm=pcm)
    for obj in (audio_track, video_track, pcm, factory, conn):
        obj.release()


# call -> (the argument's name in the message, a valid value, how to pass it)
CALLS = {
    "set_user_role": ("role", 1, lambda p, v: p["user"].set_user_role(v)),
    "set_audio_scenario": ("scenario", 3, lambda p, v: p["user"].set_audio_scenario(v)),
    "adjust_playback_signal_volume": ("volume", 80, lambda p, v: p["user"].adjust_playback_signal_volume(v)),
    "set_audio_volume_indication_parameters": (
        "interval_in_ms", 200, lambda p, v: p["user"].set_audio_volume_indication_parameters(v)),
    "set_playback_audio_frame_parameters": (
        "samples_per_call", 160, lambda p, v: p["user"].set_playback_audio_frame_parameters(1, 16000, 0, v)),
    "adjust_publish_volume": ("volume", 50, lambda p, v: p["audio_track"].adjust_publish_volume(v)),
    "set_send_delay_ms": ("delay_ms", 10, lambda p, v: p["audio_track"].set_send_delay_ms(v)),
    "set_max_buffer_audio_frame_number": (
        "frames", 30, lambda p, v: p["audio_track"].set_max_buffer_audio_frame_number(v)),
    "RTCConnConfig.max_send_bitrate": ("max_send_bitrate", 500, lambda p, v: p["service"].create_rtc_connection(
        RTCConnConfig(max_send_bitrate=v)).release()),
    "VideoEncoderConfiguration.frame_rate": ("frame_rate", 15, lambda p, v: p["video_track"].set_video_encoder_configuration(
        VideoEncoderConfiguration(dimensions=VideoDimensions(width=320, height=180), frame_rate=v))),
    "VideoDimensions.width": ("width", 320, lambda p, v: p["video_track"].set_video_encoder_configuration(
        VideoEncoderConfiguration(dimensions=VideoDimensions(width=v, height=180)))),
    "SimulcastStreamConfig.bitrate": ("bitrate", 100, lambda p, v: p["video_track"].enable_simulcast_stream(
        True, SimulcastStreamConfig(dimensions=VideoDimensions(width=160, height=90), bitrate=v))),
    "AudioPcmDataSender.send samples": ("samples_per_channel", 160, lambda p, v: p["pcm"].send(
        bytes(320), v, 16000)),
    "AudioPcmDataSender.send rate": ("sample_rate", 16000, lambda p, v: p["pcm"].send(bytes(320), 160, v)),
    "AudioPcmDataSender.send presentation": ("presentation_ms", 1000, lambda p, v: p["pcm"].send(
        bytes(320), 160, 16000, presentation_ms=v)),
    "SenderOptions.target_bitrate": ("target_bitrate", 1000, lambda p, v: p["service"].create_custom_video_track_encoded(
        p["factory"].create_video_encoded_image_sender(), SenderOptions(target_bitrate=v)).release()),
}


@pytest.mark.parametrize("call", CALLS, ids=list(CALLS))
def test_a_float_for_an_integer_argument_raises_a_type_error_naming_it(parts, call):
    name, good, invoke = CALLS[call]
    with pytest.raises(TypeError, match=rf"^{name} must be an int, not {good}\.5$"):
        invoke(parts, good + 0.5)


@pytest.mark.parametrize("call", CALLS, ids=list(CALLS))
@pytest.mark.parametrize("integer", [int, np.int32, np.uint16])
def test_integer_types_are_still_accepted(parts, call, integer):
    _, good, invoke = CALLS[call]
    assert invoke(parts, integer(good)) in (0, None)  # 0: the engine took it; None: no return value


def test_values_given_as_numpy_integers_are_the_values_read_back(parts):
    parts["audio_track"].adjust_publish_volume(np.int64(50))
    parts["user"].adjust_playback_signal_volume(np.uint8(80))
    assert (parts["audio_track"].get_publish_volume(), parts["user"].get_playback_signal_volume()) == (50, 80)


def test_enums_pass_as_their_values(parts):
    user = parts["user"]
    assert user.set_audio_scenario(AudioScenarioType.AUDIO_SCENARIO_CHORUS) == 0
    assert user.set_user_role(ClientRoleType.CLIENT_ROLE_AUDIENCE) == 0
    assert user.get_user_role() == ClientRoleType.CLIENT_ROLE_AUDIENCE


def test_an_integer_out_of_the_c_range_is_a_value_error_naming_it(parts):
    with pytest.raises(ValueError, match=r"^frames must be -2147483648\.\.2147483647, not 4294967326$"):
        parts["audio_track"].set_max_buffer_audio_frame_number(2**32 + 30)  # was a bare OverflowError


def test_an_object_with_only_index_is_an_integer(parts):
    class Thirty:  # operator.index() takes it; __int__ it has not
        def __index__(self):
            return 30
    assert parts["audio_track"].set_max_buffer_audio_frame_number(Thirty()) == 0
