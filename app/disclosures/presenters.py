"""The case's sharing log as one list: the disclosures officers recorded, each letter whose
delivery was sent, read from the letter and its delivery record, and each recorded send of a
meeting's finalised minutes, read from the distribution record (never retyped, never copied)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.clock import LONDON
from app.disclosures import repository
from app.disclosures.models import METHOD_LABELS, Disclosure, DisclosureMethod
from app.letters.models import Letter
from app.meetings import minutes
from app.meetings.models import MinutesSend
from app.reference import service as reference
from app.reference.models import LawfulBasis, ReferrerAgency

#: The lawful basis shown for an outcome letter to the employer and for minutes sent to the
#: meeting's distribution list (KCSIE Part 4: the council's statutory safeguarding function).
LETTER_LAWFUL_BASIS = "public_task"


@dataclass(frozen=True)
class LogEntry:
    """One line of the sharing log. `source`: "recorded" (an officer's entry), "letter" or
    "minutes" (a send of finalised minutes; `meeting_id` names the meeting)."""

    source: str
    id: int
    shared_on: date
    what: str
    agency: str
    agency_name: str
    recipient_name: str
    recipient_role: str
    method: str
    method_label: str
    lawful_basis_code: str
    lawful_basis: str
    notes: str
    recorded_by: str
    letter_id: int | None = None
    meeting_id: int | None = None


def _recorded(d: Disclosure) -> LogEntry:
    return LogEntry(
        source="recorded",
        id=d.id,
        shared_on=d.shared_on,
        what=d.what,
        agency=d.agency.label,
        agency_name=d.agency_name,
        recipient_name=d.recipient_name,
        recipient_role=d.recipient_role,
        method=d.method,
        method_label=d.method_label,
        lawful_basis_code=d.lawful_basis_code,
        lawful_basis=d.lawful_basis.label,
        notes=d.notes,
        recorded_by=d.recorded_by.name if d.recorded_by else "",
    )


def _letter(letter: Letter, basis: str) -> LogEntry:
    message = letter.delivery
    assert message is not None and message.sent_at is not None
    attached = bool(message.attachment_name)
    method = DisclosureMethod.EMAIL if attached else DisclosureMethod.PORTAL
    how = (
        "E-mail with the PDF attached, and the HR portal"
        if attached
        else "HR portal (the e-mail only says so)"
    )
    ack = letter.acknowledgement
    notes = (
        f"Acknowledged by {ack.user.name} on {ack.acknowledged_at.astimezone(LONDON):%-d %B %Y}"
        if ack is not None
        else "Not acknowledged yet"
    )
    return LogEntry(
        source="letter",
        id=letter.id,
        shared_on=message.sent_at.astimezone(LONDON).date(),
        what=letter.title,
        agency="Employer",
        agency_name=letter.organisation.name if letter.organisation else "",
        recipient_name=letter.recipient_name,
        recipient_role=letter.recipient_role,
        method=method.value,
        method_label=how,
        lawful_basis_code=LETTER_LAWFUL_BASIS,
        lawful_basis=basis,
        notes=notes,
        recorded_by=letter.finalised_by.name if letter.finalised_by else "",
        letter_id=letter.id,
    )


def _minutes_send(send: MinutesSend, basis: str) -> LogEntry:
    withheld = ", ".join(section.heading for section in send.withheld)
    notes = f"Withheld: {withheld} ({send.withheld_reason})" if withheld else "Sent in full"
    return LogEntry(
        source="minutes",
        id=send.id,
        shared_on=send.sent_on,
        what=f"Minutes, version {send.minutes.version}",
        agency="Meeting distribution list",
        agency_name=send.recipient_agency,
        recipient_name=send.recipient_name,
        recipient_role=send.recipient_role,
        method=send.method,
        method_label=send.method_label,
        lawful_basis_code=LETTER_LAWFUL_BASIS,
        lawful_basis=basis,
        notes=notes,
        recorded_by=send.sent_by.name if send.sent_by else "",
        meeting_id=send.minutes.meeting_id,
    )


def log_entries(session: Session, case: Case) -> list[LogEntry]:
    """Everything shared from the case, oldest first."""
    entries = [_recorded(d) for d in repository.disclosures_of(session, case.id)]
    letters = repository.letters_sent(session, case.id)
    if letters:
        basis = repository.lawful_basis_label(session, LETTER_LAWFUL_BASIS)
        entries += [_letter(letter, basis) for letter in letters]
    sends = minutes.case_minutes(session, case).sends
    if sends:
        basis = repository.lawful_basis_label(session, LETTER_LAWFUL_BASIS)
        entries += [_minutes_send(send, basis) for send in sends]
    return sorted(entries, key=lambda e: (e.shared_on, e.source != "recorded", e.id))


def form_context(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    keep_agency = [values["agency_code"]] if values.get("agency_code") else []
    keep_basis = [values["lawful_basis_code"]] if values.get("lawful_basis_code") else []
    return {
        "agency_options": reference.options(session, ReferrerAgency, keep_agency),
        "lawful_basis_options": reference.options(session, LawfulBasis, keep_basis),
        "method_options": [(k.value, v) for k, v in METHOD_LABELS.items()],
    }
