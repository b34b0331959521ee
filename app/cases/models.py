"""The case and everything recorded on it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    event,
    false,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.cases.history import REOPENED_COLUMNS as REOPENED_COLUMNS
from app.cases.history import CaseReopening as CaseReopening
from app.cases.history import ReopenedOutcome as ReopenedOutcome
from app.cases.vocabulary import (
    CONTACT_METHOD_LABELS as CONTACT_METHOD_LABELS,
)
from app.cases.vocabulary import (
    HARM_LIMBS as HARM_LIMBS,
)
from app.cases.vocabulary import (
    NFA_KIND_LABELS as NFA_KIND_LABELS,
)
from app.cases.vocabulary import (
    REFERRAL_STATUS_LABELS as REFERRAL_STATUS_LABELS,
)
from app.cases.vocabulary import (
    STATUS_LABELS as STATUS_LABELS,
)
from app.cases.vocabulary import (  # the case's enums and their labels, named here as before
    CaseStatus as CaseStatus,
)
from app.cases.vocabulary import (
    ContactMethod as ContactMethod,
)
from app.cases.vocabulary import (
    Decision as Decision,
)
from app.cases.vocabulary import (
    NfaKind as NfaKind,
)
from app.cases.vocabulary import (
    ReferralStatus as ReferralStatus,
)
from app.clock import today, utcnow
from app.organisations.models import Organisation
from app.orm import Base
from app.people.models import Person
from app.reference.models import Category, Disposal, Outcome, Regulator, Sector
from app.types import UTCDateTime
from app.users.models import User

case_secondary_categories = Table(
    "case_secondary_categories",
    Base.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("category_code", ForeignKey("categories.code"), primary_key=True),
)

case_disposals = Table(
    "case_disposals",
    Base.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("disposal_code", ForeignKey("disposals.code"), primary_key=True),
    # When the disposal took effect: the report as at D counts it only from then (today, as recorded).
    Column("effective_on", Date, default=today),
)

#: Officers named on a case, its allocated officer (cases.allocated_officer_id) and its co-workers:
#: they (and managers) alone may see it when restricted (app/allocations keeps the two in step).
case_officers = Table(
    "case_officers",
    Base.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    # An officer's cases from the index alone (the dashboard's and the caseload's "my cases").
    Index("ix_case_officers_user_id_case_id", "user_id", "case_id"),
)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # The case list's sorts hold `restricted` too: a page deep in the list (OFFSET) is then counted
        # out of the index alone (100,000 heap reads at page 2000 of a million cases otherwise).
        Index("ix_cases_received_on_id_restricted", "received_on", "id", "restricted"),
        # The dashboard: each stage in the order its lists are read, with what its figures test,
        # so that they are counted from the index alone (app/dashboard/repository.py).
        Index("ix_cases_status_received_on_id", "status", "received_on", "id", "decided_on", "restricted"),
        Index("ix_cases_sector_received_on", "sector_code", "received_on"),
        Index("ix_cases_category_received_on", "primary_category_code", "received_on"),
        Index("ix_cases_next_due_on_id_restricted", "next_due_on", "id", "restricted"),
        # The case list's sorts, each with the id that breaks its ties (keyset paging).
        Index("ix_cases_status_id", "status", "id"),
        Index("ix_cases_adult_sort_id_restricted", "adult_sort", "id", "restricted"),
        Index("ix_cases_employer_sort_id_restricted", "employer_sort", "id", "restricted"),
        Index("ix_cases_officer_sort_id_restricted", "officer_sort", "id", "restricted"),
        # One officer's caseload (the list's officer filter), and each officer's open and overdue
        # cases counted from the stage's range alone (the managers' dashboard).
        Index("ix_cases_allocated_officer_id_id", "allocated_officer_id", "id"),
        Index(
            "ix_cases_status_allocated_officer_id_restricted",
            *("status", "allocated_officer_id", "next_due_on", "restricted"),
        ),
        # The annual report: what its figures test, led by what it groups by (app/reports/repository.py).
        Index(
            "ix_cases_report",
            *("received_on", "decision", "sector_code", "primary_category_code"),
            *("training_needs", "concluded_on", "decided_on", "nfa_after_investigation", "harm_limbs"),
            *("person_id", "id"),
        ),
        # The adult's cases in the order received: the person check's links, and the report's
        # earlier case of the same adult (the repeat table).
        Index("ix_cases_person_id_received_on", "person_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.OPEN)
    version: Mapped[int] = mapped_column(default=1)
    restricted: Mapped[bool] = mapped_column(default=False)
    #: Idempotency key of the form that created the case: the same submission twice makes one case.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    # Contact
    received_on: Mapped[date] = mapped_column(Date)
    contact_method: Mapped[str] = mapped_column(String(20), default=ContactMethod.PHONE)
    referrer_name: Mapped[str] = mapped_column(String(200), default="")
    referrer_organisation: Mapped[str] = mapped_column(String(200), default="")
    referrer_role: Mapped[str] = mapped_column(String(200), default="")
    referrer_phone: Mapped[str] = mapped_column(String(50), default="")
    referrer_email: Mapped[str] = mapped_column(String(254), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    primary_category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    summary: Mapped[str] = mapped_column(Text, default="")

    # Initial consideration
    harm_limbs: Mapped[str] = mapped_column(String(100), default="")  # ";"-joined HARM_LIMBS keys
    decision: Mapped[str | None] = mapped_column(String(20))
    nfa_kind: Mapped[str | None] = mapped_column(String(40))
    decision_rationale: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date)

    # Conclusion
    training_needs: Mapped[bool | None] = mapped_column()
    concluded_on: Mapped[date | None] = mapped_column(Date)
    #: Threshold met, then concluded with no further action and no allegation outcomes (the
    #: outcome table's NFA row counts it; the referrals table's does not), and why.
    nfa_after_investigation: Mapped[bool] = mapped_column(default=False, server_default=false())
    conclusion_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    # The earliest deadline not yet met (a statutory clock or an open action), kept by
    # app.clocks.service.refresh_next_deadline on every change, so the caseload sorts by it in SQL.
    next_due_on: Mapped[date | None] = mapped_column(Date)
    next_due_label: Mapped[str] = mapped_column(String(200), default="")

    # The case list's sort keys for the columns that live in other tables: the adult ("last
    # first"), the employer and the allocated officer by name; NULL when there is none. Kept by
    # refresh_sort_keys (below) whenever any of them changes.
    adult_sort: Mapped[str | None] = mapped_column(String(201))
    employer_sort: Mapped[str | None] = mapped_column(String(200))
    officer_sort: Mapped[str | None] = mapped_column(String(200))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The one officer the case is allocated to (None: not allocated); also in `officers`.
    allocated_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The incident this case shares with other adults' cases (app/incidents/models.py); None alone.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    sector: Mapped[Sector] = relationship(lazy="joined")
    person: Mapped[Person | None] = relationship(lazy="joined")
    primary_category: Mapped[Category] = relationship(lazy="joined")
    secondary_categories: Mapped[list[Category]] = relationship(
        secondary=case_secondary_categories, order_by="Category.display_order"
    )
    disposals: Mapped[list[Disposal]] = relationship(
        secondary=case_disposals, order_by="Disposal.display_order"
    )
    officers: Mapped[list[User]] = relationship(secondary=case_officers)
    children: Mapped[list[Child]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Child.id"
    )
    allegations: Mapped[list[Allegation]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Allegation.id"
    )
    referrals: Mapped[list[RegulatorReferral]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="RegulatorReferral.id"
    )
    notes: Mapped[list[CaseNote]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseNote.id.desc()"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)

    @property
    def harm_limb_list(self) -> list[str]:
        return [x for x in self.harm_limbs.split(";") if x]

    @property
    def allocated_officer(self) -> User | None:
        return next((u for u in self.officers if u.id == self.allocated_officer_id), None)

    @property
    def co_workers(self) -> list[User]:
        return sorted((u for u in self.officers if u.id != self.allocated_officer_id), key=lambda u: u.name)


# ---- the case list's sort keys, kept in step inside the flush -----------------------------------


def _sort_key_values() -> dict[str, Any]:
    """The case list's stored sort keys, each as the SQL that computes it for a case."""
    adult = func.trim(Person.last_name + " " + Person.first_name)
    return {
        "adult_sort": select(func.nullif(adult, "")).where(Person.id == Case.person_id).scalar_subquery(),
        "employer_sort": select(Organisation.name)
        .where(Organisation.id == Case.organisation_id)
        .scalar_subquery(),
        "officer_sort": select(User.name).where(User.id == Case.allocated_officer_id).scalar_subquery(),
    }


def refresh_sort_keys(connection: Connection, where: ColumnElement[bool]) -> None:
    """Compute the sort keys again for the cases `where` selects. Every change made through the
    ORM is caught by `_sort_keys_follow_changes`; code that writes allocated officers, people or
    organisations with bulk SQL calls this itself."""
    table = Case.__table__
    connection.execute(update(table).where(where).values(**_sort_key_values()))


def _changed(obj: object, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _sort_keys_follow_changes(session: Session, _context: Any) -> None:
    """After each flush, the sort keys of every case whose adult, employer or officers changed,
    and of every case of a person, organisation or officer who was renamed."""
    cases: set[int] = set()
    people: set[int] = set()
    organisations: set[int] = set()
    users: set[int] = set()
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Case):
            if obj in session.new or _changed(
                obj, "person_id", "organisation_id", "person", "organisation", "allocated_officer_id"
            ):
                cases.add(obj.id)
        elif isinstance(obj, Person) and obj not in session.new and _changed(obj, "first_name", "last_name"):
            people.add(obj.id)
        elif isinstance(obj, Organisation) and obj not in session.new and _changed(obj, "name"):
            organisations.add(obj.id)
        elif isinstance(obj, User) and obj not in session.new and _changed(obj, "name"):
            users.add(obj.id)
    conditions: list[ColumnElement[bool]] = []
    if cases:
        conditions.append(Case.id.in_(cases))
    if people:
        conditions.append(Case.person_id.in_(people))
    if organisations:
        conditions.append(Case.organisation_id.in_(organisations))
    if users:
        conditions.append(Case.allocated_officer_id.in_(users))
    if conditions:
        refresh_sort_keys(session.connection(), or_(*conditions))


#: References found by their beginning in any letter case (app.orm.starts_with).
_reference = func.upper(Case.reference).label("reference_upper")
Index("ix_cases_reference_upper", _reference, postgresql_ops={_reference.name: "text_pattern_ops"})


class Child(Base):
    """A child involved: no more than needed (initials, age, gender)."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    initials: Mapped[str] = mapped_column(String(10))
    age: Mapped[int | None] = mapped_column()
    gender: Mapped[str] = mapped_column(String(30), default="")
    #: The same child on the other cases of an incident carries the same key (app/incidents).
    shared_key: Mapped[str | None] = mapped_column(String(32))

    case: Mapped[Case] = relationship(back_populates="children")


class Allegation(Base):
    __tablename__ = "allegations"
    __table_args__ = (Index("ix_allegations_case_outcome", "case_id", "outcome_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    outcome_code: Mapped[str | None] = mapped_column(ForeignKey("outcomes.code"))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="allegations")
    category: Mapped[Category] = relationship(lazy="joined")
    outcome: Mapped[Outcome | None] = relationship(lazy="joined")


class RegulatorReferral(Base):
    __tablename__ = "regulator_referrals"
    __table_args__ = (Index("ix_regulator_referrals_case_regulator", "case_id", "regulator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    regulator_code: Mapped[str] = mapped_column(ForeignKey("regulators.code"))
    status: Mapped[str] = mapped_column(String(20))
    recommended_on: Mapped[date | None] = mapped_column(Date)
    made_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    decision_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="referrals")
    regulator: Mapped[Regulator] = relationship(lazy="joined")


class CaseNote(Base):
    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship(lazy="joined")


class ReferenceCounter(Base):
    """Next case number per calendar year; incremented atomically in the creating transaction."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)
