"""Built-in media encryption (``RTCConnection.enable_encryption``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

__all__ = ["EncryptionConfig", "EncryptionErrorType", "EncryptionMode"]


class EncryptionMode(IntEnum):
    AES_128_XTS = 1
    AES_128_ECB = 2
    AES_256_XTS = 3
    SM4_128_ECB = 4
    AES_128_GCM = 5
    AES_256_GCM = 6
    AES_128_GCM2 = 7  # the GCM2 modes need encryption_kdf_salt
    AES_256_GCM2 = 8


class EncryptionErrorType(IntEnum):
    ENCRYPTION_ERROR_INTERNAL_FAILURE = 0
    ENCRYPTION_ERROR_DECRYPTION_FAILURE = 1
    ENCRYPTION_ERROR_ENCRYPTION_FAILURE = 2


@dataclass(kw_only=True)
class EncryptionConfig:
    """Official names. Members of a channel hear each other only with the same
    mode, key and salt; a member with another key reports
    ``on_encryption_error(DECRYPTION_FAILURE)`` and hears nothing of the others."""

    encryption_mode: int = EncryptionMode.AES_128_GCM2
    encryption_key: str = ""
    encryption_kdf_salt: bytes | None = None  # up to 32 bytes
    datastream_encryption_enabled: bool = False

    def __repr__(self) -> str:  # the key stays out of logs and tracebacks
        return (f"EncryptionConfig(encryption_mode={self.encryption_mode!r}, encryption_key=<hidden>, "
                f"encryption_kdf_salt=<{len(self.encryption_kdf_salt or b'')} bytes>, "
                f"datastream_encryption_enabled={self.datastream_encryption_enabled!r})")
