"""Audio send -> receive latency across processes vs in one process: a talker
pushes one 10 ms frame every 10 ms stamped with the wall clock (presentation_ms),
a listener's before-mixing observer takes now - stamp per frame. Both run on
the real-time clock.

    python bench/bench_latency_cross_process.py [--seconds 5]

The figure includes the wait for the sender's next 10 ms tick, the transport,
the receiver's jitter buffer (2 frames between processes) and its next tick.
"""

import argparse
import multiprocessing as mp
import os
import tempfile
import time

import numpy as np


def talk(svc, channel, seconds, ready=None):
    from agora_rtc import RTCConnConfig
    conn = svc.create_rtc_connection(RTCConnConfig())
    conn.connect("", channel, "talker")
    sender = svc.create_media_node_factory().create_audio_pcm_data_sender()
    track = svc.create_custom_audio_track_pcm(sender)
    conn.get_local_user().publish_audio(track)
    if ready is not None:
        ready.wait(10)
    frame = np.zeros(160, np.int16)
    start = time.monotonic()
    for i in range(int(seconds * 100)):
        time.sleep(max(0.0, start + i * 0.01 - time.monotonic()))
        sender.send(frame, 160, 16000, presentation_ms=int(time.time() * 1000))
    time.sleep(0.3)
    conn.release()


def talker_process(channel, seconds, ready):
    from agora_rtc import AgoraService, AgoraServiceConfig
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="bench", use_string_uid=1))
        talk(svc, channel, seconds, ready)


def listen(channel, seconds, in_process):
    from agora_rtc import AgoraService, AgoraServiceConfig, IAudioFrameObserver, RTCConnConfig
    latencies = []

    class Stamp(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, local_user, channel_id, uid, frame):
            if frame.presentation_ms:
                latencies.append(time.time() * 1000 - frame.presentation_ms)

    ctx = mp.get_context("spawn")
    with AgoraService() as svc:
        svc.initialize(AgoraServiceConfig(appid="bench", use_string_uid=1))
        conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        conn.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
        conn.get_local_user().register_audio_frame_observer(Stamp())
        conn.connect("", channel, "listener")
        if in_process:
            talk(svc, channel, seconds)
        else:
            ready = ctx.Event()
            p = ctx.Process(target=talker_process, args=(channel, seconds, ready))
            p.start()
            time.sleep(1.5)  # the talker joined and was admitted
            ready.set()
            p.join()
    lat = np.sort(np.array(latencies[20:]))  # past the first 200 ms
    return float(np.percentile(lat, 50)), float(np.percentile(lat, 99)), len(lat)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    os.environ.setdefault("AGORA_RTC_LOOPBACK_DIR", tempfile.mkdtemp(prefix="agora-rtc-bench-"))
    inp = listen("lat-in", args.seconds, True)
    xp = listen("lat-xp", args.seconds, False)
    print(f"in one process:      p50 {inp[0]:.1f} ms, p99 {inp[1]:.1f} ms over {inp[2]} frames")
    print(f"across processes:    p50 {xp[0]:.1f} ms, p99 {xp[1]:.1f} ms over {xp[2]} frames "
          f"(+{xp[0] - inp[0]:.1f} ms at p50: the 2-frame jitter buffer and the socket hop)")


if __name__ == "__main__":
    main()
