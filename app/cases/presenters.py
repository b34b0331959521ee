"""What the case templates need besides the case: choices for forms and what the viewer may do."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.cases import rules
from app.cases.models import (
    CONTACT_METHOD_LABELS,
    HARM_LIMBS,
    NFA_KIND_LABELS,
    REFERRAL_STATUS_LABELS,
    STATUS_LABELS,
    Case,
)
from app.context import Actor
from app.letters.presenters import case_letters
from app.meetings.presenters import case_tools
from app.organisations import repository as organisations_repository
from app.reference import repository as reference_repository
from app.reference.models import Category, Disposal, Outcome, Regulator, Sector
from app.users.models import Role

ORGANISATION_CHOICES_LIMIT = 1000


def _options(session: Session, model, keep: set[str] | None = None) -> list[tuple[str, str]]:
    """Active items in display order, plus inactive ones already used on the record being edited."""
    return [(i.code, i.label) for i in reference_repository.active_items(session, model, keep or set())]


def form_options(session: Session, case: Case | None) -> dict[str, Any]:
    keep: set[str] = set()
    if case is not None:
        keep = {
            case.sector_code,
            case.primary_category_code,
            *(c.code for c in case.secondary_categories),
            *(d.code for d in case.disposals),
        }
    orgs = organisations_repository.first_by_name(session, ORGANISATION_CHOICES_LIMIT)
    return {
        "sector_options": _options(session, Sector, keep),
        "category_options": _options(session, Category, keep),
        "outcome_options": _options(session, Outcome, keep),
        "disposal_options": _options(session, Disposal, keep),
        "regulator_options": _options(session, Regulator, keep),
        "organisation_options": [(str(o.id), o.name) for o in orgs],
        "contact_method_options": [(k.value, v) for k, v in CONTACT_METHOD_LABELS.items()],
        "nfa_kind_options": [(k.value, v) for k, v in NFA_KIND_LABELS.items()],
        "harm_limb_options": list(HARM_LIMBS.items()),
        "referral_status_options": [(k.value, v) for k, v in REFERRAL_STATUS_LABELS.items()],
        "yes_no_options": [("yes", "Yes"), ("no", "No")],
    }


def filter_options(session: Session) -> dict[str, Any]:
    def every(model) -> list[tuple[str, str]]:
        return [(i.code, i.label) for i in reference_repository.list_items(session, model)]

    return {
        "status_options": [(k.value, v) for k, v in STATUS_LABELS.items()],
        "sector_options": every(Sector),
        "category_options": every(Category),
    }


def case_context(session: Session, case: Case, actor: Actor) -> dict[str, Any]:
    may_edit = actor.user is not None and actor.user.role == Role.LADO
    return {
        "case": case,
        "may_edit": may_edit,
        "can": {step: may_edit and rules.can(case, step) for step in rules.STEPS},
        "harm_limbs": HARM_LIMBS,
        "harm_limb_labels": [HARM_LIMBS[x] for x in case.harm_limb_list if x in HARM_LIMBS],
        "nfa_kind_labels": {k.value: v for k, v in NFA_KIND_LABELS.items()},
        "contact_method_labels": {k.value: v for k, v in CONTACT_METHOD_LABELS.items()},
        "referral_status_labels": {k.value: v for k, v in REFERRAL_STATUS_LABELS.items()},
        **form_options(session, case),
        **case_tools(session, case, actor),
        **case_letters(session, case),
    }
