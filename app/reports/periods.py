"""Reporting years, their quarters, calendar-month arithmetic and working days.

Rules kept here so that the report, its drill-down and the tests share one definition:
- A reporting year starts on the 1st of the configured month (default April) and is labelled
  `2019-20` when it spans two calendar years (`2019` when it starts in January).
- "Within N months of receipt" uses calendar months, clamped to the end of a shorter month:
  a case received on 31 January is within one month if concluded on or before 28 (or 29)
  February; received 15 March, within one month up to and including 15 April.
- Working days exclude weekends and England and Wales bank holidays (the `holidays` package);
  the working days from receipt to a decision count the working days after the day of receipt
  up to and including the day of the decision (same-day decision: 0; next working day: 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def month_key(day: date) -> int:
    """A number that orders dates like the dates themselves and moves by 100 per calendar month:
    `month_key(b) <= month_key(a) + 100 * n` exactly when `b <= add_months(a, n)`. The SQL
    predicates compute the same key from the year, month and day of a date column."""
    return (day.year * 12 + day.month) * 100 + day.day


@dataclass(frozen=True)
class Quarter:
    code: str
    start: date
    next_start: date

    @property
    def end(self) -> date:
        return self.next_start - timedelta(days=1)

    @property
    def label(self) -> str:
        first, last = self.start, self.end
        if first.year == last.year:
            return f"{self.code} ({MONTHS[first.month - 1]} to {MONTHS[last.month - 1]} {last.year})"
        return f"{self.code} ({MONTHS[first.month - 1]} {first.year} to {MONTHS[last.month - 1]} {last.year})"


@dataclass(frozen=True)
class ReportingYear:
    start_year: int
    start_month: int = 4

    @property
    def start(self) -> date:
        return date(self.start_year, self.start_month, 1)

    @property
    def next_start(self) -> date:
        return date(self.start_year + 1, self.start_month, 1)

    @property
    def end(self) -> date:
        return self.next_start - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.start_month == 1:
            return str(self.start_year)
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def quarters(self) -> list[Quarter]:
        return [
            Quarter(f"Q{i + 1}", add_months(self.start, 3 * i), add_months(self.start, 3 * i + 3))
            for i in range(4)
        ]

    def previous(self, n: int = 1) -> ReportingYear:
        return ReportingYear(self.start_year - n, self.start_month)


@lru_cache(maxsize=8)
def _bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1)))


def bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in the calendar years first_year to last_year."""
    return _bank_holidays(first_year, last_year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return WorkingDayCounter(start, end).between(start, end)


class WorkingDayCounter:
    """Counts working days between many pairs of dates quickly: one pass over the date range
    builds a running count, then each pair is a subtraction."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        bank = _bank_holidays(first.year, last.year)
        self._index: list[int] = []
        running = 0
        day = first
        while day <= last:
            if day.weekday() < 5 and day not in bank:
                running += 1
            self._index.append(running)
            day += timedelta(days=1)

    def _at(self, day: date) -> int:
        return self._index[(day - self.first).days]

    def between(self, start: date, end: date) -> int:
        return self._at(end) - self._at(start)
