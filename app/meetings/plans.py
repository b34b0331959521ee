"""Meetings planned ahead: when, where, who is invited; recorded as a meeting once held.

Rules:
- A plan is for today or later, on or after the date the case was received, of an active type.
- A plan can be changed or cancelled (with a reason) while planned; once held or cancelled it
  stays as it was. Each change moves its version on, which is the invitation's SEQUENCE, so a
  calendar that imported the invitation updates the same event (the uid never changes).
- Recording the meeting held marks its plan held and links the two, in one transaction.
- Every change is audited on the case; downloading the invitation is audited as a reading.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app import clock
from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases.models import Case
from app.context import Actor
from app.errors import Conflict, NotFound, ValidationFailed
from app.meetings import repository
from app.meetings.models import Meeting, MeetingInvitee, MeetingPlan, PlanStatus
from app.meetings.schemas import PlanCancel, PlanForm
from app.reference import repository as reference_repository
from app.reference.models import MeetingType

PLAN_FIELDS = ("meeting_type_code", "starts_at", "duration_minutes", "location", "agenda")
STALE = (
    "Someone else changed this planned meeting after you opened it. Check it as it is now, then "
    "enter your changes again."
)


def get_plan(session: Session, case: Case, plan_id: int) -> MeetingPlan:
    plan = repository.plan_of_case(session, case.id, plan_id)
    if plan is None:
        raise NotFound("There is no such planned meeting on this case.")
    return plan


def _check(session: Session, case: Case, data: PlanForm, keep_type: str | None = None) -> None:
    errors: dict[str, str] = {}
    kind = reference_repository.get_item(session, MeetingType, data.meeting_type_code)
    if kind is None or (not kind.active and kind.code != keep_type):
        errors["meeting_type_code"] = "Choose the type of meeting from the list"
    if data.starts_on < clock.today():
        errors["starts_on"] = (
            "The date of the meeting must be today or in the future: record a meeting already held"
        )
    elif data.starts_on < case.received_on:
        errors["starts_on"] = (
            f"The date of the meeting must be on or after the date received ({case.received_on:%-d %B %Y})"
        )
    if errors:
        raise ValidationFailed(errors)


def _apply(plan: MeetingPlan, data: PlanForm) -> None:
    plan.meeting_type_code = data.meeting_type_code
    plan.starts_at = datetime.combine(data.starts_on, data.starts_time, tzinfo=clock.LONDON).astimezone(UTC)
    plan.starts_on = data.starts_on
    plan.duration_minutes = data.duration_minutes
    plan.location = data.location
    plan.agenda = data.agenda
    plan.invitees = [
        MeetingInvitee(name=i.name, organisation=i.organisation, role=i.role, email=i.email)
        for i in data.invitees
    ]


def _snapshot(plan: MeetingPlan) -> dict[str, Any]:
    out = {f: getattr(plan, f) for f in PLAN_FIELDS}
    out["invitees"] = [
        ", ".join(x for x in (i.name, i.organisation, i.role, i.email) if x) for i in plan.invitees
    ]
    return out


def plan_meeting(session: Session, actor: Actor, case: Case, data: PlanForm) -> MeetingPlan:
    _check(session, case, data)
    plan = MeetingPlan(
        case_id=case.id,
        uid=f"{secrets.token_hex(16)}@lado-case-manager",
        created_by_id=actor.user.id if actor.user else None,
    )
    _apply(plan, data)
    session.add(plan)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.MEETING_PLAN,
        plan.id,
        case_id=case.id,
        details=_snapshot(plan),
    )
    return plan


def _expect_planned(plan: MeetingPlan, version: int | None) -> None:
    if version is not None and version != plan.version:
        raise Conflict(STALE)
    if plan.status != PlanStatus.PLANNED.value:
        raise Conflict(f"This meeting is {plan.status} already: it can no longer be changed.")


def update_plan(session: Session, actor: Actor, case: Case, plan: MeetingPlan, data: PlanForm) -> MeetingPlan:
    _expect_planned(plan, data.version)
    _check(session, case, data, keep_type=plan.meeting_type_code)
    before = _snapshot(plan)
    _apply(plan, data)
    after = _snapshot(plan)
    if before == after:
        return plan
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.MEETING_PLAN,
        plan.id,
        case_id=case.id,
        details=changes(before, after),
    )
    return plan


def _set_status(
    session: Session, actor: Actor, case: Case, plan: MeetingPlan, status: PlanStatus, **extra: Any
) -> None:
    before = plan.status
    plan.status = status.value
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.MEETING_PLAN,
        plan.id,
        case_id=case.id,
        details={"status": {"from": before, "to": status.value}, **extra},
    )


def cancel_plan(
    session: Session, actor: Actor, case: Case, plan: MeetingPlan, data: PlanCancel
) -> MeetingPlan:
    _expect_planned(plan, data.version)
    plan.cancel_reason = data.reason
    _set_status(session, actor, case, plan, PlanStatus.CANCELLED, cancel_reason=data.reason)
    return plan


def mark_held(session: Session, actor: Actor, case: Case, plan_id: int, meeting: Meeting) -> MeetingPlan:
    """The meeting recorded as held was this plan (same transaction as the meeting's record)."""
    plan = repository.plan_of_case(session, case.id, plan_id)
    if plan is None:
        raise ValidationFailed({"plan_id": "Choose a planned meeting of this case"})
    _expect_planned(plan, None)
    plan.meeting_id = meeting.id
    _set_status(session, actor, case, plan, PlanStatus.HELD, meeting_id=meeting.id)
    return plan


def view_plan(
    session: Session, actor: Actor, case: Case, plan_id: int, *, invitation: bool = False
) -> MeetingPlan:
    plan = get_plan(session, case, plan_id)
    verb = Verb.EXPORTED if invitation else Verb.VIEWED
    details = {"format": "ics"} if invitation else {}
    record(session, actor, verb, ObjectType.MEETING_PLAN, plan.id, case_id=case.id, details=details)
    return plan
