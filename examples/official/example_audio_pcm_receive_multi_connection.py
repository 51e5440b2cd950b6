"""Receive the audio of several channels at once, with one observer.

    python example_audio_pcm_receive_multi_connection.py --channelId demo --userId 2 \
        --connectionNumber 2 --saveToDisk 1 --hours 0.01

Opens --connectionNumber connections (default 2 here) to the channels demo,
demo1, ... in the main thread and registers the same audio frame observer on
all of them: it tells the streams apart by channel and user. With
--saveToDisk 1 each is appended to
./logs/example_audio_pcm_receive_multi_connection/<date_time>/<channel>_<user>.pcm.
Runs for --hours, or until Ctrl+C.
"""

import logging

from common.observers import ConnectionLogger, LocalUserLogger, PcmSaver
from common.parse_args import parse_args
from common.runtime import channel_ids, output_dir, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import AgoraServiceConfig, RtcConnectionPublishConfig
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__, connection_number=2)
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    audio_observer = PcmSaver(output_dir(__file__) if options.save_to_disk else None)  # one for every connection
    connections = []
    for channel_id in channel_ids(options):
        publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
        connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False),
                                                   publish_config)
        connection.register_observer(ConnectionLogger())
        connection.register_local_user_observer(LocalUserLogger())
        connection.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
        connection.register_audio_frame_observer(audio_observer, 0, None)
        connection.connect(options.token, channel_id, options.user_id)
        connections.append(connection)

    stop.wait()
    for connection in connections:
        connection.disconnect()
        connection.release()
    audio_observer.report()
    service.release()


if __name__ == "__main__":
    main()
