"""Statutory clocks in working days (England and Wales bank holidays).

- Initial consideration: due 1 working day after the contact was received (for a consultation
  that became a referral, every clock starts on the day it did: `clocks_start`).
- Evaluation/strategy meeting: within 5 working days of a threshold-met decision.
- Conclusion target: a number of calendar months after receipt (setting
  `conclusion_target_months`, default 3).
- Past the conclusion target, a review at least every month (setting `review_interval_months`,
  default 1), each recording a reason for the delay.

Working days are Monday to Friday except the bank holidays of England and Wales from the
`holidays` package (tests check it against GOV.UK's published list). A holiday that falls at a
weekend is not counted twice: its substitute day is in the list as a holiday of its own.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from sqlalchemy.orm import Session

from app.meetings import repository as meetings_repository
from app.settings import service as settings_service

INITIAL_CONSIDERATION_DAYS = 1
EVALUATION_MEETING_DAYS = 5
DEFAULT_CONCLUSION_TARGET_MONTHS = 3
DEFAULT_REVIEW_INTERVAL_MONTHS = 1


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself never counts, whatever it is)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


def add_months(start: date, months: int) -> date:
    """Same day of the month `months` later (the month's last day when it is shorter)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=256)  # a pure function of dates, asked again on every dashboard view
def latest_start_due_before(day: date, working_days: int) -> date:
    """The latest start date whose due date (start + working_days) is before `day`.

    Due dates never decrease as the start date moves later, so "due before `day`" is the same as
    "started on or before this date": the dashboard counts overdue cases with one date comparison
    in SQL instead of a loop over cases."""
    start = day - timedelta(days=1)
    while add_working_days(start, working_days) >= day:
        start -= timedelta(days=1)
    return start


def latest_start_due_by(day: date, working_days: int) -> date:
    """The latest start date whose due date is on or before `day`."""
    return latest_start_due_before(day + timedelta(days=1), working_days)


@lru_cache(maxsize=256)  # a pure function of dates, asked again on every dashboard view
def latest_start_past_months(day: date, months: int) -> date:
    """The latest start date whose `months`-month mark (add_months) is before `day`: a case
    received on or before it is past its conclusion target."""
    start = add_months(day, -months) + timedelta(days=3)
    while add_months(start, months) >= day:
        start -= timedelta(days=1)
    return start


def conclusion_target_months(session: Session) -> int:
    value = settings_service.get(session, "conclusion_target_months")
    return int(value) if value else DEFAULT_CONCLUSION_TARGET_MONTHS


def review_interval_months(session: Session) -> int:
    value = settings_service.get(session, "review_interval_months")
    return int(value) if value else DEFAULT_REVIEW_INTERVAL_MONTHS


def clocks_start(case) -> date:
    """The day the statutory clocks start: the date received, or for a consultation that became a
    referral the day it did (its received date is kept: app/consultations)."""
    consultation = getattr(case, "consultation", None)
    converted_on = consultation.converted_on if consultation is not None else None
    return converted_on or case.received_on


def initial_consideration_due(received_on: date) -> date:
    return add_working_days(received_on, INITIAL_CONSIDERATION_DAYS)


def evaluation_meeting_due(decided_on: date) -> date:
    return add_working_days(decided_on, EVALUATION_MEETING_DAYS)


@dataclass(frozen=True)
class Clock:
    """One deadline on a case, as the case page and the dashboard show it."""

    key: str  # "initial_consideration", "evaluation_meeting", "conclusion", "review"
    label: str
    due_on: date
    met_on: date | None = None  # when it was done, if it was
    note: str = ""

    def state(self, today: date) -> str:
        if self.met_on is not None:
            return "met" if self.met_on <= self.due_on else "met_late"
        if self.due_on < today:
            return "overdue"
        if self.due_on == today:
            return "due_today"
        return "due"

    def state_label(self, today: date) -> str:
        return {
            "met": "Met",
            "met_late": "Met late",
            "overdue": "Overdue",
            "due_today": "Due today",
            "due": "Due",
        }[self.state(today)]


def first_clocks(case, *, evaluation_held_on: date | None) -> list[Clock]:
    """The clocks that need no setting: the initial consideration, and the evaluation or strategy
    meeting once the threshold is met (what the case summary's task list shows). A consultation
    has none until it becomes a referral."""
    if getattr(case, "status", None) == "consultation":
        return []
    clocks = [
        Clock(
            "initial_consideration",
            "Initial consideration",
            initial_consideration_due(clocks_start(case)),
            met_on=case.decided_on,
        )
    ]
    if case.decision == "threshold_met" and case.decided_on is not None:
        clocks.append(
            Clock(
                "evaluation_meeting",
                "Evaluation or strategy meeting",
                evaluation_meeting_due(case.decided_on),
                met_on=evaluation_held_on,
            )
        )
    return clocks


def case_clocks(
    case,
    *,
    evaluation_held_on: date | None,
    last_review_on: date | None,
    target_months: int,
    review_months: int,
    today: date,
) -> list[Clock]:
    """The deadlines that apply to `case` now, oldest first.

    `evaluation_held_on`: date of the first evaluation/strategy meeting (None if none yet).
    `last_review_on`: date of the latest meeting of any type: the next review is due a month
    after it, and never before the conclusion target."""
    clocks = first_clocks(case, evaluation_held_on=evaluation_held_on)
    if case.decision == "threshold_met" and case.decided_on is not None:
        target = add_months(clocks_start(case), target_months)
        clocks.append(
            Clock(
                "conclusion",
                f"Conclusion target ({target_months} months from receipt)",
                target,
                met_on=case.concluded_on,
            )
        )
        if case.concluded_on is None and target <= today:
            due = max(target, add_months(last_review_on, review_months)) if last_review_on else target
            clocks.append(
                Clock(
                    "review",
                    "Review meeting (with a reason for the delay)",
                    due,
                    note="Past the conclusion target: review at least every "
                    f"{'month' if review_months == 1 else f'{review_months} months'}",
                )
            )
    return clocks


def next_deadline_of(
    case,
    *,
    evaluation_held_on: date | None,
    open_actions: Iterable[tuple[date, str]],
    target_months: int,
) -> tuple[date | None, str]:
    """The earliest deadline not yet met on `case` (anything with received_on, decision,
    decided_on and concluded_on): a statutory clock or an open action (due date, description).

    A concluded case has no statutory deadline left (an evaluation meeting never recorded on an
    imported case is not "due"), only its open actions. It does not depend on today: the review
    clock only ever falls due after the conclusion target, unmet until the case is concluded.
    A case transferred to another LADO has no deadline here at all."""
    if getattr(case, "status", None) == "transferred":
        return None, ""
    due = [
        (c.due_on, c.label)
        for c in case_clocks(
            case,
            evaluation_held_on=evaluation_held_on,
            last_review_on=None,
            target_months=target_months,
            review_months=1,
            today=date.min,
        )
        if c.met_on is None and case.concluded_on is None
    ]
    due += [(d, f"Action: {text}"[:200]) for d, text in open_actions]
    if not due:
        return None, ""
    return min(due, key=lambda d: d[0])


def refresh_next_deadline(session: Session, case) -> None:
    """Keep case.next_due_on / next_due_label (the caseload's "next deadline") up to date; called
    by every change that can move it (journey steps, meetings, actions)."""
    evaluation: date | None = None
    actions: list[tuple[date, str]] = []
    if case.id is not None:
        evaluation, actions = meetings_repository.deadline_inputs(session, case.id)
    case.next_due_on, case.next_due_label = next_deadline_of(
        case,
        evaluation_held_on=evaluation,
        open_actions=actions,
        target_months=conclusion_target_months(session),
    )
