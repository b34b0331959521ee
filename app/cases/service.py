"""The LADO case journey. Services validate, change, and audit in the caller's transaction;
they never commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.organisations import repository as organisations_repository
from app.reference import repository as reference_repository
from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases import repository, rules
from app.cases.models import (
    Allegation,
    Case,
    CaseNote,
    CaseStatus,
    Child,
    Decision,
    RegulatorReferral,
)
from app.cases.schemas import (
    AllegationCreate,
    CaseCreate,
    CaseDetailsUpdate,
    CaseFilters,
    Conclusion,
    DisposalsUpdate,
    InitialConsideration,
    NoteCreate,
    OutcomeRecord,
    ReferralCreate,
    ReferralUpdate,
    Reopen,
)
from app.context import Actor
from app.errors import Conflict, NotFound, ValidationFailed
from app.organisations.models import Organisation
from app.organisations.service import find_or_create
from app.people.models import Person
from app.reference.models import Category, Disposal, Outcome, Regulator, Sector
from app.reference.service import require_active
from app.clock import utcnow

AUDITED_FIELDS = (
    "reference", "status", "restricted", "received_on", "contact_method", "referrer_name", "referrer_organisation",
    "referrer_role", "referrer_phone", "referrer_email", "organisation_id", "sector_code", "person_id", "job_title",
    "primary_category_code", "summary", "harm_limbs", "decision", "nfa_kind", "decision_rationale", "decided_on",
    "training_needs", "concluded_on",
)


def snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in AUDITED_FIELDS}


def _check_code(session: Session, model, code: str, field: str, errors: dict[str, str], *, allow_inactive: str | None = None) -> None:
    """Collect the reference-data problem of one field (unknown or inactive code) into `errors`;
    an inactive code already on the record may stay."""
    if not code or (allow_inactive is not None and code == allow_inactive):
        return
    try:
        require_active(session, model, code, field)
    except ValidationFailed as exc:
        errors.setdefault(field, exc.errors[field])


def get_case(session: Session, actor: Actor, case_id: int) -> Case:
    """The case if the actor may see it; otherwise NotFound, exactly as for a case that does not exist."""
    case = repository.get_visible(session, actor, case_id)
    if case is None:
        raise NotFound("There is no case with this number, or you do not have access to it.")
    return case


def list_cases(session: Session, actor: Actor, filters: CaseFilters, size: int, *,
               shown_filters: dict[str, Any]) -> tuple[list[Case], int]:
    """One page of the cases the actor may see, and how many there are; the view is audited with
    the filters as typed and the references shown."""
    cases, total = repository.page_of_cases(session, actor, filters, size)
    record(session, actor, Verb.VIEWED, ObjectType.CASE_LIST, None,
           details={"filters": shown_filters, "page": filters.page, "shown": [c.reference for c in cases]})
    return cases, total


def view_case(session: Session, actor: Actor, case_id: int) -> Case:
    case = get_case(session, actor, case_id)
    record(session, actor, Verb.VIEWED, ObjectType.CASE, case.id, case_id=case.id)
    return case


def _expect_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise Conflict(
            "Someone else saved this case after you opened it. Your changes have not been saved: "
            "check the case as it is now, then enter your changes again (what you typed is shown below)."
        )


def _touch(case: Case) -> None:
    """Every journey step bumps the case version, so concurrent steps cannot both win."""
    case.updated_at = utcnow()


def _secondary_categories(session: Session, primary: str, codes: list[str]) -> list[Category]:
    """The secondary categories named (each once, never the primary); the codes were checked."""
    found = (reference_repository.get_item(session, Category, c) for c in dict.fromkeys(codes) if c != primary)
    return [category for category in found if category is not None]


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


def open_case(session: Session, actor: Actor, data: CaseCreate) -> Case:
    """Record a new contact or referral. The same submission key twice gives the first case back."""
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
    _check_code(session, Sector, sector_code, "sector_code", errors)
    _check_code(session, Category, data.primary_category_code, "primary_category_code", errors)
    for code in data.secondary_category_codes:
        _check_code(session, Category, code, "secondary_category_codes", errors)
    if errors:
        raise ValidationFailed(errors)
    if organisation is None:
        organisation = find_or_create(session, actor, data.organisation_name, sector_code)
    person = Person(first_name=data.subject_first_name, last_name=data.subject_last_name,
                    date_of_birth=data.subject_date_of_birth)
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
        case.secondary_categories = _secondary_categories(session, data.primary_category_code,
                                                          data.secondary_category_codes)
    case.children = [Child(initials=c.initials.upper(), age=c.age, gender=c.gender) for c in data.children]
    if actor.user is not None:
        case.officers = [actor.user]
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
    record(session, actor, Verb.CREATED, ObjectType.CASE, case.id, case_id=case.id,
           details={**snapshot(case), "children": len(case.children),
                    "secondary_categories": [c.code for c in case.secondary_categories]})
    return case


def update_details(session: Session, actor: Actor, case: Case, data: CaseDetailsUpdate) -> Case:
    rules.require_step(case, "edit_details")
    _expect_version(case, data.version)
    errors: dict[str, str] = {}
    _check_code(session, Sector, data.sector_code, "sector_code", errors, allow_inactive=case.sector_code)
    _check_code(session, Category, data.primary_category_code, "primary_category_code", errors,
                allow_inactive=case.primary_category_code)
    for code in data.secondary_category_codes:
        _check_code(session, Category, code, "secondary_category_codes", errors)
    if case.decided_on and data.received_on > case.decided_on:
        errors["received_on"] = "The date received must be on or before the date of the initial decision"
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(case)
    before_secondary = [c.code for c in case.secondary_categories]
    for field in ("received_on", "referrer_name", "referrer_organisation", "referrer_role", "referrer_phone",
                  "referrer_email", "sector_code", "job_title", "primary_category_code", "summary"):
        setattr(case, field, getattr(data, field))
    case.contact_method = data.contact_method.value
    case.secondary_categories = _secondary_categories(session, data.primary_category_code,
                                                      data.secondary_category_codes)
    _touch(case)
    session.flush()
    details: dict[str, Any] = changes(before, snapshot(case))
    after_secondary = [c.code for c in case.secondary_categories]
    if after_secondary != before_secondary:
        details["secondary_categories"] = {"from": before_secondary, "to": after_secondary}
    record(session, actor, Verb.UPDATED, ObjectType.CASE, case.id, case_id=case.id, details=details)
    return case


def record_initial_consideration(session: Session, actor: Actor, case: Case, data: InitialConsideration) -> Case:
    rules.require_step(case, "record_initial_consideration")
    _expect_version(case, data.version)
    if data.decided_on < case.received_on:
        raise ValidationFailed({"decided_on": "The date of the decision must be on or after the date received "
                                              f"({case.received_on:%-d %B %Y})"})
    before = snapshot(case)
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
    _touch(case)
    session.flush()
    record(session, actor, Verb.STATUS_CHANGED, ObjectType.CASE, case.id, case_id=case.id,
           details={"step": "initial_consideration", **changes(before, snapshot(case))})
    return case


def add_allegation(session: Session, actor: Actor, case: Case, data: AllegationCreate) -> Allegation:
    rules.require_step(case, "add_allegation")
    errors: dict[str, str] = {}
    _check_code(session, Category, data.category_code, "category_code", errors)
    if errors:
        raise ValidationFailed(errors)
    allegation = Allegation(description=data.description, category_code=data.category_code)
    case.allegations.append(allegation)
    _touch(case)
    session.flush()
    record(session, actor, Verb.CREATED, ObjectType.ALLEGATION, allegation.id, case_id=case.id,
           details={"description": data.description, "category_code": data.category_code})
    return allegation


def get_allegation(case: Case, allegation_id: int) -> Allegation:
    for allegation in case.allegations:
        if allegation.id == allegation_id:
            return allegation
    raise NotFound("There is no such allegation on this case.")


def record_outcome(session: Session, actor: Actor, case: Case, allegation: Allegation, data: OutcomeRecord) -> Allegation:
    rules.require_step(case, "record_outcome")
    _expect_version(case, data.version)
    errors: dict[str, str] = {}
    _check_code(session, Outcome, data.outcome_code, "outcome_code", errors)
    if data.outcome_on < case.received_on:
        errors["outcome_on"] = f"The date of the outcome must be on or after the date received ({case.received_on:%-d %B %Y})"
    if errors:
        raise ValidationFailed(errors)
    before = {"outcome_code": allegation.outcome_code, "outcome_on": allegation.outcome_on}
    allegation.outcome_code = data.outcome_code
    allegation.outcome_on = data.outcome_on
    _touch(case)
    session.flush()
    record(session, actor, Verb.UPDATED, ObjectType.ALLEGATION, allegation.id, case_id=case.id,
           details=changes(before, {"outcome_code": data.outcome_code, "outcome_on": data.outcome_on}))
    return allegation


def set_disposals(session: Session, actor: Actor, case: Case, data: DisposalsUpdate) -> Case:
    rules.require_step(case, "set_disposals")
    _expect_version(case, data.version)
    current = {d.code for d in case.disposals}
    errors: dict[str, str] = {}
    for code in data.disposal_codes:
        _check_code(session, Disposal, code, "disposal_codes", errors, allow_inactive=code if code in current else None)
    if errors:
        raise ValidationFailed(errors)
    before = sorted(current)
    case.disposals = [reference_repository.get_item(session, Disposal, c) for c in dict.fromkeys(data.disposal_codes)]  # type: ignore[misc]
    _touch(case)
    session.flush()
    record(session, actor, Verb.UPDATED, ObjectType.CASE, case.id, case_id=case.id,
           details={"disposals": {"from": before, "to": sorted(d.code for d in case.disposals)}})
    return case


def _check_referral_dates(case: Case, data: ReferralCreate | ReferralUpdate) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field in ("recommended_on", "made_on", "decision_on"):
        value: date | None = getattr(data, field, None)
        if value is not None and value < case.received_on:
            errors[field] = f"The date must be on or after the date the case was received ({case.received_on:%-d %B %Y})"
    return errors


def add_referral(session: Session, actor: Actor, case: Case, data: ReferralCreate) -> RegulatorReferral:
    rules.require_step(case, "add_referral")
    errors = _check_referral_dates(case, data)
    _check_code(session, Regulator, data.regulator_code, "regulator_code", errors)
    if errors:
        raise ValidationFailed(errors)
    referral = RegulatorReferral(regulator_code=data.regulator_code, status=data.status.value,
                                 recommended_on=data.recommended_on, made_on=data.made_on, reference=data.reference)
    case.referrals.append(referral)
    _touch(case)
    session.flush()
    record(session, actor, Verb.CREATED, ObjectType.REGULATOR_REFERRAL, referral.id, case_id=case.id,
           details=data.model_dump(mode="json"))
    return referral


def get_referral(case: Case, referral_id: int) -> RegulatorReferral:
    for referral in case.referrals:
        if referral.id == referral_id:
            return referral
    raise NotFound("There is no such referral on this case.")


def update_referral(session: Session, actor: Actor, case: Case, referral: RegulatorReferral, data: ReferralUpdate) -> RegulatorReferral:
    """Status, dates, reference and later the regulator's decision; the regulator itself stays."""
    rules.require_step(case, "update_referral")
    errors = _check_referral_dates(case, data)
    if errors:
        raise ValidationFailed(errors)
    fields = ("status", "recommended_on", "made_on", "reference", "decision", "decision_on")
    before = {f: getattr(referral, f) for f in fields}
    referral.status = data.status.value
    referral.recommended_on = data.recommended_on
    referral.made_on = data.made_on
    referral.reference = data.reference
    referral.decision = data.decision
    referral.decision_on = data.decision_on
    _touch(case)
    session.flush()
    record(session, actor, Verb.UPDATED, ObjectType.REGULATOR_REFERRAL, referral.id, case_id=case.id,
           details=changes(before, {f: getattr(referral, f) for f in fields}))
    return referral


def conclude_case(session: Session, actor: Actor, case: Case, data: Conclusion) -> Case:
    """A case is concluded only when it has allegations and every one has an outcome."""
    rules.require_step(case, "conclude")
    _expect_version(case, data.version)
    errors: dict[str, str] = {}
    if not case.allegations:
        errors["allegations"] = "Add at least one allegation and record its outcome before concluding the case"
    missing = [str(i) for i, a in enumerate(case.allegations, start=1) if a.outcome_code is None]
    if missing:
        errors["allegations"] = "Record an outcome for allegation " + ", ".join(missing) + " before concluding the case"
    if data.concluded_on < case.received_on:
        errors["concluded_on"] = f"The date concluded must be on or after the date received ({case.received_on:%-d %B %Y})"
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(case)
    case.training_needs = data.training_needs
    case.concluded_on = data.concluded_on
    rules.move(case, CaseStatus.CONCLUDED)
    _touch(case)
    session.flush()
    record(session, actor, Verb.STATUS_CHANGED, ObjectType.CASE, case.id, case_id=case.id,
           details={"step": "conclude", **changes(before, snapshot(case))})
    return case


def reopen_case(session: Session, actor: Actor, case: Case, data: Reopen) -> Case:
    """Re-opening needs a reason; it clears the conclusion (an NFA case goes back to awaiting a decision)."""
    rules.require_step(case, "reopen")
    _expect_version(case, data.version)
    before = snapshot(case)
    if case.status_enum == CaseStatus.CONCLUDED:
        rules.move(case, CaseStatus.THRESHOLD_MET)
    else:
        rules.move(case, CaseStatus.OPEN)
        case.decision = None
        case.nfa_kind = None
        case.decided_on = None
    case.concluded_on = None
    case.training_needs = None
    _touch(case)
    session.flush()
    record(session, actor, Verb.REOPENED, ObjectType.CASE, case.id, case_id=case.id,
           details={"reason": data.reason, **changes(before, snapshot(case))})
    return case


def add_note(session: Session, actor: Actor, case: Case, data: NoteCreate) -> CaseNote:
    rules.require_step(case, "add_note")
    note = CaseNote(body=data.body, author_id=actor.user.id if actor.user else None)
    case.notes.append(note)
    session.flush()
    record(session, actor, Verb.NOTE_ADDED, ObjectType.CASE_NOTE, note.id, case_id=case.id, details={"body": data.body})
    return note
