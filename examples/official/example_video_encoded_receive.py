"""Receive each remote user's video as encoded frames (not decoded).

    python example_video_encoded_receive.py --channelId demo --userId 2 --saveToDisk 1 --hours 0.01

Subscribes to everyone's video with ``encodedFrameOnly`` and logs the codec
and size of each remote user's stream; at the end, how many frames (and key
frames) came from whom. With --saveToDisk 1 the frames are appended to
./logs/example_video_encoded_receive/<date_time>/<channel>_<user>.h264
(Annex-B as sent: ``ffplay FILE``). Runs for --hours, or until Ctrl+C.
"""

import logging

from common.observers import ConnectionLogger, H264Saver, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import output_dir, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, RtcConnectionPublishConfig, VideoStreamType,
                                         VideoSubscriptionOptions)
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

    publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
    connection = service.create_rtc_connection(rtc_conn_config(options), publish_config)
    connection.register_observer(ConnectionLogger())
    connection.register_local_user_observer(LocalUserLogger())
    connection.get_local_user().subscribe_all_video(
        VideoSubscriptionOptions(type=VideoStreamType.VIDEO_STREAM_HIGH, encodedFrameOnly=1))
    video_observer = H264Saver(options.channel_id, output_dir(__file__) if options.save_to_disk else None)
    connection.register_video_encoded_frame_observer(video_observer)
    connection.connect(options.token, options.channel_id, options.user_id)
    stop.wait()
    connection.disconnect()
    connection.release()
    video_observer.report()
    service.release()


if __name__ == "__main__":
    main()
