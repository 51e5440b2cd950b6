"""Encoded audio and audio meta data: payloads arrive byte for byte, in order,
with their frame info, here and across processes; G.711 is heard as PCM;
unpublished sends are counted; bad input raises."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

from agora_rtc import (AgoraError, AudioCodecType, AudioPublishType, EncodedAudioFrameInfo, IAudioEncodedFrameObserver,
                       IRTCLocalUserObserver, RTCConnConfig, RtcConnectionPublishConfig)
from conftest import FrameLog, join, tone, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "e2e"))
from encoded_peer import payload  # noqa: E402


class EncodedInbox(IAudioEncodedFrameObserver, IRTCLocalUserObserver):
    def __init__(self):
        self.frames = []
        self.meta = []
        self.threads = set()

    def on_encoded_audio_frame(self, local_user, user_id, frame_buffer, info):
        self.threads.add(threading.get_ident())
        self.frames.append((user_id, frame_buffer, info))

    def on_audio_meta_data_received(self, local_user, user_id, data):
        self.meta.append((user_id, data))


def encoded_publisher(service, channel, uid):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
        audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_ENCODED_PCM))
    from conftest import EventLog
    log = EventLog()
    conn.register_observer(log)
    conn.connect("", channel, uid)
    wait_for(lambda: log.of("connected"), what="publisher connected")
    conn.publish_audio()
    return conn


def receiver(service, channel, uid, dispatcher=None):
    conn, _ = join(service, channel, uid)
    inbox = EncodedInbox()
    conn.register_audio_encoded_frame_observer(inbox, dispatcher)
    conn.get_local_user().register_local_user_observer(inbox)
    return conn, inbox


@pytest.mark.parametrize("dispatched", [False, True])
def test_encoded_frames_and_meta_data_arrive_exactly_in_order(service, dispatched):
    pub = encoded_publisher(service, f"enc{dispatched}", "pub")
    rx, inbox = receiver(service, f"enc{dispatched}", "rx", service.dispatcher if dispatched else None)
    sent = [payload(i) for i in range(200)]
    for i, data in enumerate(sent):
        info = EncodedAudioFrameInfo(codec=AudioCodecType.AUDIO_CODEC_AACLC, sample_rate=44100,
                                     samples_per_channel=1024, number_of_channels=2, speech=0,
                                     capture_time_ms=5000 + i)
        pub.push_audio_encoded_data(np.frombuffer(data, np.uint8) if i % 2 else data, info)  # any buffer
        pub.send_audio_meta_data(b"caption %d" % i)
    wait_for(lambda: len(inbox.frames) == len(sent) and len(inbox.meta) == len(sent), what="200 frames + meta")
    assert [f[1] for f in inbox.frames] == sent
    assert {f[0] for f in inbox.frames} == {"pub"}
    infos = [f[2] for f in inbox.frames]
    assert [i.capture_time_ms for i in infos] == list(range(5000, 5200))
    assert {(i.codec, i.sample_rate, i.samples_per_channel, i.number_of_channels, i.speech) for i in infos} == {
        (AudioCodecType.AUDIO_CODEC_AACLC, 44100, 1024, 2, 0)}
    assert inbox.meta == [("pub", b"caption %d" % i) for i in range(200)]
    stats = pub._publisher.track.queue_stats()
    assert stats["encoded_sent"] == 200 and stats["encoded_discarded"] == 0


def test_capture_time_is_stamped_when_unset(service):
    pub = encoded_publisher(service, "stamp", "pub")
    rx, inbox = receiver(service, "stamp", "rx")
    pub.push_audio_encoded_data(b"\x01\x02", EncodedAudioFrameInfo(codec=AudioCodecType.AUDIO_CODEC_OPUS,
                                                                   sample_rate=48000, samples_per_channel=960))
    wait_for(lambda: inbox.frames, what="one frame")
    assert inbox.frames[0][2].capture_time_ms >= 0


def _g711(codec_name, pcm):
    """Encode int16 mono 8 kHz with FFmpeg's G.711 encoder (PyAV); returns (bytes, FFmpeg's decode)."""
    import av
    enc = av.CodecContext.create(codec_name, "w")
    enc.sample_rate, enc.format, enc.layout = 8000, "s16", "mono"
    frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = 8000
    encoded = b"".join(bytes(p) for p in enc.encode(frame)) + b"".join(bytes(p) for p in enc.encode(None))
    dec = av.CodecContext.create(codec_name, "r")
    dec.sample_rate, dec.layout = 8000, "mono"
    decoded = np.concatenate([f.to_ndarray().reshape(-1) for p in [av.Packet(encoded)] for f in dec.decode(p)])
    return encoded, decoded.astype(np.int16)


@pytest.mark.parametrize("codec,name", [(AudioCodecType.AUDIO_CODEC_PCMA, "pcm_alaw"),
                                        (AudioCodecType.AUDIO_CODEC_PCMU, "pcm_mulaw")])
def test_g711_is_heard_as_pcm_exactly_as_ffmpeg_decodes_it(service, codec, name):
    pcm = tone(8000, 0.5, amplitude=20000)
    encoded, reference = _g711(name, pcm)
    assert len(encoded) == len(pcm)
    pub = encoded_publisher(service, f"g711{name}", "pub")
    rx, _ = join(service, f"g711{name}", "rx")
    frames = FrameLog()
    rx.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 8000)
    rx.get_local_user().register_audio_frame_observer(frames)
    for i in range(0, len(encoded), 160):  # 20 ms packets
        pub.push_audio_encoded_data(encoded[i:i + 160], EncodedAudioFrameInfo(
            codec=codec, sample_rate=8000, samples_per_channel=160, number_of_channels=1))
    wait_for(lambda: len(frames.samples("pub")) >= len(pcm), what="the decoded PCM")
    assert np.array_equal(frames.samples("pub")[:len(pcm)], reference)


def test_unpublished_or_unsubscribed_audio_reaches_nobody_and_is_counted(service):
    pub = encoded_publisher(service, "quiet", "pub")
    rx, inbox = receiver(service, "quiet", "rx")
    info = EncodedAudioFrameInfo(codec=AudioCodecType.AUDIO_CODEC_OPUS, sample_rate=48000, samples_per_channel=960)
    pub.unpublish_audio()
    pub.push_audio_encoded_data(b"lost", info)
    assert pub._publisher.track.queue_stats()["encoded_discarded"] == 1
    pub.publish_audio()
    rx.get_local_user().unsubscribe_audio("pub")
    pub.push_audio_encoded_data(b"not for rx", info)
    rx.get_local_user().subscribe_audio("pub")
    pub.push_audio_encoded_data(b"for rx", info)
    wait_for(lambda: inbox.frames, what="the subscribed frame")
    assert [f[1] for f in inbox.frames] == [b"for rx"]


def test_bad_encoded_input_raises_clear_errors(service):
    factory = service.create_media_node_factory()
    sender = factory.create_audio_encoded_frame_sender()
    track = service.create_custom_audio_track_encoded(sender, 1)
    info = EncodedAudioFrameInfo(codec=AudioCodecType.AUDIO_CODEC_OPUS, sample_rate=48000, samples_per_channel=960)
    with pytest.raises(ValueError, match="1..4096 bytes"):
        sender.send_encoded_audio_frame(b"", info)
    with pytest.raises(ValueError, match="1..4096 bytes"):
        sender.send_encoded_audio_frame(bytes(4097), info)
    with pytest.raises(TypeError, match="EncodedAudioFrameInfo"):
        sender.send_encoded_audio_frame(b"x", {"codec": 1})
    with pytest.raises(TypeError, match="buffer protocol"):
        sender.send_encoded_audio_frame("text", info)
    with pytest.raises(AgoraError, match="INVALID_ARGUMENT"):
        sender.send_encoded_audio_frame(b"x", EncodedAudioFrameInfo(codec=99))
    with pytest.raises(AgoraError, match="INVALID_ARGUMENT"):  # G.711 is 8 kHz
        sender.send_encoded_audio_frame(b"xx", EncodedAudioFrameInfo(codec=AudioCodecType.AUDIO_CODEC_PCMU,
                                                                     sample_rate=16000))
    with pytest.raises(AgoraError, match="INVALID_ARGUMENT"):
        sender.send_encoded_audio_frame(b"x", EncodedAudioFrameInfo(number_of_channels=3))
    with pytest.raises(ValueError, match="mix_mode"):
        service.create_custom_audio_track_encoded(sender, 7)
    with pytest.raises(TypeError, match="AudioEncodedFrameSender"):
        service.create_custom_audio_track_encoded(factory.create_audio_pcm_data_sender(), 1)
    assert sender.send_encoded_audio_frame(b"x", info) == 0  # unpublished: accepted, counted
    assert track.queue_stats()["encoded_discarded"] == 1
    sender.release()
    with pytest.raises(ValueError, match="released"):
        sender.send_encoded_audio_frame(b"x", info)
    track.release()


def test_meta_data_needs_a_connection_and_a_size(service):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    with pytest.raises(AgoraError, match="NOT_IN_CHANNEL"):
        conn.send_audio_meta_data(b"x")
    conn2, _ = join(service, "meta", "a")
    with pytest.raises(ValueError, match="1..1024 bytes"):
        conn2.send_audio_meta_data(bytes(1025))
    with pytest.raises(ValueError, match="1..1024 bytes"):
        conn2.send_audio_meta_data(b"")
    with pytest.raises(TypeError, match="buffer protocol"):
        conn2.send_audio_meta_data(12)


def test_pcm_publish_config_refuses_encoded_push(service):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig())
    with pytest.raises(ValueError, match="ENCODED_PCM"):
        conn.push_audio_encoded_data(b"x", EncodedAudioFrameInfo())
    conn.release()


def test_encoded_audio_and_meta_data_across_processes(service):
    peer = subprocess.Popen([sys.executable, os.path.join(HERE, "e2e", "encoded_peer.py"), "xenc", "far", "300"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert peer.stdout.readline().strip() == "ready"
        rx, inbox = receiver(service, "xenc", "near")
        assert peer.stdout.readline().strip() == "sent"
        wait_for(lambda: len(inbox.frames) == 300 and len(inbox.meta) == 300, timeout=20,
                 what="300 frames and 300 meta data messages from the other process")
        assert [f[1] for f in inbox.frames] == [payload(i) for i in range(300)]
        assert [f[2].capture_time_ms for f in inbox.frames] == [1000 + i for i in range(300)]
        assert {(f[0], f[2].codec, f[2].number_of_channels) for f in inbox.frames} == {
            ("far", AudioCodecType.AUDIO_CODEC_OPUS, 2)}
        assert inbox.meta == [("far", b"meta %d" % i) for i in range(300)]
    finally:
        peer.stdin.close()
        assert peer.wait(20) == 0, peer.stderr.read()
