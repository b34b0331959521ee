"""Imports every model so that metadata is complete (Alembic, tests)."""

from app.audit.models import AuditEvent  # noqa: F401
from app.cases.models import Allegation, Case, CaseNote, Child, ReferenceCounter, RegulatorReferral  # noqa: F401
from app.intake.models import Intake, IntakeAttempt  # noqa: F401
from app.letters.models import Letter, LetterAcknowledgement, LetterTemplate  # noqa: F401
from app.meetings.models import CaseAction, Meeting, MeetingAttendee  # noqa: F401
from app.organisations.models import Organisation  # noqa: F401
from app.orm import Base
from app.outbox.models import DeliveryAttempt, OutboxMessage  # noqa: F401
from app.people.models import (  # noqa: F401
    MatchDismissal,
    Person,
    PersonKey,
)
from app.reference.models import (  # noqa: F401
    AgencyGroup,
    Category,
    Disposal,
    MeetingType,
    Outcome,
    Regulator,
    Sector,
)
from app.settings.models import ChildPopulation, Setting  # noqa: F401

metadata = Base.metadata
