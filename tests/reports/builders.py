"""Inserting synthetic cases directly with the ORM, stating only the facts the statistics read."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.cases.models import Allegation, Case, RegulatorReferral, case_disposals
from app.consultations.models import Consultation
from app.meetings.models import EVALUATION, Meeting
from app.people.models import Person
from app.strands.models import StrandChange, Suspension

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
    nfa_after_investigation: bool = False,
    disposals_on: date | None = None,
    dbs_made_on: date | None = None,
    dbs_recommended_on: date | None = None,
    harm_limbs: str = "",
    person: Person | None = None,
    consultation: bool = False,
    converted_on: date | None = None,
    meetings: tuple[date | tuple[str, date], ...] = (),
    strands: tuple[tuple[str, str, date, str | None, date | None], ...] = (),
    suspension: tuple[str, date | None] | None = None,
) -> Case:
    """One case; `outcomes` gives one allegation per entry, `dbs` one DBS referral per status.

    The further tables' facts: `consultation` (it began as one; `converted_on`: the day it
    became a referral), `meetings` (the day of each evaluation meeting, or (meeting type, day)),
    `strands` (one strand change each: kind, status, status date, outcome, outcome date) and
    `suspension` (decision, decided on)."""
    n = next(_seq)
    if decision is None:
        status = "consultation" if consultation and converted_on is None else "open"
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
        nfa_after_investigation=nfa_after_investigation,
        summary="Synthetic case for statistics tests.",
        harm_limbs=harm_limbs,
        person=person,
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
    case.referrals = [
        RegulatorReferral(
            regulator_code="dbs",
            status=status_,
            recommended_on=dbs_recommended_on or received_on,
            made_on=(dbs_made_on or concluded_on) if status_ == "made" else None,
        )
        for status_ in dbs
    ]
    session.add(case)
    session.flush()
    if consultation:
        session.add(Consultation(case_id=case.id, advice="Synthetic advice.", converted_on=converted_on))
    for meeting in meetings:
        kind, day = meeting if isinstance(meeting, tuple) else (EVALUATION, meeting)
        held_at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        session.add(Meeting(case_id=case.id, meeting_type_code=kind, held_at=held_at, held_on=day))
    for kind, strand_status, status_on, outcome, outcome_on in strands:
        session.add(
            StrandChange(
                case_id=case.id,
                kind=kind,
                status=strand_status,
                status_on=status_on,
                outcome_code=outcome,
                outcome_on=outcome_on,
            )
        )
    if suspension is not None:
        decision_, decided = suspension
        session.add(Suspension(case_id=case.id, considered=True, decision=decision_, decided_on=decided))
    if consultation or meetings or strands or suspension:
        session.flush()
    # Each disposal takes effect when the case concludes (or, open, when it was decided).
    effective_on = disposals_on or concluded_on or case.decided_on or received_on
    rows = [{"case_id": case.id, "disposal_code": code, "effective_on": effective_on} for code in disposals]
    if rows:
        session.execute(insert(case_disposals), rows)
        session.expire(case, ["disposals"])
    return case
