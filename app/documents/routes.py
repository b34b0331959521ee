"""The case's Documents tab: the list, the upload form, downloads, and deleting with a reason.
LADO officers attach and delete; case readers (LADO officers, managers) list and download. The
case is always loaded through the case scope: a restricted case not allocated to the caller is
404, and so are its documents; an HR liaison or administrator gets 403."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.datastructures import FormData, UploadFile

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.cases.section_routes import WritableCase
from app.config import get_settings
from app.db import DbSession, Refused, try_step
from app.documents import service
from app.documents.content import content_disposition
from app.documents.presenters import documents_context
from app.documents.schemas import DocumentCreate, DocumentDelete
from app.documents.storage import CHUNK
from app.errors import TooLarge, Unavailable
from app.forms import SubmittedForm, read_form, validate
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)
LINK_FIELDS = ("meeting_id", "allegation_id")


def upload_of(form: FormData) -> service.Upload | None:
    """The file field of a form, if a file was chosen."""
    value = form.get("file")
    if isinstance(value, UploadFile) and value.filename:
        return service.Upload(value.filename, value.file)
    return None


def with_links(data: dict[str, Any]) -> dict[str, Any]:
    """The form's "attached to" choice (`meeting:ID`, `allegation:ID` or the case) as the ids."""
    kind, _, number = str(data.get("attached_to") or "").partition(":")
    return {**data, **{f: number if f == f"{kind}_id" else None for f in LINK_FIELDS}}


def _page(request, db, actor, case: Case, values=None, errors=None, status_code=200):
    ctx = {
        **case_page_context(db, case, actor, "documents"),
        **documents_context(db, case, get_settings().max_upload_mb),
        "may_edit": actor.role == "lado",
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "documents/index.html", ctx, status_code=status_code)


@router.get("/cases/{case_id}/documents", name="documents.index")
def index(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    """The tab shows the case's identity bar: its reading is audited like every case page's."""
    return _page(request, db, actor, cases.view_case(db, actor, case_id))


@router.post("/cases/{case_id}/documents", name="documents.create")
def create(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form)
    data.pop("file", None)
    outcome = try_step(
        db,
        lambda: service.attach_document(
            db, actor, case, validate(DocumentCreate, with_links(data)), upload_of(form)
        ),
        reload=[case],
        conflict_field="file",
        also=(TooLarge, Unavailable),
    )
    if isinstance(outcome, Refused):
        errors = dict(outcome.errors)
        for field in LINK_FIELDS:
            if field in errors:
                errors["attached_to"] = errors.pop(field)
        return _page(request, db, actor, case, data, errors, outcome.status_code)
    if isinstance(outcome, service.Infected):  # the refusal is audited: this answer commits it
        return _page(request, db, actor, case, data, {"file": outcome.message}, 422)
    back = path_for(request, "documents.index", case_id=case.id) + f"#document-{outcome.id}"
    return redirect(request, back, flash=f"Document attached: {outcome.title}")


def _stream(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def download_response(document, stream: BinaryIO) -> StreamingResponse:
    """The file as an attachment, with the type found in its content and never sniffed again."""
    return StreamingResponse(
        _stream(stream),
        media_type=document.media_type,
        headers={
            "Content-Disposition": content_disposition(document.file_name),
            "Content-Length": str(document.size),
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/cases/{case_id}/documents/{document_id}/download", name="documents.download")
def download(db: DbSession, actor: CaseReader, case_id: int, document_id: int):
    case = cases.get_case(db, actor, case_id)
    document, stream = service.open_document(db, actor, case, document_id)
    return download_response(document, stream)


def _delete_form(request, case: Case, document, values=None, errors=None, status_code=200):
    return render(
        request,
        "documents/delete.html",
        {
            "title": f"Delete {document.title}",
            "case": case,
            "document": document,
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/documents/{document_id}/delete", name="documents.confirm_delete")
def confirm_delete(request: Request, db: DbSession, case: WritableCase, document_id: int):
    return _delete_form(request, case, service.get_document(db, case, document_id))


@router.post("/cases/{case_id}/documents/{document_id}/delete", name="documents.delete")
def delete(
    request: Request,
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    document_id: int,
    form: SubmittedForm,
):
    data = read_form(form)
    outcome = try_step(
        db,
        lambda: service.delete_document(db, actor, case, document_id, validate(DocumentDelete, data)),
        reload=[case],
        conflict_field="reason",
    )
    if isinstance(outcome, Refused):
        document = service.get_document(db, case, document_id, deleted_too=True)
        return _delete_form(request, case, document, data, outcome.errors, outcome.status_code)
    back = path_for(request, "documents.index", case_id=case.id)
    return redirect(request, back, flash=f"Document deleted: {outcome.title}")
