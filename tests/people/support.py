"""Helpers shared by the working-tools tests (people, meetings, dashboard, intake)."""

from __future__ import annotations

from datetime import date

from app.cases import service as cases
from app.cases.schemas import CaseCreate, InitialConsideration


def open_case(db, factory, actor=None, **overrides):
    """A case recorded through the real service (synthetic people only)."""
    actor = actor or factory.actor("lado")
    return cases.open_case(db, actor, CaseCreate.model_validate(factory.case_data(**overrides)))


def adult(first: str, last: str, dob: str | None = "1985-02-14") -> dict:
    return {"subject_first_name": first, "subject_last_name": last, "subject_date_of_birth": dob}


def threshold_met(db, actor, case, on: date):
    return cases.record_initial_consideration(
        db,
        actor,
        case,
        InitialConsideration(
            harm_limbs=["harmed"], decision="threshold_met", rationale="Harm test met", decided_on=on
        ),
    )
