"""Where a case happens and who leads it: the council areas, the lead LADO, transfers in and out,
notifications to other LADOs; and when it happened (the incident date or period, non-recent) and
who referred it (the referrer's agency).

`case_areas` holds one row per case (1:1; no row is "nothing recorded yet"). `case_transfers`
holds every transfer of the case, in (received from another LADO, with its reference) and out
(closed here as transferred: the case's status is then `transferred`). `lado_notifications`
holds each other LADO told about the case.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.reference.models import ReferrerAgency
from app.types import UTCDateTime
from app.users.models import User


class TransferDirection(StrEnum):
    IN = "in"  # received from another LADO
    OUT = "out"  # transferred to another LADO: closed here

    @property
    def label(self) -> str:
        return "Received from another LADO" if self is TransferDirection.IN else "Transferred to another LADO"


class CaseAreas(Base):
    """The where and when of one case, and who referred it."""

    __tablename__ = "case_areas"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: None: not recorded (cases recorded before the agency was asked for, unless it was derived).
    referrer_agency_code: Mapped[str | None] = mapped_column(ForeignKey("referrer_agencies.code"))
    work_area: Mapped[str] = mapped_column(String(200), default="")
    home_area: Mapped[str] = mapped_column(String(200), default="")
    incident_area: Mapped[str] = mapped_column(String(200), default="")
    #: This LADO leads the case (the usual case: the adult works here); otherwise `lead_lado` does.
    led_here: Mapped[bool] = mapped_column(default=True)
    lead_lado: Mapped[str] = mapped_column(String(200), default="")
    incident_from: Mapped[date | None] = mapped_column(Date)
    incident_to: Mapped[date | None] = mapped_column(Date)
    #: When the dates are not known exactly ("summer 1998", "1985 to 1990").
    incident_period: Mapped[str] = mapped_column(String(200), default="")
    #: None: not recorded.
    non_recent: Mapped[bool | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    referrer_agency: Mapped[ReferrerAgency | None] = relationship(lazy="joined")


class CaseTransfer(Base):
    """A transfer of the case between this LADO and another (append-only)."""

    __tablename__ = "case_transfers"
    __table_args__ = (Index("ix_case_transfers_case_id_direction", "case_id", "direction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(10))
    #: The other LADO: the one it came from, or the one that receives it.
    other_lado: Mapped[str] = mapped_column(String(200))
    transferred_on: Mapped[date] = mapped_column(Date)
    #: The other LADO's reference for the case.
    other_reference: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The status the case had before a transfer out.
    previous_status: Mapped[str | None] = mapped_column(String(20))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def direction_enum(self) -> TransferDirection:
        return TransferDirection(self.direction)


class LadoNotification(Base):
    """Another LADO told about the case (the adult lives or the incident was in their area...)."""

    __tablename__ = "lado_notifications"
    __table_args__ = (Index("ix_lado_notifications_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    lado: Mapped[str] = mapped_column(String(200))
    notified_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User | None] = relationship(lazy="joined")


#: How the audit names the fields these records write (app/audit/wording.py reads it): key ->
#: (label, kind of value).
AUDIT_FIELDS: dict[str, tuple[str, str]] = {
    "referrer_agency_code": ("Referrer's agency", "code:referrer-agencies"),
    "work_area": ("Area where the adult works", "text"),
    "home_area": ("Area where the adult lives", "text"),
    "incident_area": ("Area where the incident happened", "text"),
    "led_here": ("Led by this LADO", "bool"),
    "lead_lado": ("Lead LADO", "text"),
    "incident_from": ("Date of the incident", "date"),
    "incident_to": ("Incident ended", "date"),
    "incident_period": ("Incident period", "text"),
    "non_recent": ("Non-recent allegation", "bool"),
    "direction": ("Transfer", "code:transfer_direction"),
    "other_lado": ("Other LADO", "text"),
    "transferred_on": ("Date of the transfer", "date"),
    "other_reference": ("Other LADO's reference", "text"),
    "lado": ("LADO notified", "text"),
    "notified_on": ("Date notified", "date"),
}
