"""The JSON API of documents, under /api/v1/ (problem+json errors, as the cases API). Uploads
are multipart/form-data (the file in `file`, the other fields beside it); downloads are the file.

Case readers (LADO officers, managers) list and download; LADO officers attach and delete. A case
the caller may not read (a restricted case they are not named on) is 404, its documents too; an
HR liaison or administrator gets 403."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.api import WritableCase
from app.cases.api_schemas import READ_PROBLEMS, WRITE_PROBLEMS, request_body
from app.db import DbSession
from app.documents import repository, service
from app.documents.models import Document
from app.documents.routes import download_response, upload_of
from app.documents.schemas import DocumentCreate, DocumentDelete
from app.forms import SubmittedForm, json_body, read_form, validate
from app.ids import MAX_ID
from app.problems import problems

router = APIRouter(prefix="/api/v1", tags=["documents"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case's id")]
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The document's id")]


class DocumentOut(BaseModel):
    id: int
    case_id: int
    meeting_id: int | None
    allegation_id: int | None
    title: str
    description: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime

    @classmethod
    def of(cls, d: Document) -> DocumentOut:
        return cls(
            id=d.id,
            case_id=d.case_id,
            meeting_id=d.meeting_id,
            allegation_id=d.allegation_id,
            title=d.title,
            description=d.description,
            file_name=d.file_name,
            media_type=d.media_type,
            size=d.size,
            sha256=d.sha256,
            uploaded_by=d.uploaded_by.name if d.uploaded_by else None,
            uploaded_at=d.uploaded_at,
        )


class DocumentsOut(BaseModel):
    case_id: int
    #: The case's live documents, newest first.
    documents: list[DocumentOut]


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "The file"},
                        "title": {"type": "string", "maxLength": 200, "description": "Default: its name"},
                        "description": {"type": "string", "maxLength": 5000},
                        "meeting_id": {"type": "integer", "description": "A meeting of the case"},
                        "allegation_id": {"type": "integer", "description": "An allegation of the case"},
                    },
                }
            }
        },
    }
}


@router.get(
    "/cases/{case_id}/documents",
    response_model=DocumentsOut,
    responses=READ_PROBLEMS,
    summary="A case's documents",
)
def list_documents(db: DbSession, actor: CaseReader, case_id: CaseId) -> DocumentsOut:
    """The documents attached to the case (not the deleted ones). The read is audited."""
    case = cases.view_case(db, actor, case_id)
    return DocumentsOut(
        case_id=case.id, documents=[DocumentOut.of(d) for d in repository.documents_of(db, case.id)]
    )


@router.post(
    "/cases/{case_id}/documents",
    response_model=DocumentOut,
    status_code=201,
    responses={**WRITE_PROBLEMS, **problems(400, 413, 503)},
    summary="Attach a document",
    openapi_extra=UPLOAD_BODY,
)
def attach(db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm, response: Response):
    """The type is found from the content (PDF, Word, PNG, JPEG, GIF, WebP, HEIC, .eml, .msg,
    plain text) and must agree with the file's name; with scanning configured, an infected file
    is refused (422, audited) and nothing is stored. The same bytes are stored once."""
    data = read_form(form)
    data.pop("file", None)
    outcome = service.attach_document(db, actor, case, validate(DocumentCreate, data), upload_of(form))
    if isinstance(outcome, service.Infected):  # answered without raising: the refusal's audit commits
        return JSONResponse(
            {
                "type": "about:blank",
                "title": "There is a problem",
                "status": 422,
                "detail": outcome.message,
                "errors": [{"field": "file", "message": outcome.message}],
            },
            status_code=422,
            media_type="application/problem+json",
        )
    response.headers["Location"] = f"/api/v1/cases/{case.id}/documents/{outcome.id}"
    return DocumentOut.of(outcome)


@router.get(
    "/cases/{case_id}/documents/{document_id}",
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The file"},
        **READ_PROBLEMS,
    },
    summary="Download a document",
    response_class=Response,
)
def download(db: DbSession, actor: CaseReader, case_id: CaseId, document_id: DocumentId):
    """The file as attached, with the type found in its content. The download is audited."""
    case = cases.get_case(db, actor, case_id)
    document, stream = service.open_document(db, actor, case, document_id)
    return download_response(document, stream)


@router.delete(
    "/cases/{case_id}/documents/{document_id}",
    status_code=204,
    responses=WRITE_PROBLEMS,
    summary="Delete a document",
    openapi_extra=request_body(DocumentDelete),
    response_class=Response,
)
def delete(
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    document_id: DocumentId,
    data: Annotated[DocumentDelete, json_body(DocumentDelete)],
) -> Response:
    """A soft delete with its reason (required): the document leaves the case's list, the deletion
    is audited, and its bytes are removed once no other document holds them."""
    service.delete_document(db, actor, case, document_id, data)
    return Response(status_code=204)
