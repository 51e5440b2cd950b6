"""The ``agora-rtc`` command: ``demo`` (two bots on the embedded engine) and
``doctor`` (what is installed and which engine loads)."""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import threading
import time
import wave
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ._progress import Progress

if TYPE_CHECKING:
    from . import AudioFrame, LocalUser

log = logging.getLogger("agora_rtc.cli")


def _demo(args: argparse.Namespace) -> int:
    from . import AgoraService, AgoraServiceConfig, IAudioFrameObserver, RTCConnConfig
    from ._speechlike import speechlike

    send_rate, frame_len = 16000, 160
    speech = speechlike(args.seconds, send_rate)
    frames = len(speech) // frame_len
    sent_at = np.zeros(frames + 1)
    received: dict[int, tuple[float, npt.NDArray[np.int16]]] = {}  # frame number -> (arrival time, samples)
    lock = threading.Lock()

    class Listener(IAudioFrameObserver):
        def on_playback_audio_frame_before_mixing(self, local_user: LocalUser, channel_id: str, uid: str,
                                                  frame: AudioFrame) -> None:
            if uid == "bot-a" and frame.presentation_ms > 0:
                with lock:
                    # numpy's stubs take any buffer (an AudioFrame is one) only for Python >= 3.12
                    received[frame.presentation_ms] = (
                        time.perf_counter(),
                        np.frombuffer(frame, np.int16).copy())  # type: ignore[call-overload, unused-ignore]

    with AgoraService() as service:
        service.initialize(AgoraServiceConfig(appid="agora-rtc-demo", use_string_uid=1))
        print(f"engine: {service.engine_path}")
        bot_b = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        bot_b.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, args.sample_rate)
        bot_b.get_local_user().register_audio_frame_observer(Listener())
        bot_b.connect("", "demo", "bot-b")
        bot_a = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        bot_a.connect("", "demo", "bot-a")
        sender = service.create_media_node_factory().create_audio_pcm_data_sender()
        track = service.create_custom_audio_track_pcm(sender)
        bot_a.get_local_user().publish_audio(track)

        progress = Progress(frames, "bot A -> bot B")
        start = time.perf_counter() + 0.05
        for i in range(frames):  # one 10 ms frame per 10 ms, on absolute deadlines
            deadline = start + i * 0.01
            while (wait := deadline - time.perf_counter()) > 0:
                time.sleep(min(wait, 0.002))
            sent_at[i + 1] = time.perf_counter()
            sender.send(speech[i * frame_len:(i + 1) * frame_len], frame_len, send_rate, presentation_ms=i + 1)
            if i % 10 == 0:
                progress.update(i)
        progress.update(frames)
        progress.close()
        time.sleep(0.1)  # the last frames are one tick away
        bot_b.get_local_user().unregister_audio_frame_observer()

    with lock:
        order = sorted(received)
    latency_ms = np.array([(received[k][0] - sent_at[k]) * 1000 for k in order])
    got = np.concatenate([received[k][1] for k in order]) if order else np.zeros(0, np.int16)
    with wave.open(args.out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(args.sample_rate)
        w.writeframes(got.tobytes())
    reference = speech[: len(order) * frame_len].astype(np.float64)
    if args.sample_rate != send_rate:  # compare at the receiver's rate
        t_ref = np.arange(len(reference)) / send_rate
        t_got = np.arange(len(got)) / args.sample_rate
        reference = np.interp(t_got, t_ref, reference)
    corr = _aligned_correlation(got.astype(np.float64), reference)
    print(f"frames sent {frames}, received {len(order)}, in order: {order == list(range(1, len(order) + 1))}")
    if len(latency_ms):
        p50, p99 = np.percentile(latency_ms, [50, 99])
        print(f"send->receive latency: p50 {p50:.1f} ms ({p50 / 10:.2f} frames), p99 {p99:.1f} ms ({p99 / 10:.2f} frames)")
    print(f"correlation received vs sent: {corr:.4f}")
    print(f"wrote {args.out} ({len(got) / args.sample_rate:.2f} s at {args.sample_rate} Hz)")
    ok = len(order) >= 0.95 * frames and corr >= (0.99 if args.sample_rate == send_rate else 0.9)
    return 0 if ok else 1


def _aligned_correlation(got: npt.NDArray[np.float64], ref: npt.NDArray[np.float64], max_lag: int = 64) -> float:
    """Correlation after the best small shift (a resampler delays by a few samples)."""
    n = min(len(got), len(ref))
    if n < 2 * max_lag + 2:
        return 0.0
    best = -1.0
    for lag in range(0, max_lag + 1):
        a, b = got[lag:n], ref[: n - lag]
        if np.std(a) > 0 and np.std(b) > 0:
            best = max(best, float(np.corrcoef(a, b)[0, 1]))
    return best


def _doctor(args: argparse.Namespace) -> int:
    from . import __version__
    from .engine import ENV_VAR, resolve_engine_path
    print(f"agora_rtc {__version__}")
    print(f"python {platform.python_version()} ({sys.executable}) on {platform.platform()}")
    print(f"numpy {np.__version__}")
    import os
    path = resolve_engine_path(args.sdk_path)
    source = "--sdk-path" if args.sdk_path else f"${ENV_VAR}" if os.environ.get(ENV_VAR) else "bundled loopback engine"
    print(f"engine library: {path} ({source})")
    from .engine import find_official_library
    official = find_official_library()
    if official:
        print(f"official package's library found: {official} (use it with --sdk-path or ${ENV_VAR})")
    import importlib.util
    extras = {name: importlib.util.find_spec(name) is not None
              for name in ("Cython", "soxr", "uvloop", "rich", "matplotlib")}
    print("optional packages: " + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in extras.items()))
    gil = getattr(sys, "_is_gil_enabled", None)
    state = "" if gil is None else " (GIL on)" if gil() else " (GIL off)"
    print(f"free-threaded build: {'yes' if gil is not None else 'no'}{state}")
    try:
        from . import AgoraService, _core
        service = AgoraService(sdk_path=args.sdk_path)
        required, optional = _core.symbols_resolved()
        print(f"engine loads: yes ({service.engine_path}); {required} C API functions bound, "
              f"{optional} loopback-only extension(s)")
        service.release()
    except (ImportError, RuntimeError) as e:
        print(f"engine loads: NO: {e}")
        return 1
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .benchmark import main as bench_main
    return bench_main(args)


def _install_sdk(args: argparse.Namespace) -> int:
    from .install_sdk import main as install_main
    return install_main(args)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="agora-rtc", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="two bots in one channel on the embedded engine: A talks, B records")
    demo.add_argument("--seconds", type=_positive_seconds, default=3.0,
                      help="how much speech bot A sends (default 3; 0.01 to 600)")
    demo.add_argument("--sample-rate", type=int, default=16000, choices=(8000, 16000, 24000, 32000, 44100, 48000),
                      help="the rate bot B receives at (A sends 16 kHz)")
    demo.add_argument("--out", default="agora_rtc_demo.wav", help="WAV file bot B writes")
    demo.set_defaults(run=_demo)
    doctor = sub.add_parser("doctor", help="versions, and which engine library loads")
    doctor.add_argument("--sdk-path", help="an engine library to try instead of the default")
    doctor.set_defaults(run=_doctor)
    bench = sub.add_parser("bench", help="send cost, C->Python delivery cost and latency on the loopback engine")
    from .benchmark import add_arguments
    add_arguments(bench)
    bench.set_defaults(run=_bench)
    install = sub.add_parser("install-sdk", help="download, verify (sha256) and unpack Agora's native SDK archive")
    install.add_argument("--version", help="a known version (none are known yet: give --url and --sha256)")
    install.add_argument("--url", help="https:// URL of the archive (.zip)")
    install.add_argument("--sha256", help="the archive's sha256 (required without a known version)")
    install.add_argument("--dest", help="where to unpack (must not exist)")
    install.add_argument("--cafile", help="CA bundle to verify the server with (default: the system's)")
    install.set_defaults(run=_install_sdk)
    args = parser.parse_args(argv)
    if args.command == "demo":  # before three seconds of demo, not after
        out_dir = os.path.dirname(os.path.abspath(args.out))
        if not os.path.isdir(out_dir):
            parser.error(f"--out: the folder {out_dir} does not exist")
    code: int = args.run(args)
    return code


def _positive_seconds(text: str) -> float:
    seconds = float(text)
    if not 0.01 <= seconds <= 600:
        raise argparse.ArgumentTypeError(f"must be 0.01 to 600 seconds, not {text}")
    return seconds


if __name__ == "__main__":
    sys.exit(main())
