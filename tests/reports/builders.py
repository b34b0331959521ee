"""Inserting synthetic cases directly with the ORM, stating only the facts the statistics read."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from app.cases.models import Allegation, Case, RegulatorReferral
from app.reference.models import Disposal

_seq = itertools.count(1)


def add_case(
    session: Session,
    received_on: date,
    *,
    sector: str = "primary_school",
    category: str = "physical",
    decision: str | None = None,
    decided_on: date | None = None,
    outcomes: tuple[str | None, ...] = (),
    training_needs: bool | None = None,
    concluded_on: date | None = None,
    disposals: tuple[str, ...] = (),
    dbs: tuple[str, ...] = (),
    reference: str | None = None,
) -> Case:
    """One case; `outcomes` gives one allegation per entry, `dbs` one DBS referral per status."""
    n = next(_seq)
    if decision is None:
        status = "open"
    elif decision == "nfa":
        status = "nfa"
    else:
        status = "concluded" if concluded_on else "threshold_met"
    case = Case(
        reference=reference or f"SYN-{n:06d}",
        received_on=received_on,
        sector_code=sector,
        primary_category_code=category,
        decision=decision,
        decided_on=decided_on if decided_on is not None else (received_on if decision else None),
        status=status,
        training_needs=training_needs,
        concluded_on=concluded_on,
        summary="Synthetic case for statistics tests.",
    )
    case.allegations = [
        Allegation(
            description=f"Synthetic allegation {i + 1}",
            category_code=category,
            outcome_code=code,
            outcome_on=concluded_on if code else None,
        )
        for i, code in enumerate(outcomes)
    ]
    case.disposals = [session.get(Disposal, code) for code in disposals]
    case.referrals = [
        RegulatorReferral(
            regulator_code="dbs",
            status=status_,
            recommended_on=received_on,
            made_on=concluded_on if status_ == "made" else None,
        )
        for status_ in dbs
    ]
    session.add(case)
    session.flush()
    return case
