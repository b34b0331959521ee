"""Secrets encrypted at rest (the TOTP secrets of two-factor sign-in), with cryptography's Fernet
(AES-128-CBC with an HMAC-SHA256, a timestamp and a random IV in each token).

LADO_SECRET_KEY holds one or more Fernet keys separated by commas. The first encrypts; every one
decrypts (MultiFernet), so a key is rotated by putting a new key first, running
`lado rotate-secret-key` (every stored secret re-encrypted with the first key), then removing the
old key. Production refuses to start without LADO_SECRET_KEY (app/config.py). Elsewhere a fixed
development key is used when it is unset: it is in this file, so it protects nothing, and is
meant only for demos and tests with synthetic data.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.config import get_settings

#: Insecure on purpose (anyone can read it here): development and tests only.
DEVELOPMENT_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"lado insecure development key").digest()).decode()
#: Every Fernet token starts with its version byte 0x80, base64-encoded: "gAAAAA".
TOKEN_PREFIX = "gAAAAA"


class SecretKeyError(RuntimeError):
    """A stored secret cannot be decrypted with any key in LADO_SECRET_KEY."""


def configured_keys() -> list[str]:
    settings = get_settings()
    return settings.secret_keys or ([] if settings.is_production else [DEVELOPMENT_KEY])


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise SecretKeyError("LADO_SECRET_KEY is not set")
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(configured_keys()))


def is_encrypted(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretKeyError(
            "a stored secret cannot be decrypted with any key in LADO_SECRET_KEY: was a "
            "key removed before `lado rotate-secret-key` re-encrypted everything with the "
            "new one?"
        ) from None


def rotate(token: str) -> str:
    """The same secret encrypted with the first key (a token already under it is made anew)."""
    try:
        return cipher().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretKeyError("a stored secret cannot be decrypted with any key in LADO_SECRET_KEY") from None
