"""Volume indication: one entry per speaking remote user, volume 0-255 by
loudness, vad from the audio labels, active speaker changes; direct and
dispatched delivery."""

import numpy as np
import pytest

from agora_rtc import IRTCLocalUserObserver
from agora_rtc._speechlike import speechlike
from conftest import Publisher, join, tone, wait_for


class VolumeLog(IRTCLocalUserObserver):
    def __init__(self):
        self.reports = []
        self.active = []

    def on_audio_volume_indication(self, local_user, speakers, speaker_number, total_volume):
        assert speaker_number == len(speakers)
        self.reports.append(({s.user_id: s for s in speakers}, total_volume))

    def on_active_speaker(self, local_user, user_id):
        self.active.append(user_id)


@pytest.mark.parametrize("dispatched", [False, True])
def test_speakers_volumes_vad_and_active_speaker(service, dispatched):
    listener, _ = join(service, f"vol{dispatched}", "human")
    if dispatched:
        listener.set_event_dispatcher(service.dispatcher)
    log = VolumeLog()
    user = listener.get_local_user()
    user.register_local_user_observer(log)
    user.set_audio_volume_indication_parameters(200, smooth=0, report_vad=True)
    loud, quiet = Publisher(service, f"vol{dispatched}", "loud"), Publisher(service, f"vol{dispatched}", "quiet")
    Publisher(service, f"vol{dispatched}", "mute")  # publishes, sends nothing: never listed
    loud.send(tone(16000, 2.0, freqs=(200.0,), amplitude=16000), 16000)
    quiet.send(tone(16000, 2.0, freqs=(200.0,), amplitude=2000), 16000)
    wait_for(lambda: len(log.reports) >= 5, what="5 reports")
    speakers, total = log.reports[3]  # mid-stream: both are talking
    assert set(speakers) == {"loud", "quiet"}
    assert speakers["loud"].volume == pytest.approx(16000 * 255 / 32767, abs=2)
    assert speakers["quiet"].volume == pytest.approx(2000 * 255 / 32767, abs=2)
    assert speakers["loud"].vad == 0  # a steady tone is no voice: the noise floor takes it in at once
    assert total >= speakers["loud"].volume
    assert log.active[0] == "loud"
    # After both stop, reports go on, with nobody in them.
    wait_for(lambda: any(not s for s, _ in log.reports[6:]), what="an empty report")
    user.set_audio_volume_indication_parameters(0)  # off
    n = len(log.reports)
    quiet.send(tone(16000, 1.0, amplitude=8000), 16000)
    wait_for(lambda: len(quiet.track.queue_stats() and [1]) and quiet.track.queue_stats()["queued_frames"] == 0)
    assert len(log.reports) <= n + 1


def test_vad_flag_and_pitch_for_a_voice(service):
    listener, _ = join(service, "volvad", "human")
    log = VolumeLog()
    listener.get_local_user().register_local_user_observer(log)
    listener.get_local_user().set_audio_volume_indication_parameters(100, smooth=3, report_vad=True)
    talker = Publisher(service, "volvad", "talker")
    talker.send(np.concatenate([np.zeros(8000, np.int16), speechlike(3.0)]), 16000)
    # Wait for the talker's reports, not for any 30 reports: a slow engine (ASan) may still be in the silence.
    wait_for(lambda: sum("talker" in s for s, _ in log.reports) >= 25, timeout=30, what="2.5 s of the talker heard")
    heard = [s["talker"] for s, _ in log.reports if "talker" in s]
    voiced = [s for s in heard if s.vad == 1]
    assert len(voiced) >= len(heard) // 2
    pitches = np.array([s.voice_pitch for s in voiced])
    # The voice's pitch wanders over 80-220 Hz; an autocorrelation pitch may slip an octave now and then.
    assert 100 <= np.median(pitches) <= 220
    assert np.mean((pitches >= 75) & (pitches <= 240)) >= 0.8


def test_volume_indication_arguments_are_checked(service):
    conn, _ = join(service, "volargs", "human")
    user = conn.get_local_user()
    with pytest.raises(ValueError, match="interval_in_ms"):
        user.set_audio_volume_indication_parameters(5)
    with pytest.raises(ValueError, match="smooth"):
        user.set_audio_volume_indication_parameters(200, smooth=11)
