"""What the examples do around their SDK calls: log to stdout, know when to
stop, name files, and run one body per connection."""

import datetime
import logging
import os
import signal
import sys
import threading

from agora_rtc.compat.agora_base import (AudioSubscriptionOptions, ChannelProfileType, ClientRoleType,
                                         RTCConnConfig)

logger = logging.getLogger("example")


def setup_logging():
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(asctime)s.%(msecs)03d %(message)s",
                        datefmt="%H:%M:%S")


def example_name(path):
    return os.path.splitext(os.path.basename(path))[0]


def sdk_log_path(example_file):
    """Where the SDK writes its log: ./logs/<example>/agorasdk.log (the folder is made here)."""
    folder = os.path.join(os.getcwd(), "logs", example_name(example_file))
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "agorasdk.log")


_output_dirs = {}
_output_lock = threading.Lock()


def output_dir(example_file):
    """./logs/<example>/<date_time>/, made on first use (one per run)."""
    with _output_lock:
        folder = _output_dirs.get(example_file)
        if folder is None:
            stamp = datetime.datetime.now().strftime("%Y_%m_%d_%H_%M_%S")
            folder = os.path.join(os.getcwd(), "logs", example_name(example_file), stamp)
            os.makedirs(folder, exist_ok=True)
            _output_dirs[example_file] = folder
        return folder


def stop_event(options):
    """An Event set by Ctrl+C or SIGTERM, and after --hours when it is not 0."""
    stop = threading.Event()

    def on_signal(signum, _frame):
        logger.info("signal %d: stopping", signum)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if options.hours > 0:
        timer = threading.Timer(options.hours * 3600, stop.set)
        timer.daemon = True
        timer.start()
    return stop


def channel_ids(options):
    """One channel per connection: the channel, then channel1, channel2, ..."""
    return [options.channel_id if i == 0 else f"{options.channel_id}{i}" for i in range(options.connection_number)]


def for_each_connection(options, body):
    """body(channel_id) for every channel of channel_ids(), each in its own thread."""
    channels = channel_ids(options)
    if len(channels) == 1:
        body(channels[0])
        return
    errors = []

    def run(channel):
        try:
            body(channel)
        except BaseException as e:  # re-raised in the main thread below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,), name=c) for c in channels]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def rtc_conn_config(options, auto_subscribe_video=True):
    """The connection settings the examples share: subscribe to everyone, and
    receive each remote user's audio as 16 kHz mono 16-bit PCM."""
    return RTCConnConfig(
        auto_subscribe_audio=1,
        auto_subscribe_video=1 if auto_subscribe_video else 0,
        enable_audio_recording_or_playout=0,
        client_role_type=(ClientRoleType.CLIENT_ROLE_AUDIENCE if options.role == 0
                          else ClientRoleType.CLIENT_ROLE_BROADCASTER),
        channel_profile=ChannelProfileType.CHANNEL_PROFILE_LIVE_BROADCASTING,
        audio_recv_media_packet=0,
        audio_subs_options=AudioSubscriptionOptions(packet_only=0, pcm_data_only=1, bytes_per_sample=2,
                                                    number_of_channels=1, sample_rate_hz=16000),
    )
