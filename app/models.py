"""Imports every model so that metadata is complete (Alembic, tests)."""

from app.allocations.models import CaseAllocation, Cover, CoverCase  # noqa: F401
from app.areas.models import CaseAreas, CaseTransfer, LadoNotification  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth import models as _auth_models  # noqa: F401  (sessions, tokens, throttles)
from app.cases.models import (  # noqa: F401
    Allegation,
    Case,
    CaseNote,
    CaseReopening,
    Child,
    ReferenceCounter,
    RegulatorReferral,
    ReopenedOutcome,
)
from app.consultations.models import Consultation  # noqa: F401
from app.disclosures.models import Disclosure  # noqa: F401
from app.documents.models import Document  # noqa: F401
from app.incidents.models import Incident  # noqa: F401
from app.intake.models import Intake, IntakeAttempt  # noqa: F401
from app.letters.models import Letter, LetterAcknowledgement, LetterTemplate  # noqa: F401
from app.meetings.models import (  # noqa: F401
    CaseAction,
    Meeting,
    MeetingAttendee,
    MeetingInvitee,
    MeetingMinutes,
    MeetingPlan,
    MinutesRecipient,
    MinutesSection,
    MinutesSend,
)
from app.organisations.models import Organisation  # noqa: F401
from app.orm import Base
from app.outbox.models import DeliveryAttempt, OutboxMessage  # noqa: F401
from app.people.models import (  # noqa: F401
    MatchDismissal,
    Person,
    PersonKey,
)
from app.publications.models import PublishedFigureCase, PublishedReport  # noqa: F401
from app.reference.models import (  # noqa: F401
    AgencyGroup,
    Category,
    Disposal,
    LawfulBasis,
    MeetingType,
    Outcome,
    ReferrerAgency,
    Regulator,
    Sector,
)
from app.retention.models import CaseRetention, RetentionReview  # noqa: F401
from app.settings.models import ChildPopulation, Setting  # noqa: F401
from app.strands.models import CaseStrand, StrandChange, Suspension  # noqa: F401
from app.subject_access.models import Redaction, Release, SubjectAccessRequest  # noqa: F401

metadata = Base.metadata

#: What the migrations make that no model describes: one engine's search index (migration 0009:
#: SQLite's FTS5 table of referrers and its shadow tables, PostgreSQL's trigram indexes).
#: Autogenerate and the test that models and migrations agree leave these names alone.
INDEPENDENT_OF_MODELS = (
    "case_referrers",
    "ix_cases_referrer_name_trigram",
    "ix_cases_referrer_organisation_trigram",
)


def include_name(name: str | None, _type: str, _parents: object) -> bool:
    return not (name or "").startswith(INDEPENDENT_OF_MODELS)
