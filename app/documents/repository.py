"""Every query of documents. Callers pass a case already loaded through the case scope
(app.cases.service.get_case); these queries never return another case's documents."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.documents.models import Document


def documents_of(session: Session, case_id: int, *, deleted: bool = False) -> list[Document]:
    """The case's live documents (or its deleted ones), newest first."""
    gone = Document.deleted_at.is_not(None) if deleted else Document.deleted_at.is_(None)
    stmt = select(Document).where(Document.case_id == case_id, gone).order_by(Document.id.desc())
    return list(session.scalars(stmt))


def document_of_case(session: Session, case_id: int, document_id: int) -> Document | None:
    return session.scalar(select(Document).where(Document.case_id == case_id, Document.id == document_id))


def live_references(session: Session, sha256: str) -> int:
    """How many live documents (of any case) hold these bytes."""
    stmt = select(func.count()).where(Document.sha256 == sha256, Document.deleted_at.is_(None))
    return session.scalar(stmt) or 0


def hashes_of_case(session: Session, case_id: int) -> set[str]:
    return set(session.scalars(select(Document.sha256).where(Document.case_id == case_id).distinct()))


def remove_case_documents(session: Session, case_id: int) -> int:
    """Delete every row of the case's documents (deleted ones too); how many there were."""
    result = session.execute(delete(Document).where(Document.case_id == case_id))
    return int(getattr(result, "rowcount", 0) or 0)
