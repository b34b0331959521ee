"""The JSON API of consultations, under /api/v1/ (problem+json errors, as the cases API).

Recording and converting: LADO officers (403 for anyone else); reading: LADO officers and
managers; a consultation the caller may not see (restricted, or any for an HR liaison) is 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from app.auth.dependencies import CaseReader, LadoActor
from app.cases.api import saving
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, CaseOut, request_body
from app.cases.models import Case
from app.consultations import repository, service
from app.consultations.models import Consultation
from app.consultations.schemas import ConsultationConversion, ConsultationCreate
from app.db import DbSession
from app.forms import json_body
from app.ids import MAX_ID

router = APIRouter(prefix="/api/v1", tags=["consultations"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The consultation's case id")]

#: The most consultations the list returns.
LIST_LIMIT = 100


class ConsultationOut(BaseModel):
    """A consultation: the case it is (`case`: status `consultation` until it becomes a referral)
    and what only a consultation has."""

    case_id: int
    reference: str
    advice: str
    question: str = Field(description="What was asked (the case's summary)")
    adult_named: bool
    intake_id: int | None = Field(description="The online referral closed as advice given, if any")
    recorded_at: datetime
    converted_on: date | None = Field(description="The day it became a referral; its clocks run from it")
    case: CaseOut

    @classmethod
    def of(cls, case: Case, consultation: Consultation) -> ConsultationOut:
        return cls(
            case_id=case.id,
            reference=case.reference,
            advice=consultation.advice,
            question=case.summary,
            adult_named=case.person_id is not None,
            intake_id=consultation.intake_id,
            recorded_at=consultation.recorded_at,
            converted_on=consultation.converted_on,
            case=CaseOut.of(case),
        )


class ConsultationSummary(BaseModel):
    case_id: int
    reference: str
    received_on: date
    sector_code: str
    primary_category_code: str
    referrer_name: str
    referrer_organisation: str


class ConsultationList(BaseModel):
    items: list[ConsultationSummary] = Field(description="Newest first, at most 100")


@router.get(
    "/consultations",
    response_model=ConsultationList,
    responses=READ_PROBLEMS,
    summary="The latest consultations not yet referrals",
)
def list_consultations(db: DbSession, actor: CaseReader) -> ConsultationList:
    return ConsultationList(
        items=[
            ConsultationSummary(
                case_id=c.id,
                reference=c.reference,
                received_on=c.received_on,
                sector_code=c.sector_code,
                primary_category_code=c.primary_category_code,
                referrer_name=c.referrer_name,
                referrer_organisation=c.referrer_organisation,
            )
            for c in repository.recent(db, actor, LIST_LIMIT)
        ]
    )


@router.post(
    "/consultations",
    status_code=201,
    response_model=ConsultationOut,
    responses=WRITE_PROBLEMS,
    summary="Record a consultation",
    openapi_extra=request_body(ConsultationCreate),
)
def record_consultation(
    db: DbSession,
    actor: LadoActor,
    response: Response,
    data: Annotated[ConsultationCreate, json_body(ConsultationCreate)],
) -> ConsultationOut:
    """The adult may be unnamed (leave both names empty): then nobody is added to the people
    index. Give `organisation_id`, `organisation_name`, or only `sector_code`. The same
    `submission_key` twice gives the first consultation back."""
    with saving():
        case = service.record_consultation(db, actor, data)
    case, consultation = service.get_consultation(db, actor, case.id)
    response.headers["Location"] = f"/api/v1/consultations/{case.id}"
    return ConsultationOut.of(case, consultation)


@router.get(
    "/consultations/{case_id}",
    response_model=ConsultationOut,
    responses=READ_PROBLEMS,
    summary="Read a consultation",
)
def read_consultation(db: DbSession, actor: CaseReader, case_id: CaseId) -> ConsultationOut:
    case, consultation = service.view_consultation(db, actor, case_id)
    return ConsultationOut.of(case, consultation)


@router.post(
    "/consultations/{case_id}/convert",
    response_model=ConsultationOut,
    responses=WRITE_PROBLEMS,
    summary="Make a consultation a referral",
    openapi_extra=request_body(ConsultationConversion),
)
def convert_consultation(
    db: DbSession,
    actor: LadoActor,
    case_id: CaseId,
    data: Annotated[ConsultationConversion, json_body(ConsultationConversion)],
) -> ConsultationOut:
    """The same record becomes a referral awaiting initial consideration (status `open`), its
    received date kept; the adult's names are required if the consultation had none. The clocks
    start on `converted_on`. 409 (InvalidTransition) if it is already a referral."""
    case, consultation = service.get_consultation(db, actor, case_id)
    with saving():
        service.convert_to_referral(db, actor, case, consultation, data)
    return ConsultationOut.of(case, consultation)
