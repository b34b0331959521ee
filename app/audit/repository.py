"""Queries over the audit trail (read-only: audit rows are never updated or deleted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditQuery:
    """Resolved filters: ids and UTC instants (from inclusive, before exclusive)."""

    actor_id: int | None = None
    case_id: int | None = None
    since: datetime | None = None
    before: datetime | None = None
    verb: str | None = None


def search(session: Session, query: AuditQuery, *, offset: int = 0, limit: int = 50) -> list[AuditEvent]:
    """Matching events, newest first. Ask for one more than a page to learn whether another follows."""
    stmt = select(AuditEvent)
    if query.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == query.actor_id)
    if query.case_id is not None:
        stmt = stmt.where(AuditEvent.case_id == query.case_id)
    if query.since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= query.since)
    if query.before is not None:
        stmt = stmt.where(AuditEvent.occurred_at < query.before)
    if query.verb is not None:
        stmt = stmt.where(AuditEvent.verb == query.verb)
    stmt = stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).offset(offset).limit(limit)
    return list(session.scalars(stmt))
