"""Runs under Agora's official Python SDK (unmodified), never under agora_rtc:
encoded audio, audio meta data and encryption through its 2.4 connection API.

A publisher with AUDIO_PUBLISH_TYPE_ENCODED_PCM and key "k1" pushes 1 s of
G.711 mu-law (every code value in turn) in 20 ms packets and 20 meta data
messages; "same" (key k1) records the PCM it hears at 8 kHz and the meta
data; "other" (key k2) should hear nothing and get on_encryption_error.
Prints one JSON line of what happened."""

import json
import sys
import threading
import time

from agora.rtc.agora_base import (AudioCodecType, AudioPublishType, EncodedAudioFrameInfo, EncryptionConfig,
                                  RtcConnectionPublishConfig, RTCConnConfig)
from agora.rtc.agora_service import AgoraService, AgoraServiceConfig
from agora.rtc.audio_frame_observer import IAudioFrameObserver
from agora.rtc.local_user_observer import IRTCLocalUserObserver
from agora.rtc.rtc_connection_observer import IRTCConnectionObserver

lock = threading.Lock()
heard = {"same": bytearray(), "other": bytearray()}
meta = {"same": [], "other": []}
encryption_errors = {"same": [], "other": []}
joined = threading.Event()


class Conn(IRTCConnectionObserver):
    def __init__(self, name):
        self.name = name

    def on_user_joined(self, conn, user_id):
        if self.name == "pub":
            joined.set()

    def on_encryption_error(self, conn, error_type):
        with lock:
            encryption_errors[self.name].append(error_type)


class User(IRTCLocalUserObserver):
    def __init__(self, name):
        self.name = name

    def on_audio_meta_data_received(self, local_user, user_id, data):
        with lock:
            meta[self.name].append([user_id, bytes(data).decode()])


class Frames(IAudioFrameObserver):
    def __init__(self, name):
        self.name = name

    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame, vad_state, vad_bytes):
        with lock:
            heard[self.name].extend(frame.buffer)
        return 1


def listener(service, channel, name, key):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1),
                                         RtcConnectionPublishConfig(is_publish_audio=False))
    conn.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key=key))
    conn.register_observer(Conn(name))
    conn.register_local_user_observer(User(name))
    conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 8000)
    conn.register_audio_frame_observer(Frames(name), 0, None)
    conn.connect("", channel, {"same": "2001", "other": "3001"}[name])
    return conn


def main():
    channel = sys.argv[1]
    service = AgoraService()
    config = AgoraServiceConfig()
    config.appid = "aab8b8f5a8cd4469a63042fcfafe7063"
    service.initialize(config)
    same = listener(service, channel, "same", "k1")
    other = listener(service, channel, "other", "k2")
    pub = service.create_rtc_connection(RTCConnConfig(), RtcConnectionPublishConfig(
        audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_ENCODED_PCM))
    encryption = pub.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key="k1"))
    pub.register_observer(Conn("pub"))
    pub.connect("", channel, "1001")
    joined.wait(5)
    published = pub.publish_audio()
    payload = bytes(i % 256 for i in range(8000))
    pushed = []
    for i in range(0, len(payload), 160):
        info = EncodedAudioFrameInfo(codec=AudioCodecType.AUDIO_CODEC_PCMU, sample_rate=8000,
                                     samples_per_channel=160, number_of_channels=1)
        pushed.append(pub.push_audio_encoded_data(payload[i:i + 160], info))
    metas = [pub.send_audio_meta_data(f"caption {i}".encode()) for i in range(20)]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with lock:
            if len(heard["same"]) >= 2 * len(payload) and len(meta["same"]) == 20 and encryption_errors["other"]:
                break
        time.sleep(0.01)
    time.sleep(0.2)
    for c in (pub, same, other):
        c.disconnect()
        c.release()
    service.release()
    with lock:
        print(json.dumps({"enable_encryption": encryption, "publish_audio": published, "pushed": pushed,
                          "send_audio_meta_data": metas, "payload": payload.hex(), "same": bytes(heard["same"]).hex(),
                          "other": bytes(heard["other"]).hex(), "meta": meta, "encryption_errors": encryption_errors}))


main()
