"""The JSON API of planned meetings, under /api/v1/ (problem+json errors, as the cases API).

Case readers (LADO officers, managers) read; LADO officers plan and cancel. A case the caller
may not read is 404; an HR liaison or administrator gets 403. The .ics invitation of a plan is
on its page (meetings.plan_invitation); the API gives its uid and sequence."""

from __future__ import annotations

from datetime import datetime
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
from app.meetings import minutes_api_routes, plans, repository
from app.meetings.models import MeetingPlan
from app.meetings.schemas import PlanCancel, PlanForm

router = APIRouter(prefix="/api/v1", tags=["meetings"])
router.include_router(minutes_api_routes.router)

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]
PlanId = Annotated[int, Path(ge=1, le=MAX_ID, description="The planned meeting's id")]


def writable_case(case_id: CaseId, db: DbSession, actor: LadoActor) -> Case:
    return cases.get_case(db, actor, case_id)


WritableCase = Annotated[Case, Depends(writable_case)]


class InviteeOut(BaseModel):
    name: str
    organisation: str
    role: str
    email: str


class PlanOut(BaseModel):
    id: int
    case_id: int
    meeting_type_code: str
    starts_at: datetime
    duration_minutes: int
    location: str
    agenda: str
    status: str
    cancel_reason: str
    #: The meeting recorded when it was held.
    meeting_id: int | None
    uid: str
    #: The invitation's SEQUENCE: it moves on with every change.
    version: int
    invitees: list[InviteeOut]

    @classmethod
    def of(cls, plan: MeetingPlan) -> PlanOut:
        return cls(
            id=plan.id,
            case_id=plan.case_id,
            meeting_type_code=plan.meeting_type_code,
            starts_at=plan.starts_at,
            duration_minutes=plan.duration_minutes,
            location=plan.location,
            agenda=plan.agenda,
            status=plan.status,
            cancel_reason=plan.cancel_reason,
            meeting_id=plan.meeting_id,
            uid=plan.uid,
            version=plan.version,
            invitees=[InviteeOut.model_validate(i, from_attributes=True) for i in plan.invitees],
        )


@router.get(
    "/cases/{case_id}/meeting-plans",
    response_model=list[PlanOut],
    responses=READ_PROBLEMS,
    summary="A case's planned meetings",
)
def list_plans(db: DbSession, actor: CaseReader, case_id: CaseId) -> list[PlanOut]:
    """Soonest first, whatever their status (planned, held, cancelled). The read is audited."""
    case = cases.view_case(db, actor, case_id)
    return [PlanOut.of(p) for p in repository.plans_of(db, case.id)]


@router.post(
    "/cases/{case_id}/meeting-plans",
    response_model=PlanOut,
    responses=WRITE_PROBLEMS,
    status_code=201,
    summary="Plan a meeting",
    openapi_extra=request_body(PlanForm),
)
def create_plan(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    response: Response,
    data: Annotated[PlanForm, json_body(PlanForm)],
) -> PlanOut:
    """A meeting today or later: its type, date (`starts_on`), time (`starts_time`, 14:30),
    length, place, agenda and invitees (name, and optionally organisation, role, e-mail)."""
    plan = plans.plan_meeting(db, actor, case, data)
    response.headers["Location"] = f"/api/v1/cases/{case.id}/meeting-plans"
    return PlanOut.of(plan)


@router.post(
    "/cases/{case_id}/meeting-plans/{plan_id}/cancel",
    response_model=PlanOut,
    responses=WRITE_PROBLEMS,
    summary="Cancel a planned meeting",
    openapi_extra=request_body(PlanCancel),
)
def cancel_plan(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    plan_id: PlanId,
    data: Annotated[PlanCancel, json_body(PlanCancel)],
) -> PlanOut:
    """Needs a reason; a plan already held or cancelled is 409."""
    plan = plans.get_plan(db, case, plan_id)
    with saving():
        plans.cancel_plan(db, actor, case, plan, data)
    return PlanOut.of(plan)
