"""The administrator's upload page for the bulk case import (GET/POST /admin/import)."""

from __future__ import annotations

from fastapi import APIRouter, File, Query, Request, UploadFile
from starlette.datastructures import UploadFile as StarletteUploadFile

from app.auth.dependencies import AdminActor
from app.db import DbSession
from app.imports import repository
from app.imports.schemas import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, ImportRejected
from app.imports.service import import_stream
from app.web import path_for, redirect, render

router = APIRouter()

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: The error summary lists this many problems, then says how many more there are.
SHOWN_PROBLEMS = 200


def _page(
    request: Request,
    *,
    problems: list[str] | None = None,
    total: int = 0,
    field_error: str = "",
    summary: dict | None = None,
    status_code: int = 200,
):
    problems = problems or []
    shown = problems[:SHOWN_PROBLEMS]
    more = max(total, len(problems)) - len(shown)
    return render(
        request,
        "imports/new.html",
        {
            "title": "Import cases",
            "problems": shown,
            "more_problems": more,
            "field_error": field_error,
            "summary": summary,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
            "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status_code=status_code,
    )


@router.get("/admin/import", name="imports.new")
def new_import(
    request: Request, actor: AdminActor, db: DbSession, import_event: int | None = Query(None, alias="import")
):
    """The upload form; after an import, its summary (read back from the import's audit event)."""
    summary = repository.import_summary(db, import_event) if import_event else None
    return _page(request, summary=summary)


@router.post("/admin/import", name="imports.create")
def create_import(request: Request, actor: AdminActor, db: DbSession, file: UploadFile | None = File(None)):
    """Check the uploaded CSV and, only if every row is clean, import it in this request's transaction."""
    message = _upload_problem(file)
    if message:
        return _page(request, problems=[message], total=1, field_error=message, status_code=422)
    assert file is not None
    try:
        result = import_stream(db, actor, file.file, source_name=file.filename or "upload.csv")
    except ImportRejected as exc:
        return _page(
            request, problems=exc.problems, total=exc.total, field_error=exc.message, status_code=422
        )
    noun = "case" if result.imported == 1 else "cases"
    return redirect(
        request,
        path_for(request, "imports.new") + f"?import={result.audit_event_id}",
        flash=f"Imported {result.imported:,} {noun}",
    )


def _upload_problem(file: StarletteUploadFile | None) -> str | None:
    # FastAPI hands over Starlette's UploadFile (fastapi.UploadFile is only its subclass for typing)
    if not isinstance(file, StarletteUploadFile) or not file.filename:
        return "Select a CSV file to import"
    if not file.filename.lower().endswith(".csv"):
        return (
            "The selected file must be a CSV file; in your spreadsheet choose Save As and "
            '"CSV UTF-8 (Comma delimited)"'
        )
    size = file.size if file.size is not None else _measure(file)
    if size > MAX_UPLOAD_BYTES:
        megabytes = MAX_UPLOAD_BYTES // (1024 * 1024)
        return f"The selected file must be smaller than {megabytes} MB; split it into smaller files"
    if size == 0:
        return "The selected file is empty"
    return None


def _measure(file: StarletteUploadFile) -> int:
    file.file.seek(0, 2)
    size = file.file.tell()
    file.file.seek(0)
    return size
