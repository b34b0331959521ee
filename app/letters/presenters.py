"""What the letter pages show besides the letter: delivery state in words, acknowledgement
deadlines in working days (England and Wales bank holidays for England), and form choices."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import holidays
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.clock import LONDON
from app.letters import repository
from app.letters.models import KIND_LABELS, Letter, LetterKind
from app.outbox.models import MessageStatus

#: A letter not acknowledged within this many working days of being finalised is chased.
ACKNOWLEDGE_WITHIN_WORKING_DAYS = 5


@lru_cache(maxsize=8)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=[year, year + 1])


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (weekends and England's bank holidays skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def acknowledge_by(letter: Letter) -> date | None:
    if letter.finalised_at is None:
        return None
    return add_working_days(local_date(letter.finalised_at), ACKNOWLEDGE_WITHIN_WORKING_DAYS)


def is_overdue(letter: Letter, today: date) -> bool:
    due = acknowledge_by(letter)
    return due is not None and letter.acknowledgement is None and today > due


@dataclass
class DeliveryState:
    label: str  # a word or two for a tag
    text: str
    tag: str  # GOV.UK tag colour class


def _when(moment: datetime | None) -> str:
    return moment.astimezone(LONDON).strftime("%-d %B %Y at %H:%M") if moment else ""


def delivery_state(letter: Letter) -> DeliveryState:
    if not letter.kind_enum.to_employer:
        return DeliveryState(
            "Not e-mailed", "The LADO sends this letter (download the PDF)", "govuk-tag--grey"
        )
    if not letter.is_final:
        return DeliveryState("Draft", "Not sent: still a draft", "govuk-tag--grey")
    message = letter.delivery
    if message is None:
        return DeliveryState("None", "No delivery recorded", "govuk-tag--grey")
    if message.status == MessageStatus.SENT:
        return DeliveryState(
            "Sent", f"E-mailed to {message.to_address} on {_when(message.sent_at)}", "govuk-tag--green"
        )
    if message.status == MessageStatus.FAILED:
        return DeliveryState(
            "Failed",
            f"Failed after {message.attempts} attempts to {message.to_address}: {message.last_error}",
            "govuk-tag--red",
        )
    if message.attempts == 0:
        return DeliveryState("Queued", f"Queued to e-mail to {message.to_address}", "govuk-tag--blue")
    return DeliveryState(
        "Retrying",
        f"Not sent yet: {message.attempts} failed attempt{'s' if message.attempts != 1 else ''} to "
        f"{message.to_address}; next try {_when(message.next_attempt_at)} ({message.last_error})",
        "govuk-tag--yellow",
    )


def acknowledgement_text(letter: Letter) -> str:
    ack = letter.acknowledgement
    if ack is not None:
        return f"Acknowledged by {ack.user.name} on {_when(ack.acknowledged_at)}"
    if not letter.kind_enum.to_employer:
        return "Not applicable"
    if not letter.is_final:
        return "Not yet sent"
    due = acknowledge_by(letter)
    return f"Not yet acknowledged (due by {due.day} {due:%B %Y})" if due else "Not yet acknowledged"


@dataclass
class LetterRow:
    """One letter in the case page's letters section, with what the page says about it."""

    letter: Letter
    delivery: DeliveryState
    acknowledgement: str


def case_letters(session: Session, case: Case) -> dict[str, Any]:
    """The case page's letters section (templates/cases/_letters.html): every version of every
    letter with its delivery and acknowledgement in words, and the kinds a draft can be started of."""
    rows = [
        LetterRow(letter, delivery_state(letter), acknowledgement_text(letter))
        for letter in repository.letters_of_case(session, case.id)
    ]
    return {"letter_rows": rows, "letter_kinds": [(k.value, KIND_LABELS[k]) for k in LetterKind]}


def download(data: bytes, filename: str, media_type: str) -> Response:
    return Response(
        content=data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def filename_of(letter: Letter, ext: str) -> str:
    """A safe file name (imported references may hold any character): letters, digits, - _ . only."""
    kind = "outcome-letter" if letter.kind_enum.to_employer else "letter-to-adult"
    reference = re.sub(r"[^A-Za-z0-9._-]+", "-", letter.case_reference or "letter").strip("-.") or "letter"
    return f"{reference[:60]}-{kind}-v{letter.version}.{ext}"
