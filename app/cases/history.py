"""What a case had before it was re-opened: the report as at an earlier date counts the case
with it (annual-report.md, as at is a point in time)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime


class CaseReopening(Base):
    """What a case had decided and concluded before it was re-opened on `reopened_on`: the report
    as at an earlier date counts the case with these (annual-report.md, as at is a point in time)."""

    __tablename__ = "case_reopenings"
    __table_args__ = (Index("ix_case_reopenings_reopened_on_case_id", "reopened_on", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reopened_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The case's conclusion as it stood (cases' columns of the same names).
    status: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str | None] = mapped_column(String(20))
    nfa_kind: Mapped[str | None] = mapped_column(String(40))
    decided_on: Mapped[date | None] = mapped_column(Date)
    training_needs: Mapped[bool | None] = mapped_column()
    concluded_on: Mapped[date | None] = mapped_column(Date)
    nfa_after_investigation: Mapped[bool] = mapped_column(default=False)
    conclusion_reason: Mapped[str] = mapped_column(Text, default="")

    outcomes: Mapped[list[ReopenedOutcome]] = relationship(cascade="all, delete-orphan")


#: The case columns a re-opening keeps as they stood (CaseReopening has one of each name).
REOPENED_COLUMNS = (
    *("status", "decision", "nfa_kind", "decided_on"),
    *("training_needs", "concluded_on", "nfa_after_investigation", "conclusion_reason"),
)


class ReopenedOutcome(Base):
    """An allegation's outcome as it stood when its case was re-opened (one row per allegation
    the case had then). A report as at a date before the re-opening reads the case's outcomes
    from these, so an outcome changed after re-opening does not change an earlier report."""

    __tablename__ = "reopened_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    reopening_id: Mapped[int] = mapped_column(
        ForeignKey("case_reopenings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    allegation_id: Mapped[int | None] = mapped_column(ForeignKey("allegations.id", ondelete="SET NULL"))
    outcome_code: Mapped[str | None] = mapped_column(ForeignKey("outcomes.code"))
    outcome_on: Mapped[date | None] = mapped_column(Date)
