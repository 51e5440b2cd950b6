"""Runs under Agora's official Python SDK (unmodified; see agora_rtc.official),
never under agora_rtc: one publisher pushes raw I420 frames (with metadata)
with the 2.4 connection API, another pushes encoded images; a subscriber
records what its video frame observer and encoded frame observer receive.
Prints one JSON line of what happened."""

import json
import sys
import threading
import time

from agora.rtc.agora_base import (EncodedVideoFrameInfo, ExternalVideoFrame, RtcConnectionPublishConfig,
                                  RTCConnConfig, VideoPublishType)
from agora.rtc.agora_service import AgoraService, AgoraServiceConfig
from agora.rtc.video_encoded_frame_observer import IVideoEncodedFrameObserver
from agora.rtc.video_frame_observer import IVideoFrameObserver

W, H = 32, 16
raw, encoded = [], []
lock = threading.Lock()


class Raw(IVideoFrameObserver):
    def on_frame(self, channel_id, remote_uid, frame):
        with lock:
            raw.append({"uid": remote_uid, "w": frame.width, "h": frame.height, "y": frame.y_buffer.hex(),
                        "u": frame.u_buffer.hex(), "v": frame.v_buffer.hex(), "metadata": frame.metadata.hex(),
                        "ts": frame.render_time_ms})


class Encoded(IVideoEncodedFrameObserver):
    def on_encoded_video_frame(self, uid, image_buffer, length, info):
        with lock:
            encoded.append({"uid": uid, "data": image_buffer.hex(), "length": length, "frame_type": info.frame_type,
                            "w": info.width})


def wait(predicate, seconds=5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.01)


def main():
    channel = sys.argv[1]
    service = AgoraService()
    config = AgoraServiceConfig()
    config.appid = "aab8b8f5a8cd4469a63042fcfafe7063"
    init = service.initialize(config)

    sub = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1, auto_subscribe_video=1),
                                        RtcConnectionPublishConfig(is_publish_audio=False))
    sub.register_video_frame_observer(Raw())
    sub.register_video_encoded_frame_observer(Encoded())
    sub.connect("", channel, "2001")

    yuv = service.create_rtc_connection(RTCConnConfig(), RtcConnectionPublishConfig(
        is_publish_audio=False, is_publish_video=True, video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV))
    yuv.connect("", channel, "1001")
    img = service.create_rtc_connection(RTCConnConfig(), RtcConnectionPublishConfig(
        is_publish_audio=False, is_publish_video=True,
        video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_ENCODED_IMAGE))
    img.connect("", channel, "1002")
    time.sleep(0.3)
    results = {"initialize": init, "publish_yuv": yuv.publish_video(), "publish_encoded": img.publish_video()}

    frames = []
    for k in range(3):
        buf = bytearray(((i * 7 + k) % 256) for i in range(W * H * 3 // 2))
        frames.append(buf.hex())
        frame = ExternalVideoFrame(type=1, format=1, buffer=buf, stride=W, height=H, timestamp=100 + k,
                                   metadata=bytearray(b"\x00meta" + bytes([k])))
        results.setdefault("push_video_frame", []).append(yuv.push_video_frame(frame))
    # bytes: the official sender casts its argument with ctypes.cast, which refuses a bytearray
    units = [bytes([0, 0, 0, 1, 0x65, k]) * (k + 1) for k in range(3)]
    for k, unit in enumerate(units):
        info = EncodedVideoFrameInfo(codec_type=2, width=640, height=360, frames_per_second=30,
                                     frame_type=3 if k == 0 else 4)
        results.setdefault("push_video_encoded_data", []).append(img.push_video_encoded_data(unit, info))
    wait(lambda: len(raw) >= 3 and len(encoded) >= 3)
    for conn in (yuv, img, sub):
        conn.disconnect()
        conn.release()
    service.release()
    with lock:
        results.update(sent_frames=frames, sent_units=[u.hex() for u in units], raw=raw, encoded=encoded)
    print(json.dumps(results))


main()
