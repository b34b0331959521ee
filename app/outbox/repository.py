"""Queries of the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.outbox.models import MessageStatus, OutboxMessage


def due_messages(session: Session, now: datetime, limit: int | None = None) -> list[OutboxMessage]:
    """Due messages, locked for this transaction: rows another worker holds are skipped
    (PostgreSQL); on SQLite the read takes the write lock, so workers take turns."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def get_message(session: Session, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)
