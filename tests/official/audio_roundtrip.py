"""Runs under Agora's official Python SDK (unmodified; see agora_rtc.official),
never under agora_rtc: a publisher pushes 1 s of a known 16 kHz signal with the
2.4 connection API, a subscriber in the same channel records what its
before-mixing observer receives. Prints one JSON line of what happened."""

import json
import sys
import threading
import time

from agora.rtc.agora_base import AudioScenarioType, RtcConnectionPublishConfig, RTCConnConfig
from agora.rtc.agora_service import AgoraService, AgoraServiceConfig
from agora.rtc.audio_frame_observer import IAudioFrameObserver
from agora.rtc.rtc_connection_observer import IRTCConnectionObserver

RATE = 16000
events = []
received = bytearray()
lock = threading.Lock()


class ConnLog(IRTCConnectionObserver):
    def __init__(self, name):
        self.name = name

    def on_connected(self, conn, info, reason):
        events.append([self.name, "connected", info.local_user_id, reason])

    def on_user_joined(self, conn, user_id):
        events.append([self.name, "user_joined", user_id])

    def on_user_left(self, conn, user_id, reason):
        events.append([self.name, "user_left", user_id, reason])


class Frames(IAudioFrameObserver):
    def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame, vad_state, vad_bytes):
        with lock:
            received.extend(frame.buffer)
        return 1


def main():
    channel = sys.argv[1]
    service = AgoraService()
    config = AgoraServiceConfig()
    config.appid = "aab8b8f5a8cd4469a63042fcfafe7063"
    config.use_string_uid = 0
    init = service.initialize(config)

    publish = RtcConnectionPublishConfig()
    publish.audio_scenario = AudioScenarioType.AUDIO_SCENARIO_AI_SERVER
    conn_config = RTCConnConfig(auto_subscribe_audio=1)
    sub = service.create_rtc_connection(conn_config, RtcConnectionPublishConfig(is_publish_audio=False))
    sub.register_observer(ConnLog("sub"))
    sub.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
    sub.register_audio_frame_observer(Frames(), 0, None)
    sub.connect("", channel, "2001")

    pub = service.create_rtc_connection(conn_config, publish)
    pub.register_observer(ConnLog("pub"))
    pub.connect("", channel, "1001")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(e[:2] == ["sub", "user_joined"] for e in events):
        time.sleep(0.01)
    published = pub.publish_audio()

    # 100 frames of a ramp that never repeats within the test: sample i = i % 30011 - 15000
    signal = bytearray()
    for i in range(RATE):
        signal += ((i % 30011) - 15000).to_bytes(2, "little", signed=True)
    pushed = pub.push_audio_pcm_data(signal, RATE, 1)  # the official sender needs a writable buffer
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(received) < len(signal):
        time.sleep(0.01)
    time.sleep(0.1)

    sid = pub.get_sid() if hasattr(pub, "get_sid") else None
    pub.disconnect()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not any(e[:2] == ["sub", "user_left"] for e in events):
        time.sleep(0.01)
    sub.disconnect()
    pub.release()
    sub.release()
    service.release()
    with lock:
        data = bytes(received)
    print(json.dumps({"initialize": init, "publish_audio": published, "push_audio_pcm_data": pushed,
                      "events": events, "sent": signal.hex(), "received": data.hex(), "sid": sid}))


main()
