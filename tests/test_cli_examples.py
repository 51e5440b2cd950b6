"""The demo, doctor and the send/receive examples, run as users run them."""

import os
import re
import subprocess
import sys
import wave

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_demo_runs_on_the_embedded_engine(tmp_path):
    out = tmp_path / "demo.wav"
    run = subprocess.run([sys.executable, "-m", "agora_rtc", "demo", "--seconds", "1", "--out", str(out)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "frames sent 100, received 100, in order: True" in run.stdout
    assert "correlation received vs sent: 1.0000" in run.stdout
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (16000, 1, 16000)


def test_demo_refuses_bad_arguments_before_running(tmp_path):
    for args, message in [(["--seconds", "0"], "--seconds: must be 0.01 to 600 seconds, not 0"),
                          (["--out", str(tmp_path / "missing" / "d.wav")], "--out: the folder"),]:
        run = subprocess.run([sys.executable, "-m", "agora_rtc", "demo", *args], capture_output=True, text=True,
                             timeout=60)
        assert run.returncode == 2 and message in run.stderr, run.stderr
        assert "frames sent" not in run.stdout  # refused before the demo ran


def test_doctor_names_the_engine():
    run = subprocess.run([sys.executable, "-m", "agora_rtc", "doctor"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "engine loads: yes" in run.stdout and "libagora_rtc_loopback" in run.stdout
    assert "C API functions bound, 1 loopback-only" in run.stdout and "free-threaded build:" in run.stdout


def test_doctor_fails_cleanly_on_a_bogus_engine(tmp_path):
    bogus = tmp_path / "libagora_rtc_sdk.so"
    bogus.write_bytes(b"not an ELF file")
    for path in (str(tmp_path / "missing.so"), str(bogus)):
        run = subprocess.run([sys.executable, "-m", "agora_rtc", "doctor", "--sdk-path", path], capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert "engine loads: NO" in run.stdout and path in run.stdout


def test_send_and_receive_examples_in_separate_processes(tmp_path):
    out = tmp_path / "received.wav"
    rx = subprocess.Popen([sys.executable, os.path.join(ROOT, "examples", "example_audio_pcm_receive.py"),
                           "--channelId", "ex", "--userId", "2", "--remoteUserId", "1", "--seconds", "1",
                           "--output", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tx = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "example_audio_pcm_send.py"),
                         "--channelId", "ex", "--userId", "1", "--seconds", "2"],
                        capture_output=True, text=True, timeout=60)
    assert tx.returncode == 0, tx.stderr
    stdout, stderr = rx.communicate(timeout=60)
    assert rx.returncode == 0, stderr
    assert "recorded 100 frames from 1" in stdout
    with wave.open(str(out)) as w:
        got = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    assert len(got) == 16000 and np.abs(got).max() > 1000  # a second of real audio, not silence


def test_vad_example_writes_each_utterance(tmp_path):
    out = tmp_path / "utterances"
    vad = subprocess.Popen([sys.executable, os.path.join(ROOT, "examples", "example_vad.py"), "--channelId", "vadex",
                            "--seconds", "20", "--utterances", "1", "--output", str(out)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert vad.stdout.readline().strip() == "listening"
    tx = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "example_audio_pcm_send.py"),
                         "--channelId", "vadex", "--userId", "7", "--seconds", "1.4"],
                        capture_output=True, text=True, timeout=60)
    assert tx.returncode == 0, tx.stderr
    stdout, stderr = vad.communicate(timeout=60)
    assert vad.returncode == 0, stderr
    assert "7: start speaking" in stdout and "1 utterance(s) written" in stdout
    with wave.open(str(out / "7_0.wav")) as w:
        seconds = w.getnframes() / w.getframerate()
    assert 1.0 <= seconds <= 1.4 + 0.16 + 0.1  # the speech and its pre-roll, ended when the sender left


def test_tts_barge_in_example_stops_when_a_user_talks():
    bot = subprocess.Popen([sys.executable, os.path.join(ROOT, "examples", "example_tts_barge_in.py"),
                            "--channelId", "barge", "--seconds", "30", "--synthetic"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert bot.stdout.readline().startswith("bot talking")
    user = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "example_audio_pcm_send.py"),
                           "--channelId", "barge", "--userId", "42", "--seconds", "1"],
                          capture_output=True, text=True, timeout=60)
    assert user.returncode == 0, user.stderr
    stdout, stderr = bot.communicate(timeout=60)
    assert bot.returncode == 0, stderr
    assert "barge-in: 42 started talking" in stdout and stdout.strip().endswith("interrupted")


def test_bench_command_reports_the_foundation_figures(tmp_path):
    # a short scale run (the default is 50,100,200 connections for 10 s each)
    run = subprocess.run([sys.executable, "-m", "agora_rtc", "bench", "--out", str(tmp_path), "--scale", "10,20",
                          "--scale-seconds", "1"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "send() per 10 ms frame, 16kmono" in out and "send() per 10 ms frame, 48kstereo" in out
    assert "C->Python per delivered frame" in out
    # the progress bar (text form without the progress extra) reached the end
    assert re.search(r"\[#{30}\] (\d+)/\1 done", run.stderr), run.stderr[-500:]
    arrived = re.search(r"(\d+)/(\d+) frames arrived", out)
    assert arrived and arrived.group(1) == arrived.group(2) == "300"  # every latency probe frame came back
    # video: every paced frame delivered in both modes, and the report holds the same figures as the output
    assert "video frames delivered, direct: 300" in out and "video frames delivered, dispatched: 300" in out
    report = (tmp_path / "report.md").read_text()
    assert "| video send 1080p I420, unpublished |" in report and "| send->receive latency |" in report
    # the scale table: every frame of every connection arrived, in order, no underrun (late ticks are
    # reported, not required to be 0: a loaded test machine may stall the clock)
    rows = re.findall(r"^\| (\d+) \| [\d.]+ \| (\d+) / (\d+) \| (\d+) \| \d+ \| (\d+) \|$", report, re.M)
    assert [r[0] for r in rows] == ["10", "20"], report
    assert all(r[1] == r[2] == str(int(r[0]) * 100) and r[3] == r[4] == "0" for r in rows), rows
