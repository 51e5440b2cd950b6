"""AgoraParameter (official object): typed setters through the engine's
validated JSON parser, getters that read back numeric values (None when the
engine has none), a connection's object scoping the fault keys, and clear
errors for bad input or a released owner."""

import pytest

from agora_rtc import AgoraError, RTCConnConfig
from agora_rtc.compat.agora_parameter import AgoraParameter


def test_service_parameters_set_and_read_back(service):
    p = service.get_agora_parameter()
    assert isinstance(p, AgoraParameter)
    p.set_bool("che.audio.label.enable", False)
    assert p.get_bool("che.audio.label.enable") is False
    p.set_int("che.audio.label.enable", 1)
    assert p.get_int("che.audio.label.enable") == 1
    p.set_number("loopback.fault.loss_percent", 2.5)
    assert p.get_number("loopback.fault.loss_percent") == 2.5
    p.set_uint("loopback.fault.jitter_ms", 30)
    assert p.get_uint("loopback.fault.jitter_ms") == 30
    p.set_parameters('{"loopback.fault.loss_percent": 0, "rtc.set_app_type": 18}')  # unknown keys are accepted
    assert p.get_number("loopback.fault.loss_percent") == 0
    p.set_string("rtc.some_string_key", "value")
    p.set_array("rtc.some_array_key", "[1, 2, 3]")
    assert p.get_number("no.such.key") is None and p.get_string("rtc.some_string_key") is None
    assert p.convert_path("/tmp/x.log") == "/tmp/x.log"
    assert p.get_int("loopback.objects.connections") == 0


def test_a_connections_parameters_scope_its_faults(service):
    a = service.create_rtc_connection(RTCConnConfig())
    b = service.create_rtc_connection(RTCConnConfig())
    a.get_agora_parameter().set_number("loopback.fault.loss_percent", 7)
    assert a.get_agora_parameter().get_number("loopback.fault.loss_percent") == 7
    assert b.get_agora_parameter().get_number("loopback.fault.loss_percent") == 0
    assert service.get_agora_parameter().get_number("loopback.fault.loss_percent") == 0
    a.release()
    with pytest.raises(ValueError, match="released"):
        a.get_agora_parameter()
    b.release()


def test_a_string_for_a_number_the_engine_reads_is_refused_and_changes_nothing(service):
    before = service.get_parameter_number("loopback.fault.loss_percent")
    for text, why in (('{"loopback.fault.loss_percent": "50"}', "loopback.fault.loss_percent takes a number, not a string"),
                      ('{"loopback.clock_speed": "2"}', "loopback.clock_speed takes a number, not a string"),
                      ('{"loopback.clock_speed": null}', "loopback.clock_speed takes a number, not null"),
                      ('{"loopback.fault.loss_percent": 5, "loopback.clock_speed": "2"}', "loopback.clock_speed")):
        with pytest.raises(AgoraError, match=f"INVALID_ARGUMENT \\(2\\): {why}"):
            service.set_parameters(text)  # was 0, with the value ignored
    assert service.get_parameter_number("loopback.fault.loss_percent") == before  # the whole document refused
    service.set_parameters('{"some.agora.key": "text"}')  # keys the loopback does not read: accepted, as Agora's
    with pytest.raises(AgoraError, match="loss_percent takes a number, not a string"):
        service.get_agora_parameter().set_string("loopback.fault.loss_percent", "50")  # the one-key call too


def test_bad_parameters_raise(service):
    p = service.get_agora_parameter()
    with pytest.raises(AgoraError, match=r"INVALID_ARGUMENT \(2\): malformed JSON at offset 17: expected a value"):
        p.set_parameters('{"unterminated": ')
    with pytest.raises(AgoraError, match=r"loopback\.fault\.loss_percent takes 0\.\.100, not 101$"):
        p.set_number("loopback.fault.loss_percent", 101)
    with pytest.raises(ValueError, match="JSON array"):
        p.set_array("k", '{"a": 1}')
    with pytest.raises(ValueError, match="not JSON"):
        p.set_array("k", "[1,")
    with pytest.raises(TypeError, match="int"):
        p.set_int("k", "3")
    with pytest.raises(ValueError, match="negative"):
        p.set_uint("k", -1)
    with pytest.raises(TypeError, match="str"):
        p.set_parameters({"k": 1})
    service.release()
    with pytest.raises(ValueError, match="released"):
        p.set_int("k", 1)


@pytest.mark.parametrize("document, why", [
    ("[1, 2]", r"malformed JSON at offset 0: expected a JSON object \{\"key\": value, \.\.\.\}"),
    ('{"a" 1}', "malformed JSON at offset 5: expected ':' after the key"),
    ('{"a": 1 "b": 2}', "malformed JSON at offset 8: expected ',' or '}'"),
    ('{"a": 1} x', "malformed JSON at offset 9: expected nothing after the closing '}'"),
    ('{1: 2}', 'malformed JSON at offset 1: expected a "key" string'),
    ('{"loopback.clock_speed": 0}', r"loopback\.clock_speed takes 0\.1\.\.1000, not 0"),
    ('{"loopback.fault.outage_ms": -5}', r"loopback\.fault\.outage_ms takes 1\.\.3600000 ms, not -5"),
    ('{"loopback.app_certificate": "xyz"}', 'loopback.app_certificate takes 32 hex digits, or "" to turn'),
])
def test_a_refused_document_says_where_or_which_key(service, document, why):
    with pytest.raises(AgoraError, match=f"^agora_parameter_set_parameters failed: ERR_INVALID_ARGUMENT \\(2\\): {why}"):
        service.set_parameters(document)
    service.set_parameters('{"loopback.fault.loss_percent": 0}')  # accepted: no reason left over from before
