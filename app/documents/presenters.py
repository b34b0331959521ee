"""What the Documents tab and its forms show."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.documents import repository
from app.documents.content import ALLOWED, WHAT_CAN_BE_ATTACHED
from app.documents.models import Document
from app.meetings import repository as meetings_repository

SHORT = 60


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def kind_text(media_type: str) -> str:
    kind = ALLOWED.get(media_type)
    label = kind.label if kind else media_type
    return label.removeprefix("a ").removeprefix("an ")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def attachment_options(session: Session, case: Case) -> list[tuple[str, str]]:
    """What a document can be attached to, besides the case as a whole: its meetings and
    allegations ("meeting:ID", "allegation:ID")."""
    options = [
        (f"meeting:{m.id}", f"Meeting: {m.meeting_type.label}, {m.held_on:%-d %B %Y}")
        for m in meetings_repository.meetings_of(session, case.id)
    ]
    options += [
        (f"allegation:{a.id}", f"Allegation {n}: {_short(a.description)}")
        for n, a in enumerate(case.allegations, 1)
    ]
    return options


def attached_to_label(document: Document, options: dict[str, str]) -> str:
    if document.meeting_id is not None:
        return options.get(f"meeting:{document.meeting_id}", "A meeting")
    if document.allegation_id is not None:
        return options.get(f"allegation:{document.allegation_id}", "An allegation")
    return "The case"


def document_row(document: Document, options: dict[str, str]) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "description": document.description,
        "file_name": document.file_name,
        "kind": kind_text(document.media_type),
        "size": size_text(document.size),
        "attached_to": attached_to_label(document, options),
        "uploaded_by": document.uploaded_by.name if document.uploaded_by else "Not known",
        "uploaded_at": document.uploaded_at,
        "deleted_at": document.deleted_at,
        "deleted_by": document.deleted_by.name if document.deleted_by else "Not known",
        "deleted_reason": document.deleted_reason,
    }


def documents_context(session: Session, case: Case, max_upload_mb: int) -> dict[str, Any]:
    choices = attachment_options(session, case)
    named = dict(choices)
    return {
        "documents": [document_row(d, named) for d in repository.documents_of(session, case.id)],
        "deleted_documents": [
            document_row(d, named) for d in repository.documents_of(session, case.id, deleted=True)
        ],
        "attachment_options": choices,
        "max_upload_mb": max_upload_mb,
        "what_can_be_attached": WHAT_CAN_BE_ATTACHED,
        "accept": ",".join(ext for kind in ALLOWED.values() for ext in kind.extensions),
    }
