"""Consultations: recording one, and making it a referral later on the same record.

Rules:
- A consultation is a case at the stage `consultation` with a row in `consultations` (the advice
  given). It has no statutory clock, no initial consideration and no person check.
- The adult may be unnamed: then no person is created, so nobody reaches the people index. Named
  (both names), the adult is recorded like any case's and the person check applies.
- It becomes a referral on the same record (reference and received date kept): a name and the
  detail of the allegation are required, and every statutory clock starts on the day it became a
  referral (`consultations.converted_on`, read by app.clocks.service.clocks_start).
- An online referral closed as "advice given" is recorded as a consultation
  (app.intake.service.close_as_advice), so it is counted like any other.
Every step is audited on the case, in the caller's transaction; nothing here commits.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.allocations.models import AllocationKind, CaseAllocation
from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases import repository as cases_repository
from app.cases import rules
from app.cases.models import Case, CaseStatus
from app.consultations import repository
from app.consultations.models import Consultation
from app.consultations.schemas import ConsultationConversion, ConsultationCreate
from app.context import Actor
from app.errors import Conflict, NotFound, ValidationFailed
from app.organisations import repository as organisations_repository
from app.organisations.models import Organisation
from app.organisations.service import find_or_create
from app.people.models import Person
from app.reference.models import Category, Sector


def get_consultation(session: Session, actor: Actor, case_id: int) -> tuple[Case, Consultation]:
    found = repository.get_visible(session, actor, case_id)
    if found is None:
        raise NotFound("There is no consultation with this number, or you do not have access to it.")
    return found


def view_consultation(session: Session, actor: Actor, case_id: int) -> tuple[Case, Consultation]:
    case, consultation = get_consultation(session, actor, case_id)
    record(session, actor, Verb.VIEWED, ObjectType.CASE, case.id, case_id=case.id)
    return case, consultation


def _reference_for(session: Session, year: int) -> str:
    while True:
        reference = f"LADO-{year}-{cases_repository.next_case_number(session, year):04d}"
        if not cases_repository.reference_exists(session, reference):
            return reference


def _replayed(session: Session, actor: Actor, key: str) -> Case | None:
    existing_id = cases_repository.case_id_by_submission_key(session, key)
    if existing_id is None:
        return None
    existing = cases_repository.get_visible(session, actor, existing_id)
    if existing is None:
        raise Conflict("This form has already been used for another record. Start a new consultation.")
    return existing


def record_consultation(
    session: Session, actor: Actor, data: ConsultationCreate, *, intake_id: int | None = None
) -> Case:
    """Record a consultation. The same submission key twice gives the first one back."""
    if data.submission_key and (existing := _replayed(session, actor, data.submission_key)) is not None:
        return existing
    errors: dict[str, str] = {}
    organisation: Organisation | None = None
    if data.organisation_id is not None:
        organisation = organisations_repository.get(session, data.organisation_id)
        if organisation is None:
            errors["organisation_id"] = "Choose the employer from the list"
    sector_code = data.sector_code or (organisation.sector_code if organisation else "") or ""
    if not sector_code:
        errors["sector_code"] = "Choose the sector, or the employer from the list"
    rules.check_code(session, Sector, sector_code, "sector_code", errors)
    rules.check_code(session, Category, data.primary_category_code, "primary_category_code", errors)
    if errors:
        raise ValidationFailed(errors)
    if organisation is None and data.organisation_name:
        organisation = find_or_create(session, actor, data.organisation_name, sector_code)
    person = (
        Person(first_name=data.subject_first_name, last_name=data.subject_last_name)
        if data.adult_named
        else None
    )
    case = Case(
        reference=_reference_for(session, data.received_on.year),
        status=CaseStatus.CONSULTATION.value,
        restricted=data.restricted,
        submission_key=data.submission_key,
        received_on=data.received_on,
        contact_method=data.contact_method.value,
        referrer_name=data.referrer_name,
        referrer_organisation=data.referrer_organisation,
        organisation=organisation,
        sector_code=sector_code,
        person=person,
        job_title=data.job_title,
        primary_category_code=data.primary_category_code,
        summary=data.question,
        created_by_id=actor.user.id if actor.user else None,
    )
    if actor.user is not None:  # the recording officer holds it, as for any case
        case.officers = [actor.user]
        case.allocated_officer_id = actor.user.id
    consultation = Consultation(case=case, advice=data.advice, intake_id=intake_id)
    try:
        with session.begin_nested():
            session.add_all([case, consultation])
            session.flush()
    except IntegrityError:
        if data.submission_key and (existing := _replayed(session, actor, data.submission_key)) is not None:
            return existing
        raise
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={
            **rules.snapshot(case),
            "advice": data.advice,
            "intake_id": intake_id,
            "allocated_officer_id": case.allocated_officer_id,
        },
    )
    if actor.user is not None:
        session.add(
            CaseAllocation(
                case_id=case.id,
                kind=AllocationKind.ALLOCATED.value,
                to_officer_id=actor.user.id,
                reason="Recorded the consultation",
                by_id=actor.user.id,
            )
        )
    return case


def convert_to_referral(
    session: Session, actor: Actor, case: Case, consultation: Consultation, data: ConsultationConversion
) -> Case:
    """The consultation becomes a referral awaiting initial consideration, on the same record."""
    rules.require_step(case, "convert_consultation")
    rules.expect_version(case, data.version)
    errors: dict[str, str] = {}
    if data.converted_on < case.received_on:
        errors["converted_on"] = (
            "The date it became a referral must be on or after the date of the consultation "
            f"({case.received_on:%-d %B %Y})"
        )
    if case.person is None:
        if not data.subject_first_name:
            errors["subject_first_name"] = "Enter the adult's first name: a referral is about a named adult"
        if not data.subject_last_name:
            errors["subject_last_name"] = "Enter the adult's last name: a referral is about a named adult"
    if errors:
        raise ValidationFailed(errors)
    before = rules.snapshot(case)
    if case.person is None:
        case.person = Person(
            first_name=data.subject_first_name,
            last_name=data.subject_last_name,
            date_of_birth=data.subject_date_of_birth,
        )
    case.job_title = data.job_title
    case.summary = data.summary
    rules.move(case, CaseStatus.OPEN)
    consultation.converted_on = data.converted_on
    consultation.converted_by_id = actor.user.id if actor.user else None
    rules.touch(case)  # the clocks start now: initial consideration due a working day after
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={
            "step": "converted_to_referral",
            "converted_on": data.converted_on.isoformat(),
            **changes(before, rules.snapshot(case)),
        },
    )
    return case
