"""The ports of Agora's official examples (examples/official), run as users run
them: each one its own process on the loopback engine, a sender and a receiver
example in the same channel, and what the receiver logs and saves checked
against what the sender sent. Receivers run until Ctrl+C, as documented: the
test sends SIGINT once the sender has left.

The scenarios run side by side (they wait on the real 10 ms clock, not the
CPU): a module fixture starts those the selected tests need, and each test
waits for its own. The same files also run, imports changed from
``agora_rtc.compat`` to ``agora.rtc``, on Agora's official SDK over the same
engine (``agora_rtc.official``), against agora_rtc peers.
"""

import difflib
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from agora_rtc._testsrc import frame_number

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "official"
WIDTH, HEIGHT, FRAMES, PICTURES = 320, 180, 30, 10
FRAME = 160  # samples in 10 ms at 16 kHz mono
G711_FRAME = 80  # samples in 10 ms at 8 kHz mono
CONCURRENT_SCENARIOS = 5
SAFETY_HOURS = "0.01"  # receivers stop on SIGINT; this only bounds a run that went wrong (36 s)

# The official shared parser's flags (agora_rtc/examples/common/parse_args.py in Agora's repository).
OFFICIAL_FLAGS = {"--appId", "--channelId", "--userId", "--token", "--audioFile", "--videoFile", "--sampleRate",
                  "--numOfChannels", "--width", "--height", "--fps", "--bitrate", "--role", "--mode", "--message",
                  "--connectionNumber", "--saveToDisk", "--lowdelay", "--hours", "--dir", "--value"}


class Example:
    """One example process; its output (stdout and stderr) is collected line by line as it comes."""

    started = []  # every one, so that none outlives the module (see the results fixture)

    def __init__(self, name, args, cwd, folder=EXAMPLES, pythonpath=None):
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        if pythonpath:
            env["PYTHONPATH"] = str(pythonpath)
        self.name = name
        self.proc = subprocess.Popen([sys.executable, str(folder / name), *args], cwd=cwd, env=env, text=True,
                                     encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        Example.started.append(self)
        self.lines = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    @property
    def output(self):
        with self.changed:
            return "\n".join(self.lines)

    def wait_for(self, text, timeout=30, count=1):
        """Blocks until count lines contain text (or the process ended without printing them)."""
        def found():
            return sum(text in line for line in self.lines) >= count
        with self.changed:
            self.changed.wait_for(lambda: found() or not self.reader.is_alive(), timeout)
            if not found():
                raise AssertionError(f"{self.name}: not {count} x {text!r} in its output:\n{chr(10).join(self.lines)}")

    def interrupt(self):
        self.proc.send_signal(signal.SIGINT)

    def finish(self, timeout=40):
        """Waits for the exit; a non-zero status fails with the output. Returns the output."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"{self.name} did not end within {timeout}s:\n{self.output}")
        self.reader.join(5)
        assert self.proc.returncode == 0, f"{self.name} exited with {self.proc.returncode}:\n{self.output}"
        return self.output


def receive_while(receiver, sender, sender_uid):
    """Lets the receiver (already started) hear the sender run to its end, then stops it
    with Ctrl+C. Returns (sender output, receiver output)."""
    receiver.wait_for("on_connected")
    sent = sender.finish()
    receiver.wait_for(f"on_user_left: user={sender_uid}")
    receiver.interrupt()
    return sent, receiver.finish()


def saved(cwd, example, name):
    """The one file an example saved under cwd/logs/<example>/<date_time>/."""
    paths = glob.glob(str(Path(cwd) / "logs" / example / "*" / name))
    assert len(paths) == 1, f"{example} saved {paths} for {name}"
    return paths[0]


def pcm(path):
    return np.fromfile(path, np.int16)


def assert_received_in_order(received, sent, head=25, tail=10, frame=FRAME):
    """received is sent, sample for sample and in order, from one of its first `head` frames
    to one of its last `tail` frames (of `frame` samples: 10 ms). The head: a sender pushes right
    after its own on_connected, and the loopback engine tells peers in other processes about a new
    member a moment later (under load, up to a few hundred ms); the tail: frames in flight when
    the sender left."""
    assert len(received) >= frame and len(received) % frame == 0, len(received)
    start = next((k * frame for k in range(head + 1)
                  if np.array_equal(sent[k * frame:(k + 1) * frame], received[:frame])), None)
    if start is None:
        where = [k for k in range(len(sent) // frame)
                 if np.array_equal(sent[k * frame:(k + 1) * frame], received[:frame])]
        raise AssertionError(f"the first frame received is frame(s) {where[:5]} of the {len(sent) // frame} sent "
                             f"({len(received) // frame} frames received)")
    assert np.array_equal(received, sent[start:start + len(received)]), "received differs from sent"
    missing = len(sent) - start - len(received)
    assert missing <= tail * frame, f"the last {missing // frame} frames sent did not arrive"


def saved_payloads(bin_path):
    """What EncodedAudioSaver saved for one user: [(payload, (codec, sample_rate, channels,
    samples_per_channel))], split by the sizes its .txt index lists."""
    data = Path(bin_path).read_bytes()
    index = [line.split() for line in Path(bin_path[:-len(".bin")] + ".txt").read_text().splitlines()
             if not line.startswith("#")]
    payloads, at = [], 0
    for size, codec, rate, channels, samples, *_ in index:
        payloads.append((data[at:at + int(size)], (int(codec), int(rate), int(channels), int(samples))))
        at += int(size)
    assert at == len(data), f"{bin_path}: the index lists {at} bytes, the file holds {len(data)}"
    return payloads


def assert_every_payload(received, sent, output, may_lose=0):
    """received is sent: every payload, byte for byte, in order, from the first to the last --
    but for up to `may_lose` whole payloads missing (nothing changed, reordered or repeated)."""
    matcher = difflib.SequenceMatcher(None, sent, received, autojunk=False)
    changes = [(op, a, b, c, d) for op, a, b, c, d in matcher.get_opcodes() if op != "equal"]
    lost = sum(b - a for op, a, b, _, _ in changes if op == "delete")
    if lost > may_lose or any(op != "delete" for op, *_ in changes):
        raise AssertionError(f"{len(received)} payloads received of the {len(sent)} sent: "
                             f"{[(op, f'sent[{a}:{b}]', f'received[{c}:{d}]') for op, a, b, c, d in changes][:10]}"
                             f"\n{output}")


def assert_stretch_of_loop(received, sent):
    """received is a stretch of sent played over and over: exact and in order, from wherever it starts."""
    assert len(received) >= FRAME and len(received) % FRAME == 0, len(received)
    looped = np.tile(sent, len(received) // len(sent) + 2)
    starts = [k * FRAME for k in range(len(sent) // FRAME)
              if np.array_equal(sent[k * FRAME:(k + 1) * FRAME], received[:FRAME])]
    assert any(np.array_equal(received, looped[k:k + len(received)]) for k in starts), "received differs from sent"


def frame_numbers(path):
    frames = np.fromfile(path, np.uint8).reshape(-1, WIDTH * HEIGHT * 3 // 2)
    return [frame_number(f[:WIDTH * HEIGHT].reshape(HEIGHT, WIDTH)) for f in frames]


def assert_consecutive(numbers, total):
    """Frames k..total-1, none missing, in order; k (frames sent before the receiver
    had subscribed) at most 3."""
    assert numbers and numbers[0] <= 3 and numbers == list(range(numbers[0], total)), numbers


# -- scenarios ------------------------------------------------------------------------------

SCENARIOS = {}


def scenario(func):
    SCENARIOS[func.__name__.removeprefix("run_")] = func
    return func


def uses(name):
    """Marks a test as checking scenario `name` (the fixture starts only the scenarios selected tests use)."""
    def mark(test):
        test.scenario = name
        return test
    return mark


class Base:
    """What every scenario gets: the test data, a folder of its own and unique channel names."""

    def __init__(self, data, folder, official_root=None):
        self.data, self.folder, self.official_root = data, folder, official_root
        self.official = None  # see official_sdk()

    def workdir(self, name):
        path = self.folder / name
        path.mkdir()
        return path

    @staticmethod
    def channel(name):
        return f"{name}-{uuid.uuid4().hex[:8]}"


@scenario
def run_pcm(base):
    cwd, ch = base.workdir("pcm"), base.channel("pcm")
    rx = Example("example_audio_pcm_receive.py", ["--channelId", ch, "--userId", "2", "--saveToDisk", "1",
                                                  "--hours", SAFETY_HOURS], cwd)
    rx.wait_for("on_connected")
    tx = Example("example_audio_pcm_send.py", ["--channelId", ch, "--userId", "1", "--audioFile", base.data["pcm"],
                                               "--sampleRate", "16000", "--numOfChannels", "1"], cwd)
    sent, received = receive_while(rx, tx, "1")
    return sent, received, saved(cwd, "example_audio_pcm_receive", f"{ch}_1.pcm")


@scenario
def run_yuv(base):
    cwd, ch = base.workdir("yuv"), base.channel("yuv")
    rx = Example("example_video_yuv_receive.py", ["--channelId", ch, "--userId", "2", "--saveToDisk", "1",
                                                  "--hours", SAFETY_HOURS], cwd)
    rx.wait_for("on_connected")
    tx = Example("example_video_yuv_send.py", ["--channelId", ch, "--userId", "1", "--videoFile", base.data["yuv"],
                                               "--width", str(WIDTH), "--height", str(HEIGHT), "--fps", "30"], cwd)
    sent, received = receive_while(rx, tx, "1")
    return sent, received, saved(cwd, "example_video_yuv_receive", f"{ch}_1.yuv")


@scenario
def run_encoded(base):
    cwd, ch = base.workdir("encoded"), base.channel("h264")
    rx = Example("example_video_encoded_receive.py", ["--channelId", ch, "--userId", "2", "--saveToDisk", "1",
                                                      "--hours", SAFETY_HOURS], cwd)
    rx.wait_for("on_connected")
    tx = Example("example_video_encoded_send.py", ["--channelId", ch, "--userId", "1", "--videoFile",
                                                   base.data["h264"], "--width", str(WIDTH), "--height", str(HEIGHT),
                                                   "--fps", "30"], cwd)
    sent, received = receive_while(rx, tx, "1")
    return sent, received, saved(cwd, "example_video_encoded_receive", f"{ch}_1.h264")


@scenario
def run_pcm_yuv(base):
    """Two connections each side: the channel and channel1."""
    cwd, ch = base.workdir("pcm_yuv"), base.channel("pcmyuv")
    rx = Example("example_pcm_yuv_receive.py", ["--channelId", ch, "--userId", "2", "--saveToDisk", "1",
                                                "--connectionNumber", "2", "--hours", SAFETY_HOURS], cwd)
    rx.wait_for("on_connected", count=2)
    tx = Example("example_pcm_yuv_send.py", ["--channelId", ch, "--userId", "1", "--connectionNumber", "2",
                                             "--audioFile", base.data["pcm"], "--videoFile", base.data["yuv"],
                                             "--width", str(WIDTH), "--height", str(HEIGHT), "--fps", "30"], cwd)
    sent = tx.finish()
    rx.wait_for("on_user_left: user=1", count=2)
    rx.interrupt()
    received = rx.finish()
    files = {c: (saved(cwd, "example_pcm_yuv_receive", f"{c}_1.pcm"),
                 saved(cwd, "example_pcm_yuv_receive", f"{c}_1.yuv")) for c in (ch, f"{ch}1")}
    return sent, received, files


@scenario
def run_send_receive(base):
    """Two example_pcm_yuv_send_receive in one channel looping their files, each recording the other: the
    second for 3 s, the first until Ctrl+C after the second left."""
    cwd, ch = base.workdir("send_receive"), base.channel("sendrecv")
    common = ["--channelId", ch, "--audioFile", base.data["pcm"], "--videoFile", base.data["yuv"], "--width",
              str(WIDTH), "--height", str(HEIGHT), "--fps", "30", "--saveToDisk", "1"]
    first = Example("example_pcm_yuv_send_receive.py", [*common, "--userId", "1", "--hours", SAFETY_HOURS], cwd)
    second = Example("example_pcm_yuv_send_receive.py", [*common, "--userId", "2", "--hours", "0.00085"], cwd)
    outputs = tuple(reversed(receive_while(first, second, "2")))
    return outputs, {uid: (saved(cwd, "example_pcm_yuv_send_receive", f"{ch}_{uid}.pcm"),
                           saved(cwd, "example_pcm_yuv_send_receive", f"{ch}_{uid}.yuv")) for uid in (1, 2)}


@scenario
def run_jpeg(base):
    cwd, ch = base.workdir("jpeg"), base.channel("jpeg")
    rx = Example("example_video_yuv_receive.py", ["--channelId", ch, "--userId", "2", "--saveToDisk", "1",
                                                  "--hours", SAFETY_HOURS], cwd)
    rx.wait_for("on_connected")
    tx = Example("example_jpeg_send.py", ["--channelId", ch, "--userId", "1", "--dir", base.data["jpeg"],
                                          "--fps", "10"], cwd)
    sent, received = receive_while(rx, tx, "1")
    return sent, received, saved(cwd, "example_video_yuv_receive", f"{ch}_1.yuv")


MESSAGE = "héllo agora ✓"


@scenario
def run_stream_message(base):
    cwd, ch = base.workdir("stream_message"), base.channel("msg")
    rx = Example("example_stream_message_receive.py", ["--channelId", ch, "--userId", "2", "--hours", SAFETY_HOURS],
                 cwd)
    rx.wait_for("on_connected")
    tx = Example("example_stream_message_send.py", ["--channelId", ch, "--userId", "1", "--message", MESSAGE,
                                                    "--hours", "0.0007"], cwd)  # 2.5 s: idx 0, 1, 2
    return receive_while(rx, tx, "1")


@scenario
def run_vad(base):
    """Two listeners, the SDK's VAD (--mode 1) and the callback's own AudioVadV2 (--mode 0, saving a VadDump)."""
    cwd, ch = base.workdir("vad"), base.channel("vad")
    sdk = Example("example_audio_vad.py", ["--channelId", ch, "--userId", "3", "--hours", SAFETY_HOURS], cwd)
    own = Example("example_audio_vad.py", ["--channelId", ch, "--userId", "4", "--mode", "0", "--saveToDisk", "1",
                                           "--hours", SAFETY_HOURS], cwd)
    sdk.wait_for("on_connected")
    own.wait_for("on_connected")
    tx = Example("example_audio_pcm_send.py", ["--channelId", ch, "--userId", "1", "--audioFile", base.data["pcm"]],
                 cwd)
    tx.finish()
    outputs = []
    for listener in (sdk, own):
        listener.wait_for("on_user_left: user=1")
        listener.interrupt()
        outputs.append(listener.finish())
    return outputs[0], outputs[1], glob.glob(str(cwd / "logs" / "example_audio_vad" / "*" / f"{ch}_1" / "*" / "*"))


@scenario
def run_echo(base):
    """example_audio_pcm_loopback echoes example_audio_pcm_receive_and_send, which records the echo."""
    cwd, ch = base.workdir("echo"), base.channel("echo")
    loop = Example("example_audio_pcm_loopback.py", ["--channelId", ch, "--userId", "9", "--hours", SAFETY_HOURS],
                   cwd)
    loop.wait_for("on_connected")
    talker = Example("example_audio_pcm_receive_and_send.py", ["--channelId", ch, "--userId", "1", "--audioFile",
                                                               base.data["pcm"], "--saveToDisk", "1"], cwd)
    talked, looped = receive_while(loop, talker, "1")
    return talked, looped, saved(cwd, "example_audio_pcm_receive_and_send", f"{ch}_9.pcm")


@scenario
def run_consumer(base):
    cwd, ch = base.workdir("consumer"), base.channel("consumer")
    rx = Example("example_audio_pcm_receive.py", ["--channelId", ch, "--userId", "2", "--saveToDisk", "1",
                                                  "--hours", SAFETY_HOURS], cwd)
    rx.wait_for("on_connected")
    tx = Example("example_audio_consumer.py", ["--channelId", ch, "--userId", "1", "--audioFile", base.data["pcm"]],
                 cwd)
    sent, received = receive_while(rx, tx, "1")
    return sent, received, saved(cwd, "example_audio_pcm_receive", f"{ch}_1.pcm")


@scenario
def run_external_audio_processor(base):
    cwd = base.workdir("external_audio_processor")
    return Example("example_external_audio_processor.py", ["appid", base.channel("eap"), base.data["pcm"], "16000",
                                                           "1", "0"], cwd).finish()


@scenario
def run_parameters(base):
    cwd = base.workdir("parameters")
    return Example("example_agora_parameter.py", ["--channelId", base.channel("param")], cwd).finish()


@scenario
def run_stable(base):
    """Two soak processes in one channel, 1 s rounds for about 3 s; the second with two connections."""
    cwd, ch = base.workdir("stable"), base.channel("stable")
    common = ["--channelId", ch, "--audioFile", base.data["pcm"], "--videoFile", base.data["yuv"], "--width",
              str(WIDTH), "--height", str(HEIGHT), "--fps", "30", "--value", "1", "--hours", "0.00085"]
    runs = [Example("example_stable_test.py", [*common, "--userId", "11"], cwd),
            Example("example_stable_test.py", [*common, "--userId", "12", "--connectionNumber", "2"], cwd)]
    return [r.finish() for r in runs]


@scenario
def run_multi_connection(base):
    cwd, ch = base.workdir("multi"), base.channel("multi")
    rx = Example("example_audio_pcm_receive_multi_connection.py", ["--channelId", ch, "--userId", "2",
                                                                   "--connectionNumber", "3", "--saveToDisk", "1",
                                                                   "--hours", SAFETY_HOURS], cwd)
    for c in (ch, f"{ch}1", f"{ch}2"):
        rx.wait_for(f"on_connected: channel={c} ")
    tx = Example("example_audio_pcm_send_multi_connection.py", ["--channelId", ch, "--userId", "1",
                                                                "--connectionNumber", "3", "--lowdelay",
                                                                "--audioFile", base.data["pcm"]], cwd)
    sent = tx.finish()
    rx.wait_for("on_user_left: user=1", count=3)
    rx.interrupt()
    received = rx.finish()
    return sent, received, {c: saved(cwd, "example_audio_pcm_receive_multi_connection", f"{c}_1.pcm")
                            for c in (ch, f"{ch}1", f"{ch}2")}


def official_copy(folder):
    """examples/official with agora_rtc.compat replaced by agora.rtc, as a user of the official SDK would do."""
    target = folder / "official_sdk_examples"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("__pycache__", "logs"))
    for path in target.rglob("*.py"):
        path.write_text(path.read_text(encoding="utf-8").replace("agora_rtc.compat", "agora.rtc"), encoding="utf-8")
    return target


_official_lock = threading.Lock()


def official_sdk(base):
    """(the official SDK's root for PYTHONPATH, the examples' official copy), made once for all scenarios."""
    with _official_lock:
        if base.official is None:
            from agora_rtc import official
            base.official = (official.prepare(), official_copy(base.folder))
        return base.official


@scenario
def run_official_sdk(base):
    """The same files on Agora's official SDK: its pcm+yuv sender to our receiver, our encoded
    sender to its encoded receiver, and its parameter example."""
    root, theirs = official_sdk(base)
    cwd, ch1, ch2 = base.workdir("official_sdk"), base.channel("off-pcmyuv"), base.channel("off-h264")
    rx1 = Example("example_pcm_yuv_receive.py", ["--channelId", ch1, "--userId", "2", "--saveToDisk", "1",
                                                 "--hours", SAFETY_HOURS], cwd)
    rx2 = Example("example_video_encoded_receive.py", ["--channelId", ch2, "--userId", "2", "--saveToDisk", "1",
                                                       "--hours", SAFETY_HOURS], cwd, folder=theirs, pythonpath=root)
    rx1.wait_for("on_connected")
    rx2.wait_for("on_connected")
    tx1 = Example("example_pcm_yuv_send.py", ["--channelId", ch1, "--userId", "1", "--audioFile", base.data["pcm"],
                                              "--videoFile", base.data["yuv"], "--width", str(WIDTH), "--height",
                                              str(HEIGHT), "--fps", "30"], cwd, folder=theirs, pythonpath=root)
    tx2 = Example("example_video_encoded_send.py", ["--channelId", ch2, "--userId", "1", "--videoFile",
                                                    base.data["h264"], "--width", str(WIDTH), "--height",
                                                    str(HEIGHT), "--fps", "30"], cwd)
    params = Example("example_agora_parameter.py", ["--channelId", base.channel("off-param")], cwd, folder=theirs,
                     pythonpath=root)
    outputs = {"params": params.finish()}
    outputs["pcm_yuv_sent"], outputs["pcm_yuv_received"] = receive_while(rx1, tx1, "1")
    outputs["h264_sent"], outputs["h264_received"] = receive_while(rx2, tx2, "1")
    return outputs, {"pcm": saved(cwd, "example_pcm_yuv_receive", f"{ch1}_1.pcm"),
                     "yuv": saved(cwd, "example_pcm_yuv_receive", f"{ch1}_1.yuv"),
                     "h264": saved(cwd, "example_video_encoded_receive", f"{ch2}_1.h264")}


@scenario
def run_audio_encoded_aac(base):
    """demo.aac sent to one example_audio_encoded_receive by two example_audio_encoded_send: ours
    (user 1) and the same file on the official SDK (user 3)."""
    root, theirs = official_sdk(base)
    cwd, ch = base.workdir("audio_encoded_aac"), base.channel("aac")
    rx = Example("example_audio_encoded_receive.py", ["--channelId", ch, "--userId", "2", "--saveToDisk", "1",
                                                      "--hours", SAFETY_HOURS], cwd)
    rx.wait_for("on_connected")
    args = ["--channelId", ch, "--audioFile", base.data["aac"]]
    ours = Example("example_audio_encoded_send.py", [*args, "--userId", "1"], cwd)
    official = Example("example_audio_encoded_send.py", [*args, "--userId", "3"], cwd, folder=theirs,
                       pythonpath=root)
    outputs = {"official_sent": official.finish()}
    outputs["sent"], outputs["received"] = receive_while(rx, ours, "1")
    rx.wait_for("on_user_left: user=3")  # (before Ctrl+C: official.finish() returned first)
    return outputs, {uid: saved(cwd, "example_audio_encoded_receive", f"{ch}_{uid}.aaclc.bin") for uid in (1, 3)}


@scenario
def run_audio_encoded_g711(base):
    """demo_mulaw.wav sent by example_audio_encoded_send to two example_audio_encoded_receive
    hearing it as 8 kHz PCM: ours, and the same file on the official SDK (no encoded observer there)."""
    root, theirs = official_sdk(base)
    cwd, official_cwd, ch = base.workdir("audio_encoded_g711"), base.workdir("audio_encoded_g711_official"), \
        base.channel("g711")
    args = ["--channelId", ch, "--userId", "2", "--saveToDisk", "1", "--sampleRate", "8000", "--hours", SAFETY_HOURS]
    rx = Example("example_audio_encoded_receive.py", args, cwd)
    official = Example("example_audio_encoded_receive.py", [*args[:3], "3", *args[4:]], official_cwd, folder=theirs,
                       pythonpath=root)
    official.wait_for("on_connected")
    rx.wait_for("on_connected")
    tx = Example("example_audio_encoded_send.py", ["--channelId", ch, "--userId", "1", "--audioFile",
                                                   base.data["mulaw"]], cwd)
    sent, received = receive_while(rx, tx, "1")
    official.wait_for("on_user_left: user=1")
    official.interrupt()
    return {"sent": sent, "received": received, "official_received": official.finish()}, {
        "pcm": saved(cwd, "example_audio_encoded_receive", f"{ch}_1.pcm"),
        "pcmu": saved(cwd, "example_audio_encoded_receive", f"{ch}_1.pcmu.bin"),
        "official_pcm": saved(official_cwd, "example_audio_encoded_receive", f"{ch}_1.pcm"),
        "official_files": glob.glob(str(official_cwd / "logs" / "example_audio_encoded_receive" / "*" / "*"))}


@pytest.fixture(scope="module")
def test_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("official-examples-data")
    out = subprocess.run([sys.executable, str(EXAMPLES / "common" / "test_data.py"), str(folder), "--seconds", "2",
                          "--frames", str(FRAMES), "--width", str(WIDTH), "--height", str(HEIGHT), "--pictures",
                          str(PICTURES)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    paths = dict(line.split(": ", 1) for line in out.stdout.splitlines())
    assert set(paths) == {"pcm", "yuv", "h264", "jpeg", "aac", "mulaw"}
    return paths


@pytest.fixture(scope="module")
def results(request, test_data, tmp_path_factory):
    """Starts, side by side, every scenario a selected test uses; result(name) waits for one."""
    module = request.module
    wanted = sorted({getattr(item.function, "scenario", None) for item in request.session.items
                     if item.module is module} - {None})
    base = Base(test_data, tmp_path_factory.mktemp("official-examples"))
    # A few at a time: a 2-core machine starting twenty Python processes at once runs the engines'
    # 10 ms clocks late enough to drop frames, and these checks count every frame.
    pool = ThreadPoolExecutor(max_workers=CONCURRENT_SCENARIOS)
    longest_first = ["official_sdk", "stable", "send_receive", "echo", "vad", "audio_encoded_g711",
                     "audio_encoded_aac", "pcm_yuv", "consumer", "multi_connection", "stream_message"]
    order = sorted(wanted, key=lambda name: (longest_first + list(SCENARIOS)).index(name))
    futures = {name: pool.submit(SCENARIOS[name], base) for name in order}
    yield lambda name: futures[name].result(timeout=120)
    for example in Example.started:  # a scenario that failed half-way may have left one running
        if example.proc.poll() is None:
            example.proc.kill()
    pool.shutdown(wait=True)


# -- tests ----------------------------------------------------------------------------------

def test_parser_has_the_official_flags():
    sys.path.insert(0, str(EXAMPLES))
    try:
        from common.parse_args import build_parser, parse_args
    finally:
        sys.path.remove(str(EXAMPLES))
    flags = {s for action in build_parser()._actions for s in action.option_strings if s.startswith("--")}
    assert flags - {"--help"} == OFFICIAL_FLAGS
    options = parse_args(argv=["--appId", "app", "--channelId", "room", "--hours", "0.5", "--saveToDisk", "1"])
    assert (options.token, options.user_id, options.bitrate, options.role, options.mode, options.value) == \
        ("app", "0", 3600, 1, 1, 0)  # the official defaults; the token defaults to the App ID
    assert (options.hours, options.save_to_disk, options.connection_number) == (0.5, 1, 1)


def test_every_example_uses_only_the_compat_api():
    """The examples import agora_rtc.compat only (so they run on agora.rtc after a rename);
    the test data helper may use agora_rtc's test sources."""
    for path in EXAMPLES.rglob("*.py"):
        if path.name == "test_data.py":
            continue
        imports = re.findall(r"^\s*(?:from|import) (agora_rtc[\w.]*)", path.read_text(encoding="utf-8"), re.M)
        assert all(name.startswith("agora_rtc.compat") for name in imports), (path.name, imports)


@uses("pcm")
def test_pcm_receive_saves_what_pcm_send_sent(results, test_data):
    sent, received, path = results("pcm")
    assert "pushed 3.00 s of audio from demo.pcm" in sent
    assert re.search(r"received \d+ audio frames \(\d+ ms\) from 1 in ", received)
    assert_received_in_order(pcm(path), pcm(test_data["pcm"]))


@uses("yuv")
def test_yuv_receive_saves_the_frames_in_order(results):
    sent, received, path = results("yuv")
    assert f"sent {FRAMES} video frames ({WIDTH}x{HEIGHT})" in sent
    assert f"video from 1: {WIDTH}x{HEIGHT}, metadata=b'frame " in received
    assert_consecutive(frame_numbers(path), FRAMES)


@uses("encoded")
def test_encoded_receive_saves_the_access_units_sent(results, test_data):
    sys.path.insert(0, str(EXAMPLES))
    try:
        from common.media import access_units
    finally:
        sys.path.remove(str(EXAMPLES))
    sent, received, path = results("encoded")
    units = [u for u, _ in access_units(Path(test_data["h264"]).read_bytes())]
    assert len(units) == FRAMES and f"sent {FRAMES} access units (3 key frames)" in sent
    assert f"encoded video from 1: codec 2, {WIDTH}x{HEIGHT}, 30 fps" in received
    data = Path(path).read_bytes()
    first = next(k for k in range(4) if data.startswith(units[k]))
    assert data == b"".join(units[first:])  # byte for byte, in order, to the last one


@uses("pcm_yuv")
def test_pcm_yuv_receive_saves_both_on_two_connections(results, test_data):
    sent, received, files = results("pcm_yuv")
    assert sent.count(f"sent {FRAMES} video frames") == 2 and sent.count("pushed 3.00 s of audio") == 2
    for channel, (pcm_path, yuv_path) in files.items():
        assert_received_in_order(pcm(pcm_path), pcm(test_data["pcm"]))
        assert_consecutive(frame_numbers(yuv_path), FRAMES)
        assert f"video frames ({WIDTH}x{HEIGHT}) from 1 in {channel}" in received


@uses("send_receive")
def test_send_receive_examples_record_each_other(results, test_data):
    outputs, files = results("send_receive")
    for out, other in zip(outputs, (2, 1)):
        assert re.search(rf"received \d+ audio frames \(\d+ ms\) from {other} in ", out)
        assert re.search(rf"received \d+ video frames \({WIDTH}x{HEIGHT}\) from {other} in ", out)
    for pcm_path, yuv_path in files.values():
        audio = pcm(pcm_path)
        assert len(audio) >= 100 * FRAME  # they overlapped for more than a second
        assert_stretch_of_loop(audio, pcm(test_data["pcm"]))
        numbers = frame_numbers(yuv_path)
        gaps = [(a, b) for a, b in zip(numbers, numbers[1:]) if (b - a) % FRAMES != 1]
        assert len(numbers) >= 30 and not gaps, (gaps, numbers)


@uses("jpeg")
def test_jpeg_send_arrives_picture_by_picture(results):
    sent, received, path = results("jpeg")
    assert f"decoded {PICTURES} pictures ({WIDTH}x{HEIGHT})" in sent and f"sent {PICTURES} JPEG pictures" in sent
    assert "metadata=b'picture_00" in received  # each frame's metadata is its file name
    assert_consecutive(frame_numbers(path), PICTURES)  # the pictures carry their index


@uses("stream_message")
def test_stream_messages_arrive_with_their_text(results):
    sent, received = results("stream_message")
    texts_sent = re.findall(r"send_stream_message\('(.*)'\) = 0", sent)
    texts_received = re.findall(r"on_stream_message: user=1 stream=\d+ length=\d+ text='(.*)'", received)
    assert texts_sent[:3] == [f"{MESSAGE} idx:{k}" for k in range(3)]
    # All of them, in order and intact -- but the first may be lost: the sender sends right after its
    # on_connected, and the loopback engine tells a peer in another process about a new member a moment
    # later (on_user_joined); an unreliable message sent in between reaches nobody.
    assert texts_received in (texts_sent, texts_sent[1:])
    assert f"received {len(texts_received)} stream messages" in received


@uses("vad")
def test_vad_example_finds_the_utterance(results):
    sdk_vad, own_vad, dump = results("vad")
    for out in (sdk_vad, own_vad):  # demo.pcm: 2 s of speech-like audio, then 1 s of silence
        lines = [line.split(" ", 1)[1] for line in out.splitlines() if ": start speaking" in line or
                 ": stop speaking" in line]
        assert len(lines) == 2 and lines[0] == "1: start speaking", out
        speech_ms = int(re.fullmatch(r"1: stop speaking \((\d+) ms of speech\)", lines[1]).group(1))
        assert 1800 <= speech_ms <= 2800, speech_ms
        assert "1 utterance(s)" in out
    names = {os.path.basename(p) for p in dump}
    assert {"source.pcm", "label.txt", "vad_0.pcm"} <= names and "vad_1.pcm" not in names


@uses("external_audio_processor")
def test_external_audio_processor_example_processes_the_whole_file(results):
    out = results("external_audio_processor")  # demo.pcm: 2 s of speech-like audio, then 1 s of silence
    assert "processed 300 frames (3.00 s)" in out and "1 utterance(s)" in out, out
    assert out.count("start speaking") == 1 and out.count("stop speaking") == 1, out
    speech_ms = int(re.search(r"stop speaking \((\d+) ms of speech\)", out).group(1))
    assert 1800 <= speech_ms <= 2800, speech_ms


@uses("echo")
def test_loopback_echo_comes_back_unchanged(results, test_data):
    talked, looped, echo_path = results("echo")
    assert "echoing user 1" in looped
    echoed = int(re.search(r"echoed (\d+) frames", looped).group(1))
    received = pcm(echo_path)
    sent = pcm(test_data["pcm"])
    assert echoed >= len(sent) // FRAME - 10  # it heard (nearly) all of it
    # the echo is what was said, in order; its last ~100 ms were still on the way when the talker left
    assert_received_in_order(received, sent, tail=20)


@uses("consumer")
def test_consumer_example_completes_its_push(results, test_data):
    sent, received, path = results("consumer")
    pieces = len(pcm(test_data["pcm"])) * 2 // 6400  # 200 ms pieces
    m = re.search(r"round 1: (\d+) pieces \(3.00 s of audio\) pushed in ([\d.]+) s, push completed after ([\d.]+) s",
                  sent)
    assert m and int(m.group(1)) == pieces, sent
    assert float(m.group(2)) < 2.5 and 2.8 <= float(m.group(3)) < 4.5  # produced faster than real time, played at it
    assert_received_in_order(pcm(path), pcm(test_data["pcm"]))


@uses("parameters")
def test_agora_parameter_example_reads_back_what_it_set(results):
    out = results("parameters")
    assert "config.area_code: 17" in out  # AREA_CODE_CN | AREA_CODE_JP
    label = re.findall(r"che\.audio\.label\.enable: \S+ -> (\S+)\(.*\) = (-?\d+) -> (\w+)", out)
    assert [(how, int(ret), value) for how, ret, value in label] == [
        ("set_parameters", 0, "False"), ("set_parameters", 0, "True"), ("set_bool", 0, "False"),
        ("set_bool", 0, "True")]
    assert len(re.findall(r" = 0 -> ", out)) == 12  # every setter returned 0


@uses("stable")
def test_stable_test_joins_and_leaves_round_after_round(results):
    for out, connections in zip(results("stable"), (1, 2)):
        rounds = [tuple(map(int, m)) for m in re.findall(
            rf"round \d+: {connections} connection\(s\) for [\d.]+ s, received (\d+) audio frames, (\d+) video frames",
            out)]
        assert len(rounds) >= 2 and re.search(rf"\n\S+ {len(rounds)} rounds$", out), out
        assert sum(a for a, _ in rounds) > 0 and sum(v for _, v in rounds) > 0, rounds  # they heard and saw the other
        assert out.count("on_connected") == connections * len(rounds)
        assert "Traceback" not in out


@uses("multi_connection")
def test_multi_connection_examples_carry_one_file_to_three_channels(results, test_data):
    sent, received, files = results("multi_connection")
    assert sent.count("on_connected") == 3 and "pushed 3.00 s of audio" in sent
    for channel, path in files.items():
        assert f"from 1 in {channel}\n" in received + "\n"
        assert_received_in_order(pcm(path), pcm(test_data["pcm"]))


@uses("official_sdk")
def test_the_same_examples_run_on_the_official_sdk(results, test_data):
    outputs, files = results("official_sdk")
    # its sender, our receiver
    assert f"sent {FRAMES} video frames" in outputs["pcm_yuv_sent"]
    assert_received_in_order(pcm(files["pcm"]), pcm(test_data["pcm"]))
    assert_consecutive(frame_numbers(files["yuv"]), FRAMES)
    # our sender, its receiver
    sys.path.insert(0, str(EXAMPLES))
    try:
        from common.media import access_units
    finally:
        sys.path.remove(str(EXAMPLES))
    units = [u for u, _ in access_units(Path(test_data["h264"]).read_bytes())]
    data = Path(files["h264"]).read_bytes()
    first = next(k for k in range(4) if data.startswith(units[k]))
    assert data == b"".join(units[first:])
    # its AgoraParameter (connection.get_agora_parameter()): the official service turns the labels on itself
    assert "che.audio.label.enable: True -> set_parameters({\"che.audio.label.enable\": false}) = 0 -> False" \
        in outputs["params"]


@uses("audio_encoded_aac")
def test_audio_encoded_receive_gets_every_aac_payload_as_sent(results, test_data):
    import av
    outputs, files = results("audio_encoded_aac")
    with av.open(test_data["aac"]) as container:  # the ADTS frames, as PyAV demuxes them
        frames = [bytes(p) for p in container.demux(audio=0) if p.size]
    for sent in (outputs["sent"], outputs["official_sent"]):
        assert f"sent {len(frames)} AUDIO_CODEC_AACLC packets" in sent
    for uid, path in files.items():  # ours, the official SDK's: every payload, byte for byte, in order
        payloads = saved_payloads(path)
        assert_every_payload([data for data, _ in payloads], frames, outputs["received"])
        assert {info for _, info in payloads} == {(8, 16000, 1, 1024)}  # AACLC, 16 kHz, mono, 1024 samples
        assert f"received {len(frames)} encoded audio frames ({sum(map(len, frames))} bytes, aaclc) from {uid} in " \
            in outputs["received"]
        # the loopback engine does not decode AAC (Agora's network would hand the PCM observer PCM)
        assert f"no PCM from {uid}: this SDK did not decode its aaclc" in outputs["received"]


@uses("audio_encoded_g711")
def test_audio_encoded_receive_hears_g711_as_ffmpeg_decodes_it(results, test_data):
    import av
    outputs, files = results("audio_encoded_g711")
    with av.open(test_data["mulaw"]) as container:
        mulaw = b"".join(bytes(p) for p in container.demux(audio=0))
    with av.open(test_data["mulaw"]) as container:
        decoded = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]).astype(np.int16)
    assert len(decoded) == len(mulaw) == 8000 * 3  # 2 s of speech, 1 s of silence, 8 kHz
    assert f"sent {len(mulaw) // 160} AUDIO_CODEC_PCMU packets (3.00 s of audio)" in outputs["sent"]
    # the payloads as sent: 20 ms (160 bytes) each, PCMU at 8 kHz mono, every one (a receiver elsewhere that
    # stalls gets them late, from the sender's 64-packet backlog, not never)
    payloads = saved_payloads(files["pcmu"])
    assert_every_payload([data for data, _ in payloads], [mulaw[i:i + 160] for i in range(0, len(mulaw), 160)],
                         outputs["received"])
    assert {info for _, info in payloads} == {(4, 8000, 1, 160)}
    # the PCM observers (ours, the official SDK's) hear what FFmpeg decodes, sample for sample, with the
    # slack every PCM test here allows: it may begin a few frames in (a peer in another process learns of
    # the sender a moment after it started) and end a few frames short (in flight when the sender left)
    for pcm_path in (files["pcm"], files["official_pcm"]):
        assert_received_in_order(pcm(pcm_path), decoded, frame=G711_FRAME)
    assert re.search(r"first audio frame from 1: 8000 Hz, 1 channel\(s\), 80 samples", outputs["received"])
    # the official SDK has no encoded audio observer (a stub returning -1000): PCM only, nothing else saved
    assert "register_audio_encoded_frame_observer: -1000 -- the SDK delivers no encoded audio, receiving PCM only" \
        in outputs["official_received"]
    assert [os.path.basename(p) for p in files["official_files"]] == [os.path.basename(files["official_pcm"])]
    assert "encoded audio frames" not in outputs["official_received"]
