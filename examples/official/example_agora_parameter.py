"""Set SDK parameters and read them back.

    python example_agora_parameter.py --channelId demo

Initializes the service for two areas (AREA_CODE_CN | AREA_CODE_JP), joins
the channel, then sets a few of Agora's parameters on the connection -- as a
JSON object with ``set_parameters`` and one key at a time with ``set_bool`` --
logging each key's value before and after and what the setter returned. A
getter returns None for a key the SDK cannot read back (the loopback engine
reads back ``che.audio.label.enable`` and its own ``loopback.*`` keys).
"""

import json
import logging

from common.observers import ConnectionLogger
from common.parameters import agora_parameter
from common.parse_args import parse_args
from common.runtime import rtc_conn_config, sdk_log_path, setup_logging

from agora_rtc.compat.agora_base import AgoraServiceConfig, AreaCode, RtcConnectionPublishConfig
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def show(parameter, getter, key, action, setter):
    """Logs `key: before -> action = ret -> after`, reading the key with getter."""
    before = getattr(parameter, getter)(key)
    ret = setter()
    after = getattr(parameter, getter)(key)
    logger.info("%s: %r -> %s = %s -> %r", key, before, action, ret, after)


def main():
    setup_logging()
    options = parse_args(__doc__)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    config.area_code = AreaCode.AREA_CODE_CN.value | AreaCode.AREA_CODE_JP.value
    logger.info("config.area_code: %d", config.area_code)
    service = AgoraService()
    service.initialize(config)

    publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
    connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False), publish_config)
    conn_observer = ConnectionLogger()
    connection.register_observer(conn_observer)
    connection.connect(options.token, options.channel_id, options.user_id)
    conn_observer.connected.wait(10)

    parameter = agora_parameter(service, connection)
    for key, getter, value in (("audio_pcm_data_send_mode", "get_string", 1),
                               ("che.audio.aec.enable", "get_string", True),
                               ("che.audio.aec.enable", "get_string", False),
                               ("rtc.enable_nasa2", "get_bool", 1),
                               ("rtc.enable_nasa2", "get_bool", 0),
                               ("che.audio.label.enable", "get_bool", False),
                               ("che.audio.label.enable", "get_bool", True)):
        text = json.dumps({key: value})
        show(parameter, getter, key, f"set_parameters({text})", lambda: parameter.set_parameters(text))
    for key, value in (("rtc.enable_nasa2", 0), ("rtc.enable_nasa2", 1), ("rtc.test111", 1),
                       ("che.audio.label.enable", 0), ("che.audio.label.enable", 1)):
        show(parameter, "get_bool", key, f"set_bool({value})", lambda: parameter.set_bool(key, value))

    connection.disconnect()
    connection.release()
    service.release()


if __name__ == "__main__":
    main()
