"""The JSON API of allocation and cover, under /api/v1/ (problem+json errors, as the cases API).

Who works a case: managers, and the officer the case is allocated to, change it (403 for anyone
else who may read the case); a case the caller may not read is 404. Cover: managers only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel

from app.allocations import repository, service
from app.allocations.models import CaseAllocation, Cover
from app.allocations.schemas import CoverEnd, CoverStart, CoWorkerChange, Reallocation
from app.auth.dependencies import CaseReader, ManagerActor
from app.cases import service as cases
from app.cases.api import saving
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, request_body
from app.cases.models import Case
from app.db import DbSession
from app.forms import json_body
from app.ids import MAX_ID
from app.users.models import User

router = APIRouter(prefix="/api/v1", tags=["allocation"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def readable_case(case_id: CaseId, db: DbSession, actor: CaseReader) -> Case:
    return cases.get_case(db, actor, case_id)


ReadableCase = Annotated[Case, Depends(readable_case)]


class OfficerOut(BaseModel):
    id: int
    name: str

    @classmethod
    def of(cls, user: User | None) -> OfficerOut | None:
        return cls(id=user.id, name=user.name) if user is not None else None


class AllocationEvent(BaseModel):
    kind: str
    from_officer: OfficerOut | None
    to_officer: OfficerOut | None
    reason: str
    cover_id: int | None
    by: OfficerOut | None
    at: datetime

    @classmethod
    def of(cls, row: CaseAllocation) -> AllocationEvent:
        return cls(
            kind=row.kind,
            from_officer=OfficerOut.of(row.from_officer),
            to_officer=OfficerOut.of(row.to_officer),
            reason=row.reason,
            cover_id=row.cover_id,
            by=OfficerOut.of(row.by),
            at=row.at,
        )


class AllocationOut(BaseModel):
    case_id: int
    version: int
    allocated_officer: OfficerOut | None
    co_workers: list[OfficerOut]
    history: list[AllocationEvent]


def allocation_of(db, case: Case) -> AllocationOut:
    return AllocationOut(
        case_id=case.id,
        version=case.version,
        allocated_officer=OfficerOut.of(case.allocated_officer),
        co_workers=[OfficerOut(id=u.id, name=u.name) for u in case.co_workers],
        history=[AllocationEvent.of(r) for r in repository.history_of(db, case)],
    )


class CoverCaseOut(BaseModel):
    case_id: int
    covering_officer: OfficerOut
    outcome: str | None


class CoverOut(BaseModel):
    id: int
    absent_officer: OfficerOut
    reason: str
    started_at: datetime
    started_by: OfficerOut | None
    ended_at: datetime | None
    ended_by: OfficerOut | None
    end_reason: str
    cases: list[CoverCaseOut]

    @classmethod
    def of(cls, cover: Cover) -> CoverOut:
        absent = OfficerOut.of(cover.absent_officer)
        assert absent is not None
        return cls(
            id=cover.id,
            absent_officer=absent,
            reason=cover.reason,
            started_at=cover.started_at,
            started_by=OfficerOut.of(cover.started_by),
            ended_at=cover.ended_at,
            ended_by=OfficerOut.of(cover.ended_by),
            end_reason=cover.end_reason,
            cases=[
                CoverCaseOut(
                    case_id=row.case_id,
                    covering_officer=OfficerOut(id=row.covering_officer.id, name=row.covering_officer.name),
                    outcome=row.outcome,
                )
                for row in cover.cases
            ],
        )


@router.get(
    "/cases/{case_id}/allocation",
    response_model=AllocationOut,
    responses=READ_PROBLEMS,
    summary="Who works a case",
)
def get_allocation(db: DbSession, actor: CaseReader, case_id: CaseId) -> AllocationOut:
    """The allocated officer, the co-workers and every change of them, oldest first. The read is audited."""
    return allocation_of(db, cases.view_case(db, actor, case_id))


@router.post(
    "/cases/{case_id}/allocation",
    response_model=AllocationOut,
    responses=WRITE_PROBLEMS,
    summary="Reallocate a case",
    openapi_extra=request_body(Reallocation),
)
def reallocate(
    db: DbSession,
    actor: CaseReader,
    case: ReadableCase,
    data: Annotated[Reallocation, json_body(Reallocation)],
) -> AllocationOut:
    """Managers, or the officer the case is allocated to. Needs a reason; the officer who had the
    case is no longer named on it."""
    with saving():
        service.reallocate(db, actor, case, data)
    return allocation_of(db, case)


@router.post(
    "/cases/{case_id}/co-workers",
    status_code=201,
    response_model=AllocationOut,
    responses=WRITE_PROBLEMS,
    summary="Add a co-worker",
    openapi_extra=request_body(CoWorkerChange),
)
def add_co_worker(
    db: DbSession,
    actor: CaseReader,
    case: ReadableCase,
    data: Annotated[CoWorkerChange, json_body(CoWorkerChange)],
) -> AllocationOut:
    """A co-worker sees the case even when it is restricted."""
    with saving():
        service.add_co_worker(db, actor, case, data)
    return allocation_of(db, case)


@router.delete(
    "/cases/{case_id}/co-workers/{user_id}",
    response_model=AllocationOut,
    responses=WRITE_PROBLEMS,
    summary="Remove a co-worker",
)
def remove_co_worker(db: DbSession, actor: CaseReader, case: ReadableCase, user_id: ItemId) -> AllocationOut:
    """The officer is no longer named on the case (a restricted case is then hidden from them)."""
    with saving():
        service.remove_co_worker(db, actor, case, CoWorkerChange(officer_id=user_id))
    return allocation_of(db, case)


@router.get("/covers", response_model=list[CoverOut], responses=READ_PROBLEMS, summary="List covers")
def list_covers(db: DbSession, actor: ManagerActor) -> list[CoverOut]:
    """Covers in place first, then those ended, newest first. Managers only."""
    return [CoverOut.of(c) for c in repository.covers(db)]


@router.post(
    "/covers",
    status_code=201,
    response_model=CoverOut,
    responses=WRITE_PROBLEMS,
    summary="Start cover for an absent officer",
    openapi_extra=request_body(CoverStart),
)
def start_cover(
    response: Response, db: DbSession, actor: ManagerActor, data: Annotated[CoverStart, json_body(CoverStart)]
) -> CoverOut:
    """Every open case of the absent officer goes to `covering_officer_id`, or to the officer
    `assignments` names for it; the absent officer stays on each as a co-worker. Managers only."""
    with saving():
        cover = service.start_cover(db, actor, data)
    response.headers["Location"] = f"/api/v1/covers/{cover.id}"
    return CoverOut.of(cover)


@router.get("/covers/{cover_id}", response_model=CoverOut, responses=READ_PROBLEMS, summary="A cover")
def get_cover(db: DbSession, actor: ManagerActor, cover_id: ItemId) -> CoverOut:
    """The cover and what happened to each case it moved. Managers only."""
    return CoverOut.of(service.get_cover(db, actor, cover_id))


@router.post(
    "/covers/{cover_id}/end",
    response_model=CoverOut,
    responses=WRITE_PROBLEMS,
    summary="End a cover",
    openapi_extra=request_body(CoverEnd),
)
def end_cover(
    db: DbSession, actor: ManagerActor, cover_id: ItemId, data: Annotated[CoverEnd, json_body(CoverEnd)]
) -> CoverOut:
    """Hands back every case still with the officer who took it under the cover. Managers only."""
    with saving():
        cover = service.end_cover(db, actor, service.get_cover(db, actor, cover_id), data)
    return CoverOut.of(cover)
