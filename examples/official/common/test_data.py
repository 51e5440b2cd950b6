"""Makes the examples' test data, locally (nothing is downloaded):

    python examples/official/common/test_data.py test_data/

writes into the folder:

* ``demo.pcm``            16 kHz mono 16-bit speech-like audio (phrases and
                          pauses), then 1 s of silence -- for the PCM and VAD examples
* ``demo.aac``            the same audio as AAC-LC in ADTS (16 kHz mono) -- for the
                          encoded audio examples
* ``demo_mulaw.wav``      the same audio at 8 kHz as G.711 mu-law in a WAV file
* ``video_320x180.yuv``   I420 frames; frame k carries k in its first rows
                          (``agora_rtc._testsrc.frame_number`` reads it back)
* ``video_320x180.h264``  an H.264 Annex-B stream of those frames (IDR every 10)
* ``jpeg/``               10 JPEG pictures, numbered the same way

Sizes and lengths are flags (see --help). Needs agora_rtc (its test sources),
simplejpeg or Pillow for the JPEGs, and PyAV (FFmpeg's encoders) for the
encoded audio -- without PyAV those two files are left out.
"""

import argparse
import importlib.util
import os
import sys

import numpy as np

from agora_rtc._speechlike import speechlike
from agora_rtc._testsrc import h264_stream, i420_pattern, rgba_pattern

SAMPLE_RATE = 16000


def speech(seconds, silence=1.0):
    """What demo.pcm holds: int16 mono samples at SAMPLE_RATE."""
    return np.concatenate([speechlike(seconds, SAMPLE_RATE), np.zeros(int(silence * SAMPLE_RATE), np.int16)])


def write_pcm(path, samples):
    samples.astype("<i2").tofile(path)
    return path


def write_encoded_audio(path, samples, codec, rate, container_format=None):
    """samples (int16 mono at SAMPLE_RATE) encoded with FFmpeg's encoder `codec` at `rate` (PyAV)."""
    import av
    with av.open(path, "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.format, layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray(samples.astype(np.int16).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = 0
        for resampled in resampler.resample(frame) + resampler.resample(None):
            out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))
    return path


def write_yuv(path, frames, width, height):
    with open(path, "wb") as f:
        for k in range(frames):
            f.write(i420_pattern(k, width, height))
    return path


def write_h264(path, frames, width, height, gop=10):
    with open(path, "wb") as f:
        f.write(h264_stream(frames, width, height, gop=gop))
    return path


def encode_jpeg(rgba, quality=90):
    try:
        import simplejpeg
        return simplejpeg.encode_jpeg(np.ascontiguousarray(rgba), quality=quality, colorspace="RGBA")
    except ImportError:
        import io

        from PIL import Image
        out = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(out, format="JPEG", quality=quality)
        return out.getvalue()


def write_jpegs(folder, count, width, height):
    os.makedirs(folder, exist_ok=True)
    for k in range(count):
        with open(os.path.join(folder, f"picture_{k:03d}.jpeg"), "wb") as f:
            f.write(encode_jpeg(rgba_pattern(k, width, height)))
    return folder


def make_all(folder, seconds=3.0, frames=30, width=320, height=180, pictures=10):
    """Writes every file into folder; returns {kind: path}."""
    os.makedirs(folder, exist_ok=True)
    samples = speech(seconds)
    paths = {
        "pcm": write_pcm(os.path.join(folder, "demo.pcm"), samples),
        "yuv": write_yuv(os.path.join(folder, f"video_{width}x{height}.yuv"), frames, width, height),
        "h264": write_h264(os.path.join(folder, f"video_{width}x{height}.h264"), frames, width, height),
        "jpeg": write_jpegs(os.path.join(folder, "jpeg"), pictures, width, height),
    }
    if importlib.util.find_spec("av") is None:
        print("PyAV is not installed (pip install av): demo.aac and demo_mulaw.wav left out", file=sys.stderr)
        return paths
    paths["aac"] = write_encoded_audio(os.path.join(folder, "demo.aac"), samples, "aac", SAMPLE_RATE, "adts")
    paths["mulaw"] = write_encoded_audio(os.path.join(folder, "demo_mulaw.wav"), samples, "pcm_mulaw", 8000)
    return paths


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", nargs="?", default="test_data")
    p.add_argument("--seconds", type=float, default=3.0, help="seconds of speech in demo.pcm (default 3)")
    p.add_argument("--frames", type=int, default=30, help="video frames (default 30)")
    p.add_argument("--width", type=int, default=320)
    p.add_argument("--height", type=int, default=180)
    p.add_argument("--pictures", type=int, default=10, help="JPEG pictures (default 10)")
    args = p.parse_args(argv)
    for kind, path in make_all(args.folder, args.seconds, args.frames, args.width, args.height,
                               args.pictures).items():
        print(f"{kind}: {path}")


if __name__ == "__main__":
    main()
