"""Send a raw PCM file into a channel.

    python example_audio_pcm_send.py --channelId demo --userId 1 \
        --audioFile test_data/demo.pcm --sampleRate 16000 --numOfChannels 1

The file is pushed once (with --hours, over and over for that long) on each of
--connectionNumber connections; the SDK plays it out at real-time pace. Pair
it with example_audio_pcm_receive.py in the same channel.
"""

import logging

from common.media import push_pcm_file
from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import for_each_connection, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__)
    if not options.audio_file:
        raise SystemExit("--audioFile is required")
    sample_rate, channels = options.sample_rate or 16000, options.num_of_channels or 1
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    def send(channel_id):
        publish_config = RtcConnectionPublishConfig(
            audio_profile=AudioProfileType.AUDIO_PROFILE_DEFAULT,
            audio_scenario=AudioScenarioType.AUDIO_SCENARIO_AI_SERVER,
            is_publish_audio=True,
            is_publish_video=False,
            audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_PCM,
            video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_NONE,
        )
        connection = service.create_rtc_connection(rtc_conn_config(options), publish_config)
        conn_observer = ConnectionLogger()
        connection.register_observer(conn_observer)
        connection.register_local_user_observer(LocalUserLogger())
        connection.connect(options.token, channel_id, options.user_id)
        if conn_observer.connected.wait(10):
            connection.publish_audio()
            push_pcm_file(connection, options.audio_file, sample_rate, channels, stop, loop=options.hours > 0,
                          low_delay=options.low_delay)
            connection.unpublish_audio()
        else:
            logger.error("could not join %s", channel_id)
        connection.disconnect()
        connection.release()

    for_each_connection(options, send)
    service.release()


if __name__ == "__main__":
    main()
