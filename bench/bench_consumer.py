"""AudioConsumer at real-time pace (clock speed 1): pacer jitter (arrival
times of the bot's frames at a listener vs the 10 ms grid) and barge-in
latency (clear() to the last frame heard), over several clears.

    python bench/bench_consumer.py [--seconds 10]
"""

import argparse
import os
import time

import numpy as np

os.environ.setdefault("AGORA_RTC_LOOPBACK_TRANSPORT", "off")

from agora_rtc import (AgoraService, AgoraServiceConfig, AudioConsumer, IAudioFrameObserver,  # noqa: E402
                       RTCConnConfig)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="bench", use_string_uid=1))
    arrivals = []

    class Listen(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, user, channel, uid, frame):
            arrivals.append(time.perf_counter())

    listener = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    listener.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    listener.get_local_user().register_audio_frame_observer(Listen())
    listener.connect("", "bench", "human")
    bot = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    bot.connect("", "bench", "bot")
    factory = svc.create_media_node_factory()
    sender = factory.create_audio_pcm_data_sender()
    track = svc.create_custom_audio_track_pcm(sender)
    bot.get_local_user().publish_audio(track)
    consumer = AudioConsumer(sender, 16000, 1)
    time.sleep(0.2)

    consumer.push_pcm_data(np.full(int(16000 * args.seconds), 1000, np.int16))
    consumer.wait_for_playout()
    time.sleep(0.05)
    t = np.array(arrivals)
    t = t[-int(args.seconds * 100):]
    grid = t[0] + np.arange(len(t)) * 0.010
    drift = (t - grid)
    dev = np.abs(drift - np.median(drift)) * 1e3
    print(f"pacer: {len(t)} frames, deviation from the 10 ms grid p50 {np.percentile(dev, 50):.3f} ms, "
          f"p99 {np.percentile(dev, 99):.3f} ms, max {dev.max():.3f} ms; underruns {consumer.stats()['underruns']}")

    latencies, after = [], 0
    for _ in range(20):
        consumer.push_pcm_data(np.full(16000, 1000, np.int16))
        time.sleep(0.3)
        arrivals.clear()
        t0 = time.perf_counter()
        consumer.clear()
        time.sleep(0.1)
        late = [a for a in arrivals if a > t0]
        after += len(late)
        latencies.append((max(late) - t0) * 1e3 if late else 0.0)
    lat = np.array(latencies)
    print(f"barge-in: {after} frames heard after 20 clear() calls; clear() to last frame heard "
          f"p50 {np.percentile(lat, 50):.2f} ms, max {lat.max():.2f} ms")
    svc.release()


if __name__ == "__main__":
    main()
