"""The JSON API of incident groups, under /api/v1/ (problem+json errors, as the cases API).

A referral naming several adults is sent to POST /cases with `other_adults`; another adult of
a case's incident can be added later. Each adult's case is a case like any other."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.api import CREATED_HEADERS, CaseId, WritableCase, created, saving
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, CaseOut, CaseSummary, request_body
from app.db import DbSession
from app.forms import json_body
from app.incidents import repository, service
from app.incidents.schemas import AdultForIncident

router = APIRouter(prefix="/api/v1", tags=["incidents"])


class IncidentOut(BaseModel):
    incident_id: int | None = Field(description="Null when the case concerns one adult only")
    other_cases: list[CaseSummary] = Field(description="The incident's other cases you may see, oldest first")
    hidden_cases: int = Field(
        description="The incident's other cases that are restricted and not shown to you"
    )


@router.get(
    "/cases/{case_id}/incident",
    response_model=IncidentOut,
    responses=READ_PROBLEMS,
    summary="The other adults' cases of the same incident",
)
def incident_of(db: DbSession, actor: CaseReader, case_id: CaseId) -> IncidentOut:
    case = cases.get_case(db, actor, case_id)
    others = repository.others_of(db, actor, case)
    hidden = repository.size_of(db, case.incident_id) - 1 - len(others) if case.incident_id else 0
    return IncidentOut(
        incident_id=case.incident_id, other_cases=[CaseSummary.of(c) for c in others], hidden_cases=hidden
    )


@router.post(
    "/cases/{case_id}/incident/adults",
    status_code=201,
    response_model=CaseOut,
    responses={**CREATED_HEADERS, **WRITE_PROBLEMS},
    summary="Add another adult of the same incident: a case of their own",
    openapi_extra=request_body(AdultForIncident),
)
def add_adult(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    response: Response,
    data: Annotated[AdultForIncident, json_body(AdultForIncident)],
) -> CaseOut:
    """The new case takes this case's contact, employer, categories, summary, children, areas and
    access, and is linked with it (and the rest of its incident). The new case is returned."""
    with saving():
        new = service.add_adult(db, actor, case, data)
    created(response, new)
    return CaseOut.of(new)
