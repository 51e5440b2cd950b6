"""Receive each remote user's audio as 16 kHz mono PCM.

    python example_audio_pcm_receive.py --channelId demo --userId 2 --saveToDisk 1 --hours 0.01

Logs each remote user's first frame and, at the end, how many frames came
from whom. With --saveToDisk 1 every user's audio is appended to
./logs/example_audio_pcm_receive/<date_time>/<channel>_<user>.pcm
(play with ``ffplay -f s16le -ar 16000 -ac 1 FILE``). Runs for --hours, or
until Ctrl+C.
"""

import logging

from common.observers import ConnectionLogger, LocalUserLogger, PcmSaver
from common.parse_args import parse_args
from common.runtime import for_each_connection, output_dir, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import AgoraServiceConfig, RtcConnectionPublishConfig
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__)
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    def receive(channel_id):
        publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
        connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False),
                                                   publish_config)
        connection.register_observer(ConnectionLogger())
        connection.register_local_user_observer(LocalUserLogger())
        local_user = connection.get_local_user()
        local_user.set_playback_audio_frame_before_mixing_parameters(1, 16000)  # before registering the observer
        audio_observer = PcmSaver(output_dir(__file__) if options.save_to_disk else None)
        connection.register_audio_frame_observer(audio_observer, 0, None)  # 0, None: no VAD here
        connection.connect(options.token, channel_id, options.user_id)
        stop.wait()
        connection.disconnect()
        connection.release()
        audio_observer.report()

    for_each_connection(options, receive)
    service.release()


if __name__ == "__main__":
    main()
