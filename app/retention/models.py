"""Retention of closed cases: each one's review date and the rule that produced it, the hold
flag for cases an inquiry may ask for, and the reviews (keep or destroy) recorded on it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.orm import Base
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
