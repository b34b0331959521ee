"""The three strands of a threshold-met case (police investigation, children's social care
section 47 enquiries, the employer's disciplinary process) and the case's suspension record.

Each strand has its own course: a status and an outcome, each with the date it took effect. The
current state is one row per case and strand (`case_strands`); every change is also appended to
`strand_changes` (what, effective when, by whom, recorded when), so that a count "as at" a date
reads the last change effective on or before it. The police outcome is not an employer's
disposal: the employer strand's outcome is a disposal code (reference data), the police and
social care outcomes are fixed vocabularies below.

Suspension is never automatic (KCSIE Part 4): the record says whether it was considered, the
alternatives considered, the decision and its reasons, who decided and when, and the dates the
suspension started, was last reviewed and ended. One row per case (`suspensions`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime
from app.users.models import User


class StrandKind(StrEnum):
    POLICE = "police"
    SOCIAL_CARE = "social_care"
    EMPLOYER = "employer"


KIND_LABELS = {
    StrandKind.POLICE: "Police investigation",
    StrandKind.SOCIAL_CARE: "Children's social care (section 47 enquiries)",
    StrandKind.EMPLOYER: "Employer's disciplinary process",
}


class StrandStatus(StrEnum):
    CONSIDERING = "considering"
    NOT_REQUIRED = "not_required"
    UNDER_WAY = "under_way"
    CONCLUDED = "concluded"


STATUS_LABELS = {
    StrandStatus.CONSIDERING: "Being considered",
    StrandStatus.NOT_REQUIRED: "Not taking place",
    StrandStatus.UNDER_WAY: "Under way",
    StrandStatus.CONCLUDED: "Concluded",
}
#: Statuses that may carry an outcome (a police charge while the trial is still to come, say).
WITH_OUTCOME = {StrandStatus.UNDER_WAY, StrandStatus.CONCLUDED}
#: The outcome that says a strand has not finished: not an outcome a concluded strand can have.
ONGOING = "ongoing"

POLICE_OUTCOMES = {
    "nfa": "No further action",
    "charged": "Charged",
    "cautioned": "Cautioned",
    "convicted": "Convicted",
    "acquitted": "Acquitted",
    ONGOING: "Ongoing",
}
SOCIAL_CARE_OUTCOMES = {
    "substantiated": "Concerns substantiated",
    "not_substantiated": "Concerns not substantiated",
    ONGOING: "Ongoing",
}
#: Fixed outcome vocabularies by strand; the employer's are the disposals (reference data).
FIXED_OUTCOMES = {StrandKind.POLICE: POLICE_OUTCOMES, StrandKind.SOCIAL_CARE: SOCIAL_CARE_OUTCOMES}


class SuspensionDecision(StrEnum):
    SUSPENDED = "suspended"
    ALTERNATIVE = "alternative"
    NOT_SUSPENDED = "not_suspended"


DECISION_LABELS = {
    SuspensionDecision.SUSPENDED: "Suspended",
    SuspensionDecision.ALTERNATIVE: "Not suspended: alternative arrangements made",
    SuspensionDecision.NOT_SUSPENDED: "Not suspended",
}


class CaseStrand(Base):
    """Where one strand of a case stands now."""

    __tablename__ = "case_strands"
    __table_args__ = (UniqueConstraint("case_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    status_on: Mapped[date] = mapped_column(Date)
    outcome_code: Mapped[str | None] = mapped_column(String(40))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class StrandChange(Base):
    """One change of a strand, as it was recorded (append-only)."""

    __tablename__ = "strand_changes"
    __table_args__ = (Index("ix_strand_changes_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    status_on: Mapped[date] = mapped_column(Date)
    outcome_code: Mapped[str | None] = mapped_column(String(40))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User | None] = relationship(lazy="joined")


class Suspension(Base):
    """Whether the adult was suspended, and how that was decided (one per case)."""

    __tablename__ = "suspensions"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    considered: Mapped[bool] = mapped_column(default=False)
    considered_on: Mapped[date | None] = mapped_column(Date)
    alternatives: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(20))
    reasons: Mapped[str] = mapped_column(Text, default="")
    #: Who decided (usually at the employer): a name and role, not a user of this service.
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def is_suspended_on(self, day: date) -> bool:
        """Suspended on `day`: started on or before it and not ended before it."""
        return (
            self.started_on is not None
            and self.started_on <= day
            and (self.ended_on is None or self.ended_on >= day)
        )


#: How the audit names these records' fields and codes (app/audit/wording.py reads them):
#: key -> (label, kind); (object type, key) -> (label, kind) where a key means something else here.
AUDIT_VOCABULARIES = {
    "strand_kind": {k.value: v for k, v in KIND_LABELS.items()},
    "strand_status": {k.value: v for k, v in STATUS_LABELS.items()},
    "strand_outcome": {**SOCIAL_CARE_OUTCOMES, **POLICE_OUTCOMES},
    "suspension_decision": {k.value: v for k, v in DECISION_LABELS.items()},
}
AUDIT_FIELDS = {
    "strand": ("Strand", "code:strand_kind"),
    "status_on": ("Date of the status", "date"),
    "disposal_code": ("Outcome", "code:disposals"),
    "notes": ("Notes", "text"),
    "considered": ("Suspension considered", "bool"),
    "considered_on": ("Date suspension was considered", "date"),
    "alternatives": ("Alternatives considered", "text"),
    "reasons": ("Reasons", "text"),
    "decided_by": ("Who decided", "text"),
    "started_on": ("Suspension started", "date"),
    "reviewed_on": ("Suspension last reviewed", "date"),
    "ended_on": ("Suspension ended", "date"),
}
AUDIT_FIELDS_BY_OBJECT = {
    ("case_strand", "status"): ("Status", "code:strand_status"),
    ("case_strand", "outcome_code"): ("Outcome", "code:strand_outcome"),
    ("suspension", "decision"): ("Decision", "code:suspension_decision"),
    ("suspension", "decided_on"): ("Date of the decision", "date"),
}
