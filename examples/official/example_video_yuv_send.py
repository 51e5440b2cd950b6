"""Send a raw I420 (.yuv) file as video.

    python example_video_yuv_send.py --channelId demo --userId 1 \
        --videoFile test_data/video_320x180.yuv --width 320 --height 180 --fps 30

Frames go out at --fps, each with metadata naming it ("frame N"); the file is
sent once (with --hours, over and over for that long) on each of
--connectionNumber connections. Pair it with example_video_yuv_receive.py.
"""

import logging

from common.media import push_yuv_file
from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import for_each_connection, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoCodecType, VideoDimensions,
                                         VideoEncoderConfiguration, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__)
    if not (options.video_file and options.width and options.height):
        raise SystemExit("--videoFile, --width and --height are required")
    fps = options.fps or 15
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    config.enable_video = 1
    service = AgoraService()
    service.initialize(config)

    def send(channel_id):
        publish_config = RtcConnectionPublishConfig(
            audio_profile=AudioProfileType.AUDIO_PROFILE_DEFAULT,
            audio_scenario=AudioScenarioType.AUDIO_SCENARIO_AI_SERVER,
            is_publish_audio=False,
            is_publish_video=True,
            audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_NONE,
            video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_YUV,
        )
        connection = service.create_rtc_connection(rtc_conn_config(options), publish_config)
        conn_observer = ConnectionLogger()
        connection.register_observer(conn_observer)
        connection.register_local_user_observer(LocalUserLogger())
        connection.set_video_encoder_configuration(VideoEncoderConfiguration(
            dimensions=VideoDimensions(width=options.width, height=options.height),
            codec_type=VideoCodecType.VIDEO_CODEC_H264,
            frame_rate=fps,
            bitrate=options.bitrate,
            min_bitrate=options.bitrate // 3,
            encode_alpha=0,
        ))
        connection.connect(options.token, channel_id, options.user_id)
        if conn_observer.connected.wait(10):
            connection.publish_video()
            push_yuv_file(connection, options.video_file, options.width, options.height, fps, stop,
                          loop=options.hours > 0)
            connection.unpublish_video()
        else:
            logger.error("could not join %s", channel_id)
        connection.disconnect()
        connection.release()

    for_each_connection(options, send)
    service.release()


if __name__ == "__main__":
    main()
