"""Retention of closed cases: each one's review date and the rule that produced it, the hold
flag for cases an inquiry may ask for, and the reviews (keep or destroy) recorded on it; and
the guard that no ORM path changes a case, or a row of it, once its personal data is destroyed."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.audit.models import AuditEvent
from app.cases.models import Case
from app.clock import utcnow
from app.errors import InvalidTransition
from app.orm import Base
from app.publications.models import PublishedFigureCase
from app.types import UTCDateTime


class RetentionRule(StrEnum):
    """What set a case's review date (the latest of the policy's dates wins)."""

    YEARS_AFTER_CLOSURE = "years_after_closure"
    PENSION_AGE = "pension_age"
    CATEGORY = "category"
    KEPT = "kept"  # a review decided to keep the case until a new date


RULE_LABELS = {
    RetentionRule.YEARS_AFTER_CLOSURE: "Years after closure",
    RetentionRule.PENSION_AGE: "The adult's pension age",
    RetentionRule.CATEGORY: "Longer period for the allegation category",
    RetentionRule.KEPT: "Kept at a retention review",
}


class ReviewDecision(StrEnum):
    KEEP = "keep"
    DESTROY = "destroy"


class CaseRetention(Base):
    """One row per closed case (concluded, or no further action after initial consideration).
    `review_on` is NULL while the case is open again; a held case is never due."""

    __tablename__ = "case_retentions"
    __table_args__ = (Index("ix_case_retentions_review_on_case_id", "review_on", "case_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str] = mapped_column(String(40), default="")
    #: How the rule was applied, in words ("25 years after closure (category Sexual)").
    rule_detail: Mapped[str] = mapped_column(String(300), default="")
    hold: Mapped[bool] = mapped_column(default=False)
    hold_reason: Mapped[str] = mapped_column(Text, default="")
    hold_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hold_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    destroyed_on: Mapped[date | None] = mapped_column(Date)
    destroyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RetentionReview(Base):
    """A recorded review: keep (with the new review date) or destroy."""

    __tablename__ = "retention_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date | None] = mapped_column(Date)
    reviewed_on: Mapped[date] = mapped_column(Date)
    #: The review date and rule the case had when it was reviewed.
    due_on: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str] = mapped_column(String(40), default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


#: Rows still written for a destroyed case: the audit (the destruction's certificate, later
#: views), its retention record and reviews, and published reports' lists of the cases a
#: figure counted (the codes and dates a figure reads are kept).
_WRITTEN_AFTER_DESTRUCTION = (AuditEvent, CaseRetention, RetentionReview, PublishedFigureCase)


def _case_of(obj: object, new: bool) -> int | None:
    """The id of the case a row belongs to: its own, its `case_id`, or (a new row added to a
    case's collection, its `case_id` not yet set) its `case`'s."""
    if isinstance(obj, Case):
        return obj.id
    case_id = getattr(obj, "case_id", None)
    if case_id is None and new:
        case = getattr(obj, "case", None)
        case_id = case.id if isinstance(case, Case) else None
    return case_id if isinstance(case_id, int) else None


@event.listens_for(Session, "before_flush")
def _destroyed_cases_never_change(session: Session, _ctx: Any, _instances: Any) -> None:
    """Behind the services' checks: nothing is added to, changed on or deleted from a case
    whose personal data was destroyed (retention.destruction), which would write back what
    the destruction removed. Read from the database, so the destruction's own flush passes."""
    ids: set[int] = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, _WRITTEN_AFTER_DESTRUCTION):
                continue
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            case_id = _case_of(obj, obj in session.new)
            if case_id is not None:
                ids.add(case_id)
        if not ids:
            return
        destroyed = session.execute(
            select(CaseRetention.destroyed_on)
            .where(CaseRetention.case_id.in_(ids), CaseRetention.destroyed_on.is_not(None))
            .limit(1)
        ).scalar()
    if destroyed is not None:
        raise InvalidTransition(
            "This case's personal data was destroyed under a retention review on "
            f"{destroyed:%-d %B %Y}: nothing on it can be changed."
        )
