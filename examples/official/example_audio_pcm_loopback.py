"""Echo a remote user back into the channel.

    python example_audio_pcm_loopback.py --channelId demo --userId 9 --hours 0.01

The first remote user heard is echoed: the 10 ms frames received from them
are handed to the main thread, which pushes them back into the channel as
this user's audio -- 50 ms at a time (--mode 1, the default) or each frame as
it comes (--mode 0). Everyone in the channel, the speaker included, hears the
echo. Runs for --hours, or until Ctrl+C.
"""

import logging
import queue

from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService
from agora_rtc.compat.audio_frame_observer import IAudioFrameObserver

logger = logging.getLogger("example")


class EchoSource(IAudioFrameObserver):
    """Queues the frames of the first remote user heard (callbacks only copy)."""

    def __init__(self):
        super().__init__()
        self.frames = queue.Queue()
        self.speaker = None

    def on_playback_audio_frame_before_mixing(self, agora_local_user, channel_id, uid, audio_frame,
                                              vad_result_state, vad_result_bytearray):
        if self.speaker is None:
            self.speaker = uid
            logger.info("echoing user %s", uid)
        if uid == self.speaker:
            self.frames.put(audio_frame.buffer)
        return 1


def main():
    setup_logging()
    options = parse_args(__doc__)
    stop = stop_event(options)
    frames_per_push = 5 if options.mode == 1 else 1

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
    connection.register_observer(ConnectionLogger())
    connection.register_local_user_observer(LocalUserLogger())
    connection.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    echo = EchoSource()
    connection.register_audio_frame_observer(echo, 0, None)
    connection.connect(options.token, options.channel_id, options.user_id)
    connection.publish_audio()

    pending, count, echoed = bytearray(), 0, 0
    while not stop.is_set():
        try:
            pending += echo.frames.get(timeout=0.05)
        except queue.Empty:
            continue
        count += 1
        if count == frames_per_push:
            connection.push_audio_pcm_data(pending, 16000, 1)
            echoed += count
            pending, count = bytearray(), 0
    logger.info("echoed %d frames (%d ms) of user %s", echoed, echoed * 10, echo.speaker)

    connection.unpublish_audio()
    connection.disconnect()
    connection.release()
    service.release()


if __name__ == "__main__":
    main()
