"""Who works a case: its allocation history, and cover for an absent officer.

The current allocation lives on the case (`cases.allocated_officer_id`, and `case_officers` for
everyone named on it, co-workers included: app/cases/models.py). Every change to it is a row of
`case_allocations` (from whom, to whom, why, by whom, when, and the cover it was part of), in the
same transaction as its audit event, which the case's chronology shows.

A cover is one step: each open case of the absent officer is reallocated to a covering officer
(the absent officer stays on it as a co-worker), and `cover_cases` records which officer took
which case. Ending the cover hands back exactly those cases still allocated to the officer who
took them under the cover; a case reallocated since stays where it is (`outcome` says which).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime
from app.users.models import User


class AllocationKind(StrEnum):
    ALLOCATED = "allocated"  # the allocated officer set or changed
    CO_WORKER_ADDED = "co_worker_added"
    CO_WORKER_REMOVED = "co_worker_removed"


class CoverOutcome(StrEnum):
    HANDED_BACK = "handed_back"  # back with the absent officer when the cover ended
    KEPT = "kept"  # reallocated during the cover: left with whoever has it


class CaseAllocation(Base):
    """One change of who works a case (append-only)."""

    __tablename__ = "case_allocations"
    __table_args__ = (Index("ix_case_allocations_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    #: ALLOCATED: the officer before and after (None: not allocated); a co-worker change: the co-worker.
    from_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("covers.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_officer: Mapped[User | None] = relationship(foreign_keys=[from_officer_id], lazy="joined")
    to_officer: Mapped[User | None] = relationship(foreign_keys=[to_officer_id], lazy="joined")
    by: Mapped[User | None] = relationship(foreign_keys=[by_id], lazy="joined")


class Cover(Base):
    """An officer's absence, covered by others: at most one open (not ended) cover per officer."""

    __tablename__ = "covers"
    __table_args__ = (
        Index(
            "ix_covers_absent_officer_id_open",
            "absent_officer_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    absent_officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    end_reason: Mapped[str] = mapped_column(Text, default="")

    absent_officer: Mapped[User] = relationship(foreign_keys=[absent_officer_id], lazy="joined")
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id], lazy="joined")
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id], lazy="joined")
    cases: Mapped[list[CoverCase]] = relationship(
        back_populates="cover", cascade="all, delete-orphan", order_by="CoverCase.case_id"
    )

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class CoverCase(Base):
    """A case a cover moved: to whom, and what happened to it when the cover ended."""

    __tablename__ = "cover_cases"

    cover_id: Mapped[int] = mapped_column(ForeignKey("covers.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    covering_officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The covering officer was a co-worker before: they stay one when the case is handed back.
    was_co_worker: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(20))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cover: Mapped[Cover] = relationship(back_populates="cases")
    covering_officer: Mapped[User] = relationship(foreign_keys=[covering_officer_id], lazy="joined")
