"""Receive each remote user's audio (16 kHz mono PCM) and video (I420).

    python example_pcm_yuv_receive.py --channelId demo --userId 2 --saveToDisk 1 --hours 0.01

Logs what arrives from whom; with --saveToDisk 1 appends it to
./logs/example_pcm_yuv_receive/<date_time>/<channel>_<user>.pcm and .yuv.
Runs for --hours, or until Ctrl+C, on each of --connectionNumber connections.
"""

import logging

from common.observers import ConnectionLogger, LocalUserLogger, PcmSaver, YuvSaver
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
    config.enable_video = 1
    service = AgoraService()
    service.initialize(config)

    def receive(channel_id):
        folder = output_dir(__file__) if options.save_to_disk else None
        publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
        connection = service.create_rtc_connection(rtc_conn_config(options), publish_config)
        connection.register_observer(ConnectionLogger())
        connection.register_local_user_observer(LocalUserLogger())
        connection.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
        audio_observer, video_observer = PcmSaver(folder), YuvSaver(folder)
        connection.register_audio_frame_observer(audio_observer, 0, None)
        connection.register_video_frame_observer(video_observer)
        connection.connect(options.token, channel_id, options.user_id)
        stop.wait()
        connection.disconnect()
        connection.release()
        audio_observer.report()
        video_observer.report()

    for_each_connection(options, receive)
    service.release()


if __name__ == "__main__":
    main()
