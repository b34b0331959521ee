"""The intake queue: referrals sent through the public online form. An intake is not a case;
a LADO turns it into one, or closes it as advice given."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime


class IntakeStatus(StrEnum):
    NEW = "new"
    CONVERTED = "converted"  # a case was opened from it
    CLOSED = "closed"  # advice given, no case


INTAKE_STATUS_LABELS = {
    IntakeStatus.NEW: "New",
    IntakeStatus.CONVERTED: "Case opened",
    IntakeStatus.CLOSED: "Closed: advice given",
}


class Intake(Base):
    __tablename__ = "intakes"
    __table_args__ = (Index("ix_intakes_status_received_at", "status", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The receipt reference given to the referrer (random, not guessable, not a case reference).
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    #: The form's one-time key: the same submission twice gives one intake.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=IntakeStatus.NEW)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    referrer_name: Mapped[str] = mapped_column(String(200))
    referrer_role: Mapped[str] = mapped_column(String(200), default="")
    referrer_email: Mapped[str] = mapped_column(String(254))
    referrer_phone: Mapped[str] = mapped_column(String(50), default="")
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_address: Mapped[str] = mapped_column(String(500), default="")
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"))
    adult_first_name: Mapped[str] = mapped_column(String(100))
    adult_last_name: Mapped[str] = mapped_column(String(100))
    adult_date_of_birth: Mapped[date | None] = mapped_column(Date)
    adult_job_title: Mapped[str] = mapped_column(String(200))
    #: [{"initials": "AB", "age": 12}], at most a few.
    children: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    what_happened: Mapped[str] = mapped_column(Text)
    happened_on: Mapped[date | None] = mapped_column(Date)
    action_taken: Mapped[str] = mapped_column(Text, default="")
    #: "yes", "no" or "not_yet" (being considered).
    suspended: Mapped[str] = mapped_column(String(20), default="")

    ip: Mapped[str | None] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        return INTAKE_STATUS_LABELS.get(IntakeStatus(self.status), self.status)

    @property
    def adult_name(self) -> str:
        return f"{self.adult_first_name} {self.adult_last_name}".strip()


class IntakeAttempt(Base):
    """Every POST of the public form, accepted or not: the per-IP rate limit counts these rows,
    so it holds across app instances. Rows older than a day are pruned as new ones arrive."""

    __tablename__ = "intake_attempts"
    __table_args__ = (Index("ix_intake_attempts_ip_attempted_at", "ip", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    accepted: Mapped[bool] = mapped_column(default=False)
