"""Receive the channel's audio and send a PCM file at the same time, on one connection.

    python example_audio_pcm_receive_and_send.py --channelId demo --userId 1 \
        --audioFile test_data/demo.pcm --sampleRate 16000 --numOfChannels 1 --saveToDisk 1

Pushes the file once (with --hours, over and over for that long) while
counting -- and with --saveToDisk 1 saving, as example_audio_pcm_receive.py
does -- what every remote user sends. It stops when the file has been played
and --hours (if given) is over.
"""

import logging

from common.media import push_pcm_file
from common.observers import ConnectionLogger, LocalUserLogger, PcmSaver
from common.parse_args import parse_args
from common.runtime import output_dir, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__)
    if not options.audio_file:
        raise SystemExit("--audioFile is required")
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    publish_config = RtcConnectionPublishConfig(
        audio_profile=AudioProfileType.AUDIO_PROFILE_DEFAULT,
        audio_scenario=AudioScenarioType.AUDIO_SCENARIO_AI_SERVER,
        is_publish_audio=True,
        is_publish_video=False,
        audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_PCM,
        video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_NONE,
    )
    connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False), publish_config)
    conn_observer = ConnectionLogger()
    connection.register_observer(conn_observer)
    connection.register_local_user_observer(LocalUserLogger())
    connection.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    audio_observer = PcmSaver(output_dir(__file__) if options.save_to_disk else None)
    connection.register_audio_frame_observer(audio_observer, 0, None)
    connection.connect(options.token, options.channel_id, options.user_id)
    if conn_observer.connected.wait(10):
        connection.publish_audio()
        push_pcm_file(connection, options.audio_file, options.sample_rate or 16000, options.num_of_channels or 1,
                      stop, loop=options.hours > 0, low_delay=options.low_delay)
        if options.hours > 0:
            stop.wait()  # keep receiving until --hours is over
        connection.unpublish_audio()
    else:
        logger.error("could not join %s", options.channel_id)
    connection.disconnect()
    connection.release()
    audio_observer.report()
    service.release()


if __name__ == "__main__":
    main()
