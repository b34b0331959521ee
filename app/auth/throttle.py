"""Throttling of failed sign-ins, second-factor codes and password re-entry.

Rule: each key ("email:<address>", "ip:<address>", "mfa:<user id>", "reauth:<user id>") counts
failures within a 15-minute window. Once a key reaches its limit (5 for an account, 20 for an
IP address) it is locked: further attempts are refused, without checking the password, for 1
minute, then - after each further failure once the lock has run out - 2, 4, 8 and at most 15
minutes. Attempts made while locked do not count and do not extend the lock, so an attacker
cannot keep a genuine user out for more than 15 minutes per failure they cause after a lock
ends; the counter starts again after 15 minutes without a failure, and a successful sign-in
clears the account's key. Keys exist for e-mail addresses that have no account too, so a lock
says nothing about whether an account exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth import repository
from app.auth.models import SignInThrottle
from app.clock import utcnow

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
IP_LIMIT = 20
MAX_LOCK = timedelta(minutes=15)


def email_key(email: str) -> str:
    return "email:" + email.strip().lower()[:254]


def ip_key(ip: str | None) -> str | None:
    return f"ip:{ip}" if ip else None


def lock_duration(failures_over_limit: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, never more than MAX_LOCK."""
    return min(timedelta(minutes=2 ** min(failures_over_limit, 10)), MAX_LOCK)


def _row(session: Session, key: str, *, for_update: bool = False) -> SignInThrottle | None:
    return repository.throttle_row(session, key, for_update=for_update)


def locked_until(session: Session, keys: list[str | None], now: datetime | None = None) -> datetime | None:
    """The latest lock among `keys` still in force, or None."""
    now = now or utcnow()
    latest = None
    for key in filter(None, keys):
        row = _row(session, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            latest = row.locked_until if latest is None else max(latest, row.locked_until)
    return latest


def is_locked(session: Session, *keys: str | None) -> bool:
    return locked_until(session, list(keys)) is not None


def register_failure(
    session: Session, key: str | None, limit: int = ACCOUNT_LIMIT, now: datetime | None = None
) -> None:
    """Count one failure for `key`; lock it once it reaches `limit` within the window."""
    if not key:
        return
    now = now or utcnow()
    row = _row(session, key, for_update=True)
    if row is None:
        try:
            with session.begin_nested():
                row = SignInThrottle(key=key, failures=0, window_started_at=now)
                session.add(row)
                session.flush()
        except IntegrityError:  # another request created it at the same moment
            row = _row(session, key, for_update=True)
            assert row is not None
    if row.locked_until is not None and row.locked_until > now:
        return  # attempts while locked neither count nor extend the lock
    if now - row.window_started_at > WINDOW:
        row.failures = 0
        row.window_started_at = now
        row.locked_until = None
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + lock_duration(row.failures - limit)
        # the window runs on from the latest lock, so the next lock after it grows
        row.window_started_at = now
    session.flush()


def clear(session: Session, *keys: str | None) -> None:
    """Forget the failures of `keys` (after a success, or when an administrator unlocks an account)."""
    wanted = [k for k in keys if k]
    if wanted:
        repository.delete_throttles(session, wanted)
