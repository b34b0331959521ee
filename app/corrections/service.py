"""Correcting what was recorded: the adult, the employer and sector, the referrer, the children.

Rules:
- Every correction needs a reason and changes something; it is one audit event on the case
  (`step` corrected_adult, corrected_employer, corrected_referrer, child_added, child_corrected,
  child_removed) with each field before and after, shown in the chronology under "Corrections".
- Each bumps the case's version (a form loaded before it gets 409, the input kept) and its
  `updated_at`, so a draft letter made earlier is shown as out of date and a letter drafted
  afterwards takes the corrected facts (app/letters/fields.py reads the case); a finalised
  letter never changes.
- A changed name or date of birth runs the person check again (its candidate keys are rewritten
  with the person, app/people/models.py), and the matches it finds are returned and audited. When
  the adult's person is shared with other cases (a confirmed match), the correction does not
  rename the adult of those cases, which may be hidden from the officer: this case gets a person
  of its own with the corrected facts, and the person check offers the other cases again.
- Data quality (app/corrections/plausibility.py): an adult under 16 or over 100 on the date
  received, and an employer both picked and typed, are questioned until confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases import rules
from app.cases.models import Case, Child
from app.context import Actor
from app.corrections import repository
from app.corrections.plausibility import Questions
from app.corrections.schemas import (
    AdultCorrection,
    ChildCorrection,
    ChildRemoval,
    Correction,
    EmployerCorrection,
    ReferrerCorrection,
)
from app.errors import NotFound, ValidationFailed
from app.incidents import sharing
from app.organisations import repository as organisations_repository
from app.organisations.service import find_or_create
from app.people import service as people
from app.people.models import Person
from app.reference.models import Sector

NOTHING_CHANGED = "Nothing has changed: correct at least one detail, or go back to the case"
IDENTITY = ("first_name", "last_name", "date_of_birth")


@dataclass
class AdultCorrected:
    case: Case
    #: The person check run again on the corrected facts; None when neither name nor date of birth changed.
    check: people.PersonCheck | None


def _start(case: Case, data: Correction) -> None:
    rules.require_step(case, "edit_details")
    rules.expect_version(case, data.version)


def _record(
    session: Session, actor: Actor, case: Case, step: str, data: Correction, details: dict[str, Any]
) -> None:
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={"step": step, "reason": data.reason, **details},
    )


def correct_adult(session: Session, actor: Actor, case: Case, data: AdultCorrection) -> AdultCorrected:
    _start(case, data)
    person = case.person
    questions = Questions()
    if data.date_of_birth != (person.date_of_birth if person else None):  # asked once, when it changes
        questions.adult_born(data.date_of_birth, case.received_on, "date_of_birth")
    confirmed = questions.settle(data.confirm_implausible)
    before = {
        "first_name": person.first_name if person else "",
        "last_name": person.last_name if person else "",
        "date_of_birth": person.date_of_birth if person else None,
        "job_title": case.job_title,
    }
    after = {
        "first_name": data.first_name,
        "last_name": data.last_name,
        "date_of_birth": data.date_of_birth,
        "job_title": data.job_title,
    }
    details: dict[str, Any] = changes(before, after)
    if not details:
        raise ValidationFailed({"first_name": NOTHING_CHANGED})
    identity_changed = any(k in details for k in IDENTITY)
    if identity_changed:
        if person is None or repository.cases_of_person_count(session, person.id) > 1:
            own = Person(
                first_name=data.first_name, last_name=data.last_name, date_of_birth=data.date_of_birth
            )
            session.add(own)
            case.person = own
            session.flush()
            details["person_id"] = {"from": person.id if person else None, "to": own.id}
        else:
            person.first_name = data.first_name
            person.last_name = data.last_name
            person.date_of_birth = data.date_of_birth
    case.job_title = data.job_title
    _record(session, actor, case, "corrected_adult", data, {**details, **confirmed})
    check = people.check_case(session, actor, case) if identity_changed else None
    return AdultCorrected(case, check)


def correct_employer(session: Session, actor: Actor, case: Case, data: EmployerCorrection) -> Case:
    _start(case, data)
    errors: dict[str, str] = {}
    organisation = None
    if data.organisation_id is not None:
        organisation = organisations_repository.get(session, data.organisation_id)
        if organisation is None:
            errors["organisation_id"] = "Select the employer from the list"
    sector_code = data.sector_code or (organisation.sector_code if organisation else "") or case.sector_code
    rules.check_code(session, Sector, sector_code, "sector_code", errors, allow_inactive=case.sector_code)
    questions = Questions()
    questions.employer_picked_and_typed(
        organisation.name if organisation else None, data.organisation_name, "organisation_name"
    )
    confirmed = questions.settle(data.confirm_implausible, errors)
    if organisation is None:
        organisation = find_or_create(session, actor, data.organisation_name, sector_code)
    before = {"organisation_id": case.organisation_id, "sector_code": case.sector_code}
    details = changes(before, {"organisation_id": organisation.id, "sector_code": sector_code})
    if not details:
        raise ValidationFailed({"organisation_id": NOTHING_CHANGED})
    case.organisation = organisation
    case.sector_code = sector_code
    _record(session, actor, case, "corrected_employer", data, {**details, **confirmed})
    return case


REFERRER_FIELDS = (
    "referrer_name",
    "referrer_organisation",
    "referrer_role",
    "referrer_phone",
    "referrer_email",
)


def correct_referrer(session: Session, actor: Actor, case: Case, data: ReferrerCorrection) -> Case:
    _start(case, data)
    details = changes(
        {f: getattr(case, f) for f in REFERRER_FIELDS}, {f: getattr(data, f) for f in REFERRER_FIELDS}
    )
    if not details:
        raise ValidationFailed({"referrer_name": NOTHING_CHANGED})
    for field in REFERRER_FIELDS:
        setattr(case, field, getattr(data, field))
    _record(session, actor, case, "corrected_referrer", data, details)
    return case


def get_child(case: Case, child_id: int) -> Child:
    for child in case.children:
        if child.id == child_id:
            return child
    raise NotFound("There is no such child on this case.")


def _child_facts(child: Child | ChildCorrection) -> dict[str, Any]:
    return {"initials": child.initials, "age": child.age, "gender": child.gender}


def add_child(session: Session, actor: Actor, case: Case, data: ChildCorrection) -> Child:
    _start(case, data)
    child = Child(**_child_facts(data))
    case.children.append(child)
    session.flush()
    _record(session, actor, case, "child_added", data, {"child_id": child.id, **_child_facts(data)})
    sharing.share_child_added(session, actor, case, child, data.reason)
    return child


def correct_child(session: Session, actor: Actor, case: Case, child: Child, data: ChildCorrection) -> Child:
    _start(case, data)
    details = changes(_child_facts(child), _child_facts(data))
    if not details:
        raise ValidationFailed({"initials": NOTHING_CHANGED})
    child.initials, child.age, child.gender = data.initials, data.age, data.gender
    _record(session, actor, case, "child_corrected", data, {"child_id": child.id, **details})
    sharing.share_child_corrected(session, actor, case, child, details, data.reason)
    return child


def remove_child(session: Session, actor: Actor, case: Case, child: Child, data: ChildRemoval) -> None:
    _start(case, data)
    facts = _child_facts(child)
    child_id, key = child.id, child.shared_key
    case.children.remove(child)
    _record(session, actor, case, "child_removed", data, {"child_id": child_id, **facts})
    sharing.share_child_removed(session, actor, case, key, facts, data.reason)
