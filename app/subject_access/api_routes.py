"""The JSON API of subject access requests, under /api/v1/ (problem+json errors).

LADO officers and managers read; LADO officers record. A request whose person has no case the
caller may see is 404; an HR liaison or administrator gets 403. Bundles are downloaded from the
request's page (the zip), not through the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from app.auth.dependencies import CaseReader, LadoActor
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, request_body
from app.db import DbSession
from app.forms import json_body
from app.ids import MAX_ID
from app.subject_access import service
from app.subject_access.models import SubjectAccessRequest
from app.subject_access.schemas import RequestCreate

router = APIRouter(prefix="/api/v1", tags=["subject access"])

RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="The request's id")]


class RequestOut(BaseModel):
    id: int
    person_id: int
    person_name: str
    requester_name: str
    requester_relationship: str
    received_on: date
    identity_verified: bool
    due_on: date
    status: str
    extended_on: date | None
    refused_on: date | None
    released_on: date | None
    #: SHA-256 of the zip as released (none before release).
    released_sha256: str | None

    @classmethod
    def of(cls, r: SubjectAccessRequest) -> RequestOut:
        return cls(
            id=r.id,
            person_id=r.person_id,
            person_name=r.person.full_name,
            requester_name=r.requester_name,
            requester_relationship=r.requester_relationship,
            received_on=r.received_on,
            identity_verified=r.identity_verified,
            due_on=r.due_on,
            status=r.status,
            extended_on=r.extended_on,
            refused_on=r.refused_on,
            released_on=r.released_on,
            released_sha256=r.release.sha256 if r.release is not None else None,
        )


@router.get(
    "/subject-access",
    response_model=list[RequestOut],
    responses=READ_PROBLEMS,
    summary="Subject access requests",
)
def list_requests(db: DbSession, actor: CaseReader) -> list[RequestOut]:
    """Every request whose person has a case the caller may see, newest first."""
    return [RequestOut.of(r) for r in service.list_requests(db, actor)]


@router.get(
    "/subject-access/{request_id}",
    response_model=RequestOut,
    responses=READ_PROBLEMS,
    summary="A subject access request",
)
def get_request(db: DbSession, actor: CaseReader, request_id: RequestId) -> RequestOut:
    return RequestOut.of(service.view_request(db, actor, request_id))


@router.post(
    "/subject-access",
    response_model=RequestOut,
    status_code=201,
    responses=WRITE_PROBLEMS,
    summary="Record a subject access request",
    openapi_extra=request_body(RequestCreate),
)
def post_request(
    db: DbSession,
    actor: LadoActor,
    response: Response,
    data: Annotated[RequestCreate, json_body(RequestCreate)],
) -> RequestOut:
    """The data subject is the adult of the case named by `case_reference`; the due date is one
    calendar month after `received_on`."""
    row = service.record_request(db, actor, data)
    response.headers["Location"] = f"/api/v1/subject-access/{row.id}"
    return RequestOut.of(row)
