"""The case's letter fields: the one plain dict a letter template sees (see render.FIELDS), and
the facts a letter needs before it can be finalised."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.cases.models import REFERRAL_STATUS_LABELS, Case, Decision
from app.config import get_settings
from app.letters import letterhead
from app.letters.models import Letter, LetterKind
from app.organisations.models import OrganisationContact
from app.reference import repository as reference_repository
from app.reference.models import Category, Outcome
from app.users.models import User


def _referral_status_label(status: str) -> str:
    return next((label for key, label in REFERRAL_STATUS_LABELS.items() if key.value == status), status)


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def letter_fields(
    session: Session,
    case: Case,
    *,
    kind: LetterKind,
    lado: User | None,
    contact: OrganisationContact | None,
    on: date,
    replaces: Letter | None = None,
) -> dict[str, Any]:
    """Only what a letter may say, as plain values: never an ORM object, never the children."""
    adult = {"name": case.person.full_name if case.person else "", "role": case.job_title or ""}
    employer = {"name": case.organisation.name if case.organisation else ""}
    if kind is LetterKind.ADULT:
        recipient = {"name": adult["name"], "role": ""}
    else:
        recipient = {"name": contact.name if contact else "", "role": contact.role if contact else ""}
    allegations = []
    for n, a in enumerate(case.allegations, start=1):
        # By code, not through the relationship: it may predate an outcome recorded in this transaction.
        outcome = reference_repository.get_item(session, Outcome, a.outcome_code) if a.outcome_code else None
        category = reference_repository.get_item(session, Category, a.category_code)
        allegations.append(
            {
                "number": n,
                "description": a.description,
                "category": category.label if category else a.category_code,
                "outcome": outcome.label if outcome else "Not yet decided",
                "outcome_code": a.outcome_code or "",
                "definition": outcome.definition if outcome else "",
                "outcome_on": long_date(a.outcome_on),
            }
        )
    referrals = [
        {
            "regulator": r.regulator.label,
            "regulator_code": r.regulator_code,
            "status": _referral_status_label(r.status),
            "made_on": long_date(r.made_on),
            "reference": r.reference,
        }
        for r in case.referrals
    ]
    dbs = next((r for r in referrals if r["regulator_code"] == "dbs"), None)
    codes: list[str] = []
    for a in case.allegations:
        if a.outcome_code and a.outcome_code not in codes:
            codes.append(a.outcome_code)
    team = letterhead.lado_contact(session)
    return {
        "reference": case.reference,
        "date": long_date(on),
        "council_name": get_settings().council_name,
        "kind": kind.value,
        "adult": adult,
        "employer": employer,
        "recipient": recipient,
        "allegations": allegations,
        "outcome_codes": codes,
        "training_needs": bool(case.training_needs),
        "disposals": [d.label for d in case.disposals],
        "harm_test_met": case.decision == Decision.THRESHOLD_MET,
        "referrals": referrals,
        "dbs_referral": dbs,
        "lado": {
            "name": lado.name if lado else "",
            "email": team["email"] or (lado.email if lado else ""),
            "phone": team["phone"],
        },
        "replaces": (
            f"version {replaces.version} of {long_date(replaces.finalised_at.date())}"
            if replaces is not None and replaces.finalised_at
            else ""
        ),
    }


def missing_facts(case: Case, letter: Letter) -> dict[str, str]:
    """What the case or the letter still lacks before the letter may be finalised (field -> message);
    empty when it may be. An outcome letter states an outcome for every allegation."""
    missing: dict[str, str] = {}
    if not case.allegations:
        missing["allegations"] = (
            "Record the allegation on the case: the letter states each allegation and its outcome"
        )
    for n, a in enumerate(case.allegations, start=1):
        if a.outcome_code is None:
            missing[f"allegation-{a.id}"] = (
                f"Allegation {n} ({a.category.label}) has no outcome: record its outcome on the case"
            )
    if letter.kind_enum is LetterKind.ADULT:
        if case.person is None:
            missing["person"] = "Record the adult concerned on the case"
        return missing
    if case.organisation is None:
        missing["organisation"] = "Record the employer on the case"
    elif letter.contact is None:
        missing["contact_id"] = (
            f"Choose who at {case.organisation.name} receives the letter (add an HR liaison "
            "contact for the organisation if there is none)"
        )
    elif letter.contact.organisation_id != case.organisation_id:
        missing["contact_id"] = (
            f"The chosen contact does not work for {case.organisation.name}: choose another"
        )
    return missing
