"""A publisher of encoded audio and audio meta data in its own process.

    python encoded_peer.py CHANNEL USER_ID FRAMES [--key KEY]

Connects (with encryption when --key is given), waits for a member to join,
sends FRAMES encoded audio frames and FRAMES meta data messages (payloads from
``payload(i)``), then stays until stdin closes. Prints "ready" and "sent".
"""

import argparse
import sys
import threading
import time

from agora_rtc import (AgoraService, AgoraServiceConfig, AudioCodecType, AudioPublishType, EncodedAudioFrameInfo,
                       EncryptionConfig, IRTCConnectionObserver, RTCConnConfig, RtcConnectionPublishConfig)


def payload(i):
    """Frame i: 1..400 bytes, NULs included, different for every i."""
    return bytes((i * 7 + k) % 256 for k in range(1 + (i * 37) % 400))


class Joined(IRTCConnectionObserver):
    def __init__(self):
        self.event = threading.Event()

    def on_user_joined(self, conn, user_id):
        self.event.set()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("channel")
    ap.add_argument("user_id")
    ap.add_argument("frames", type=int)
    ap.add_argument("--key")
    args = ap.parse_args()
    service = AgoraService()
    service.initialize(AgoraServiceConfig(appid="test-app", use_string_uid=1))
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
        audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_ENCODED_PCM))
    if args.key:
        conn.enable_encryption(1, EncryptionConfig(encryption_mode=5, encryption_key=args.key))
    joined = Joined()
    conn.register_observer(joined)
    conn.connect("", args.channel, args.user_id)
    conn.publish_audio()
    print("ready", flush=True)
    if not joined.event.wait(20):
        sys.exit("nobody joined")
    time.sleep(0.2)
    for i in range(args.frames):
        info = EncodedAudioFrameInfo(codec=AudioCodecType.AUDIO_CODEC_OPUS, sample_rate=48000, samples_per_channel=960,
                                     number_of_channels=2, capture_time_ms=1000 + i)
        conn.push_audio_encoded_data(payload(i), info)
        conn.send_audio_meta_data(b"meta %d" % i)
        time.sleep(0.002)  # a socket queue holds ~10 datagrams; real senders pace at 20 ms
    print("sent", flush=True)
    sys.stdin.read()
    conn.release()
    service.release()


if __name__ == "__main__":
    main()
