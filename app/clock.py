"""The one clock. Dates people see and count with (received, decided, due, today) are days in
England; instants stored are UTC. Nothing else reads the system clock: a UTC server is an hour
behind a British summer night, so `date.today()` would record the wrong day between midnight and
one in the morning."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC (how instants are stored)."""
    return datetime.now(UTC)


def now() -> datetime:
    """The current instant in England's local time."""
    return utcnow().astimezone(LONDON)


def today() -> date:
    """Today's date in England."""
    return now().date()
