"""Receive each remote user's video as I420 frames.

    python example_video_yuv_receive.py --channelId demo --userId 2 --saveToDisk 1 --hours 0.01

Logs each remote user's frame size (and the metadata of the first frame of
that size) and, at the end, how many frames came from whom. With
--saveToDisk 1 the frames are appended to
./logs/example_video_yuv_receive/<date_time>/<channel>_<user>.yuv
(``ffplay -f rawvideo -pixel_format yuv420p -video_size WxH FILE``). Runs for
--hours, or until Ctrl+C.
"""

import logging

from common.observers import ConnectionLogger, LocalUserLogger, YuvSaver
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
        publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
        connection = service.create_rtc_connection(rtc_conn_config(options), publish_config)
        connection.register_observer(ConnectionLogger())
        connection.register_local_user_observer(LocalUserLogger())
        video_observer = YuvSaver(output_dir(__file__) if options.save_to_disk else None)
        connection.register_video_frame_observer(video_observer)
        connection.connect(options.token, channel_id, options.user_id)
        stop.wait()
        connection.disconnect()
        connection.release()
        video_observer.report()

    for_each_connection(options, receive)
    service.release()


if __name__ == "__main__":
    main()
