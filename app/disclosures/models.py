"""The sharing log: every disclosure of a case's information to another agency (police, another
LADO, a regulator, an employer), with what was shared, to whom, when, how and on which lawful
basis (reference data, `lawful_bases`). The agency is a kind from the referrer agencies' list
(the same agencies send referrals and receive disclosures) with the agency's own name.

Letters sent are not copied here: the log shows each delivered letter from its own delivery
record (app/disclosures/presenters.py), so the two never disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.reference.models import LawfulBasis, ReferrerAgency
from app.types import UTCDateTime
from app.users.models import User


class DisclosureMethod(StrEnum):
    EMAIL = "email"
    SECURE_EMAIL = "secure_email"
    PHONE = "phone"
    POST = "post"
    MEETING = "meeting"
    PORTAL = "portal"


METHOD_LABELS = {
    DisclosureMethod.EMAIL: "E-mail",
    DisclosureMethod.SECURE_EMAIL: "Secure e-mail",
    DisclosureMethod.PHONE: "Phone",
    DisclosureMethod.POST: "Post",
    DisclosureMethod.MEETING: "In a meeting",
    DisclosureMethod.PORTAL: "Secure portal",
}


class Disclosure(Base):
    """One disclosure recorded by an officer. Append-only: a wrong entry is corrected by a new one."""

    __tablename__ = "disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    shared_on: Mapped[date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(Text)
    agency_code: Mapped[str] = mapped_column(ForeignKey("referrer_agencies.code"))
    agency_name: Mapped[str] = mapped_column(String(200))
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_role: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(20))
    lawful_basis_code: Mapped[str] = mapped_column(ForeignKey("lawful_bases.code"))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[ReferrerAgency] = relationship(lazy="joined")
    lawful_basis: Mapped[LawfulBasis] = relationship(lazy="joined")
    recorded_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[DisclosureMethod(self.method)]


#: How the audit names the fields a disclosure records (app/audit/fields.py reads it): key ->
#: (label, kind of value).
AUDIT_FIELDS: dict[str, tuple[str, str]] = {
    "shared_on": ("Date it was shared", "date"),
    "agency_code": ("Kind of agency", "code:referrer-agencies"),
    "agency_name": ("Agency", "text"),
    "recipient_name": ("Shared with", "text"),
    "method": ("How it was shared", "code:disclosure_method"),
    "lawful_basis_code": ("Lawful basis", "code:lawful-bases"),
}
AUDIT_VOCABULARIES = {"disclosure_method": {k.value: v for k, v in METHOD_LABELS.items()}}
