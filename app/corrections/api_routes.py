"""The JSON API of corrections, under /api/v1/ (problem+json errors, as the cases API).

Each correction needs a `reason`; send `version` to be told (409) when someone else saved the
case in between. A questioned answer (app/corrections/plausibility.py) is a 422 whose `errors`
name the field and `confirm_implausible`: send the same body with `confirm_implausible: true`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.auth.dependencies import LadoActor
from app.cases.api import ItemId, WritableCase, saving
from app.cases.api_schemas import WRITE_PROBLEMS, CaseOut, request_body
from app.corrections import schemas as s
from app.corrections import service
from app.db import DbSession
from app.forms import json_body

router = APIRouter(prefix="/api/v1", tags=["corrections"])


class AdultCorrected(BaseModel):
    case: CaseOut
    person_check_ran: bool = Field(
        description="The name or date of birth changed, so the person check ran again"
    )
    possible_matches: list[str] = Field(
        description="References of the cases you may see that the person check now offers as the same adult"
    )


@router.post(
    "/cases/{case_id}/corrections/adult",
    response_model=AdultCorrected,
    responses=WRITE_PROBLEMS,
    summary="Correct the adult's names, date of birth or job title",
    openapi_extra=request_body(s.AdultCorrection),
)
def correct_adult(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.AdultCorrection, json_body(s.AdultCorrection)],
) -> AdultCorrected:
    """A changed name or date of birth runs the person check again; an adult shared with other
    cases (a confirmed match) gets a person of their own on this case, to be matched afresh."""
    with saving():
        result = service.correct_adult(db, actor, case, data)
    matches = [m.case.reference for m in result.check.matches] if result.check else []
    return AdultCorrected(
        case=CaseOut.of(case), person_check_ran=result.check is not None, possible_matches=matches
    )


@router.post(
    "/cases/{case_id}/corrections/employer",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Correct the employer and sector",
    openapi_extra=request_body(s.EmployerCorrection),
)
def correct_employer(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.EmployerCorrection, json_body(s.EmployerCorrection)],
) -> CaseOut:
    """Give `organisation_id` (an existing employer) or `organisation_name` (matched by name, or
    added); both at once is questioned. `sector_code` defaults to the employer's sector."""
    with saving():
        service.correct_employer(db, actor, case, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/corrections/referrer",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Correct who referred",
    openapi_extra=request_body(s.ReferrerCorrection),
)
def correct_referrer(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.ReferrerCorrection, json_body(s.ReferrerCorrection)],
) -> CaseOut:
    with saving():
        service.correct_referrer(db, actor, case, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/corrections/children",
    status_code=201,
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Add a child left out when the case was recorded",
    openapi_extra=request_body(s.ChildCorrection),
)
def add_child(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.ChildCorrection, json_body(s.ChildCorrection)],
) -> CaseOut:
    with saving():
        service.add_child(db, actor, case, data)
    return CaseOut.of(case)


@router.put(
    "/cases/{case_id}/corrections/children/{child_id}",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Correct a child's initials, age or gender",
    openapi_extra=request_body(s.ChildCorrection),
)
def correct_child(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    child_id: ItemId,
    data: Annotated[s.ChildCorrection, json_body(s.ChildCorrection)],
) -> CaseOut:
    child = service.get_child(case, child_id)
    with saving():
        service.correct_child(db, actor, case, child, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/corrections/children/{child_id}/remove",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Remove a child recorded by mistake",
    openapi_extra=request_body(s.ChildRemoval),
)
def remove_child(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    child_id: ItemId,
    data: Annotated[s.ChildRemoval, json_body(s.ChildRemoval)],
) -> CaseOut:
    child = service.get_child(case, child_id)
    with saving():
        service.remove_child(db, actor, case, child, data)
    return CaseOut.of(case)
