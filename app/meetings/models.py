"""Meetings (evaluation/strategy, review, outcome) and the actions agreed at them or on a case."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.clock import utcnow
from app.errors import InvalidTransition
from app.orm import Base
from app.reference.models import MeetingType
from app.types import UTCDateTime
from app.users.models import User

#: Meeting-type codes the statutory clocks rely on (seeded; an administrator may relabel them).
EVALUATION = "evaluation"
REVIEW = "review"
OUTCOME = "outcome"


class Strand(StrEnum):
    """Where one strand (police, children's social care, employer) stands after the meeting."""

    PROCEEDING = "proceeding"
    NOT_PROCEEDING = "not_proceeding"
    UNDECIDED = "undecided"


STRAND_LABELS = {
    Strand.PROCEEDING: "Agreed or under way",
    Strand.NOT_PROCEEDING: "Not proceeding",
    Strand.UNDECIDED: "Considered, not yet decided",
}

#: The three strands, by the column that records each.
STRANDS = {
    "police_strand": "Police investigation",
    "social_care_strand": "Children's social care (section 47 enquiries)",
    "employer_strand": "Employer's disciplinary process",
}


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_case_id_held_at", "case_id", "held_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    meeting_type_code: Mapped[str] = mapped_column(ForeignKey("meeting_types.code"))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The London calendar date of held_at, for date comparisons in SQL (clocks, dashboard).
    held_on: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    police_strand: Mapped[str | None] = mapped_column(String(20))
    social_care_strand: Mapped[str | None] = mapped_column(String(20))
    employer_strand: Mapped[str | None] = mapped_column(String(20))
    suspension_considered: Mapped[bool] = mapped_column(default=False)
    suspension_notes: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date | None] = mapped_column(Date)
    #: Required for a review meeting held after the conclusion target.
    delay_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    meeting_type: Mapped[MeetingType] = relationship(lazy="joined")
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.id"
    )
    actions: Mapped[list[CaseAction]] = relationship(back_populates="meeting", order_by="CaseAction.id")

    __mapper_args__ = {"version_id_col": version}


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    attended: Mapped[bool] = mapped_column(default=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


class CaseAction(Base):
    """Something someone must do by a date: agreed at a meeting or set directly on the case.
    Owned by a named person at an organisation, or by a user of this service."""

    __tablename__ = "case_actions"
    __table_args__ = (
        Index("ix_case_actions_case_id_due_on", "case_id", "due_on"),
        Index("ix_case_actions_done_on_due_on", "done_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_organisation: Mapped[str] = mapped_column(String(200), default="")
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    meeting: Mapped[Meeting | None] = relationship(back_populates="actions")
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id], lazy="joined")

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.name
        return ", ".join(x for x in (self.owner_name, self.owner_organisation) if x)

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on < today


class PlanStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"  # recorded as a meeting (meeting_id)
    CANCELLED = "cancelled"


PLAN_STATUS_LABELS = {
    PlanStatus.PLANNED: "Planned",
    PlanStatus.HELD: "Held",
    PlanStatus.CANCELLED: "Cancelled",
}


class MeetingPlan(Base):
    """A meeting arranged ahead: when, where, who is invited (an .ics invitation to download).
    Recorded when held as a `Meeting` of its own (`meeting_id`); the plan stays as it was sent."""

    __tablename__ = "meeting_plans"
    __table_args__ = (Index("ix_meeting_plans_case_id_starts_at", "case_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    meeting_type_code: Mapped[str] = mapped_column(ForeignKey("meeting_types.code"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The London calendar date of starts_at.
    starts_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    location: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.PLANNED.value)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    #: The invitation's uid, stable across changes; `version` is its SEQUENCE.
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    meeting_type: Mapped[MeetingType] = relationship(lazy="joined")
    invitees: Mapped[list[MeetingInvitee]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="MeetingInvitee.id"
    )

    __mapper_args__ = {"version_id_col": version}


class MeetingInvitee(Base):
    __tablename__ = "meeting_invitees"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("meeting_plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")

    plan: Mapped[MeetingPlan] = relationship(back_populates="invitees")


#: How the audit names a plan's fields (app/audit/wording.py reads them), as in app/strands/models.py.
AUDIT_FIELDS = {
    "starts_at": ("Starts", "datetime"),
    "duration_minutes": ("Length in minutes", "text"),
    "location": ("Place", "text"),
    "agenda": ("Agenda", "text"),
    "invitees": ("Invited", "text"),
    "cancel_reason": ("Reason for cancelling", "text"),
    "plan_id": ("Planned meeting", "hidden"),
    # minutes (their text is not copied into the audit: its fingerprint is)
    "sections": ("Sections", "text"),
    "restricted_sections": ("Sections that may be withheld", "text"),
    "text_sha256": ("Text", "hidden"),
    "minutes_id": ("Minutes", "hidden"),
    "agency": ("Agency", "text"),
    "method": ("How", "code:minutes_method"),
    "sent_on": ("Sent", "date"),
    "withheld": ("Withheld", "text"),
    "withheld_reason": ("Why withheld", "text"),
    "recipients": ("Recipients", "text"),
    "sends": ("Sends recorded", "count"),
    "versions": ("Versions", "count"),
}
AUDIT_FIELDS_BY_OBJECT = {
    ("meeting_plan", "status"): ("Status", "code:plan_status"),
    ("meeting_minutes", "status"): ("Status", "code:letter_status"),
    ("minutes_recipient", "role"): ("Role", "text"),
    ("minutes_send", "role"): ("Role", "text"),
}


# ---- minutes and their distribution (app/meetings/minutes.py) ---------------------------------


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class SectionRestriction(StrEnum):
    """A section that may be withheld from some recipients when the minutes are sent."""

    NONE = "none"
    POLICE_SENSITIVE = "police_sensitive"
    CONFIDENTIAL = "confidential"  # third-party, health or other information not for everyone


RESTRICTION_LABELS = {
    SectionRestriction.NONE: "Not restricted",
    SectionRestriction.POLICE_SENSITIVE: "Police-sensitive",
    SectionRestriction.CONFIDENTIAL: "Confidential",
}


class SendMethod(StrEnum):
    EMAIL = "email"
    SECURE_EMAIL = "secure_email"
    POST = "post"
    HAND = "hand"


SEND_METHOD_LABELS = {
    SendMethod.EMAIL: "E-mail",
    SendMethod.SECURE_EMAIL: "Secure e-mail",
    SendMethod.POST: "Post",
    SendMethod.HAND: "By hand",
}


class MeetingMinutes(Base):
    """One version of a meeting's minutes: a draft changes (optimistic lock `row_version`), a
    finalised one never does (the flush guard below); a change is then a new version."""

    __tablename__ = "meeting_minutes"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    #: 1, 2, ... per meeting.
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=MinutesStatus.DRAFT.value)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_minutes.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set on every save of the draft (its sections are rows of their own: this moves `row_version`).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    row_version: Mapped[int] = mapped_column(default=1)

    sections: Mapped[list[MinutesSection]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesSection.position"
    )
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def is_final(self) -> bool:
        return self.status == MinutesStatus.FINAL.value

    @property
    def restricted_sections(self) -> list[MinutesSection]:
        return [s for s in self.sections if s.restriction != SectionRestriction.NONE.value]


class MinutesSection(Base):
    __tablename__ = "minutes_sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("meeting_minutes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    restriction: Mapped[str] = mapped_column(String(20), default=SectionRestriction.NONE.value)

    minutes: Mapped[MeetingMinutes] = relationship(back_populates="sections")

    @property
    def restriction_label(self) -> str:
        return RESTRICTION_LABELS[SectionRestriction(self.restriction)]


class MinutesRecipient(Base):
    """Someone on a meeting's distribution list."""

    __tablename__ = "minutes_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def label(self) -> str:
        return ", ".join(x for x in (self.name, self.role, self.agency) if x)


class MinutesSend(Base):
    """A finalised version sent to one recipient: how, when, by whom, and which sections were
    withheld from them and why. The recipient's details are copied, so the record stays true."""

    __tablename__ = "minutes_sends"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("meeting_minutes.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("minutes_recipients.id", ondelete="SET NULL"), index=True
    )
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_agency: Mapped[str] = mapped_column(String(200), default="")
    recipient_role: Mapped[str] = mapped_column(String(200), default="")
    recipient_email: Mapped[str] = mapped_column(String(320), default="")
    method: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[date] = mapped_column(Date)
    withheld_reason: Mapped[str] = mapped_column(Text, default="")
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[MeetingMinutes] = relationship(lazy="joined")
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id], lazy="joined")
    withheld: Mapped[list[MinutesSection]] = relationship(
        secondary="minutes_send_withheld", order_by="MinutesSection.position"
    )

    @property
    def method_label(self) -> str:
        return SEND_METHOD_LABELS[SendMethod(self.method)]

    @property
    def recipient_label(self) -> str:
        return ", ".join(x for x in (self.recipient_name, self.recipient_role, self.recipient_agency) if x)


minutes_send_withheld = Table(
    "minutes_send_withheld",
    Base.metadata,
    Column("send_id", ForeignKey("minutes_sends.id", ondelete="CASCADE"), primary_key=True),
    Column("section_id", ForeignKey("minutes_sections.id", ondelete="CASCADE"), primary_key=True),
)

FINAL_MINUTES_REFUSAL = "Finalised minutes never change: to change them, start a new version."


def _final_before(minutes: MeetingMinutes | None) -> bool:
    if minutes is None:
        return False
    hist = inspect(minutes).attrs.status.history
    return (hist.deleted or hist.unchanged or [minutes.status])[0] == MinutesStatus.FINAL.value


def _changed(obj: object) -> bool:
    state = inspect(obj)
    return any(state.attrs[a.key].history.has_changes() for a in state.mapper.column_attrs) or (
        isinstance(obj, MeetingMinutes) and state.attrs.sections.history.has_changes()
    )


@event.listens_for(Session, "before_flush")
def _final_minutes_never_change(session: Session, _ctx, _instances) -> None:
    """Behind the service's checks: no ORM path alters, adds to or deletes finalised minutes
    (retention's destruction deletes by statement: repository.delete_case_minutes)."""
    for obj in (*session.dirty, *session.deleted, *session.new):
        kept = obj not in session.dirty or _changed(obj)
        if isinstance(obj, MinutesSection):  # an orphan's parent is in its history
            obj = obj.minutes or next(iter(inspect(obj).attrs.minutes.history.deleted), None)
        if isinstance(obj, MeetingMinutes) and kept and _final_before(obj):
            raise InvalidTransition(FINAL_MINUTES_REFUSAL)
