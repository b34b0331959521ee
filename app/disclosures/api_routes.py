"""The JSON API of the sharing log, under /api/v1/ (problem+json errors, as the cases API).

Case readers (LADO officers, managers) read; LADO officers record. A case the caller may not read
(a restricted case they are not named on) is 404; an HR liaison or administrator gets 403."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.api import WritableCase
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, request_body
from app.cases.models import Case
from app.db import DbSession
from app.disclosures import service
from app.disclosures.presenters import LogEntry, log_entries
from app.disclosures.schemas import DisclosureCreate
from app.forms import json_body
from app.ids import MAX_ID

router = APIRouter(prefix="/api/v1", tags=["sharing log"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]


class EntryOut(BaseModel):
    #: `recorded` (an officer's entry) or `letter` (a letter sent, from its delivery record).
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
    letter_id: int | None

    @classmethod
    def of(cls, e: LogEntry) -> EntryOut:
        return cls.model_validate(e, from_attributes=True)


class SharingLogOut(BaseModel):
    case_id: int
    entries: list[EntryOut]


def _log(db, case: Case) -> SharingLogOut:
    return SharingLogOut(case_id=case.id, entries=[EntryOut.of(e) for e in log_entries(db, case)])


@router.get(
    "/cases/{case_id}/disclosures",
    response_model=SharingLogOut,
    responses=READ_PROBLEMS,
    summary="A case's sharing log",
)
def get_log(db: DbSession, actor: CaseReader, case_id: CaseId) -> SharingLogOut:
    """Every disclosure recorded on the case and every letter sent, oldest first. The read is audited."""
    return _log(db, cases.view_case(db, actor, case_id))


@router.post(
    "/cases/{case_id}/disclosures",
    response_model=SharingLogOut,
    status_code=201,
    responses=WRITE_PROBLEMS,
    summary="Record a disclosure to another agency",
    openapi_extra=request_body(DisclosureCreate),
)
def post_disclosure(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    response: Response,
    data: Annotated[DisclosureCreate, json_body(DisclosureCreate)],
) -> SharingLogOut:
    """What was shared, the kind of agency (a referrer agency code) and its name, the person, the
    date, how (`email`, `secure_email`, `phone`, `post`, `meeting`, `portal`) and the lawful basis
    (a `lawful-bases` code). A lawful basis is required."""
    row = service.record_disclosure(db, actor, case, data)
    response.headers["Location"] = f"/api/v1/cases/{case.id}/disclosures#disclosure-{row.id}"
    return _log(db, case)
