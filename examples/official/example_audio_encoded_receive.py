"""Receive each remote user's audio: as PCM and, where the SDK offers it, as
the encoded payloads its sender sent.

    python example_audio_encoded_receive.py --channelId demo --userId 2 --saveToDisk 1 --hours 0.01

Two observers on one connection:

* the audio frame observer gets each remote user's audio as PCM, at
  --sampleRate (default 16000) with --numOfChannels (default 1) -- on Agora's
  network decoded from whatever codec the sender used. (The loopback engine
  decodes G.711 only: AAC or Opus senders are heard there as nothing.) With
  --saveToDisk 1 it goes to <channel>_<user>.pcm (``ffplay -f s16le -ar 16000
  -ac 1 FILE``).
* the encoded audio observer (``register_audio_encoded_frame_observer``) gets
  every payload byte for byte with its frame info -- agora_rtc on its loopback
  engine has it; the official SDK's method is a stub returning -1000, and then
  only PCM is received. With --saveToDisk 1 the payloads go, one after the
  other, to <channel>_<user>.<codec>.bin (ADTS AAC and G.711 play as they are:
  ``ffplay FILE.aaclc.bin``, ``ffplay -f mulaw -ar 8000 -ac 1 FILE.pcmu.bin``),
  and a line per payload (size, codec, rate, channels, samples per channel,
  speech, capture time) to <channel>_<user>.<codec>.txt.

Files land in ./logs/example_audio_encoded_receive/<date_time>/. Logs each
remote user's first frame of each kind and, at the end, how much came from
whom. Runs for --hours, or until Ctrl+C.
"""

import logging

from common.observers import ConnectionLogger, EncodedAudioSaver, LocalUserLogger, PcmSaver
from common.parse_args import parse_args
from common.runtime import for_each_connection, output_dir, rtc_conn_config, sdk_log_path, setup_logging, stop_event

from agora_rtc.compat.agora_base import AgoraServiceConfig, RtcConnectionPublishConfig
from agora_rtc.compat.agora_service import AgoraService

logger = logging.getLogger("example")


def main():
    setup_logging()
    options = parse_args(__doc__)
    sample_rate, channels = options.sample_rate or 16000, options.num_of_channels or 1
    stop = stop_event(options)

    config = AgoraServiceConfig()
    config.appid = options.app_id
    config.log_path = sdk_log_path(__file__)
    service = AgoraService()
    service.initialize(config)

    def receive(channel_id):
        folder = output_dir(__file__) if options.save_to_disk else None
        publish_config = RtcConnectionPublishConfig(is_publish_audio=False, is_publish_video=False)
        connection = service.create_rtc_connection(rtc_conn_config(options, auto_subscribe_video=False),
                                                   publish_config)
        connection.register_observer(ConnectionLogger())
        connection.register_local_user_observer(LocalUserLogger())
        local_user = connection.get_local_user()
        local_user.set_playback_audio_frame_before_mixing_parameters(channels, sample_rate)  # before registering
        audio_observer = PcmSaver(folder)
        connection.register_audio_frame_observer(audio_observer, 0, None)  # 0, None: no VAD here
        encoded_observer = EncodedAudioSaver(channel_id, folder)
        try:
            ret = connection.register_audio_encoded_frame_observer(encoded_observer)
        except Exception as e:  # agora_rtc on Agora's library: ERR_NOT_SUPPORTED (it decodes received audio)
            ret = e
        if ret != 0:
            logger.info("register_audio_encoded_frame_observer: %s -- the SDK delivers no encoded audio, "
                        "receiving PCM only", ret)
            encoded_observer = None
        connection.connect(options.token, channel_id, options.user_id)
        stop.wait()
        connection.disconnect()
        connection.release()
        audio_observer.report()
        if encoded_observer:
            encoded_observer.report()
            heard = {uid for _, uid in audio_observer.frames}
            for uid, codec in sorted(encoded_observer.codecs.items()):
                if uid not in heard:
                    logger.info("no PCM from %s: this SDK did not decode its %s", uid, codec)

    for_each_connection(options, receive)
    service.release()


if __name__ == "__main__":
    main()
