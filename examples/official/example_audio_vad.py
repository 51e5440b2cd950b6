"""Find where each remote user starts and stops speaking (VAD v2).

    python example_audio_vad.py --channelId demo --userId 3 --hours 0.01
    python example_audio_vad.py --channelId demo --userId 3 --audioFile test_data/demo.pcm --saveToDisk 1

Logs "<user>: start speaking" and "<user>: stop speaking (N ms)" per
utterance. --mode 1 (default): the SDK runs VAD v2 on every remote user's
frames (``register_audio_frame_observer(observer, 1, AudioVadConfigV2(...))``)
and hands its state and speech bytes to the callback; --mode 0: the callback
runs its own ``AudioVadV2`` per user on those frames. With --audioFile it also speaks: the file
is pushed (looped with --hours). With --saveToDisk 1 a VadDump per user
(audio, labels, each utterance) goes to ./logs/example_audio_vad/<date_time>/.
Runs for --hours, or until Ctrl+C.
"""

import logging
import os
import threading

from common.media import push_pcm_file
from common.observers import ConnectionLogger, LocalUserLogger
from common.parse_args import parse_args
from common.runtime import output_dir, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import (AgoraServiceConfig, AudioProfileType, AudioPublishType, AudioScenarioType,
                                         RtcConnectionPublishConfig, VideoPublishType)
from agora_rtc.compat.agora_service import AgoraService
from agora_rtc.compat.audio_frame_observer import IAudioFrameObserver
from agora_rtc.compat.utils.vad_dump import VadDump
from agora_rtc.compat.voice_detection import AudioVadConfigV2, AudioVadV2

logger = logging.getLogger("example")

START_SPEAKING, SPEAKING, STOP_SPEAKING = 1, 2, 3


def vad_config():
    # Agora's recommended values for a quiet room; raise the last one
    # (rmsThreshold) to -40 or -30 in noisy or very noisy places.
    return AudioVadConfigV2(16, 30, 50, 0.7, 0.5, 70, 70, -50)


class SpeechLogger(IAudioFrameObserver):
    def __init__(self, own_vad, dump_folder=None):
        super().__init__()
        self.own_vad = own_vad
        self.dump_folder = dump_folder
        self.vads, self.dumps, self.speech_bytes = {}, {}, {}
        self.utterances = 0
        self.lock = threading.Lock()

    def on_playback_audio_frame_before_mixing(self, agora_local_user, channel_id, uid, audio_frame,
                                              vad_result_state, vad_result_bytearray):
        if self.own_vad:
            if uid not in self.vads:
                self.vads[uid] = AudioVadV2(vad_config())
            vad_result_state, vad_result_bytearray = self.vads[uid].process(audio_frame)
        if self.dump_folder:
            if uid not in self.dumps:
                self.dumps[uid] = VadDump(os.path.join(self.dump_folder, f"{channel_id}_{uid}"))
                self.dumps[uid].open()
            self.dumps[uid].write(audio_frame, vad_result_bytearray, vad_result_state)
        speech = len(vad_result_bytearray) if vad_result_bytearray else 0
        if vad_result_state == START_SPEAKING:
            self.speech_bytes[uid] = speech
            logger.info("%s: start speaking", uid)
        elif vad_result_state == SPEAKING:
            self.speech_bytes[uid] = self.speech_bytes.get(uid, 0) + speech
        elif vad_result_state == STOP_SPEAKING:
            total = self.speech_bytes.pop(uid, 0) + speech
            with self.lock:
                self.utterances += 1
            logger.info("%s: stop speaking (%d ms of speech)", uid, total // 32)  # 16 kHz mono: 32 bytes per ms
        return 1

    def close(self):
        for dump in self.dumps.values():
            dump.close()
        logger.info("%d utterance(s)", self.utterances)


def main():
    setup_logging()
    options = parse_args(__doc__)
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    publish_config = RtcConnectionPublishConfig(
        audio_profile=AudioProfileType.AUDIO_PROFILE_DEFAULT,
        audio_scenario=AudioScenarioType.AUDIO_SCENARIO_AI_SERVER,
        is_publish_audio=bool(options.audio_file),
        is_publish_video=False,
        audio_publish_type=AudioPublishType.AUDIO_PUBLISH_TYPE_PCM,
        video_publish_type=VideoPublishType.VIDEO_PUBLISH_TYPE_NONE,
    )
    connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False), publish_config)
    connection.register_observer(ConnectionLogger())
    connection.register_local_user_observer(LocalUserLogger())
    # VAD v2 wants 16 kHz mono frames: set the format before registering the observer
    connection.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
    speech = SpeechLogger(own_vad=options.mode == 0, dump_folder=output_dir(__file__) if options.save_to_disk else None)
    # VAD on in both modes: AudioVadV2 reads every frame's labels (rms, voice_prob), which both SDKs turn
    # on in initialize()
    connection.register_audio_frame_observer(speech, 1, vad_config())
    connection.connect(options.token, options.channel_id, options.user_id)

    if options.audio_file:
        connection.publish_audio()
        push_pcm_file(connection, options.audio_file, options.sample_rate or 16000, options.num_of_channels or 1,
                      stop, loop=options.hours > 0)
    stop.wait()

    connection.disconnect()
    connection.release()
    speech.close()
    service.release()


if __name__ == "__main__":
    main()
