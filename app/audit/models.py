from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime


class Verb(StrEnum):
    """What happened. Every write and every read of case content records one."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    VIEWED = "viewed"
    EXPORTED = "exported"
    STATUS_CHANGED = "status_changed"
    REOPENED = "reopened"
    NOTE_ADDED = "note_added"
    IMPORTED = "imported"
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGNED_OUT = "signed_out"
    ACCESS_DENIED = "access_denied"
    MFA_ENROLLED = "mfa_enrolled"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    PUBLISHED = "published"
    UPLOAD_REFUSED = "upload_refused"
    #: A case's personal data destroyed under a retention review (the destruction certificate).
    DESTROYED = "destroyed"


class ObjectType(StrEnum):
    """What an audit event is about. One member per kind of record (a list or search of them is a
    kind of its own: `case_list`, `letter_list` ...); reference data items are `reference:<kind>`."""

    ALLEGATION = "allegation"
    ANNUAL_REPORT = "annual_report"
    ANNUAL_REPORT_FIGURE = "annual_report_figure"
    API_TOKEN = "api_token"
    CASE = "case"
    CASE_ACTION = "case_action"
    CASE_ALLOCATION = "case_allocation"
    CASE_AREAS = "case_areas"
    CASE_TRANSFER = "case_transfer"
    CASE_ACTION_LIST = "case_action_list"
    CASE_LIST = "case_list"
    CASE_NOTE = "case_note"
    CASE_RETENTION = "case_retention"
    CASE_STRAND = "case_strand"
    DISCLOSURE = "disclosure"
    DISCLOSURE_LOG = "disclosure_log"
    CHILD_POPULATION = "child_population"
    COVER = "cover"
    DOCUMENT = "document"
    DOCUMENT_LIST = "document_list"
    IMPORT = "import"
    INTAKE = "intake"
    LADO_NOTIFICATION = "lado_notification"
    LETTER = "letter"
    LETTER_ACKNOWLEDGEMENT = "letter_acknowledgement"
    LETTER_LIST = "letter_list"
    LETTER_TEMPLATE = "letter_template"
    MEETING = "meeting"
    MEETING_LIST = "meeting_list"
    MEETING_PLAN = "meeting_plan"
    MEETING_MINUTES = "meeting_minutes"
    MINUTES_RECIPIENT = "minutes_recipient"
    MINUTES_SEND = "minutes_send"
    ORGANISATION = "organisation"
    ORGANISATION_CONTACT = "organisation_contact"
    OUTBOX_MESSAGE = "outbox_message"
    PERSON = "person"
    PERSON_CHECK = "person_check"
    PERSON_MATCH_DISMISSAL = "person_match_dismissal"
    PUBLISHED_REPORT = "published_report"
    REGULATOR_REFERRAL = "regulator_referral"
    RETENTION_REVIEW = "retention_review"
    ROUTE = "route"
    SEARCH = "search"
    SETTING = "setting"
    SIGN_IN_THROTTLE = "sign_in_throttle"
    SUBJECT_ACCESS_BUNDLE = "subject_access_bundle"
    SUBJECT_ACCESS_REDACTION = "subject_access_redaction"
    SUBJECT_ACCESS_REQUEST = "subject_access_request"
    SUSPENSION = "suspension"
    USER = "user"
    REFERENCE_AGENCY_GROUPS = "reference:agency-groups"
    REFERENCE_SECTORS = "reference:sectors"
    REFERENCE_CATEGORIES = "reference:categories"
    REFERENCE_OUTCOMES = "reference:outcomes"
    REFERENCE_DISPOSALS = "reference:disposals"
    REFERENCE_REGULATORS = "reference:regulators"
    REFERENCE_MEETING_TYPES = "reference:meeting-types"
    REFERENCE_REFERRER_AGENCIES = "reference:referrer-agencies"
    REFERENCE_LAWFUL_BASES = "reference:lawful-bases"

    @classmethod
    def of_reference(cls, slug: str) -> "ObjectType":
        """The type of a reference data item of the kind whose address is `slug` ("sectors")."""
        return cls(f"reference:{slug}")


class AuditEvent(Base):
    """Append-only: the application never updates or deletes a row (a trigger enforces it on PostgreSQL)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_case_id_id", "case_id", "id"),
        Index("ix_audit_events_actor_id_occurred_at", "actor_id", "occurred_at"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The actor's name and e-mail as they were at the time (accounts can be renamed).
    actor_label: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str | None] = mapped_column(String(64))
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column()  # no FK: audit outlives everything
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
