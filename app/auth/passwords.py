"""Password hashing (argon2id via pwdlib) and the password policy."""

from __future__ import annotations

import os
import threading
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.config import get_settings

MIN_LENGTH = 12
MAX_LENGTH = 256


def _make_hasher() -> PasswordHash:
    if get_settings().insecure_fast_password_hashing and not get_settings().is_production:
        return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    return PasswordHash.recommended()


_hasher = _make_hasher()
#: Verified against when the e-mail is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")
#: argon2id with 4 lanes keeps every core busy: hashes take turns (a morning's sign-ins queue
#: for a moment) instead of starving every other request of the process of CPU.
_HASHING = threading.BoundedSemaphore(max(1, (os.cpu_count() or 1) // 2))


def hash_password(password: str) -> str:
    with _HASHING:
        return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    with _HASHING:
        if password_hash is None:
            _hasher.verify(password, _DUMMY_HASH)
            return False
        try:
            return _hasher.verify(password, password_hash)
        except Exception:
            return False


@lru_cache
def common_passwords() -> frozenset[str]:
    from pathlib import Path

    try:
        text = (Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt").read_text(
            encoding="utf-8"
        )
    except FileNotFoundError:
        return frozenset()
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """What is wrong with a new password, or None. No composition rules (NCSC, ASVS 5.0): long
    enough, not on the shipped list of common passwords, not the user's own e-mail address."""
    if len(password) < MIN_LENGTH:
        return f"Enter a password of at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Enter a password of at most {MAX_LENGTH} characters"
    if password.casefold() in common_passwords():
        return "This password is too common; choose one that is harder to guess"
    if email and password.strip().casefold() in {
        email.strip().casefold(),
        email.strip().casefold().split("@")[0],
    }:
        return "Do not use your e-mail address as your password"
    return None
