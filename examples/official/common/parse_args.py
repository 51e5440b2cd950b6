"""The command line of every example in this folder: the flags of the official
examples' shared parser, with the same spellings and meanings.

    --appId --token --channelId --userId --connectionNumber --role
    --audioFile --sampleRate --numOfChannels --lowdelay
    --videoFile --width --height --fps --bitrate --dir
    --message --saveToDisk --hours --mode --value

Differences, all on the side of being easier to run here:

* ``--appId`` defaults to ``$AGORA_APP_ID`` or ``loopback-app`` (the loopback
  engine accepts any app id; Agora's servers need yours).
* ``--hours`` is a number (``--hours 0.001`` is 3.6 s): how long to run. With 0
  (the default) a sender sends its file once and stops, a receiver runs until
  Ctrl+C -- the official senders treat 0 the same way.
* ``--saveToDisk`` and ``--connectionNumber`` are ints (the official parser keeps
  strings, so ``--saveToDisk 0`` meant "save").
"""

import argparse
import os

DEFAULT_MESSAGE = "hello agora python sdk"


def build_parser(description=None):
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    connection = p.add_argument_group("connection")
    connection.add_argument("--appId", dest="app_id", default=os.environ.get("AGORA_APP_ID", "loopback-app"),
                            help="App ID (default: $AGORA_APP_ID or loopback-app)")
    connection.add_argument("--token", default=None,
                            help="token (default: the App ID, which projects without a certificate accept)")
    connection.add_argument("--channelId", dest="channel_id", required=True, help="channel name")
    connection.add_argument("--userId", dest="user_id", default="0", help="user id (default 0: the SDK picks one)")
    connection.add_argument("--connectionNumber", dest="connection_number", type=int, default=1,
                            help="connections to open: channel, channel1, channel2, ... (default 1)")
    connection.add_argument("--role", type=int, default=1, choices=(0, 1),
                            help="1 broadcaster (default), 0 audience")

    audio = p.add_argument_group("audio")
    audio.add_argument("--audioFile", dest="audio_file", help="raw PCM file to send (16-bit little-endian)")
    audio.add_argument("--sampleRate", dest="sample_rate", type=int, help="sample rate of --audioFile (Hz)")
    audio.add_argument("--numOfChannels", dest="num_of_channels", type=int, help="channels of --audioFile")
    audio.add_argument("--lowdelay", dest="low_delay", action="store_true",
                       help="push audio in small pieces, just ahead of playout")

    video = p.add_argument_group("video")
    video.add_argument("--videoFile", dest="video_file", help="I420 (.yuv) or H.264 Annex-B (.h264) file to send")
    video.add_argument("--width", type=int, help="frame width of --videoFile")
    video.add_argument("--height", type=int, help="frame height of --videoFile")
    video.add_argument("--fps", type=int, help="frames per second to send")
    video.add_argument("--bitrate", type=int, default=3600, help="target bitrate for the encoder (default 3600)")
    video.add_argument("--dir", help="folder of .jpg/.jpeg pictures to send")

    other = p.add_argument_group("other")
    other.add_argument("--message", default=DEFAULT_MESSAGE, help="stream message text")
    other.add_argument("--saveToDisk", dest="save_to_disk", type=int, default=0,
                       help="1: save what is received under ./logs/")
    other.add_argument("--hours", type=float, default=0.0,
                       help="how long to run, in hours (0: senders send once, receivers run until Ctrl+C)")
    other.add_argument("--mode", type=int, default=1, help="example-specific mode (default 1)")
    other.add_argument("--value", type=int, default=0, help="example-specific value (default 0)")
    return p


def parse_args(description=None, argv=None, **defaults):
    """The parsed flags; attributes in snake case (options.channel_id, options.save_to_disk ...).
    Keyword arguments change defaults, e.g. connection_number=2."""
    parser = build_parser(description)
    parser.set_defaults(**defaults)
    options = parser.parse_args(argv)
    if not options.token:
        options.token = options.app_id
    if options.connection_number < 1:
        raise SystemExit("--connectionNumber must be at least 1")
    if options.hours < 0:
        raise SystemExit("--hours must not be negative")
    return options
