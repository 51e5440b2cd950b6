"""Property tests over the public send/config APIs: whatever a caller passes,
the result is success or a clear Python exception, never a crash or a hang."""

import json
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora_rtc import AgoraError, RTCConnConfig
from conftest import Publisher

# 300 cases per property in CI; AGORA_RTC_FUZZ_EXAMPLES=10000 (or more) for the long form.
FUZZ = settings(max_examples=int(os.environ.get("AGORA_RTC_FUZZ_EXAMPLES", "300")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
RATES = [8000, 16000, 24000, 32000, 44100, 48000]
EXPECTED = (ValueError, TypeError, AgoraError, OverflowError)


@pytest.fixture
def publisher(service):
    pub = Publisher(service, "fuzz", "fuzzer")
    pub.track.set_max_buffer_audio_frame_number(100000)
    return pub


@FUZZ
@given(nbytes=st.integers(0, 20000), spc=st.integers(-5, 6000), rate=st.one_of(st.sampled_from(RATES),
       st.integers(-10, 200000)), channels=st.integers(-2, 4), bps=st.integers(-1, 4),
       dtype=st.sampled_from([np.int16, np.uint8, np.float32, np.int32]), step=st.sampled_from([1, 2]))
def test_send_never_crashes(publisher, nbytes, spc, rate, channels, bps, dtype, step):
    item = np.dtype(dtype).itemsize
    data = np.zeros(max(nbytes // item, 0) * step, dtype)[::step]
    try:
        rc = publisher.sender.send(data, spc, rate, channels, bps)
    except EXPECTED:
        return
    # Accepted only when everything was right.
    assert rc == 0
    # int16 samples, or raw bytes (format "B": bytes, bytearray, a uint8 view) holding them
    assert data.dtype in (np.int16, np.uint8) and data.flags.c_contiguous and bps == 2
    assert channels in (1, 2) and rate in RATES and data.nbytes == spc * channels * 2


@FUZZ
@given(text=st.text(max_size=300))
def test_user_and_channel_ids_never_crash(service, text):
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    try:
        for args in (("", text, "u1"), ("", "ok-channel", text), (text, "ok-channel2", "u2")):
            try:
                conn.connect(*args)
            except EXPECTED:
                continue
            conn.disconnect()
    finally:
        conn.release()


json_values = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) |
                           st.integers() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=4) |
                           st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=12)


@FUZZ
@given(doc=st.dictionaries(st.text(max_size=30), json_values, max_size=5))
def test_valid_json_parameters_are_accepted_or_refused_cleanly(service, doc):
    try:
        assert service.set_parameters(json.dumps(doc)) == 0
    except AgoraError as e:
        assert e.name == "ERR_INVALID_ARGUMENT"  # e.g. a clock speed out of range


@FUZZ
@given(text=st.text(max_size=200))
def test_arbitrary_parameter_text_never_crashes(service, text):
    try:
        service.set_parameters(text)
    except EXPECTED:
        pass
