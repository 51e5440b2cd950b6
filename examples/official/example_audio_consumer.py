"""Push audio as a TTS engine delivers it, and let the SDK pace its playout.

    python example_audio_consumer.py --channelId demo --userId 1 --audioFile test_data/demo.pcm

A producer thread stands in for a TTS engine: it hands over the file in
200 ms pieces every 100 ms (faster than real time, as TTS does), and each
piece is pushed with ``push_audio_pcm_data`` at once -- the SDK queues it and
plays it out at real-time pace (the official examples call this "the
consumer"). The main thread waits for ``is_push_to_rtc_completed()`` and
reports how long the playout took. With --hours the file is pushed again each
time it has been played, until the time is up.
"""

import logging
import threading
import time

from common.media import LINGER
from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def tts_pieces(path, sample_rate, channels, piece_ms=200):
    """The file in whole-10 ms pieces of piece_ms, as a TTS engine might deliver speech."""
    size = sample_rate // 1000 * piece_ms * channels * 2
    with open(path, "rb") as f:
        data = f.read()
    frame = sample_rate // 100 * channels * 2
    data = data[:len(data) - len(data) % frame]
    return [bytearray(data[i:i + size]) for i in range(0, len(data), size)]


def produce(connection, pieces, sample_rate, channels, stop):
    """Pushes the pieces, one every 100 ms; returns when all are pushed."""
    for piece in pieces:
        if stop.is_set():
            return
        ret = connection.push_audio_pcm_data(piece, sample_rate, channels)
        if ret != 0:
            logger.warning("push_audio_pcm_data returned %s", ret)
        stop.wait(0.1)


def main():
    setup_logging()
    options = parse_args(__doc__)
    if not options.audio_file:
        raise SystemExit("--audioFile is required")
    sample_rate, channels = options.sample_rate or 16000, options.num_of_channels or 1
    stop = stop_event(options)
    pieces = tts_pieces(options.audio_file, sample_rate, channels)
    seconds = sum(len(p) for p in pieces) / (sample_rate * channels * 2)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    publish_config = RtcConnectionPublishConfig(
        audio_profile=AudioProfileType.AUDIO_PROFILE_DEFAULT,
        audio_scenario=AudioScenarioType.AUDIO_SCENARIO_AI_SERVER,
        is_publish_audio=True,
        is_publish_video=False,
        audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_PCM,
        video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_NONE,
    )
    connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False), publish_config)
    conn_observer = ConnectionLogger()
    connection.register_observer(conn_observer)
    connection.register_local_user_observer(LocalUserLogger())
    connection.connect(options.token, options.channel_id, options.user_id)
    if not conn_observer.connected.wait(10):
        raise SystemExit(f"could not join {options.channel_id}")
    connection.publish_audio()

    rounds = 0
    while not stop.is_set():
        started = time.monotonic()
        producer = threading.Thread(target=produce, args=(connection, pieces, sample_rate, channels, stop))
        producer.start()
        producer.join()
        pushed = time.monotonic() - started
        while not stop.is_set() and not connection.is_push_to_rtc_completed():
            stop.wait(0.02)
        if stop.is_set():
            break
        rounds += 1
        logger.info("round %d: %d pieces (%.2f s of audio) pushed in %.2f s, push completed after %.2f s",
                    rounds, len(pieces), seconds, pushed, time.monotonic() - started)
        if options.hours == 0:
            break

    stop.wait(LINGER)  # let the last frames reach the others before leaving
    connection.unpublish_audio()
    connection.disconnect()
    connection.release()
    service.release()


if __name__ == "__main__":
    main()
