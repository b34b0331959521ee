"""One incident, several adults: each adult's case, opened together from one referral or added
later from a case of the incident, linked as a group (app/incidents/models.py).

Rules:
- Each adult's case is a case like any other (its own reference, person check, clocks,
  allegations, outcomes, letters); it takes the referral's contact, employer, sector,
  categories, summary, children, areas and access. Opened together, the cases are one
  transaction: a problem with any adult saves none of them.
- The same submission twice gives the first case back, the others already made with it.
- Linking is audited on every case of the group ("incident_linked", naming the other cases),
  so each chronology says which cases came from the same incident.
- Nothing else is shared: closing, concluding or re-opening one case leaves the others as they
  are; the summary and the children are shared (app/incidents/sharing.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from app.allocations import service as allocations
from app.allocations.schemas import CoWorkerChange
from app.areas import repository as areas_repository
from app.areas import service as areas
from app.areas.schemas import NewCaseAreas
from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases import repository as cases_repository
from app.cases import rules
from app.cases import service as cases
from app.cases.models import Case, ContactMethod
from app.cases.schemas import CaseCreate, ChildIn, OtherAdult
from app.context import Actor
from app.errors import ValidationFailed
from app.incidents import repository
from app.incidents.models import Incident
from app.incidents.schemas import AdultForIncident
from app.incidents.sharing import new_key

#: Where an adult's problems are told: the row fields of the other adults.
SUBJECT_FIELDS = {
    "subject_first_name": "first name",
    "subject_last_name": "last name",
    "subject_date_of_birth": "date of birth",
    "job_title": "job title",
}


def _key_for(key: str | None, n: int) -> str | None:
    """The submission key of the n-th adult's case of one submission (the first keeps the key)."""
    if key is None or n == 1:
        return key
    return hashlib.sha256(f"{key}\x00{n}".encode()).hexdigest()


def _for_adult(data: CaseCreate, adult: OtherAdult, key: str | None) -> CaseCreate:
    return data.model_copy(
        update={
            "subject_first_name": adult.first_name,
            "subject_last_name": adult.last_name,
            "subject_date_of_birth": adult.date_of_birth,
            "job_title": adult.job_title,
            "submission_key": key,
            "other_adults": [],
        }
    )


def _link(session: Session, actor: Actor, cases: list[Case]) -> None:
    for case in cases:
        others = [c.reference for c in cases if c is not case]
        record(
            session,
            actor,
            Verb.UPDATED,
            ObjectType.CASE,
            case.id,
            case_id=case.id,
            details={"step": "incident_linked", "incident_cases": others},
        )


def open_together(
    session: Session, actor: Actor, data: CaseCreate, areas_data: NewCaseAreas | None = None
) -> Case:
    """Record a referral (with its areas when the form gave them, areas.open_case) and, when it
    names other adults, a case for each, linked as one incident; the first adult's case is returned."""

    def open_one(one: CaseCreate, **incident: Any) -> Case:
        if areas_data is None:
            return cases.open_case(session, actor, one, **incident)
        return areas.open_case(session, actor, one, areas_data, **incident)

    if not data.other_adults:
        return open_one(data)
    if data.submission_key and cases_repository.case_id_by_submission_key(session, data.submission_key):
        return open_one(data)  # the first submission's case back, the others made with it
    incident = Incident(created_by_id=actor.user.id if actor.user else None)
    session.add(incident)
    session.flush()
    keys = [new_key() for _ in data.children]
    first = open_one(data, incident_id=incident.id, child_keys=keys)
    cases_made = [first]
    for n, adult in enumerate(data.other_adults, start=2):
        try:
            case = open_one(
                _for_adult(data, adult, _key_for(data.submission_key, n)),
                incident_id=incident.id,
                child_keys=keys,
            )
        except ValidationFailed as exc:
            raise ValidationFailed(_told_at_row(exc.errors, n - 1)) from None
        cases_made.append(case)
    _link(session, actor, cases_made)
    return first


def _told_at_row(errors: dict[str, str], row: int) -> dict[str, str]:
    """An adult's problems (told at the first adult's fields) at their row of other adults."""
    told: dict[str, str] = {}
    for field, message in errors.items():
        if field in SUBJECT_FIELDS:
            told.setdefault("other_adults", f"Other adult {row}: {message}")
        else:
            told[field] = message
    return told


def _new_case_areas(session: Session, case: Case) -> NewCaseAreas:
    """The case's areas for another adult's case: all but where the adult lives."""
    found = areas_repository.areas_of(session, case)
    if found is None:
        return NewCaseAreas()
    return NewCaseAreas(
        referrer_agency_code=found.referrer_agency_code or "",
        work_area=found.work_area,
        incident_area=found.incident_area,
        led_here=found.led_here,
        lead_lado=found.lead_lado,
        incident_from=found.incident_from,
        incident_to=found.incident_to,
        incident_period=found.incident_period,
        non_recent=found.non_recent,
    )


def add_adult(session: Session, actor: Actor, case: Case, data: AdultForIncident) -> Case:
    """Another adult of the case's incident: a case of their own, made from this one and linked
    with it (the incident is made now if the case had none). Returns the new case."""
    rules.expect_version(case, data.version)
    keys = [c.shared_key or new_key() for c in case.children]
    incident_id = case.incident_id
    if incident_id is None:
        incident = Incident(created_by_id=actor.user.id if actor.user else None)
        session.add(incident)
        session.flush()
        incident_id = incident.id
    source = CaseCreate(
        received_on=case.received_on,
        contact_method=ContactMethod(case.contact_method),
        referrer_name=case.referrer_name,
        referrer_organisation=case.referrer_organisation,
        referrer_role=case.referrer_role,
        referrer_phone=case.referrer_phone,
        referrer_email=case.referrer_email,
        organisation_id=case.organisation_id,
        sector_code=case.sector_code,
        subject_first_name=data.first_name,
        subject_last_name=data.last_name,
        subject_date_of_birth=data.date_of_birth,
        job_title=data.job_title,
        children=[ChildIn(initials=c.initials, age=c.age, gender=c.gender) for c in case.children],
        primary_category_code=case.primary_category_code,
        secondary_category_codes=[c.code for c in case.secondary_categories],
        summary=case.summary,
        restricted=case.restricted,
        confirm_implausible=data.confirm_implausible,
    )
    others = repository.others_of(session, actor, case)
    new = areas.open_case(
        session, actor, source, _new_case_areas(session, case), incident_id=incident_id, child_keys=keys
    )
    if case.incident_id is None or any(c.shared_key is None for c in case.children):
        case.incident_id = incident_id
        for child, key in zip(case.children, keys, strict=True):
            child.shared_key = key
        rules.touch(case)
    session.flush()
    if case.restricted:  # whoever works the case can see the new one too
        for officer in case.officers:
            if officer not in new.officers and officer.is_active:
                reason = f"Works on case {case.reference} of the same incident"
                allocations.add_co_worker(
                    session,
                    actor,
                    new,
                    CoWorkerChange(officer_id=officer.id, version=new.version, reason=reason),
                )
    _link_one(session, actor, new, [case, *others])
    return new


def _link_one(session: Session, actor: Actor, new: Case, group: list[Case]) -> None:
    """The new case linked with the group's cases (each told of the new one)."""
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE,
        new.id,
        case_id=new.id,
        details={"step": "incident_linked", "incident_cases": [c.reference for c in group]},
    )
    for case in group:
        record(
            session,
            actor,
            Verb.UPDATED,
            ObjectType.CASE,
            case.id,
            case_id=case.id,
            details={"step": "incident_linked", "incident_cases": [new.reference]},
        )
