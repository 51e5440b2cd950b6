"""Built-in encryption: members with the same mode, key and salt hear each
other; a member with another key hears nothing of them and is told once per
sender (on_encryption_error DECRYPTION_FAILURE); bad configurations raise."""

import os
import subprocess
import sys

import numpy as np
import pytest

from agora_rtc import (AgoraError, EncryptionConfig, EncryptionErrorType, EncryptionMode, IRTCConnectionObserver,
                       IRTCLocalUserObserver, RTCConnConfig)
from conftest import EventLog, FrameLog, Publisher, tone, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "e2e"))
from encoded_peer import payload  # noqa: E402
from test_audio_encoded import EncodedInbox  # noqa: E402

SALT = bytes(range(1, 33))


class Watch(EventLog, IRTCLocalUserObserver):
    def __init__(self):
        super().__init__()
        self.errors = []
        self.messages = []

    def on_encryption_error(self, conn, error_type):
        self.errors.append(error_type)

    def on_stream_message(self, local_user, user_id, stream_id, data, length):
        self.messages.append((user_id, data))


def member(service, channel, uid, key=None, mode=EncryptionMode.AES_256_GCM2, datastream=False):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    if key is not None:
        assert conn.enable_encryption(1, EncryptionConfig(encryption_mode=mode, encryption_key=key,
                                                          encryption_kdf_salt=SALT,
                                                          datastream_encryption_enabled=datastream)) == 0
    watch = Watch()
    conn.register_observer(watch)
    conn.get_local_user().register_local_user_observer(watch)
    frames = FrameLog()
    conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    conn.get_local_user().register_audio_frame_observer(frames)
    conn.connect("", channel, uid)
    wait_for(lambda: watch.of("connected"), what=f"{uid} connected")
    return conn, watch, frames


def publish_with_key(service, channel, uid, key, datastream=False):
    pub = Publisher.__new__(Publisher)
    pub.conn, pub.log, _ = member(service, channel, uid, key, datastream=datastream)
    pub.factory = service.create_media_node_factory()
    pub.sender = pub.factory.create_audio_pcm_data_sender()
    pub.track = service.create_custom_audio_track_pcm(pub.sender)
    pub.conn.get_local_user().publish_audio(pub.track)
    return pub


def test_same_key_hears_other_key_does_not_and_is_told_once(service):
    pub = publish_with_key(service, "crypt", "pub", "s3cret")
    same, same_watch, same_frames = member(service, "crypt", "same", "s3cret")
    other, other_watch, other_frames = member(service, "crypt", "other", "wrong")
    plain, plain_watch, plain_frames = member(service, "crypt", "plain")
    audio = tone(16000, 1.0)
    pub.send(audio, 16000)
    wait_for(lambda: len(same_frames.samples("pub")) >= len(audio), what="audio at the member with the same key")
    assert np.array_equal(same_frames.samples("pub")[:len(audio)], audio)
    wait_for(lambda: other_watch.errors and plain_watch.errors, what="decryption errors")
    assert len(other_frames.samples("pub")) == 0 and len(plain_frames.samples("pub")) == 0
    # once per sender (only pub sends), though each refused 100 frames
    assert other_watch.errors == [EncryptionErrorType.ENCRYPTION_ERROR_DECRYPTION_FAILURE]
    assert plain_watch.errors == [EncryptionErrorType.ENCRYPTION_ERROR_DECRYPTION_FAILURE]
    assert same_watch.errors == []
    assert service.get_parameter_number("loopback.stats.decryption_failures") >= 2 * 100


def test_data_streams_follow_the_datastream_flag(service):
    a, a_watch, _ = member(service, "dsflag", "a", "k", datastream=True)
    b, b_watch, _ = member(service, "dsflag", "b", "k", datastream=True)
    c, c_watch, _ = member(service, "dsflag", "c", "k", datastream=False)  # data streams in the clear
    stream = a.create_data_stream(reliable=False, ordered=False)
    a.send_stream_message(stream, b"hello")
    wait_for(lambda: b_watch.messages, what="b's message")
    wait_for(lambda: c_watch.errors, what="c's decryption error")
    assert b_watch.messages == [("a", b"hello")] and c_watch.messages == []


def test_encryption_can_be_turned_off_again(service):
    pub = publish_with_key(service, "off", "pub", "k")
    rx, watch, frames = member(service, "off", "rx")
    assert pub.conn.enable_encryption(0) == 0
    audio = tone(16000, 0.5)
    pub.send(audio, 16000)
    wait_for(lambda: len(frames.samples("pub")) >= len(audio), what="clear audio")
    assert np.array_equal(frames.samples("pub")[:len(audio)], audio)


def test_bad_configurations_raise(service):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    with pytest.raises(TypeError, match="EncryptionConfig"):
        conn.enable_encryption(1, {"encryption_key": "k"})
    with pytest.raises(ValueError, match="non-empty str"):
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key=""))
    with pytest.raises(ValueError, match="1..8"):
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=9, encryption_key="k"))
    with pytest.raises(ValueError, match="salt"):
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=EncryptionMode.AES_128_GCM2, encryption_key="k"))
    with pytest.raises(ValueError, match="at most 32 bytes"):
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key="k",
                                                   encryption_kdf_salt=bytes(33)))
    with pytest.raises(ValueError, match="NUL"):
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key="k\0k"))
    assert "s3cret" not in repr(EncryptionConfig(encryption_key="s3cret"))
    conn.release()
    with pytest.raises(ValueError, match="released"):
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key="k"))


@pytest.mark.parametrize("key,expect_frames", [("shared", True), ("different", False)])
def test_keys_are_checked_across_processes(service, key, expect_frames):
    peer = subprocess.Popen([sys.executable, os.path.join(HERE, "e2e", "encoded_peer.py"), f"xkey{key}", "far", "20",
                             "--key", "shared"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert peer.stdout.readline().strip() == "ready"
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key=key))
        watch = Watch()
        conn.register_observer(watch)
        inbox = EncodedInbox()
        conn.register_audio_encoded_frame_observer(inbox)
        conn.get_local_user().register_local_user_observer(inbox)
        conn.connect("", f"xkey{key}", "near")
        assert peer.stdout.readline().strip() == "sent"
        if expect_frames:
            wait_for(lambda: len(inbox.frames) == 20 and len(inbox.meta) == 20, what="20 frames with the shared key")
            assert [f[1] for f in inbox.frames] == [payload(i) for i in range(20)]
            assert watch.errors == []
        else:
            wait_for(lambda: watch.errors, what="the decryption error")
            assert watch.errors == [1] and inbox.frames == [] and inbox.meta == []
    finally:
        peer.stdin.close()
        assert peer.wait(20) == 0, peer.stderr.read()
