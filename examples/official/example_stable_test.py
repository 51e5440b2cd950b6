"""Join, send, receive and leave, over and over: a soak test of the SDK's life cycle.

    python example_stable_test.py --channelId demo --userId 1 \
        --audioFile test_data/demo.pcm --sampleRate 16000 --numOfChannels 1 \
        --videoFile test_data/video_320x180.yuv --width 320 --height 180 --fps 30 --hours 1

Each round opens --connectionNumber connections. Every connection counts the
audio and video it receives, publishes audio and video, sends the stream
message "hello", and loops the two files; when the round's life is over --
--value seconds, or 5 to 10 s at random when --value is 0 -- they are all
released, garbage is collected and the next round starts. One line per round;
run two of these in the same channel and they hear and see each other. Runs
for --hours, or until Ctrl+C.
"""

import gc
import logging
import random
import threading
import time

from common.media import push_pcm_file, push_yuv_file
from common.observers import ConnectionLogger, LocalUserLogger, PcmSaver, YuvSaver
from common.parse_args import parse_args
from common.runtime import channel_ids, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def session(service, channel_id, options, round_over, results):
    """One connection's life in a round: join, publish, send until round_over, leave."""
    publish_config = RtcConnectionPublishConfig(
        audio_profile=AudioProfileType.AUDIO_PROFILE_DEFAULT,
        audio_scenario=AudioScenarioType.AUDIO_SCENARIO_AI_SERVER,
        is_publish_audio=True,
        is_publish_video=True,
        audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_PCM,
        video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV,
    )
    connection = service.create_rtc_connection(rtc_conn_config(options), publish_config)
    conn_observer, messages = ConnectionLogger(), LocalUserLogger()
    connection.register_observer(conn_observer)
    connection.register_local_user_observer(messages)
    connection.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    audio_observer, video_observer = PcmSaver(), YuvSaver()
    connection.register_audio_frame_observer(audio_observer, 0, None)
    connection.register_video_frame_observer(video_observer)
    connection.connect(options.token, channel_id, options.user_id)
    if conn_observer.connected.wait(10):
        connection.publish_audio()
        connection.publish_video()
        connection.send_stream_message(b"hello")
        audio = threading.Thread(target=push_pcm_file, args=(connection, options.audio_file,
                                                              options.sample_rate or 16000,
                                                              options.num_of_channels or 1, round_over, True))
        audio.start()
        push_yuv_file(connection, options.video_file, options.width, options.height, options.fps or 15,
                      round_over, loop=True)
        audio.join()
    else:
        logger.error("could not join %s", channel_id)
    connection.disconnect()
    connection.release()
    results.append((sum(audio_observer.frames.values()), sum(video_observer.frames.values()),
                    len(messages.messages)))


def main():
    setup_logging()
    options = parse_args(__doc__)
    if not (options.audio_file and options.video_file and options.width and options.height):
        raise SystemExit("--audioFile, --videoFile, --width and --height are required")
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    config.enable_video = 1
    service = AgoraService()
    service.initialize(config)

    rounds = 0
    while not stop.is_set():
        rounds += 1
        life = options.value if options.value > 0 else random.uniform(5, 10)
        round_over, results = threading.Event(), []
        sessions = [threading.Thread(target=session, args=(service, channel, options, round_over, results))
                    for channel in channel_ids(options)]
        for s in sessions:
            s.start()
        started = time.monotonic()
        stop.wait(life)
        round_over.set()
        for s in sessions:
            s.join()
        gc.collect()
        logger.info("round %d: %d connection(s) for %.1f s, received %d audio frames, %d video frames, "
                    "%d stream messages", rounds, len(results), time.monotonic() - started, sum(r[0] for r in results),
                    sum(r[1] for r in results), sum(r[2] for r in results))

    service.release()
    logger.info("%d rounds", rounds)


if __name__ == "__main__":
    main()
