"""The JSON API of a meeting's minutes, under /api/v1/ (problem+json errors, as the cases API).

Case readers (LADO officers, managers) read; LADO officers write. A case the caller may not read
is 404; an HR liaison or administrator gets 403. A stale `row_version`, finalised minutes changed,
or a draft sent is 409."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.api import saving
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, request_body
from app.cases.models import Case
from app.db import DbSession
from app.forms import json_body
from app.ids import MAX_ID
from app.meetings import minutes, repository, service
from app.meetings.models import Meeting, MeetingMinutes, MinutesRecipient, MinutesSection, MinutesSend
from app.meetings.schemas import MinutesDraft, MinutesFinalise, RecipientForm, SendForm

router = APIRouter(tags=["minutes"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]
MeetingId = Annotated[int, Path(ge=1, le=MAX_ID, description="The meeting's id")]
MinutesId = Annotated[int, Path(ge=1, le=MAX_ID, description="The id of one version of the minutes")]
SendId = Annotated[int, Path(ge=1, le=MAX_ID, description="The id of one send")]
BASE = "/cases/{case_id}/meetings/{meeting_id}/minutes"


def writable_meeting(
    case_id: CaseId, meeting_id: MeetingId, db: DbSession, actor: LadoActor
) -> tuple[Case, Meeting]:
    case = cases.get_case(db, actor, case_id)
    return case, service.get_meeting(db, case, meeting_id)


WritableMeeting = Annotated[tuple[Case, Meeting], Depends(writable_meeting)]


class SectionOut(BaseModel):
    id: int
    position: int
    heading: str
    body: str
    restriction: str

    @classmethod
    def of(cls, s: MinutesSection) -> SectionOut:
        return cls.model_validate(s, from_attributes=True)


class VersionOut(BaseModel):
    id: int
    meeting_id: int
    version: int
    status: str
    replaces_id: int | None
    finalised_at: datetime | None
    #: Send it back with a change: a save made since is 409.
    row_version: int
    sections: list[SectionOut]

    @classmethod
    def of(cls, m: MeetingMinutes) -> VersionOut:
        return cls(
            id=m.id,
            meeting_id=m.meeting_id,
            version=m.version,
            status=m.status,
            replaces_id=m.replaces_id,
            finalised_at=m.finalised_at,
            row_version=m.row_version,
            sections=[SectionOut.of(s) for s in m.sections],
        )


class RecipientOut(BaseModel):
    id: int
    name: str
    agency: str
    role: str
    email: str

    @classmethod
    def of(cls, r: MinutesRecipient) -> RecipientOut:
        return cls.model_validate(r, from_attributes=True)


class SendOut(BaseModel):
    id: int
    minutes_id: int
    version: int
    recipient_id: int | None
    recipient_name: str
    recipient_agency: str
    recipient_role: str
    recipient_email: str
    method: str
    sent_on: date
    withheld_section_ids: list[int]
    withheld_reason: str
    #: The sections the recipient received (the version without those withheld).
    received: list[SectionOut]

    @classmethod
    def of(cls, s: MinutesSend) -> SendOut:
        return cls(
            id=s.id,
            minutes_id=s.minutes_id,
            version=s.minutes.version,
            recipient_id=s.recipient_id,
            recipient_name=s.recipient_name,
            recipient_agency=s.recipient_agency,
            recipient_role=s.recipient_role,
            recipient_email=s.recipient_email,
            method=s.method,
            sent_on=s.sent_on,
            withheld_section_ids=[w.id for w in s.withheld],
            withheld_reason=s.withheld_reason,
            received=[SectionOut.of(x) for x in minutes.shown_sections(s.minutes, s.withheld)],
        )


class MinutesOut(BaseModel):
    versions: list[VersionOut]
    recipients: list[RecipientOut]
    sends: list[SendOut]


@router.get(BASE, response_model=MinutesOut, responses=READ_PROBLEMS, summary="A meeting's minutes")
def read_minutes(db: DbSession, actor: CaseReader, case_id: CaseId, meeting_id: MeetingId) -> MinutesOut:
    """Every version (oldest first), the distribution list and the sends. The read is audited."""
    case = cases.get_case(db, actor, case_id)
    meeting = service.get_meeting(db, case, meeting_id)
    versions = minutes.view_minutes(db, actor, case, meeting)
    return MinutesOut(
        versions=[VersionOut.of(m) for m in versions],
        recipients=[RecipientOut.of(r) for r in repository.recipients_of(db, case.id, meeting.id)],
        sends=[SendOut.of(s) for s in repository.sends_of(db, case.id, meeting.id)],
    )


@router.post(
    BASE, response_model=VersionOut, responses=WRITE_PROBLEMS, status_code=201, summary="Start the minutes"
)
def start_minutes(db: DbSession, actor: LadoActor, found: WritableMeeting) -> VersionOut:
    """The meeting's open draft, or a new one: version 1 from the meeting record, or the next
    version with the sections of the last finalised one."""
    case, meeting = found
    return VersionOut.of(minutes.start_draft(db, actor, case, meeting))


@router.put(
    BASE + "/{minutes_id}",
    response_model=VersionOut,
    responses=WRITE_PROBLEMS,
    summary="Save the draft minutes",
    openapi_extra=request_body(MinutesDraft),
)
def save_draft(
    db: DbSession,
    actor: LadoActor,
    found: WritableMeeting,
    minutes_id: MinutesId,
    data: Annotated[MinutesDraft, json_body(MinutesDraft)],
) -> VersionOut:
    """The sections in order (heading, body, restriction: none, police_sensitive, confidential)."""
    case, meeting = found
    draft = minutes.get_minutes(db, case, meeting, minutes_id)
    with saving():
        minutes.update_draft(db, actor, case, draft, data)
    return VersionOut.of(draft)


@router.post(
    BASE + "/{minutes_id}/finalise",
    response_model=VersionOut,
    responses=WRITE_PROBLEMS,
    summary="Finalise the draft minutes",
    openapi_extra=request_body(MinutesFinalise),
)
def finalise_minutes(
    db: DbSession,
    actor: LadoActor,
    found: WritableMeeting,
    minutes_id: MinutesId,
    data: Annotated[MinutesFinalise, json_body(MinutesFinalise)],
) -> VersionOut:
    """Then it never changes; finalised already is 409."""
    case, meeting = found
    draft = minutes.get_minutes(db, case, meeting, minutes_id)
    with saving():
        minutes.finalise(db, actor, case, draft, data)
    return VersionOut.of(draft)


@router.post(
    BASE + "/recipients",
    response_model=RecipientOut,
    responses=WRITE_PROBLEMS,
    status_code=201,
    summary="Add someone to the distribution list",
    openapi_extra=request_body(RecipientForm),
)
def add_recipient(
    db: DbSession,
    actor: LadoActor,
    found: WritableMeeting,
    data: Annotated[RecipientForm, json_body(RecipientForm)],
) -> RecipientOut:
    case, meeting = found
    return RecipientOut.of(minutes.add_recipient(db, actor, case, meeting, data))


@router.post(
    BASE + "/{minutes_id}/sends",
    response_model=SendOut,
    responses=WRITE_PROBLEMS,
    status_code=201,
    summary="Record sending finalised minutes",
    openapi_extra=request_body(SendForm),
)
def record_send(
    db: DbSession,
    actor: LadoActor,
    found: WritableMeeting,
    minutes_id: MinutesId,
    response: Response,
    data: Annotated[SendForm, json_body(SendForm)],
) -> SendOut:
    """To a recipient on the list: how (email, secure_email, post, hand), when, and the sections
    withheld from them with the reason. A draft is 409."""
    case, meeting = found
    final = minutes.get_minutes(db, case, meeting, minutes_id)
    send = minutes.record_send(db, actor, case, final, data)
    response.headers["Location"] = f"/api/v1/cases/{case.id}/meetings/{meeting.id}/minutes/sends/{send.id}"
    return SendOut.of(send)


@router.get(
    BASE + "/sends/{send_id}",
    response_model=SendOut,
    responses=READ_PROBLEMS,
    summary="One send of the minutes",
)
def read_send(
    db: DbSession, actor: CaseReader, case_id: CaseId, meeting_id: MeetingId, send_id: SendId
) -> SendOut:
    """What this recipient received. The read is audited."""
    case = cases.get_case(db, actor, case_id)
    meeting = service.get_meeting(db, case, meeting_id)
    return SendOut.of(minutes.view_send(db, actor, case, meeting, send_id))
