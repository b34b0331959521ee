from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.types import UTCDateTime, utcnow


class Verb(StrEnum):
    """What happened. Every write and every read of case content records one."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    VIEWED = "viewed"
    EXPORTED = "exported"
    STATUS_CHANGED = "status_changed"
    REOPENED = "reopened"
    NOTE_ADDED = "note_added"
    IMPORTED = "imported"
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGNED_OUT = "signed_out"
    ACCESS_DENIED = "access_denied"
    MFA_ENROLLED = "mfa_enrolled"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"


class AuditEvent(Base):
    """Append-only: the application never updates or deletes a row (a trigger enforces it on PostgreSQL)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_case_id_id", "case_id", "id"),
        Index("ix_audit_events_actor_id_occurred_at", "actor_id", "occurred_at"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The actor's name and e-mail as they were at the time (accounts can be renamed).
    actor_label: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str | None] = mapped_column(String(64))
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column()  # no FK: audit outlives everything
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
