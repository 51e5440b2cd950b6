"""``connection.get_agora_parameter()``, with a stand-in where the SDK has none.

The official SDK hands out an AgoraParameter (set_parameters, set_bool/int/
number/string, get_bool/int/number/string; a getter returns None when the key
cannot be read). agora_rtc.compat has no AgoraParameter yet (docs/compat.md:
use AgoraService.set_parameters / get_parameter_number), so there
``agora_parameter()`` returns an object with the same methods over those two.
"""


def agora_parameter(service, connection):
    official = getattr(connection, "get_agora_parameter", None)
    return official() if official is not None else ServiceParameters(service)


class ServiceParameters:
    """AgoraParameter's methods over AgoraService.set_parameters / get_parameter_number."""

    def __init__(self, service):
        self._service = service

    def set_parameters(self, json_src):
        return self._service.set_parameters(json_src)

    def _set(self, key, value):
        return self._service.set_parameters({key: value})

    def set_bool(self, key, value):
        return self._set(key, bool(value))

    def set_int(self, key, value):
        return self._set(key, int(value))

    set_uint = set_int

    def set_number(self, key, value):
        return self._set(key, float(value))

    def set_string(self, key, value):
        return self._set(key, str(value))

    def get_number(self, key):
        try:
            return self._service.get_parameter_number(key)
        except Exception:  # a key the engine cannot read back
            return None

    def get_int(self, key):
        value = self.get_number(key)
        return None if value is None else int(value)

    get_uint = get_int

    def get_bool(self, key):
        value = self.get_number(key)
        return None if value is None else bool(value)

    def get_string(self, key):
        return None  # agora_rtc has no string parameters to read
