"""Consultations: advice given to an employer (or anyone who asks) about a concern, often without
naming the adult.

A consultation is a case at the stage `consultation` (app/cases/models.py: CaseStatus), so that
every count of cases (the annual total, the source and category tables, the quarterly rate per
10,000 children) counts it without a rule of its own, and so that it can become a referral later
on the same record: same reference, same received date. This table holds what only a
consultation has: the advice given, the online referral it came from, and when it became a
referral (the day the statutory clocks start: app/clocks/service.py clocks_start).

The adult may be unnamed: the case then has no person, so no person check runs and nobody is added
to the people index (people, person_keys).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.cases.models import Case
from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime
from app.users.models import User


class Consultation(Base):
    """One row per case that began as a consultation (kept once it became a referral)."""

    __tablename__ = "consultations"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    advice: Mapped[str] = mapped_column(Text, default="")
    #: The online referral closed as "advice given" that this consultation records.
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id", ondelete="SET NULL"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The day it became a referral: the statutory clocks run from it (the received date is kept).
    converted_on: Mapped[date | None] = mapped_column(Date)
    converted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # `case.consultation` (None for a case that was a referral from the start): read by the clocks.
    # Not joined the other way: the case is always in the session already when its consultation
    # is read (the identity map gives it), and joining it again joined its four relationships.
    case: Mapped[Case] = relationship(backref=backref("consultation", uselist=False, passive_deletes=True))
    converted_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def converted(self) -> bool:
        return self.converted_on is not None
