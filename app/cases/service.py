"""The LADO case journey. Services validate, change, and audit in the caller's transaction;
they never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.allocations.models import AllocationKind, CaseAllocation
from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases import repository, rules
from app.cases.models import (
    Case,
    CaseNote,
    CaseStatus,
    Child,
    Decision,
)
from app.cases.schemas import (
    CaseCreate,
    CaseDetailsUpdate,
    CaseFilters,
    InitialConsideration,
    NoteCreate,
)
from app.clocks.service import refresh_next_deadline
from app.context import Actor
from app.corrections.plausibility import Questions
from app.errors import Conflict, NotFound
from app.incidents import sharing
from app.organisations import repository as organisations_repository
from app.organisations.models import Organisation
from app.organisations.service import find_or_create
from app.people.models import Person
from app.reference import repository as reference_repository
from app.reference.models import Category, Sector
from app.retention import service as retention


def get_case(session: Session, actor: Actor, case_id: int) -> Case:
    """The case if the actor may see it; otherwise NotFound, exactly as for a case that does not exist."""
    case = repository.get_visible(session, actor, case_id)
    if case is None:
        raise NotFound("There is no case with this number, or you do not have access to it.")
    return case


def list_cases(
    session: Session, actor: Actor, filters: CaseFilters, size: int, *, shown_filters: dict[str, Any]
) -> repository.CaseListPage[repository.CaseRow]:
    """One page of the cases the actor may see, and how many there are; the view is audited with
    the filters as typed and the references shown."""
    page = repository.page_of_cases(session, actor, filters, size, repository.case_rows)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.CASE_LIST,
        None,
        details={"filters": shown_filters, "page": filters.page, "shown": [c.reference for c in page.cases]},
    )
    return page


def view_case(session: Session, actor: Actor, case_id: int) -> Case:
    case = get_case(session, actor, case_id)
    record(session, actor, Verb.VIEWED, ObjectType.CASE, case.id, case_id=case.id)
    return case


def _secondary_categories(session: Session, primary: str, codes: list[str]) -> list[Category]:
    """The secondary categories named (each once, never the primary); the codes were checked."""
    return reference_repository.get_items(session, Category, [c for c in codes if c != primary])


def _reference_for(session: Session, year: int) -> str:
    while True:
        reference = f"LADO-{year}-{repository.next_case_number(session, year):04d}"
        if not repository.reference_exists(session, reference):  # imported references may use the pattern
            return reference


def _replayed(session: Session, actor: Actor, key: str) -> Case | None:
    """The case an earlier submission of the same form created; never one the actor may not see."""
    existing_id = repository.case_id_by_submission_key(session, key)
    if existing_id is None:
        return None
    existing = repository.get_visible(session, actor, existing_id)
    if existing is None:
        raise Conflict("This form has already been used for another case. Start a new referral.")
    return existing


def open_case(
    session: Session,
    actor: Actor,
    data: CaseCreate,
    *,
    incident_id: int | None = None,
    child_keys: list[str] | None = None,
) -> Case:
    """Record a new contact or referral. The same submission key twice gives the first case back.
    `incident_id` and `child_keys` make it one adult's case of an incident (app/incidents): its
    children carry the keys of the same children on the other cases."""
    if data.submission_key:
        existing = _replayed(session, actor, data.submission_key)
        if existing is not None:
            return existing
    errors: dict[str, str] = {}
    organisation: Organisation | None = None
    if data.organisation_id is not None:
        organisation = organisations_repository.get(session, data.organisation_id)
        if organisation is None:
            errors["organisation_id"] = "Choose the employer from the list"
    sector_code = data.sector_code or (organisation.sector_code if organisation else "") or ""
    if not sector_code:
        errors["sector_code"] = "Choose the sector of the employer"
    rules.check_code(session, Sector, sector_code, "sector_code", errors)
    rules.check_code(session, Category, data.primary_category_code, "primary_category_code", errors)
    for code in data.secondary_category_codes:
        rules.check_code(session, Category, code, "secondary_category_codes", errors)
    questions = Questions()
    questions.received_on(data.received_on)
    questions.adult_born(data.subject_date_of_birth, data.received_on, "subject_date_of_birth")
    questions.employer_picked_and_typed(
        organisation.name if organisation else None, data.organisation_name, "organisation_name"
    )
    confirmed = questions.settle(data.confirm_implausible, errors)
    if organisation is None:
        organisation = find_or_create(session, actor, data.organisation_name, sector_code)
    person = Person(
        first_name=data.subject_first_name,
        last_name=data.subject_last_name,
        date_of_birth=data.subject_date_of_birth,
    )
    reference = _reference_for(session, data.received_on.year)
    case = Case(
        reference=reference,
        status=CaseStatus.OPEN.value,
        restricted=data.restricted,
        submission_key=data.submission_key,
        received_on=data.received_on,
        contact_method=data.contact_method.value,
        referrer_name=data.referrer_name,
        referrer_organisation=data.referrer_organisation,
        referrer_role=data.referrer_role,
        referrer_phone=data.referrer_phone,
        referrer_email=data.referrer_email,
        organisation=organisation,
        sector_code=sector_code,
        person=person,
        job_title=data.job_title,
        primary_category_code=data.primary_category_code,
        summary=data.summary,
        created_by_id=actor.user.id if actor.user else None,
    )
    with session.no_autoflush:
        case.secondary_categories = _secondary_categories(
            session, data.primary_category_code, data.secondary_category_codes
        )
    keys: list[str | None] = list(child_keys) if child_keys else [None] * len(data.children)
    case.children = [
        Child(initials=c.initials.upper(), age=c.age, gender=c.gender, shared_key=key)
        for c, key in zip(data.children, keys, strict=True)
    ]
    case.incident_id = incident_id
    if actor.user is not None:  # the recording officer is the case's allocated officer
        case.officers = [actor.user]
        case.allocated_officer_id = actor.user.id
    with session.no_autoflush:
        refresh_next_deadline(session, case)
    try:
        with session.begin_nested():
            session.add_all([person, case])
            session.flush()
    except IntegrityError:
        if data.submission_key:
            existing = _replayed(session, actor, data.submission_key)
            if existing is not None:
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
            "children": len(case.children),
            "secondary_categories": [c.code for c in case.secondary_categories],
            "allocated_officer_id": case.allocated_officer_id,
            **confirmed,
        },
    )
    if actor.user is not None:
        session.add(
            CaseAllocation(
                case_id=case.id,
                kind=AllocationKind.ALLOCATED.value,
                to_officer_id=actor.user.id,
                reason="Recorded the case",
                by_id=actor.user.id,
            )
        )
    return case


def update_details(session: Session, actor: Actor, case: Case, data: CaseDetailsUpdate) -> Case:
    rules.require_step(case, "edit_details")
    rules.expect_version(case, data.version)
    errors: dict[str, str] = {}
    rules.check_code(
        session, Sector, data.sector_code, "sector_code", errors, allow_inactive=case.sector_code
    )
    rules.check_code(
        session,
        Category,
        data.primary_category_code,
        "primary_category_code",
        errors,
        allow_inactive=case.primary_category_code,
    )
    for code in data.secondary_category_codes:
        rules.check_code(session, Category, code, "secondary_category_codes", errors)
    questions = Questions()  # about a changed date only: one confirmed once is not asked again
    if data.received_on != case.received_on:
        questions.received_on(data.received_on)
    if data.received_on != case.received_on and case.decided_on and data.received_on > case.decided_on:
        questions.asked["received_on"] = (
            "The date received is after the date of the initial decision: a decision is normally "
            "on or after the date received"
        )
    confirmed = questions.settle(data.confirm_implausible, errors)
    before = rules.snapshot(case)
    before_secondary = [c.code for c in case.secondary_categories]
    for field in (
        "received_on",
        "referrer_name",
        "referrer_organisation",
        "referrer_role",
        "referrer_phone",
        "referrer_email",
        "sector_code",
        "job_title",
        "primary_category_code",
        "summary",
    ):
        setattr(case, field, getattr(data, field))
    case.contact_method = data.contact_method.value
    case.secondary_categories = _secondary_categories(
        session, data.primary_category_code, data.secondary_category_codes
    )
    rules.touch(case)
    session.flush()
    details: dict[str, Any] = {**changes(before, rules.snapshot(case)), **confirmed}
    after_secondary = [c.code for c in case.secondary_categories]
    if after_secondary != before_secondary:
        details["secondary_categories"] = {"from": before_secondary, "to": after_secondary}
    record(session, actor, Verb.UPDATED, ObjectType.CASE, case.id, case_id=case.id, details=details)
    if "summary" in details:  # the cases of one incident share it
        sharing.share_summary(session, actor, case)
    return case


def record_initial_consideration(
    session: Session, actor: Actor, case: Case, data: InitialConsideration
) -> Case:
    rules.require_step(case, "record_initial_consideration")
    rules.expect_version(case, data.version)
    questions = Questions()
    questions.not_before_received(data.decided_on, case.received_on, "decided_on", "decision")
    confirmed = questions.settle(data.confirm_implausible)
    before = rules.snapshot(case)
    case.harm_limbs = ";".join(data.harm_limbs)
    case.decision = data.decision.value
    case.nfa_kind = data.nfa_kind.value if data.nfa_kind else None
    case.decision_rationale = data.rationale
    case.decided_on = data.decided_on
    if data.decision == Decision.NFA:
        rules.move(case, CaseStatus.NFA)
        case.concluded_on = data.decided_on
    else:
        rules.move(case, CaseStatus.THRESHOLD_MET)
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={"step": "initial_consideration", **changes(before, rules.snapshot(case)), **confirmed},
    )
    if data.decision == Decision.NFA:
        retention.schedule(session, actor, case)
    return case


def add_note(session: Session, actor: Actor, case: Case, data: NoteCreate) -> CaseNote:
    rules.require_step(case, "add_note")
    note = CaseNote(body=data.body, author_id=actor.user.id if actor.user else None)
    case.notes.append(note)
    session.flush()
    record(
        session,
        actor,
        Verb.NOTE_ADDED,
        ObjectType.CASE_NOTE,
        note.id,
        case_id=case.id,
        details={"body": data.body},
    )
    return note
