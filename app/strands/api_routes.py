"""The JSON API of strands and suspension, under /api/v1/ (problem+json errors, as the cases API).

Case readers (LADO officers, managers) read; LADO officers write. A case the caller may not read
(a restricted case they are not named on) is 404; an HR liaison or administrator gets 403."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.api import saving
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, request_body
from app.cases.models import Case
from app.db import DbSession
from app.forms import json_body
from app.ids import MAX_ID
from app.strands import repository, service
from app.strands.models import KIND_LABELS, CaseStrand, StrandChange, StrandKind, Suspension
from app.strands.presenters import outcome_label
from app.strands.schemas import StrandUpdate, SuspensionUpdate

router = APIRouter(prefix="/api/v1", tags=["strands"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]


def writable_case(case_id: CaseId, db: DbSession, actor: LadoActor) -> Case:
    return cases.get_case(db, actor, case_id)


WritableCase = Annotated[Case, Depends(writable_case)]


class StrandOut(BaseModel):
    kind: str
    label: str
    status: str
    status_on: date
    outcome_code: str | None
    outcome_label: str | None
    outcome_on: date | None
    notes: str
    version: int | None
    by: str | None
    at: datetime

    @classmethod
    def of(cls, row: CaseStrand | StrandChange, disposals: dict[str, str]) -> StrandOut:
        current = isinstance(row, CaseStrand)
        who = row.updated_by if isinstance(row, CaseStrand) else row.by
        return cls(
            kind=row.kind,
            label=KIND_LABELS[StrandKind(row.kind)],
            status=row.status,
            status_on=row.status_on,
            outcome_code=row.outcome_code,
            outcome_label=outcome_label(row.kind, row.outcome_code, disposals) or None,
            outcome_on=row.outcome_on,
            notes=row.notes,
            version=row.version if isinstance(row, CaseStrand) else None,
            by=who.name if who else None,
            at=row.updated_at if current else row.at,  # type: ignore[union-attr]
        )


class SuspensionOut(BaseModel):
    considered: bool
    considered_on: date | None
    alternatives: str
    decision: str | None
    reasons: str
    decided_by: str
    decided_on: date | None
    started_on: date | None
    reviewed_on: date | None
    ended_on: date | None
    version: int

    @classmethod
    def of(cls, s: Suspension | None) -> SuspensionOut | None:
        if s is None:
            return None
        return cls.model_validate(s, from_attributes=True)


class StrandsOut(BaseModel):
    case_id: int
    as_at: date | None
    #: Each strand recorded (now, or as it stood on `as_at`).
    strands: list[StrandOut]
    #: Every change of the strands, oldest first.
    history: list[StrandOut]
    suspension: SuspensionOut | None


def strands_of(db, case: Case, as_at: date | None = None) -> StrandsOut:
    disposals = repository.all_disposal_labels(db)
    rows: list[CaseStrand | StrandChange]
    if as_at is None:
        current = repository.strands_of(db, case.id)
        rows = [current[k.value] for k in StrandKind if k.value in current]
    else:
        then = repository.strands_as_at(db, case.id, as_at)
        rows = [then[k.value] for k in StrandKind if k.value in then]
    return StrandsOut(
        case_id=case.id,
        as_at=as_at,
        strands=[StrandOut.of(r, disposals) for r in rows],
        history=[StrandOut.of(c, disposals) for c in repository.changes_of(db, case.id)],
        suspension=SuspensionOut.of(repository.suspension_of(db, case.id)),
    )


@router.get(
    "/cases/{case_id}/strands",
    response_model=StrandsOut,
    responses=READ_PROBLEMS,
    summary="A case's strands and suspension",
)
def get_strands(
    db: DbSession,
    actor: CaseReader,
    case_id: CaseId,
    as_at: Annotated[date | None, Query(description="The strands as they stood on this date")] = None,
) -> StrandsOut:
    """Police, children's social care and employer strands (status and outcome, each with the
    date it took effect), their history and the suspension record. The read is audited."""
    return strands_of(db, cases.view_case(db, actor, case_id), as_at)


@router.put(
    "/cases/{case_id}/strands/{kind}",
    response_model=StrandsOut,
    responses=WRITE_PROBLEMS,
    summary="Record a strand's status and outcome",
    openapi_extra=request_body(StrandUpdate),
)
def put_strand(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    kind: StrandKind,
    data: Annotated[StrandUpdate, json_body(StrandUpdate)],
) -> StrandsOut:
    """The status with its date and, once under way or concluded, the outcome with its date
    (police: `nfa`, `charged`, `cautioned`, `convicted`, `acquitted`, `ongoing`; social care:
    `substantiated`, `not_substantiated`, `ongoing`; employer: a disposal code). Send `version`
    to be refused (409) if someone changed the strand since you read it."""
    with saving():
        service.update_strand(db, actor, case, kind, data)
    return strands_of(db, case)


@router.put(
    "/cases/{case_id}/suspension",
    response_model=StrandsOut,
    responses=WRITE_PROBLEMS,
    summary="Record the suspension decision",
    openapi_extra=request_body(SuspensionUpdate),
)
def put_suspension(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[SuspensionUpdate, json_body(SuspensionUpdate)],
) -> StrandsOut:
    """Never automatic: once `considered`, the decision, its reasons, who decided and when are
    required; a decision to suspend also names the alternatives considered."""
    with saving():
        service.update_suspension(db, actor, case, data)
    return strands_of(db, case)
