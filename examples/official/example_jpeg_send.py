"""Send a folder of JPEG pictures as video.

    python example_jpeg_send.py --channelId demo --userId 1 --dir test_data/jpeg --fps 10

The .jpg/.jpeg files of --dir are decoded to RGBA up front (Pillow, or
simplejpeg), in name order, and sent as raw frames at --fps -- each once, or
with --hours over and over for that long; each frame's metadata is its file
name. The encoder is configured for --width x --height (default: the first
picture's size). Pair it with example_video_yuv_receive.py.
"""

import logging
import time

from common.media import load_jpegs, push_jpegs
from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoCodecType, VideoDimensions,
                                         VideoEncoderConfiguration, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__)
    if not options.dir:
        raise SystemExit("--dir (a folder of JPEG pictures) is required")
    fps = options.fps or 15
    stop = stop_event(options)
    started = time.monotonic()
    pictures = load_jpegs(options.dir)
    _, width, height, _ = pictures[0]
    logger.info("decoded %d pictures (%dx%d) in %.1f ms", len(pictures), width, height,
                (time.monotonic() - started) * 1000)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    config.enable_video = 1
    service = AgoraService()
    service.initialize(config)

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
        dimensions=VideoDimensions(width=options.width or width, height=options.height or height),
        codec_type=VideoCodecType.VIDEO_CODEC_H264, frame_rate=fps, bitrate=options.bitrate, encode_alpha=0))
    connection.connect(options.token, options.channel_id, options.user_id)
    if conn_observer.connected.wait(10):
        connection.publish_video()
        push_jpegs(connection, pictures, fps, stop, loop=options.hours > 0)
        connection.unpublish_video()
    else:
        logger.error("could not join %s", options.channel_id)
    connection.disconnect()
    connection.release()
    service.release()


if __name__ == "__main__":
    main()
