"""A meeting's minutes, written in the app, and their distribution. Services validate, change and
audit in the caller's transaction; the case has already been loaded through the case scope.

Rules:
- Minutes are versions: a draft (sections in order, each perhaps police-sensitive or
  confidential) changes with optimistic concurrency (`row_version`: a stale save is a Conflict,
  409); finalised, a version never changes (the flush guard in models.py backs this). A change
  after that is a new version, its sections copied from the last final one, which it replaces.
- A meeting has at most one draft at a time.
- Only a finalised version is sent. A send names a recipient on the meeting's distribution list,
  how and when, and the sections withheld from them (with the reason); what that recipient got
  is the version without those sections.
- The audit records headings, restrictions and a fingerprint of the text, never the text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases.models import Case
from app.clock import utcnow
from app.context import Actor
from app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.meetings import repository
from app.meetings.models import (
    FINAL_MINUTES_REFUSAL,
    Meeting,
    MeetingMinutes,
    MinutesRecipient,
    MinutesSection,
    MinutesSend,
    MinutesStatus,
    SectionRestriction,
)
from app.meetings.schemas import MinutesDraft, MinutesFinalise, RecipientForm, SendForm

STALE = (
    "Someone else saved these minutes after you opened them. Your changes have not been saved: "
    "check the minutes as they are now, then make your changes again."
)
NOT_A_DRAFT_TO_SEND = "Only finalised minutes are sent: finalise this draft first."


@dataclass(frozen=True)
class CaseMinutes:
    """Everything held about a case's minutes: for the sharing log ("minutes distributed") and the
    subject-access bundle."""

    versions: list[MeetingMinutes]
    sends: list[MinutesSend]


def _user_id(actor: Actor) -> int | None:
    return actor.user.id if actor.user else None


def _fingerprint(sections: list[MinutesSection]) -> str:
    text = "\n\x1e".join(f"{s.heading}\n{s.restriction}\n{s.body}" for s in sections)
    return hashlib.sha256(text.encode()).hexdigest()


def _outline(minutes: MeetingMinutes) -> dict[str, object]:
    return {
        "meeting_id": minutes.meeting_id,
        "version": minutes.version,
        "sections": [s.heading for s in minutes.sections],
        "restricted_sections": [f"{s.heading} ({s.restriction_label})" for s in minutes.restricted_sections],
        "text_sha256": _fingerprint(minutes.sections),
    }


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(STALE) from None


def _require_draft(minutes: MeetingMinutes) -> None:
    if minutes.is_final:
        raise InvalidTransition(FINAL_MINUTES_REFUSAL)


def get_minutes(session: Session, case: Case, meeting: Meeting, minutes_id: int) -> MeetingMinutes:
    minutes = repository.minutes_of_case(session, case.id, minutes_id)
    if minutes is None or minutes.meeting_id != meeting.id:
        raise NotFound("There are no such minutes of this meeting.")
    return minutes


def view_minutes(session: Session, actor: Actor, case: Case, meeting: Meeting) -> list[MeetingMinutes]:
    """The meeting's versions of its minutes, oldest first; the view is audited."""
    versions = repository.minutes_versions(session, case.id, meeting.id)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.MEETING_MINUTES,
        None,
        case_id=case.id,
        details={"meeting_id": meeting.id, "versions": len(versions)},
    )
    return versions


def _first_sections(meeting: Meeting) -> list[MinutesSection]:
    """A first draft's sections: what the meeting record already says, and a place for the police
    update, marked police-sensitive."""
    return [
        MinutesSection(position=0, heading="Discussion", body=meeting.minutes),
        MinutesSection(position=1, heading="Decisions", body=meeting.decisions),
        MinutesSection(
            position=2,
            heading="Police update",
            body="",
            restriction=SectionRestriction.POLICE_SENSITIVE.value,
        ),
    ]


def start_draft(session: Session, actor: Actor, case: Case, meeting: Meeting) -> MeetingMinutes:
    """The meeting's open draft, or a new one: version 1 from the meeting record, or the next
    version with the sections of the last finalised one, which it replaces."""
    versions = repository.minutes_versions(session, case.id, meeting.id)
    draft = next((m for m in versions if not m.is_final), None)
    if draft is not None:
        return draft
    last = versions[-1] if versions else None
    minutes = MeetingMinutes(
        case_id=case.id,
        meeting_id=meeting.id,
        version=repository.next_minutes_version(session, meeting.id),
        status=MinutesStatus.DRAFT.value,
        replaces_id=last.id if last else None,
        created_by_id=_user_id(actor),
    )
    minutes.sections = (
        [
            MinutesSection(position=s.position, heading=s.heading, body=s.body, restriction=s.restriction)
            for s in last.sections
        ]
        if last
        else _first_sections(meeting)
    )
    try:
        with session.begin_nested():
            session.add(minutes)
            session.flush()
    except IntegrityError:  # someone started the same version at the same moment
        raise Conflict("Someone else started these minutes at the same moment: reload the page.") from None
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.MEETING_MINUTES,
        minutes.id,
        case_id=case.id,
        details=_outline(minutes) | ({"replaces_version": last.version} if last else {}),
    )
    return minutes


def update_draft(
    session: Session, actor: Actor, case: Case, minutes: MeetingMinutes, data: MinutesDraft
) -> MeetingMinutes:
    _require_draft(minutes)
    if data.row_version is not None and data.row_version != minutes.row_version:
        raise Conflict(STALE)
    before = _outline(minutes)
    minutes.sections = [
        MinutesSection(
            position=i, heading=s.heading, body=s.body.replace("\r\n", "\n"), restriction=s.restriction
        )
        for i, s in enumerate(data.sections)
    ]
    minutes.updated_at = utcnow()
    _flush(session)
    after = _outline(minutes)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.MEETING_MINUTES,
        minutes.id,
        case_id=case.id,
        details={
            "meeting_id": minutes.meeting_id,
            "version": minutes.version,
            "changes": {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]},
        },
    )
    return minutes


def finalise(
    session: Session, actor: Actor, case: Case, minutes: MeetingMinutes, data: MinutesFinalise
) -> MeetingMinutes:
    """Fix this version for good: it can then be sent, and never changes."""
    _require_draft(minutes)
    if data.row_version is not None and data.row_version != minutes.row_version:
        raise Conflict(STALE)
    minutes.status = MinutesStatus.FINAL.value
    minutes.finalised_at = utcnow()
    minutes.finalised_by_id = _user_id(actor)
    _flush(session)
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.MEETING_MINUTES,
        minutes.id,
        case_id=case.id,
        details={"status": {"from": "draft", "to": "final"}} | _outline(minutes),
    )
    return minutes


# ---- the distribution list ---------------------------------------------------------------------


def _key(name: str, agency: str) -> tuple[str, str]:
    return " ".join(name.lower().split()), " ".join(agency.lower().split())


def suggestions(session: Session, case: Case, meeting: Meeting) -> list[RecipientForm]:
    """The meeting's attendees and invitees not yet on its list (an invitee's e-mail address kept)."""
    listed = {_key(r.name, r.agency) for r in repository.recipients_of(session, case.id, meeting.id)}
    emails = {
        _key(i.name, i.organisation): i.email
        for i in repository.invitees_of_meeting(session, case.id, meeting.id)
    }
    people = [(a.name, a.organisation, a.role) for a in meeting.attendees]
    people += [
        (i.name, i.organisation, i.role) for i in repository.invitees_of_meeting(session, case.id, meeting.id)
    ]
    found: list[RecipientForm] = []
    for name, agency, role in people:
        key = _key(name, agency)
        if key in listed:
            continue
        listed.add(key)
        found.append(
            RecipientForm.model_construct(name=name, agency=agency, role=role, email=emails.get(key, ""))
        )
    return found


def add_recipient(
    session: Session, actor: Actor, case: Case, meeting: Meeting, data: RecipientForm
) -> MinutesRecipient:
    recipient = MinutesRecipient(
        case_id=case.id,
        meeting_id=meeting.id,
        name=data.name,
        agency=data.agency,
        role=data.role,
        email=data.email,
        created_by_id=_user_id(actor),
    )
    session.add(recipient)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.MINUTES_RECIPIENT,
        recipient.id,
        case_id=case.id,
        details={"meeting_id": meeting.id, "name": data.name, "agency": data.agency, "role": data.role}
        | ({"email": data.email} if data.email else {}),
    )
    return recipient


def add_suggested(session: Session, actor: Actor, case: Case, meeting: Meeting) -> list[MinutesRecipient]:
    """Put every attendee and invitee not yet on the list on it."""
    return [add_recipient(session, actor, case, meeting, s) for s in suggestions(session, case, meeting)]


# ---- sends ---------------------------------------------------------------------------------------


def shown_sections(minutes: MeetingMinutes, withheld: list[MinutesSection]) -> list[MinutesSection]:
    """A version as one recipient got it: without the sections withheld from them."""
    left_out = {s.id for s in withheld}
    return [s for s in minutes.sections if s.id not in left_out]


def record_send(
    session: Session, actor: Actor, case: Case, minutes: MeetingMinutes, data: SendForm
) -> MinutesSend:
    if not minutes.is_final:
        raise InvalidTransition(NOT_A_DRAFT_TO_SEND)
    assert data.recipient_id is not None  # the schema requires it
    recipient = repository.recipient_of(session, case.id, minutes.meeting_id, data.recipient_id)
    if recipient is None:
        raise ValidationFailed({"recipient_id": "Choose a recipient from the meeting's distribution list"})
    sections = {s.id: s for s in minutes.sections}
    if any(i not in sections for i in data.withheld_section_ids):
        raise ValidationFailed(
            {"withheld_section_ids": "Choose the sections withheld from this version's sections"}
        )
    withheld = [
        sections[i] for i in sorted(set(data.withheld_section_ids), key=lambda i: sections[i].position)
    ]
    send = MinutesSend(
        case_id=case.id,
        minutes_id=minutes.id,
        recipient_id=recipient.id,
        recipient_name=recipient.name,
        recipient_agency=recipient.agency,
        recipient_role=recipient.role,
        recipient_email=recipient.email,
        method=data.method.value,
        sent_on=data.sent_on,
        withheld_reason=data.withheld_reason.strip() if withheld else "",
        sent_by_id=_user_id(actor),
        withheld=withheld,
    )
    session.add(send)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.MINUTES_SEND,
        send.id,
        case_id=case.id,
        details={
            "meeting_id": minutes.meeting_id,
            "minutes_id": minutes.id,
            "version": minutes.version,
            "name": recipient.name,
            "agency": recipient.agency,
            "method": send.method,
            "sent_on": send.sent_on,
            "withheld": [s.heading for s in withheld],
            "withheld_reason": send.withheld_reason,
        },
    )
    return send


def view_send(session: Session, actor: Actor, case: Case, meeting: Meeting, send_id: int) -> MinutesSend:
    send = repository.send_of_case(session, case.id, send_id)
    if send is None or send.minutes.meeting_id != meeting.id:
        raise NotFound("There is no such record of the minutes being sent.")
    record(session, actor, Verb.VIEWED, ObjectType.MINUTES_SEND, send.id, case_id=case.id)
    return send


# ---- for the other parts of the case's record (sharing log, subject access, retention) -----------


def case_minutes(session: Session, case: Case) -> CaseMinutes:
    """Every version of the case's minutes and every send of them (the caller audits its own read)."""
    return CaseMinutes(
        versions=repository.case_minutes(session, case.id), sends=repository.sends_of(session, case.id)
    )


def destroy_case_minutes(session: Session, actor: Actor, case_id: int) -> dict[str, int]:
    """Retention: delete the case's minutes, distribution lists and sends for good. The audit
    records how many rows went, never what they said."""
    counts = repository.delete_case_minutes(session, case_id)
    record(
        session,
        actor,
        Verb.DELETED,
        ObjectType.MEETING_MINUTES,
        None,
        case_id=case_id,
        details={"destroyed": counts},
    )
    return counts
