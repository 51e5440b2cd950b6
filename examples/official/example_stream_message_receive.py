"""Receive data stream messages: each one is logged with its sender and text.

    python example_stream_message_receive.py --channelId demo --userId 2 --hours 0.01

Logs ``on_stream_message: user=... stream=... length=... text=...`` per
message and, at the end, how many arrived. Runs for --hours, or until Ctrl+C.
"""

import logging

from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import rtc_conn_config, sdk_log_path, setup_logging, stop_event

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

    publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
    connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False), publish_config)
    connection.register_observer(ConnectionLogger())
    messages = LocalUserLogger()
    connection.register_local_user_observer(messages)
    connection.connect(options.token, options.channel_id, options.user_id)
    stop.wait()
    connection.disconnect()
    connection.release()
    logger.info("received %d stream messages", len(messages.messages))
    service.release()


if __name__ == "__main__":
    main()
