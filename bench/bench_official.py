"""agora_rtc side by side with Agora's official Python SDK, on the same engine,
in one run (issue 9). The official SDK is fetched from PyPI and run unmodified
(see agora_rtc.official); each side runs in its own process (one service per
process), the same workloads, interleaved, several times.

    python bench/bench_official.py [--reps 5] [--json out.json]

Workloads:
  send      CPU of the calling thread per 10 ms PCM frame handed to the engine (16 kHz mono):
            official 2.4 ``RTCConnection.push_audio_pcm_data(bytearray, ...)``
            vs ours ``AudioPcmDataSender.send(bytes, ...)``.
  video     CPU of the calling thread per raw I420 frame sent (720p, 1080p), 2.4 API on both sides:
            official ``RTCConnection.push_video_frame(ExternalVideoFrame)`` (a new frame per call,
            as its examples do) vs ours (the same call, and our fast path ``VideoFrameSender.send(buffer, I420, w, h)``). Measured twice:
            track unpublished (the engine discards the frame at once: the SDK layer's own cost,
            what holds the GIL) and published (plus the engine's copy into its queue).
  receive   process CPU per remote frame delivered to a Python
            ``on_playback_audio_frame_before_mixing`` (4 publishers at 16 kHz,
            test clock 20x), minus the same run with no observer (the engine's
            own cost), so only the C->Python delivery is compared.
Figures are the minimum over repetitions (least disturbed by other load).
"""

import argparse
import json
import os
import subprocess
import sys
import textwrap

from agora_rtc import official

SEND_CALLS = 20000
RECV_SECONDS = 3.0
PUBLISHERS = 4
SPEED = 20

# One program text for both sides: `sdk` selects the API. Each prints JSON.
CHILD = textwrap.dedent(r"""
import json, sys, time
sdk, workload, observe = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
SEND_CALLS, RECV_SECONDS, PUBLISHERS, SPEED = (int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]),
                                               float(sys.argv[7]))
RATE = 16000
FRAME = bytearray(320)  # 10 ms of 16 kHz mono silence
delivered = 0

if sdk == "official":
    from agora.rtc.agora_base import RtcConnectionPublishConfig, RTCConnConfig
    from agora.rtc.agora_service import AgoraService, AgoraServiceConfig
    from agora.rtc.audio_frame_observer import IAudioFrameObserver

    service = AgoraService()
    config = AgoraServiceConfig()
    config.appid = "aab8b8f5a8cd4469a63042fcfafe7063"
    service.initialize(config)
    service.get_agora_parameter().set_parameters(json.dumps({"loopback.clock_speed": SPEED}))

    def publisher(channel, uid):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=0), RtcConnectionPublishConfig())
        conn.connect("", channel, uid)
        conn.publish_audio()
        # clear: the 2.4 API's interrupt_audio() republishes in the AI scenario; use its track's clear
        return (lambda: conn.push_audio_pcm_data(FRAME, RATE, 1)), conn._audio_track.clear_sender_buffer

    def subscriber(channel, uid, observer):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1),
                                             RtcConnectionPublishConfig(is_publish_audio=False))
        conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, RATE)
        if observer:
            conn.register_audio_frame_observer(observer, 0, None)
        conn.connect("", channel, uid)
        return conn
else:
    from agora_rtc import AgoraService, AgoraServiceConfig, IAudioFrameObserver, RTCConnConfig

    service = AgoraService()
    service.initialize(AgoraServiceConfig(appid="aab8b8f5a8cd4469a63042fcfafe7063"))
    service.set_parameters({"loopback.clock_speed": SPEED})
    factory = service.create_media_node_factory()

    def publisher(channel, uid):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=0))
        conn.connect("", channel, uid)
        sender = factory.create_audio_pcm_data_sender()
        track = service.create_custom_audio_track_pcm(sender)
        track.set_max_buffer_audio_frame_number(100000)
        conn.get_local_user().publish_audio(track)
        data = bytes(FRAME)
        return (lambda: sender.send(data, 160, RATE, 1)), track.clear_sender_buffer

    def subscriber(channel, uid, observer):
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        user = conn.get_local_user()
        user.set_playback_audio_frame_before_mixing_parameters(1, RATE)
        if observer:
            user.register_audio_frame_observer(observer)
        conn.connect("", channel, uid)
        return conn


class Count(IAudioFrameObserver):
    def on_playback_audio_frame_before_mixing(self, *args):
        global delivered
        delivered += 1
        return 1


def video_sender(width, height, publish):
    if sdk == "official":
        from agora.rtc.agora_base import ExternalVideoFrame, RtcConnectionPublishConfig, VideoPublishType
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
            is_publish_audio=False, is_publish_video=True, video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV))
    else:
        from agora_rtc import ExternalVideoFrame, RtcConnectionPublishConfig, VideoPublishType
        conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1), RtcConnectionPublishConfig(
            is_publish_audio=False, is_publish_video=True, video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV))
    conn.connect("", "video", "1")
    if publish:
        conn.publish_video()
    buf = bytearray(width * height * 3 // 2)
    push = conn.push_video_frame

    # Each loop is the SDK call as a user writes it, n times (no lambda in between: its frame would cost as
    # much as our whole send). A new frame per call, as the official examples do: its send_video_frame()
    # sets frame.buffer to None. Format 1 (I420) as a literal on both sides.
    def push_loop(n):
        rc = 0
        for _ in range(n):
            rc = push(ExternalVideoFrame(type=1, format=1, buffer=buf, stride=width, height=height, timestamp=0))
        return rc

    loops = {"push_video_frame": push_loop}
    if sdk != "official":
        send = conn._publisher.video_sender.send
        data = bytes(buf)

        def send_loop(n):
            rc = 0
            for _ in range(n):
                rc = send(data, 1, width, height)
            return rc

        loops["send"] = send_loop
    return loops


if workload.startswith("videocg"):  # under callgrind (bench/callgrind_video.py): n calls, no timing
    _, size, name, n = workload.split(":")
    width, height = {"720p": (1280, 720), "1080p": (1920, 1080)}[size]
    loop = video_sender(width, height, False)[name]
    assert loop(20) == 0
    loop(int(n))
    print(json.dumps({"calls": int(n)}))
elif workload.startswith("video"):
    _, size, published = workload.split(":")
    width, height = {"720p": (1280, 720), "1080p": (1920, 1080)}[size]
    calls = 300 if published == "1" else 2000  # a published 1080p send copies 3 MB: fewer calls
    out = {}
    for name, loop in video_sender(width, height, published == "1").items():
        rc = loop(20)
        assert rc == 0, f"{sdk} {name} returned {rc}: a failing call is not a measurement"
        t0 = time.thread_time()
        loop(calls)
        out[name] = (time.thread_time() - t0) / calls
        time.sleep(0.3)  # let the engine thread drain what was queued
    print(json.dumps(out))
elif workload == "send":
    send, clear = publisher("send", "1")
    for _ in range(SEND_CALLS):  # warm-up: the engine allocates its queue slots on first use
        send()
    clear()
    t0 = time.thread_time()  # the calling thread only: the engine thread's clock is not the send's cost
    for _ in range(SEND_CALLS):
        send()
    print(json.dumps({"per_call_s": (time.thread_time() - t0) / SEND_CALLS}))
else:
    sub = subscriber("recv", "900", Count() if observe else None)
    sends = [publisher("recv", str(i + 1))[0] for i in range(PUBLISHERS)]
    frames = int(RECV_SECONDS * SPEED * 100)
    for send in sends:  # queue everything first: the clock then plays it out
        for _ in range(frames):
            send()
    time.sleep(0.2)
    t0, w0 = time.process_time(), time.monotonic()
    time.sleep(RECV_SECONDS)
    cpu = time.process_time() - t0
    print(json.dumps({"cpu_s": cpu, "wall_s": time.monotonic() - w0, "delivered": delivered}))
""")


def run(root, sdk, workload, observe=True):
    env = dict(os.environ)
    if sdk == "official":
        env["PYTHONPATH"] = str(root)
    env["AGORA_RTC_LOOPBACK_TRANSPORT"] = "off"
    out = subprocess.run([sys.executable, "-c", CHILD, sdk, workload, "1" if observe else "0", str(SEND_CALLS),
                          str(RECV_SECONDS), str(PUBLISHERS), str(SPEED)], capture_output=True, text=True, env=env,
                         timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"{sdk} {workload} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    root = official.prepare()
    send = {"official": [], "agora_rtc": []}
    recv = {"official": [], "agora_rtc": []}
    delivered = {"official": [], "agora_rtc": []}
    video = {}  # (size, published, sdk, call) -> [seconds per call]
    for _ in range(args.reps):  # interleaved, so drift on the machine hits both sides alike
        for sdk in ("official", "agora_rtc"):
            send[sdk].append(run(root, sdk, "send")["per_call_s"])
            for size in ("720p", "1080p"):
                for published in ("0", "1"):
                    for call, secs in run(root, sdk, f"video:{size}:{published}").items():
                        video.setdefault((size, published, sdk, call), []).append(secs)
            with_obs = run(root, sdk, "receive", observe=True)
            without = run(root, sdk, "receive", observe=False)
            frames = with_obs["delivered"]
            delivered[sdk].append(frames)
            if frames:
                recv[sdk].append((with_obs["cpu_s"] - without["cpu_s"]) / frames)
    figures = {
        "send_us_per_frame": {k: min(v) * 1e6 for k, v in send.items()},
        "receive_us_per_frame": {k: min(v) * 1e6 for k, v in recv.items() if v},
        "receive_frames_per_run": delivered,
    }
    figures["send_ratio_official_over_ours"] = (figures["send_us_per_frame"]["official"] /
                                                figures["send_us_per_frame"]["agora_rtc"])
    figures["video_send_us_per_frame"] = {
        f"{size} {'published' if published == '1' else 'unpublished'} {sdk} {call}": min(v) * 1e6
        for (size, published, sdk, call), v in sorted(video.items())}
    for size in ("720p", "1080p"):
        for published, label in (("0", "unpublished"), ("1", "published")):
            official_us = min(video[(size, published, "official", "push_video_frame")])
            for call in ("push_video_frame", "send"):
                ours = min(video[(size, published, "agora_rtc", call)])
                figures.setdefault("video_ratio_official_over_ours", {})[f"{size} {label} {call}"] = official_us / ours
    r = figures["receive_us_per_frame"]
    if len(r) == 2:
        figures["receive_ratio_official_over_ours"] = r["official"] / r["agora_rtc"]
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)


if __name__ == "__main__":
    main()
