"""Send one PCM file into several channels at once, from one reader.

    python example_audio_pcm_send_multi_connection.py --channelId demo --userId 1 \
        --audioFile test_data/demo.pcm --sampleRate 16000 --numOfChannels 1 --connectionNumber 2

Opens --connectionNumber connections (default 2 here) to the channels demo,
demo1, ... in the main thread, then reads the file once and pushes each piece
on every connection -- once, or with --hours over and over for that long.
Pair it with example_audio_pcm_receive_multi_connection.py.
"""

import logging

from common.media import push_pcm_file
from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import channel_ids, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__, connection_number=2)
    if not options.audio_file:
        raise SystemExit("--audioFile is required")
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    connections, observers = [], []
    for channel_id in channel_ids(options):
        publish_config = RtcConnectionPublishConfig(
            audio_profile=AudioProfileType.AUDIO_PROFILE_DEFAULT,
            audio_scenario=AudioScenarioType.AUDIO_SCENARIO_AI_SERVER,
            is_publish_audio=True,
            is_publish_video=False,
            audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_PCM,
            video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_NONE,
        )
        connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False),
                                                   publish_config)
        observers.append(ConnectionLogger())
        connection.register_observer(observers[-1])
        connection.register_local_user_observer(LocalUserLogger())
        connection.connect(options.token, channel_id, options.user_id)
        connections.append(connection)
    if all(o.connected.wait(10) for o in observers):
        for connection in connections:
            connection.publish_audio()
        push_pcm_file(connections, options.audio_file, options.sample_rate or 16000, options.num_of_channels or 1,
                      stop, loop=options.hours > 0, low_delay=options.low_delay)
        for connection in connections:
            connection.unpublish_audio()
    else:
        logger.error("could not join every channel")
    for connection in connections:
        connection.disconnect()
        connection.release()
    service.release()


if __name__ == "__main__":
    main()
