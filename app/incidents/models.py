"""One incident, several adults (domain.md stage 1).

When one incident involves several adults (several staff in one restraint), each adult has a
case of their own: their own allegations, outcomes, disposals, regulator referrals and letters.
The cases of one incident are linked as a group, `incidents`, through `cases.incident_id`.

The group shares the children and the summary: each case keeps its own copy (the report, the
letters and the case page read them from the case), and a change to them on one case is made to
every other case of the group in the same transaction, each audited on its own case
(app/incidents/service.py). The copies of one child carry the same `children.shared_key`, so
that a correction or a removal finds the child's copy on each case. Closing, re-opening or
concluding one case changes none of the others.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime


class Incident(Base):
    """A group of cases about one incident, one case per adult."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
