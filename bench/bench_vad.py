"""VAD v2 CPU per frame on the same labelled frames, decisions checked equal:
agora_rtc's native AudioVadV2 vs the official SDK's own AudioVadV2 (fetched
from PyPI and run unmodified, see agora_rtc.official) and vs a lean
pure-Python rendering of the same algorithm (tests/vad_reference.py).

    python bench/bench_vad.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from vad_reference import ReferenceVadV2  # noqa: E402

from agora_rtc import AudioVadConfigV2, AudioVadV2  # noqa: E402


class Frame:
    __slots__ = ("buffer", "rms", "voice_prob")

    def __init__(self, buffer, rms, voice_prob):
        self.buffer, self.rms, self.voice_prob = buffer, rms, voice_prob


def labelled_frames(n, seed=5):
    rnd, talking, out = random.Random(seed), False, []
    for i in range(n):
        if rnd.random() < 0.01:
            talking = not talking
        out.append(Frame(bytearray([i % 251]) * 320, rnd.randint(80, 120) if talking else rnd.randint(0, 60),
                         int(talking and rnd.random() < 0.6)))
    return out


def official_vad():
    import contextlib
    import io

    from agora_rtc import official
    sys.path.insert(0, str(official.prepare()))
    with contextlib.redirect_stdout(io.StringIO()):  # its import and constructor print
        from agora.rtc.voice_detection import AudioVadConfigV2 as OfficialConfig
        from agora.rtc.voice_detection import AudioVadV2 as OfficialVad
    return lambda: OfficialVad(OfficialConfig())


def main(n=100_000, reps=5):
    import contextlib
    import io

    frames = labelled_frames(n)
    make_official = official_vad()
    times = {"agora_rtc": [], "official": [], "lean_python": []}
    for _ in range(reps):
        config = AudioVadConfigV2()
        config.preroll_from_onset = False  # byte-identical to the official
        ours, lean = AudioVadV2(config), ReferenceVadV2()
        with contextlib.redirect_stdout(io.StringIO()):
            theirs_vad = make_official()
        t0 = time.perf_counter()
        mine = [ours.process(f)[0] for f in frames]
        times["agora_rtc"].append((time.perf_counter() - t0) / n)
        t0 = time.perf_counter()
        theirs = [theirs_vad.process(f)[0] for f in frames]
        times["official"].append((time.perf_counter() - t0) / n)
        t0 = time.perf_counter()
        leans = [lean.process(f.buffer, f.rms, f.voice_prob)[0] for f in frames]
        times["lean_python"].append((time.perf_counter() - t0) / n)
        assert mine == theirs == leans, "decisions differ"
    best = {k: min(v) for k, v in times.items()}
    print(f"VAD v2 per frame ({n} frames, {sum(s == 1 for s in mine)} utterances, same decisions):")
    for k, v in best.items():
        print(f"  {k:12s} {v * 1e6:7.3f} us  ({v / best['agora_rtc']:.1f}x ours)")


def in_delivery_path(seconds=30.0, publishers=4, reps=3):
    """Process CPU per delivered frame with the 2.4 observer, VAD on minus VAD
    off (labels on in both): what the native VAD adds inside the delivery path."""
    from agora_rtc import AgoraService, AgoraServiceConfig, RTCConnConfig
    from agora_rtc._speechlike import speechlike

    class Sink:
        frames = 0

        def on_playback_audio_frame_before_mixing(self, user, channel, uid, frame, state, data):
            Sink.frames += 1

    svc = AgoraService()
    svc.initialize(AgoraServiceConfig(appid="bench", use_string_uid=1))
    svc.set_parameters({"loopback.clock_speed": 20, "che.audio.label.enable": True})
    factory = svc.create_media_node_factory()
    speech = speechlike(seconds)
    costs = {0: [], 1: []}
    for rep in range(reps):
        for enable in (0, 1):
            channel = f"vadpath{rep}{enable}"
            listener = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
            listener.get_local_user().set_playback_audio_frame_before_mixing_parameters(1, 16000)
            listener.register_audio_frame_observer(Sink(), enable, None)
            listener.connect("", channel, "listener")
            pubs = []
            for i in range(publishers):
                conn = svc.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
                conn.connect("", channel, f"p{i}")
                sender = factory.create_audio_pcm_data_sender()
                track = svc.create_custom_audio_track_pcm(sender)
                track.set_max_buffer_audio_frame_number(len(speech) // 160 + 10)
                conn.get_local_user().publish_audio(track)
                pubs.append((conn, sender, track))
            time.sleep(0.2)
            Sink.frames = 0
            t0 = time.process_time()
            for _, sender, _ in pubs:
                for at in range(0, len(speech), 80000):
                    chunk = speech[at: at + 80000]
                    sender.send(chunk, len(chunk), 16000, 1)
            want = publishers * (len(speech) // 160)
            while Sink.frames < want:
                time.sleep(0.01)
            costs[enable].append((time.process_time() - t0) / want)
            for conn, sender, track in pubs:
                track.release()
                sender.release()
                conn.release()
            listener.release()
    svc.release()
    off, on = min(costs[0]), min(costs[1])
    return off, on


if __name__ == "__main__":
    main()
    off, on = in_delivery_path()
    print(f"in the delivery path (2.4 observer, {4} remote users): {off * 1e6:.3f} us/frame without VAD, "
          f"{on * 1e6:.3f} us with; VAD adds {(on - off) * 1e6:.3f} us/frame")
