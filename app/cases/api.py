"""The JSON API for cases, under /api/v1/. Thin handlers: read the body, call one service function,
return a response model. Errors are problem+json, translated once in app.main.

Request bodies are read by `app.forms.json_body` (not by FastAPI) and validated with app.forms.validate, so
a bad field gets the same GOV.UK-style message as on the pages ("Enter the date received"); each
operation declares its body schema in OpenAPI through `openapi_extra`. Unknown fields are ignored
and never stored (`status`, `organisation_id`, `reference` ... where a step does not take them).

Authentication: the session cookie (browsers; unsafe methods also need the X-CSRF-Token header)
or `Authorization: Bearer <API token>` (integrations; no CSRF token needed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel
from sqlalchemy.orm.exc import StaleDataError

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import outcomes, repository, service
from app.cases import schemas as s
from app.cases.api_schemas import (
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    CaseHistory,
    CaseOut,
    CasePage,
    CaseSummary,
    HistoryEvent,
    request_body,
)
from app.cases.filters import case_filters
from app.cases.models import Case, CaseStatus
from app.db import DbSession
from app.errors import Conflict, NotFound
from app.forms import json_body, refuse_unstorable
from app.ids import MAX_ID
from app.incidents import service as incidents

router = APIRouter(prefix="/api/v1", tags=["cases"])

M = TypeVar("M", bound=BaseModel)

#: The id range (app/ids.py checks it for every route), declared here for the OpenAPI document.
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


@contextmanager
def saving() -> Iterator[None]:
    """A concurrent save caught by the version column at flush time is a conflict, like a stale `version`."""
    try:
        yield
    except StaleDataError:
        raise Conflict(
            "Someone else saved this case at the same time. Your changes have not been saved: "
            "load the case again and repeat the step."
        ) from None


def writable_case(case_id: CaseId, db: DbSession, actor: LadoActor) -> Case:
    return service.get_case(db, actor, case_id)


WritableCase = Annotated[Case, Depends(writable_case)]


def created(response: Response, case: Case) -> None:
    response.headers["Location"] = f"/api/v1/cases/{case.id}"


# ---- reading ------------------------------------------------------------------------------------

STATUS_VALUES = ["", *(st.value for st in CaseStatus)]


@router.get("/cases", response_model=CasePage, responses=READ_PROBLEMS, summary="List and search cases")
def list_cases(
    db: DbSession,
    actor: CaseReader,
    status: Annotated[str, Query(max_length=20, json_schema_extra={"enum": STATUS_VALUES})] = "",
    sector: Annotated[str, Query(max_length=40, description="Sector code")] = "",
    category: Annotated[str, Query(max_length=40, description="Primary category code")] = "",
    received_from: Annotated[
        str,
        Query(
            max_length=10,
            json_schema_extra={"format": "date"},
            description="Received on or after (YYYY-MM-DD)",
        ),
    ] = "",
    received_to: Annotated[
        str,
        Query(
            max_length=10,
            json_schema_extra={"format": "date"},
            description="Received on or before (YYYY-MM-DD)",
        ),
    ] = "",
    q: Annotated[str, Query(max_length=200, description="Reference, adult's name or employer")] = "",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    after: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="The page after the case with this id")
    ] = None,
    page_size: Annotated[int, Query(ge=1, le=100)] = 25,
) -> CasePage:
    """Cases you may see, newest received first, filtered and paged in the database. Restricted
    cases you are not named on are simply absent."""
    raw = {
        "status": status,
        "sector": sector,
        "category": category,
        "received_from": received_from,
        "received_to": received_to,
        "q": q,
        "page": page,
        "after": after,
    }
    filters = case_filters(db, raw)
    found = repository.page_of_cases(db, actor, filters, page_size, repository.cases_in_order)
    return CasePage(
        items=[CaseSummary.of(c) for c in found.cases],
        page=filters.page,
        page_size=page_size,
        total=found.total,
        total_is_lower_bound=found.total_is_lower_bound,
        next_after=found.after,
    )


@router.get(
    "/cases/by-reference/{reference}",
    response_model=CaseOut,
    responses=READ_PROBLEMS,
    summary="Read a case by its reference",
)
def read_case_by_reference(
    db: DbSession,
    actor: CaseReader,
    reference: Annotated[str, Path(min_length=1, max_length=40)],
) -> CaseOut:
    """The case with this reference (for example LADO-2026-0001). The read is audited."""
    refuse_unstorable(reference)
    case = repository.get_visible_by_reference(db, actor, reference.strip())
    if case is None:
        raise NotFound("There is no case with this reference, or you do not have access to it.")
    return CaseOut.of(service.view_case(db, actor, case.id))


@router.get("/cases/{case_id}", response_model=CaseOut, responses=READ_PROBLEMS, summary="Read a case")
def read_case(db: DbSession, actor: CaseReader, case_id: CaseId) -> CaseOut:
    """The case with everything recorded on it. The read is audited."""
    return CaseOut.of(service.view_case(db, actor, case_id))


@router.get(
    "/cases/{case_id}/history",
    response_model=CaseHistory,
    responses=READ_PROBLEMS,
    summary="The case's history",
)
def case_history(db: DbSession, actor: CaseReader, case_id: CaseId) -> CaseHistory:
    """Every recorded event of the case, oldest first: who did what, when, and the values changed.
    Reading it is itself audited as a view of the case."""
    case = service.view_case(db, actor, case_id)
    return CaseHistory(items=[HistoryEvent.of(e) for e in repository.case_history(db, actor, case.id)])


# ---- the journey --------------------------------------------------------------------------------

CREATED_HEADERS: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "The case, as recorded",
        "headers": {
            "Location": {"description": "The new case's address in the API", "schema": {"type": "string"}}
        },
    }
}


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseOut,
    responses={**CREATED_HEADERS, **WRITE_PROBLEMS},
    summary="Record a new contact or referral",
    openapi_extra=request_body(s.CaseCreate),
)
def open_case(
    db: DbSession,
    actor: LadoActor,
    response: Response,
    data: Annotated[s.CaseCreate, json_body(s.CaseCreate)],
) -> CaseOut:
    """Opens a case awaiting initial consideration and names you as its officer. Give either
    `organisation_id` (an existing employer) or `organisation_name` (matched by name, or added).
    The same `submission_key` sent twice gives the first case back instead of a second one (409
    if that case is one you may not see). `other_adults` opens a case for each other adult of the
    same incident, linked with this one (`incident_id`; GET /cases/{id}/incident lists them): the
    first adult's case is returned."""
    with saving():
        case = incidents.open_together(db, actor, data)
    created(response, case)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/initial-consideration",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Record the initial consideration",
    openapi_extra=request_body(s.InitialConsideration),
)
def record_initial_consideration(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.InitialConsideration, json_body(s.InitialConsideration)],
) -> CaseOut:
    """`nfa` (with its kind) closes the case on the decision date; `threshold_met` (with at least
    one harm-test limb) starts the full process. Only an open case takes this step."""
    with saving():
        service.record_initial_consideration(db, actor, case, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/allegations",
    status_code=201,
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Add an allegation",
    openapi_extra=request_body(s.AllegationCreate),
)
def add_allegation(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.AllegationCreate, json_body(s.AllegationCreate)],
) -> CaseOut:
    """Threshold-met cases only. Answers with the case; the new allegation is the last in `allegations`."""
    with saving():
        outcomes.add_allegation(db, actor, case, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/allegations/{allegation_id}/outcome",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Record an allegation's outcome",
    openapi_extra=request_body(s.OutcomeRecord),
)
def record_outcome(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    allegation_id: ItemId,
    data: Annotated[s.OutcomeRecord, json_body(s.OutcomeRecord)],
) -> CaseOut:
    """The KCSIE outcome and its date. A concluded case must be re-opened first (409)."""
    allegation = outcomes.get_allegation(case, allegation_id)
    with saving():
        outcomes.record_outcome(db, actor, case, allegation, data)
    return CaseOut.of(case)


@router.put(
    "/cases/{case_id}/disposals",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Set the employer's disposals",
    openapi_extra=request_body(s.DisposalsUpdate),
)
def set_disposals(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.DisposalsUpdate, json_body(s.DisposalsUpdate)],
) -> CaseOut:
    """Replaces the case's disposals with `disposal_codes` (an empty list clears them)."""
    with saving():
        outcomes.set_disposals(db, actor, case, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/referrals",
    status_code=201,
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Record a regulator referral",
    openapi_extra=request_body(s.ReferralCreate),
)
def add_referral(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.ReferralCreate, json_body(s.ReferralCreate)],
) -> CaseOut:
    """Answers with the case; the new referral is the last in `referrals`. Status `made` needs `made_on`."""
    with saving():
        outcomes.add_referral(db, actor, case, data)
    return CaseOut.of(case)


@router.patch(
    "/cases/{case_id}/referrals/{referral_id}",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Update a regulator referral",
    openapi_extra=request_body(s.ReferralUpdate),
)
def update_referral(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    referral_id: ItemId,
    data: Annotated[s.ReferralUpdate, json_body(s.ReferralUpdate)],
) -> CaseOut:
    """Status, dates, reference and the regulator's decision. Send every field you want kept: fields
    left out take their defaults (empty). The regulator itself cannot be changed."""
    referral = outcomes.get_referral(case, referral_id)
    with saving():
        outcomes.update_referral(db, actor, case, referral, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/conclude",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Conclude the case",
    openapi_extra=request_body(s.Conclusion),
)
def conclude_case(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.Conclusion, json_body(s.Conclusion)],
) -> CaseOut:
    """Every allegation needs an outcome first (422 names the ones missing)."""
    with saving():
        outcomes.conclude_case(db, actor, case, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/reopen",
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Re-open a concluded or NFA case",
    openapi_extra=request_body(s.Reopen),
)
def reopen_case(
    db: DbSession, actor: LadoActor, case: WritableCase, data: Annotated[s.Reopen, json_body(s.Reopen)]
) -> CaseOut:
    """Needs a reason. A concluded case goes back to threshold met; an NFA case to awaiting a decision."""
    with saving():
        outcomes.reopen_case(db, actor, case, data)
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/notes",
    status_code=201,
    response_model=CaseOut,
    responses=WRITE_PROBLEMS,
    summary="Add a case note",
    openapi_extra=request_body(s.NoteCreate),
)
def add_note(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[s.NoteCreate, json_body(s.NoteCreate)],
) -> CaseOut:
    """Answers with the case; the new note is the first in `notes` (newest first)."""
    with saving():
        service.add_note(db, actor, case, data)
    return CaseOut.of(case)
