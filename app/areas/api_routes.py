"""The JSON API of a case's areas, transfers and notifications, under /api/v1/ (problem+json
errors, as the cases API). Reading: LADO officers and managers who may see the case; recording:
LADO officers (403 for anyone else); a case the caller may not read is 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from app.areas import repository, service
from app.areas.models import CaseAreas, CaseTransfer, LadoNotification
from app.areas.schemas import AreasUpdate, NotificationCreate, TransferIn, TransferOut
from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.api import saving
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, request_body
from app.cases.models import Case
from app.db import DbSession
from app.forms import json_body
from app.ids import MAX_ID

router = APIRouter(prefix="/api/v1", tags=["areas"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]


def writable_case(case_id: CaseId, db: DbSession, actor: LadoActor) -> Case:
    return cases.get_case(db, actor, case_id)


WritableCase = Annotated[Case, Depends(writable_case)]


class TransferOutBody(BaseModel):
    id: int
    direction: str
    other_lado: str
    transferred_on: date
    other_reference: str
    reason: str
    at: datetime

    @classmethod
    def of(cls, t: CaseTransfer) -> TransferOutBody:
        return cls(
            id=t.id,
            direction=t.direction,
            other_lado=t.other_lado,
            transferred_on=t.transferred_on,
            other_reference=t.other_reference,
            reason=t.reason,
            at=t.at,
        )


class NotificationOut(BaseModel):
    id: int
    lado: str
    notified_on: date
    reason: str
    at: datetime

    @classmethod
    def of(cls, n: LadoNotification) -> NotificationOut:
        return cls(id=n.id, lado=n.lado, notified_on=n.notified_on, reason=n.reason, at=n.at)


class AreasOut(BaseModel):
    case_id: int
    version: int
    status: str
    referrer_agency_code: str | None
    work_area: str
    home_area: str
    incident_area: str
    led_here: bool
    lead_lado: str
    incident_from: date | None
    incident_to: date | None
    incident_period: str
    non_recent: bool | None
    transfers: list[TransferOutBody]
    notifications: list[NotificationOut]


def areas_of(db, case: Case) -> AreasOut:
    a = repository.areas_of(db, case) or CaseAreas(
        led_here=True, work_area="", home_area="", incident_area=""
    )
    return AreasOut(
        case_id=case.id,
        version=case.version,
        status=case.status,
        referrer_agency_code=a.referrer_agency_code,
        work_area=a.work_area or "",
        home_area=a.home_area or "",
        incident_area=a.incident_area or "",
        led_here=a.led_here if a.led_here is not None else True,
        lead_lado=a.lead_lado or "",
        incident_from=a.incident_from,
        incident_to=a.incident_to,
        incident_period=a.incident_period or "",
        non_recent=a.non_recent,
        transfers=[TransferOutBody.of(t) for t in repository.transfers_of(db, case)],
        notifications=[NotificationOut.of(n) for n in repository.notifications_of(db, case)],
    )


@router.get(
    "/cases/{case_id}/areas", response_model=AreasOut, responses=READ_PROBLEMS, summary="A case's areas"
)
def get_areas(db: DbSession, actor: CaseReader, case_id: CaseId) -> AreasOut:
    """Council areas, lead LADO, incident date or period, non-recent, referrer's agency, transfers
    and notifications to other LADOs. The read is audited."""
    return areas_of(db, cases.view_case(db, actor, case_id))


@router.put(
    "/cases/{case_id}/areas",
    response_model=AreasOut,
    responses=WRITE_PROBLEMS,
    summary="Record a case's areas and dates",
    openapi_extra=request_body(AreasUpdate),
)
def put_areas(
    db: DbSession, actor: LadoActor, case: WritableCase, data: Annotated[AreasUpdate, json_body(AreasUpdate)]
) -> AreasOut:
    """Every field as it should be; a field left out is blank (not recorded). LADO officers."""
    with saving():
        service.record_areas(db, actor, case, data)
    return areas_of(db, case)


@router.post(
    "/cases/{case_id}/transfer-out",
    status_code=201,
    response_model=AreasOut,
    responses=WRITE_PROBLEMS,
    summary="Transfer a case to another LADO",
    openapi_extra=request_body(TransferOut),
)
def transfer_out(
    db: DbSession, actor: LadoActor, case: WritableCase, data: Annotated[TransferOut, json_body(TransferOut)]
) -> AreasOut:
    """Closes the case here with the status `transferred` (counted as transferred, not NFA); the
    receiving LADO becomes the lead LADO. Only an open or threshold-met case (409 otherwise)."""
    with saving():
        service.transfer_out(db, actor, case, data)
    return areas_of(db, case)


@router.post(
    "/cases/{case_id}/transfer-in",
    status_code=201,
    response_model=AreasOut,
    responses=WRITE_PROBLEMS,
    summary="Record a case received from another LADO",
    openapi_extra=request_body(TransferIn),
)
def transfer_in(
    db: DbSession, actor: LadoActor, case: WritableCase, data: Annotated[TransferIn, json_body(TransferIn)]
) -> AreasOut:
    with saving():
        service.transfer_in(db, actor, case, data)
    return areas_of(db, case)


@router.post(
    "/cases/{case_id}/lado-notifications",
    status_code=201,
    response_model=AreasOut,
    responses=WRITE_PROBLEMS,
    summary="Record a notification to another LADO",
    openapi_extra=request_body(NotificationCreate),
)
def notify(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    data: Annotated[NotificationCreate, json_body(NotificationCreate)],
) -> AreasOut:
    with saving():
        service.notify_lado(db, actor, case, data)
    return areas_of(db, case)
