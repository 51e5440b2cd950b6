"""Observers the examples register: they log what the SDK reports and, with
--saveToDisk, append what arrives to files under ./logs/<example>/<date_time>/:

* PcmSaver:   <channel>_<uid>.pcm   (each remote user's audio, as received)
* YuvSaver:   <channel>_<uid>.yuv   (I420 frames, planes packed: width x height)
* H264Saver:  <channel>_<uid>.h264  (each access unit as received, Annex-B)
* EncodedAudioSaver: <channel>_<uid>.<codec>.bin (each encoded audio payload as
  sent, one after the other) and <channel>_<uid>.<codec>.txt (a line per payload:
  its size and frame info)

Callbacks run on an SDK thread: they only copy and count.
"""

import logging
import os
import threading
from collections import Counter

import numpy as np

from agora_rtc.compat.agora_base import AudioCodecType
from agora_rtc.compat.audio_frame_observer import IAudioFrameObserver
from agora_rtc.compat.local_user_observer import IRTCLocalUserObserver
from agora_rtc.compat.rtc_connection_observer import IRTCConnectionObserver
from agora_rtc.compat.video_encoded_frame_observer import IVideoEncodedFrameObserver
from agora_rtc.compat.video_frame_observer import IVideoFrameObserver

logger = logging.getLogger("example")


class ConnectionLogger(IRTCConnectionObserver):
    def __init__(self):
        super().__init__()
        self.connected = threading.Event()

    def on_connected(self, agora_rtc_conn, conn_info, reason):
        logger.info("on_connected: channel=%s user=%s reason=%s", conn_info.channel_id, conn_info.local_user_id,
                    reason)
        self.connected.set()

    def on_disconnected(self, agora_rtc_conn, conn_info, reason):
        logger.info("on_disconnected: channel=%s user=%s reason=%s", conn_info.channel_id, conn_info.local_user_id,
                    reason)

    def on_connection_failure(self, agora_rtc_conn, conn_info, reason):
        logger.info("on_connection_failure: channel=%s reason=%s", conn_info.channel_id, reason)

    def on_user_joined(self, agora_rtc_conn, user_id):
        logger.info("on_user_joined: user=%s", user_id)

    def on_user_left(self, agora_rtc_conn, user_id, reason):
        logger.info("on_user_left: user=%s reason=%s", user_id, reason)


class LocalUserLogger(IRTCLocalUserObserver):
    """Logs stream messages (and keeps them) and remote tracks coming and going."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def on_stream_message(self, agora_local_user, user_id, stream_id, data, length):
        text = bytes(data[:length]).decode("utf-8", "replace")
        self.messages.append((user_id, text))
        logger.info("on_stream_message: user=%s stream=%s length=%d text=%r", user_id, stream_id, length, text)

    def on_user_audio_track_subscribed(self, agora_local_user, user_id, agora_remote_audio_track):
        logger.info("on_user_audio_track_subscribed: user=%s", user_id)

    def on_user_video_track_subscribed(self, agora_local_user, user_id, info, agora_remote_video_track):
        logger.info("on_user_video_track_subscribed: user=%s", user_id)


class _Files:
    """Files appended to by one observer, opened on first write."""

    def __init__(self, folder):
        self.folder = folder
        self.open_files = {}
        self.lock = threading.Lock()

    def write(self, name, *chunks):
        with self.lock:
            f = self.open_files.get(name)
            if f is None:
                path = os.path.join(self.folder, name)
                logger.info("saving to %s", path)
                f = self.open_files[name] = open(path, "ab")
            for chunk in chunks:
                f.write(chunk)

    def close(self):
        with self.lock:
            for f in self.open_files.values():
                f.close()
            self.open_files = {}


class PcmSaver(IAudioFrameObserver):
    """Counts each remote user's 10 ms frames; saves them when given a folder."""

    def __init__(self, folder=None):
        super().__init__()
        self.files = _Files(folder) if folder else None
        self.frames = Counter()

    def on_playback_audio_frame_before_mixing(self, agora_local_user, channel_id, uid, audio_frame,
                                              vad_result_state, vad_result_bytearray):
        if not self.frames[(channel_id, uid)]:
            logger.info("first audio frame from %s: %d Hz, %d channel(s), %d samples", uid,
                        audio_frame.samples_per_sec, audio_frame.channels, audio_frame.samples_per_channel)
        self.frames[(channel_id, uid)] += 1
        if self.files:
            self.files.write(f"{channel_id}_{uid}.pcm", audio_frame.buffer)
        return 1

    def report(self):
        for (channel_id, uid), n in sorted(self.frames.items()):
            logger.info("received %d audio frames (%d ms) from %s in %s", n, n * 10, uid, channel_id)
        if self.files:
            self.files.close()


def _plane(data, rows, cols):
    """rows x cols of a plane whose rows may be padded (the official SDK hands
    stride-wide rows, agora_rtc packed ones): the row length is len / rows."""
    a = np.frombuffer(data, np.uint8)
    stride = len(a) // rows
    return a[:rows * stride].reshape(rows, stride)[:, :cols]


class YuvSaver(IVideoFrameObserver):
    """Counts each remote user's frames; saves them as packed I420 when given a folder."""

    def __init__(self, folder=None):
        super().__init__()
        self.files = _Files(folder) if folder else None
        self.frames = Counter()
        self.sizes = {}

    def on_frame(self, channel_id, remote_uid, frame):
        w, h = frame.width, frame.height
        if self.sizes.get((channel_id, remote_uid)) != (w, h):
            logger.info("video from %s: %dx%d, metadata=%r", remote_uid, w, h, bytes(frame.metadata or b""))
            self.sizes[(channel_id, remote_uid)] = (w, h)
        self.frames[(channel_id, remote_uid)] += 1
        if self.files:
            cw, ch = (w + 1) // 2, (h + 1) // 2
            self.files.write(f"{channel_id}_{remote_uid}.yuv", _plane(frame.y_buffer, h, w).tobytes(),
                             _plane(frame.u_buffer, ch, cw).tobytes(), _plane(frame.v_buffer, ch, cw).tobytes())
        return 1

    def report(self):
        for key, n in sorted(self.frames.items()):
            w, h = self.sizes[key]
            logger.info("received %d video frames (%dx%d) from %s in %s", n, w, h, key[1], key[0])
        if self.files:
            self.files.close()


class H264Saver(IVideoEncodedFrameObserver):
    """Counts each remote user's encoded frames (and key frames); saves them when given a folder."""

    def __init__(self, channel_id, folder=None):
        super().__init__()
        self.channel_id = channel_id
        self.files = _Files(folder) if folder else None
        self.frames = Counter()
        self.key_frames = Counter()
        self.sizes = {}

    def on_encoded_video_frame(self, uid, image_buffer, length, video_encoded_frame_info):
        info = video_encoded_frame_info
        if uid not in self.sizes:
            logger.info("encoded video from %s: codec %s, %dx%d, %d fps", uid, int(info.codec_type), info.width,
                        info.height, info.frames_per_second)
        self.sizes[uid] = (info.width, info.height)
        self.frames[uid] += 1
        self.key_frames[uid] += info.frame_type == 3  # key frame
        if self.files:
            self.files.write(f"{self.channel_id}_{uid}.h264", bytes(image_buffer[:length]))
        return 1

    def report(self):
        for uid, n in sorted(self.frames.items()):
            logger.info("received %d encoded frames (%d key) from %s in %s", n, self.key_frames[uid], uid,
                        self.channel_id)
        if self.files:
            self.files.close()


def codec_name(codec):
    """aaclc, opus, pcmu ... for an AudioCodecType value."""
    try:
        return AudioCodecType(codec).name.removeprefix("AUDIO_CODEC_").lower()
    except ValueError:
        return f"codec{int(codec)}"


class EncodedAudioSaver:
    """Remote users' encoded audio, each payload as its sender sent it, for
    ``connection.register_audio_encoded_frame_observer`` (agora_rtc on its loopback
    engine; the official 2.4 SDK has the method as a stub that returns -1000, and
    Agora's network hands receivers decoded PCM only). Counts each user's payloads;
    saves them when given a folder."""

    INDEX_HEADER = "# size codec sample_rate number_of_channels samples_per_channel speech capture_time_ms\n"

    def __init__(self, channel_id, folder=None):
        self.channel_id = channel_id
        self.files = _Files(folder) if folder else None
        self.frames = Counter()
        self.bytes = Counter()
        self.codecs = {}
        self.indexes = set()  # the .txt files begun

    def on_encoded_audio_frame(self, agora_local_user, user_id, frame_buffer, info):
        name = codec_name(info.codec)
        if self.codecs.get(user_id) != name:
            logger.info("encoded audio from %s: %s, %d Hz, %d channel(s), %d samples per channel", user_id, name,
                        info.sample_rate, info.number_of_channels, info.samples_per_channel)
            self.codecs[user_id] = name
        self.frames[user_id] += 1
        self.bytes[user_id] += len(frame_buffer)
        if self.files:
            base = f"{self.channel_id}_{user_id}.{name}"
            if base not in self.indexes:
                self.indexes.add(base)
                self.files.write(f"{base}.txt", self.INDEX_HEADER.encode())
            self.files.write(f"{base}.bin", bytes(frame_buffer))
            self.files.write(f"{base}.txt", f"{len(frame_buffer)} {int(info.codec)} {info.sample_rate} "
                                            f"{info.number_of_channels} {info.samples_per_channel} {info.speech} "
                                            f"{info.capture_time_ms}\n".encode())

    def report(self):
        for uid, n in sorted(self.frames.items()):
            logger.info("received %d encoded audio frames (%d bytes, %s) from %s in %s", n, self.bytes[uid],
                        self.codecs[uid], uid, self.channel_id)
        if self.files:
            self.files.close()
