"""Send data stream messages to everyone in the channel, one a second.

    python example_stream_message_send.py --channelId demo --userId 1 --message "hello" --hours 0.001

Message k reads "<--message> idx:k". Runs for --hours, or until Ctrl+C; any
messages others send are logged too. Pair it with
example_stream_message_receive.py.
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
    conn_observer = ConnectionLogger()
    connection.register_observer(conn_observer)
    connection.register_local_user_observer(LocalUserLogger())
    connection.connect(options.token, options.channel_id, options.user_id)
    if not conn_observer.connected.wait(10):
        raise SystemExit(f"could not join {options.channel_id}")

    index = 0
    while not stop.is_set():
        text = f"{options.message} idx:{index}"
        ret = connection.send_stream_message(text.encode("utf-8"))
        logger.info("send_stream_message(%r) = %s", text, ret)
        index += 1
        stop.wait(1.0)

    connection.disconnect()
    connection.release()
    service.release()


if __name__ == "__main__":
    main()
