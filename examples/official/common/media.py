"""Sending files on a connection made with an RtcConnectionPublishConfig:
PCM audio, encoded audio (AAC, Opus, G.711), I420 video, H.264 access units
and JPEG pictures.

Each push_* function sends the file once (``loop=False``) or over and over
until ``stop`` is set, and returns what it sent. Video goes out at --fps on a
fixed schedule (Pacer); audio is pushed a little ahead of playout and the SDK
plays it at real-time pace.
"""

import logging
import os
import time

import numpy as np

from agora_rtc.compat.agora_base import (AudioCodecType, EncodedAudioFrameInfo, EncodedVideoFrameInfo,
                                         ExternalVideoFrame, VideoCodecType)

logger = logging.getLogger("example")

I420, RGBA = 1, 4              # ExternalVideoFrame.format (Agora's VIDEO_PIXEL_FORMAT)
RAW_DATA = 1                   # ExternalVideoFrame.type
KEY_FRAME, DELTA_FRAME = 3, 4  # EncodedVideoFrameInfo.frame_type

# After the last frame a sender waits this long before it may leave: the frame is still on its way to
# the receivers, and leaving at once would cut it off (the official is_push_to_rtc_completed() answers
# 180 ms after playout for this reason; agora_rtc's answers at playout).
LINGER = 0.2


class Pacer:
    """Releases tick k at start + k * interval (no drift from the time spent between ticks)."""

    def __init__(self, interval):
        self.interval = interval
        self.start = time.monotonic()
        self.ticks = 0

    def wait(self, stop):
        """Sleeps until the next tick; False when stop was set meanwhile."""
        due = self.start + self.ticks * self.interval
        self.ticks += 1
        return not stop.wait(max(0.0, due - time.monotonic()))


def push_pcm_file(connection, path, sample_rate, channels, stop, loop=False, low_delay=False):
    """Pushes 16-bit PCM from path in whole 10 ms frames, 1 s at a time kept
    up to 2 s ahead of playout (100 ms and 200 ms with low_delay), on one
    connection or on each of a list of them. Sent once, it returns after the
    SDK has played it all. Returns the seconds pushed."""
    connections = connection if isinstance(connection, (list, tuple)) else [connection]
    frame_bytes = sample_rate // 100 * channels * 2
    chunk_frames = 10 if low_delay else 100
    lead = chunk_frames * 0.02
    pushed = 0.0
    started = None
    with open(path, "rb") as f:
        while not stop.is_set():
            if started is not None and pushed - (time.monotonic() - started) >= lead:
                stop.wait(0.01)
                continue
            data = f.read(chunk_frames * frame_bytes)
            data = data[:len(data) - len(data) % frame_bytes]
            if not data:
                if loop and pushed > 0:
                    f.seek(0)
                    continue
                break
            for c in connections:
                ret = c.push_audio_pcm_data(bytearray(data), sample_rate, channels)
                if ret != 0:
                    logger.warning("push_audio_pcm_data returned %s", ret)
            if started is None:
                started = time.monotonic()
            pushed += len(data) / (frame_bytes * 100)
    while not stop.is_set() and not all(c.is_push_to_rtc_completed() for c in connections):
        stop.wait(0.02)
    stop.wait(LINGER)
    logger.info("pushed %.2f s of audio from %s", pushed, os.path.basename(path))
    return pushed


G711_PACKET = 160  # G.711 bytes per channel in a 20 ms packet (8 kHz, one byte a sample)


def _import_av():
    try:
        import av
    except ImportError:
        raise SystemExit("reading an encoded audio file needs PyAV: pip install av") from None
    return av


def _adts_header(config, payload_size):
    """The 7-byte ADTS header (no CRC) that makes one raw AAC frame (as MP4 stores it) a frame of an
    .aac file; config is the stream's AudioSpecificConfig (its extradata), None when it cannot."""
    if not config or len(config) < 2:
        return None
    object_type = config[0] >> 3
    rate_index = (config[0] & 0x07) << 1 | config[1] >> 7
    channel_config = config[1] >> 3 & 0x0F
    if not 1 <= object_type <= 4 or rate_index > 12 or channel_config > 7:
        return None  # ADTS cannot say it (HE-AAC signalled explicitly, an unlisted sample rate)
    size = payload_size + 7
    return bytes([0xFF, 0xF1, (object_type - 1) << 6 | rate_index << 2 | channel_config >> 2,
                  (channel_config & 3) << 6 | size >> 11, size >> 3 & 0xFF, (size & 7) << 5 | 0x1F, 0xFC])


def _audio_codec(path, context):
    """The AudioCodecType of a decoder context PyAV opened."""
    name = context.name
    if name == "aac":
        return {"HE-AAC": AudioCodecType.AUDIO_CODEC_HEAAC,
                "HE-AACv2": AudioCodecType.AUDIO_CODEC_HEAAC2}.get(context.profile, AudioCodecType.AUDIO_CODEC_AACLC)
    if name == "opus":
        return AudioCodecType.AUDIO_CODEC_OPUS
    if name in ("pcm_alaw", "pcm_mulaw"):
        if context.sample_rate != 8000:
            raise SystemExit(f"{path}: G.711 at {context.sample_rate} Hz; the SDK sends G.711 at 8000 Hz only")
        return AudioCodecType.AUDIO_CODEC_PCMA if name == "pcm_alaw" else AudioCodecType.AUDIO_CODEC_PCMU
    raise SystemExit(f"{path}: {name} audio; AAC (.aac, .m4a), Opus (.ogg, .opus) or G.711 "
                     f"(pcm_alaw/pcm_mulaw, e.g. in .wav) expected")


def opus_samples(packet):
    """Samples per channel (at 48 kHz) in an Opus packet, from its TOC byte (RFC 6716, 3.1)."""
    config, code = packet[0] >> 3, packet[0] & 3
    if config < 12:  # SILK: 10, 20, 40, 60 ms
        frame = (480, 960, 1920, 2880)[config % 4]
    elif config < 16:  # hybrid: 10, 20 ms
        frame = (480, 960)[config % 2]
    else:  # CELT: 2.5, 5, 10, 20 ms
        frame = (120, 240, 480, 960)[config % 4]
    frames = 1 if code == 0 else 2 if code in (1, 2) else (packet[1] & 0x3F if len(packet) > 1 else 1)
    return frame * frames


def encoded_audio_packets(path):
    """The packets of the first audio stream of a file PyAV can demux, as the SDK takes them:
    yields (payload bytes, EncodedAudioFrameInfo, seconds of audio).

    * AAC (.aac, .m4a): one frame a packet, as an ADTS frame (the .aac file's packets as they
      are; MP4's raw frames get an ADTS header); samples per channel: the frame size (1024
      for AAC-LC)
    * Opus (.ogg, .opus): one Opus packet each, 48 kHz; samples per channel: what the packet
      holds (960 for 20 ms)
    * G.711 (pcm_alaw/pcm_mulaw, 8 kHz, e.g. in .wav): cut into 20 ms packets (160 bytes a channel)

    The seconds are the packet's duration in the file (the last one may be trimmed)."""
    av = _import_av()
    try:
        container = av.open(path)
    except (OSError, av.error.FFmpegError) as e:
        raise SystemExit(f"{path}: PyAV cannot read it ({e})") from None
    with container:
        if not container.streams.audio:
            raise SystemExit(f"{path}: no audio stream")
        stream = container.streams.audio[0]
        context = stream.codec_context
        codec = _audio_codec(path, context)
        rate, channels = context.sample_rate, context.channels
        config = bytes(context.extradata or b"")

        def info(samples):
            return EncodedAudioFrameInfo(codec=codec, sample_rate=rate, number_of_channels=channels,
                                         samples_per_channel=samples, speech=0, send_even_if_empty=1)

        if codec in (AudioCodecType.AUDIO_CODEC_PCMA, AudioCodecType.AUDIO_CODEC_PCMU):
            size = G711_PACKET * channels
            pending = b""
            for packet in container.demux(stream):
                pending += bytes(packet)
                while len(pending) >= size:
                    yield pending[:size], info(G711_PACKET), G711_PACKET / rate
                    pending = pending[size:]
            pending = pending[:len(pending) - len(pending) % channels]
            if pending:
                yield pending, info(len(pending) // channels), len(pending) / channels / rate
            return
        frame_size = context.frame_size or (2048 if codec != AudioCodecType.AUDIO_CODEC_AACLC else 1024)
        for packet in container.demux(stream):
            if not packet.size:
                continue  # the demuxer's end-of-stream packet
            data = bytes(packet)
            if codec == AudioCodecType.AUDIO_CODEC_OPUS:
                samples = opus_samples(data)
            else:
                samples = frame_size
                is_adts = len(data) > 1 and data[0] == 0xFF and data[1] & 0xF0 == 0xF0  # the ADTS sync word
                header = None if is_adts else _adts_header(config, len(data))
                data = header + data if header else data
            seconds = float(packet.duration * packet.time_base) if packet.duration else samples / rate
            yield data, info(samples), seconds


def first_encoded_audio_packet(path):
    """The first of encoded_audio_packets(path); SystemExit with the reason when there is none."""
    for packet in encoded_audio_packets(path):
        return packet
    raise SystemExit(f"{path}: no audio packets")


def push_encoded_audio_file(connection, path, stop, loop=False, lead=0.1):
    """Sends the packets of an encoded audio file (see encoded_audio_packets) at the pace they play,
    each `lead` seconds before its time (the first `lead` seconds at once); once, or with loop over
    and over until stop is set. Returns when the last one has played. Returns packets sent."""
    start = None
    sent = 0
    seconds = 0.0
    codec = None
    while not stop.is_set():
        before = sent
        for data, info, duration in encoded_audio_packets(path):
            if start is None:  # the clock starts with the first packet (PyAV takes a moment to load)
                start = time.monotonic()
                codec = AudioCodecType(info.codec).name
                logger.info("sending %s: %s, %d Hz, %d channel(s)", os.path.basename(path), codec, info.sample_rate,
                            info.number_of_channels)
            if stop.wait(max(0.0, start + seconds - lead - time.monotonic())):
                break
            ret = connection.push_audio_encoded_data(data, info)
            if ret != 0:
                logger.warning("push_audio_encoded_data returned %s", ret)
            sent += 1
            seconds += duration
        if not loop or sent == before:
            break
    if start is not None:
        stop.wait(max(0.0, start + seconds - time.monotonic()))  # the last packet plays out,
    stop.wait(LINGER)  # and is on its way to the receivers a little longer
    logger.info("sent %d %s packets (%.2f s of audio) from %s", sent, codec, seconds, os.path.basename(path))
    return sent


def yuv_frames(path, width, height):
    """The I420 frames of a raw .yuv file, one bytearray each."""
    size = width * height * 3 // 2
    with open(path, "rb") as f:
        while True:
            data = f.read(size)
            if len(data) < size:
                return
            yield bytearray(data)


def push_yuv_file(connection, path, width, height, fps, stop, loop=False):
    """Sends the I420 frames of path at fps; each frame's metadata says its index. Returns frames sent."""
    pacer = Pacer(1.0 / fps)
    sent = 0
    while not stop.is_set():
        before = sent
        for data in yuv_frames(path, width, height):
            if not pacer.wait(stop):
                break
            frame = ExternalVideoFrame()  # a new one per call: the official SDK clears frame.buffer after sending
            frame.type = RAW_DATA
            frame.format = I420
            frame.buffer = data
            frame.stride = width
            frame.height = height
            frame.timestamp = int(sent * 1000 / fps)
            frame.metadata = bytearray(f"frame {sent}".encode())
            ret = connection.push_video_frame(frame)
            if ret != 0:
                logger.warning("push_video_frame returned %s", ret)
            sent += 1
        if not loop or sent == before:
            break
    pacer.wait(stop)  # the last frame lasts one frame time too,
    stop.wait(LINGER)  # and is on its way to the receivers a little longer
    logger.info("sent %d video frames (%dx%d) from %s", sent, width, height, os.path.basename(path))
    return sent


def access_units(data):
    """Splits an H.264 Annex-B stream into access units (the NAL units of one
    picture, with their start codes); yields (bytes, is_key_frame)."""
    starts = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        begin = i - 1 if i > 0 and data[i - 1] == 0 else i  # 4-byte start code
        starts.append((begin, i + 3))
        i = data.find(b"\x00\x00\x01", i + 3)
    unit_start, has_slice, key = None, False, False
    for n, (begin, header) in enumerate(starts):
        if header >= len(data):
            break
        nal_type = data[header] & 0x1F
        first_slice = nal_type in (1, 5) and header + 1 < len(data) and data[header + 1] & 0x80  # first_mb_in_slice 0
        opens_picture = nal_type in (6, 7, 8, 9) or first_slice  # SEI, SPS, PPS, delimiter or a picture's 1st slice
        if unit_start is not None and has_slice and opens_picture:
            yield data[unit_start:begin], key
            unit_start, has_slice, key = None, False, False
        if unit_start is None:
            unit_start = begin
        has_slice = has_slice or nal_type in (1, 5)
        key = key or nal_type == 5
    if unit_start is not None and has_slice:
        yield data[unit_start:], key


def push_h264_file(connection, path, width, height, fps, stop, loop=False):
    """Sends the access units of an Annex-B .h264 file at fps. Returns units sent."""
    with open(path, "rb") as f:
        units = list(access_units(f.read()))
    if not units:
        raise SystemExit(f"{path}: no H.264 access units found (an Annex-B stream is expected)")
    pacer = Pacer(1.0 / fps)
    sent = keys = 0
    while not stop.is_set():
        for data, is_key in units:
            if not pacer.wait(stop):
                break
            info = EncodedVideoFrameInfo(codec_type=VideoCodecType.VIDEO_CODEC_H264, width=width, height=height,
                                         frames_per_second=fps, frame_type=KEY_FRAME if is_key else DELTA_FRAME)
            connection.push_video_encoded_data(data, info)
            sent += 1
            keys += is_key
        if not loop:
            break
    pacer.wait(stop)
    stop.wait(LINGER)
    logger.info("sent %d access units (%d key frames) from %s", sent, keys, os.path.basename(path))
    return sent


def load_jpegs(folder):
    """The .jpg/.jpeg pictures of folder in name order, decoded: [(name, width, height, RGBA bytearray)].
    Decodes with Pillow, or simplejpeg when Pillow is not installed."""
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg")))
    if not names:
        raise SystemExit(f"{folder}: no .jpg or .jpeg files")
    try:
        from PIL import Image

        def decode(path):
            with Image.open(path) as picture:
                return np.asarray(picture.convert("RGBA"))
    except ImportError:
        import simplejpeg

        def decode(path):
            with open(path, "rb") as f:
                return simplejpeg.decode_jpeg(f.read(), colorspace="RGBA")
    pictures = []
    for name in names:
        rgba = decode(os.path.join(folder, name))
        pictures.append((name, rgba.shape[1], rgba.shape[0], bytearray(rgba.tobytes())))
    return pictures


def push_jpegs(connection, pictures, fps, stop, loop=False):
    """Sends decoded pictures (from load_jpegs) as RGBA frames at fps. Returns frames sent."""
    pacer = Pacer(1.0 / fps)
    sent = 0
    while not stop.is_set():
        for name, width, height, rgba in pictures:
            if not pacer.wait(stop):
                break
            frame = ExternalVideoFrame()
            frame.type = RAW_DATA
            frame.format = RGBA
            frame.buffer = bytearray(rgba)  # a copy: the official SDK lets go of the buffer it sent
            frame.stride = width
            frame.height = height
            frame.timestamp = int(sent * 1000 / fps)
            frame.metadata = bytearray(name.encode())
            ret = connection.push_video_frame(frame)
            if ret != 0:
                logger.warning("push_video_frame returned %s", ret)
            sent += 1
        if not loop:
            break
    pacer.wait(stop)
    stop.wait(LINGER)
    logger.info("sent %d JPEG pictures as video", sent)
    return sent
