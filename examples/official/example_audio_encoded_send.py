"""Send an encoded audio file (AAC, Opus or G.711) without decoding it.

    python example_audio_encoded_send.py --channelId demo --userId 1 --audioFile test_data/demo.aac

PyAV (``pip install av``) reads the file: AAC in .aac or .m4a, Opus in .ogg or
.opus, G.711 (pcm_alaw / pcm_mulaw, 8 kHz) in .wav. Each packet goes out with
``push_audio_encoded_data`` and its EncodedAudioFrameInfo (codec, sample rate,
channels, samples per channel), at the pace it plays -- G.711 cut into 20 ms
packets. Once, or with --hours over and over for that long. Pair it with
example_audio_encoded_receive.py (or any audio receiver) in the same channel.
"""

import logging

from common.media import first_encoded_audio_packet, push_encoded_audio_file
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
        raise SystemExit("--audioFile is required (.aac, .m4a, .ogg, .opus, or a G.711 .wav)")
    first_encoded_audio_packet(options.audio_file)  # a file it cannot send stops it here, before joining
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
            audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_ENCODED_PCM,
            video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_NONE,
        )
        connection = service.create_rtc_connection(rtc_conn_config(options), publish_config)
        conn_observer = ConnectionLogger()
        connection.register_observer(conn_observer)
        connection.register_local_user_observer(LocalUserLogger())
        connection.connect(options.token, channel_id, options.user_id)
        if conn_observer.connected.wait(10):
            connection.publish_audio()
            push_encoded_audio_file(connection, options.audio_file, stop, loop=options.hours > 0)
            connection.unpublish_audio()
        else:
            logger.error("could not join %s", channel_id)
        connection.disconnect()
        connection.release()

    for_each_connection(options, send)
    service.release()


if __name__ == "__main__":
    main()
