"""The official 2.4 connection-level API on agora_rtc: a connection made with
an RtcConnectionPublishConfig owns its sender and track; VAD results arrive in
the audio observer's callback."""

import time

import numpy as np
import pytest

from agora_rtc import (AudioVadConfigV2, EncodedVideoFrameInfo, ExternalVideoFrame, IAudioFrameObserver,
                       IVideoEncodedFrameObserver, IVideoFrameObserver, RTCConnConfig, RtcConnectionPublishConfig,
                       RTCConnection, SimulcastStreamConfig, VideoDimensions, VideoEncoderConfiguration,
                       VideoPixelFormat, VideoPublishType, VideoStreamType, VideoSubscriptionOptions)
from conftest import EventLog, FrameLog, join, tone, wait_for

RATE = 16000


def bot(service, channel, uid="bot", **publish):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(**publish))
    log = EventLog()
    conn.register_observer(log)
    conn.connect("", channel, uid)
    wait_for(lambda: log.of("connected"))
    return conn


def test_push_pcm_like_the_official_examples(service):
    listener, _ = join(service, "api24", "human")
    listener.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    frames = FrameLog()
    listener.get_local_user().register_audio_frame_observer(frames)
    conn = bot(service, "api24")
    assert conn.publish_audio() == 0
    speech = tone(RATE, 3.0)
    raw = bytearray(speech.tobytes())
    for at in range(0, len(raw), 3200 + 7):  # chunks that are not whole frames
        conn.push_audio_pcm_data(raw[at: at + 3207], RATE, 1)
    assert not conn.is_push_to_rtc_completed()
    wait_for(lambda: len(frames.samples("bot")) >= len(speech), what="3 s at the listener")
    np.testing.assert_array_equal(frames.samples("bot")[: len(speech)], speech)
    wait_for(conn.is_push_to_rtc_completed, what="completion")
    conn.push_audio_pcm_data(tone(RATE, 5.0), RATE, 1)
    wait_for(lambda: len(frames.samples("bot")) >= len(speech) + 1600, what="the second reply started")
    conn.interrupt_audio()
    assert conn.is_push_to_rtc_completed()
    heard = len(frames.before["bot"])
    time.sleep(0.1)  # 2 s of test clock
    assert len(frames.before["bot"]) - heard <= 1  # silent within one frame
    assert len(conn.get_sid()) == 32
    conn.release()


class VadLog(IAudioFrameObserver):
    def __init__(self):
        self.calls = []

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame, vad_state, vad_bytes):
        self.calls.append((uid, vad_state, None if vad_bytes is None else bytes(vad_bytes), bytes(frame)))


@pytest.mark.parametrize("enable_vad, dispatched", [(1, False), (1, True), (0, False)])
def test_vad_results_arrive_in_the_callback(service, enable_vad, dispatched):
    listener = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    log = VadLog()
    listener.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    listener.register_audio_frame_observer(log, enable_vad, AudioVadConfigV2.low_latency() if enable_vad else None,
                                           dispatcher=service.dispatcher if dispatched else None)
    listener.connect("", f"vad24-{enable_vad}{dispatched}", "human")
    conn = bot(service, f"vad24-{enable_vad}{dispatched}")
    conn.publish_audio()
    silence = np.zeros(RATE, np.int16)
    burst = tone(RATE, 1.0, freqs=(180.0, 360.0), amplitude=6000)
    signal = np.concatenate([silence, burst, silence, burst, silence])
    conn.push_audio_pcm_data(signal.tobytes(), RATE, 1)
    wait_for(lambda: len(log.calls) >= len(signal) // 160, timeout=20, what="all frames")
    states = [c[1] for c in log.calls]
    if not enable_vad:
        assert set(states) == {-1} and all(c[2] is None for c in log.calls)
        return
    assert states.count(1) == 2 and states.count(3) == 2  # two utterances: START ... STOP each
    # START's bytes are the pre-roll and first frames; with SPEAKING/STOP they rebuild the input run.
    start = states.index(1)
    stop = states.index(3)
    rebuilt = b"".join(c[2] for c in log.calls[start: stop + 1])
    received = b"".join(c[3] for c in log.calls[: stop + 1])
    assert received.endswith(rebuilt) and len(rebuilt) > len(burst.tobytes())


def test_misuse_of_the_24_api_is_refused(service):
    plain = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    with pytest.raises(ValueError, match="RtcConnectionPublishConfig"):
        plain.push_audio_pcm_data(b"\0\0", RATE, 1)
    with pytest.raises(ValueError, match="RtcConnectionPublishConfig"):
        plain.publish_video()
    listener_only = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(is_publish_audio=False))
    with pytest.raises(ValueError, match="does not publish audio .*audio_publish_type PCM"):
        listener_only.publish_audio()
    with pytest.raises(ValueError, match="does not publish video"):
        listener_only.push_video_frame(ExternalVideoFrame())
    yuv_only = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
        is_publish_video=True, video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV))
    with pytest.raises(ValueError, match="ENCODED_IMAGE"):
        yuv_only.push_video_encoded_data(b"x", EncodedVideoFrameInfo())
    with pytest.raises(TypeError, match="RtcConnectionPublishConfig"):
        RTCConnection(service, RTCConnConfig(auto_subscribe_audio=1), {"is_publish_audio": True})
    with pytest.raises(TypeError, match="AudioVadConfigV2"):
        plain.register_audio_frame_observer(VadLog(), 1, {"start": 3})
    objects = service.engine_objects()
    conn = bot(service, "gone")
    conn.release()
    assert service.engine_objects() == objects  # its own sender, track and factory went with it


def test_push_video_frames_and_encoded_data_like_the_official_examples(service):
    raw, encoded = [], []

    class Raw(IVideoFrameObserver):
        def on_frame(self, channel_id, uid, frame):
            raw.append((uid, frame.width, frame.height, frame.to_i420()))

    class Encoded(IVideoEncodedFrameObserver):
        def on_encoded_video_frame(self, uid, image_buffer, length, info):
            encoded.append((uid, image_buffer, info.frame_type))

    viewer = service.create_rtc_connection(RTCConnConfig(auto_subscribe_video=1))
    viewer.register_video_frame_observer(Raw())
    low = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    low.get_local_user().subscribe_all_video(VideoSubscriptionOptions(type=VideoStreamType.VIDEO_STREAM_LOW,
                                                                      encodedFrameOnly=True))
    low.register_video_encoded_frame_observer(Encoded())
    viewer.connect("", "api24-video", "viewer")
    low.connect("", "api24-video", "low")
    yuv = bot(service, "api24-video", "camera", is_publish_audio=False, is_publish_video=True,
              video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV)
    assert yuv.set_video_encoder_configuration(VideoEncoderConfiguration(
        dimensions=VideoDimensions(width=32, height=16), frame_rate=15, bitrate=500)) == 0
    assert yuv.publish_video() == 0
    frame = bytes(range(64)) * 48  # 64x32 I420
    assert yuv.push_video_frame(ExternalVideoFrame(buffer=frame, format=VideoPixelFormat.I420, stride=64,
                                                   height=32, timestamp=1)) == 0
    wait_for(lambda: raw, what="the pushed frame")
    assert raw[0][:3] == ("camera", 32, 16)  # capped by the encoder configuration, aspect kept
    h264 = bot(service, "api24-video", "encoder", is_publish_audio=False, is_publish_video=True,
               video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_ENCODED_IMAGE)
    assert h264.set_simulcast_stream(True, SimulcastStreamConfig(dimensions=VideoDimensions(width=32, height=16))) == 0
    h264.publish_video()
    for i, stream in enumerate((0, 1, 1)):
        assert h264.push_video_encoded_data(b"au%d" % i, EncodedVideoFrameInfo(
            codec_type=2, width=64 >> stream, height=32 >> stream, frame_type=3 if i == 0 else 4,
            stream_type=stream)) == 1
    wait_for(lambda: len(encoded) == 2, what="the two low-stream access units")
    assert encoded == [("encoder", b"au1", 4), ("encoder", b"au2", 4)] or \
        [e[1:] for e in encoded] == [(b"au1", 4), (b"au2", 4)]
    objects = service.engine_objects()
    h264.unpublish_video()
    h264.release()
    yuv.release()
    assert service.engine_objects()["video_tracks"] < objects["video_tracks"]
