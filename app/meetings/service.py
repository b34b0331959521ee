"""Meetings and actions on a case. Services validate, change and audit in the caller's
transaction; the case has already been loaded through the case scope.

Rules:
- A meeting is recorded once held: its date is not in the future nor before the case was received.
- A review meeting held after the conclusion target (3 months from receipt unless configured)
  must record the reason for the delay.
- An action belongs to its case (and, optionally, to one of that case's meetings); it is owned by
  a LADO officer or by a named person at an organisation; it is overdue while not done after its
  due date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases.models import Case
from app.clock import LONDON
from app.clocks import service as clocks
from app.context import Actor
from app.errors import Conflict, NotFound, ValidationFailed
from app.meetings import plans, repository
from app.meetings.models import REVIEW, CaseAction, Meeting, MeetingAttendee
from app.meetings.schemas import ActionForm, MeetingForm
from app.reference import repository as reference_repository
from app.reference.models import MeetingType

MEETING_FIELDS = (
    "meeting_type_code",
    "held_at",
    "minutes",
    "decisions",
    "police_strand",
    "social_care_strand",
    "employer_strand",
    "suspension_considered",
    "suspension_notes",
    "next_review_on",
    "delay_reason",
)
ACTION_FIELDS = (
    "description",
    "owner_user_id",
    "owner_name",
    "owner_organisation",
    "due_on",
    "done_on",
    "meeting_id",
)


def get_meeting(session: Session, case: Case, meeting_id: int) -> Meeting:
    meeting = repository.meeting_of_case(session, case.id, meeting_id)
    if meeting is None:
        raise NotFound("There is no such meeting on this case.")
    return meeting


def get_action(session: Session, case: Case, action_id: int) -> CaseAction:
    action = repository.action_of_case(session, case.id, action_id)
    if action is None:
        raise NotFound("There is no such action on this case.")
    return action


def delay_reason_required(session: Session, case: Case, meeting_type_code: str, held_on: date) -> bool:
    target = clocks.add_months(clocks.clocks_start(case), clocks.conclusion_target_months(session))
    return meeting_type_code == REVIEW and held_on > target


def _check_meeting(session: Session, case: Case, data: MeetingForm, keep_type: str | None = None) -> None:
    errors: dict[str, str] = {}
    kind = reference_repository.get_item(session, MeetingType, data.meeting_type_code)
    if kind is None or (not kind.active and kind.code != keep_type):
        errors["meeting_type_code"] = "Choose the type of meeting from the list"
    if data.held_on < case.received_on:
        errors["held_on"] = (
            f"The date of the meeting must be on or after the date received ({case.received_on:%-d %B %Y})"
        )
    elif delay_reason_required(session, case, data.meeting_type_code, data.held_on) and not data.delay_reason:
        months = clocks.conclusion_target_months(session)
        errors["delay_reason"] = (
            f"Enter the reason for the delay: the case is more than {months} months old and not concluded"
        )
    if errors:
        raise ValidationFailed(errors)


def _apply(meeting: Meeting, data: MeetingForm) -> None:
    meeting.meeting_type_code = data.meeting_type_code
    meeting.held_at = datetime.combine(data.held_on, data.held_time, tzinfo=LONDON).astimezone(UTC)
    meeting.held_on = data.held_on
    for f in (
        "minutes",
        "decisions",
        "suspension_considered",
        "suspension_notes",
        "next_review_on",
        "delay_reason",
    ):
        setattr(meeting, f, getattr(data, f))
    for f in ("police_strand", "social_care_strand", "employer_strand"):
        value = getattr(data, f)
        setattr(meeting, f, value.value if value else None)
    meeting.attendees = [
        MeetingAttendee(name=a.name, organisation=a.organisation, role=a.role, attended=a.attended)
        for a in data.attendees
    ]


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    out = {f: getattr(meeting, f) for f in MEETING_FIELDS}
    out["attendees"] = [
        f"{a.name} ({a.organisation}, {a.role}){'' if a.attended else ' - did not attend'}"
        for a in meeting.attendees
    ]
    return out


def record_meeting(session: Session, actor: Actor, case: Case, data: MeetingForm) -> Meeting:
    _check_meeting(session, case, data)
    meeting = Meeting(case_id=case.id, created_by_id=actor.user.id if actor.user else None)
    _apply(meeting, data)
    session.add(meeting)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.MEETING,
        meeting.id,
        case_id=case.id,
        details=_snapshot(meeting) | ({"plan_id": data.plan_id} if data.plan_id else {}),
    )
    if data.plan_id is not None:
        plans.mark_held(session, actor, case, data.plan_id, meeting)
    clocks.refresh_next_deadline(session, case)
    return meeting


def update_meeting(
    session: Session, actor: Actor, case: Case, meeting: Meeting, data: MeetingForm
) -> Meeting:
    if data.version is not None and data.version != meeting.version:
        raise Conflict(
            "Someone else saved this meeting after you opened it. Check the meeting as it is now, "
            "then enter your changes again."
        )
    _check_meeting(session, case, data, keep_type=meeting.meeting_type_code)
    before = _snapshot(meeting)
    _apply(meeting, data)
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.MEETING,
        meeting.id,
        case_id=case.id,
        details=changes(before, _snapshot(meeting)),
    )
    clocks.refresh_next_deadline(session, case)
    return meeting


def _check_action(session: Session, case: Case, data: ActionForm) -> None:
    errors: dict[str, str] = {}
    if data.owner_user_id is not None and repository.team_member(session, data.owner_user_id) is None:
        errors["owner_user_id"] = "Choose the owner from the LADO team list"
    if data.meeting_id is not None and repository.meeting_of_case(session, case.id, data.meeting_id) is None:
        errors["meeting_id"] = "Choose a meeting of this case"
    if data.due_on < case.received_on:
        errors["due_on"] = (
            f"The due date must be on or after the date received ({case.received_on:%-d %B %Y})"
        )
    if data.done_on is not None and data.done_on < case.received_on:
        errors["done_on"] = (
            f"The date done must be on or after the date received ({case.received_on:%-d %B %Y})"
        )
    if errors:
        raise ValidationFailed(errors)


def _apply_action(action: CaseAction, data: ActionForm) -> None:
    for f in ACTION_FIELDS:
        setattr(action, f, getattr(data, f))
    if data.owner_user_id is not None:  # a team member owns it: no outside owner is kept beside them
        action.owner_name = ""
        action.owner_organisation = ""


def add_action(session: Session, actor: Actor, case: Case, data: ActionForm) -> CaseAction:
    _check_action(session, case, data)
    action = CaseAction(case_id=case.id, created_by_id=actor.user.id if actor.user else None)
    _apply_action(action, data)
    session.add(action)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.CASE_ACTION,
        action.id,
        case_id=case.id,
        details={f: getattr(action, f) for f in ACTION_FIELDS},
    )
    clocks.refresh_next_deadline(session, case)
    return action


def update_action(
    session: Session, actor: Actor, case: Case, action: CaseAction, data: ActionForm
) -> CaseAction:
    _check_action(session, case, data)
    before = {f: getattr(action, f) for f in ACTION_FIELDS}
    _apply_action(action, data)
    session.flush()
    session.refresh(action)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE_ACTION,
        action.id,
        case_id=case.id,
        details=changes(before, {f: getattr(action, f) for f in ACTION_FIELDS}),
    )
    clocks.refresh_next_deadline(session, case)
    return action


def mark_done(session: Session, actor: Actor, case: Case, action: CaseAction, on: date) -> CaseAction:
    if action.done_on is not None:
        raise Conflict(f"This action was already marked done on {action.done_on:%-d %B %Y}.")
    action.done_on = on
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE_ACTION,
        action.id,
        case_id=case.id,
        details={"done_on": {"from": None, "to": on}},
    )
    clocks.refresh_next_deadline(session, case)
    return action


def list_meetings(session: Session, actor: Actor, case: Case) -> list[Meeting]:
    """The case's meetings; the view is audited with the meetings shown."""
    meetings = repository.meetings_of(session, case.id)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.MEETING_LIST,
        None,
        case_id=case.id,
        details={"meetings": [m.id for m in meetings]},
    )
    return meetings


def view_meeting(session: Session, actor: Actor, case: Case, meeting_id: int) -> Meeting:
    meeting = get_meeting(session, case, meeting_id)
    record(session, actor, Verb.VIEWED, ObjectType.MEETING, meeting.id, case_id=case.id)
    return meeting


def list_actions(session: Session, actor: Actor, case: Case) -> list[CaseAction]:
    """The case's actions; the view is audited with the actions shown."""
    items = repository.actions_of(session, case.id)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.CASE_ACTION_LIST,
        None,
        case_id=case.id,
        details={"actions": [a.id for a in items]},
    )
    return items
