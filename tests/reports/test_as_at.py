"""As at is a point in time (annual-report.md): each fact a table counts, dated the day before,
on and the day after the as-at date, counts only when it took effect on or before it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from app.cases.models import Allegation
from app.reports.service import annual_report
from tests.reports.builders import add_case

AS_AT = date(2020, 6, 30)
RECEIVED = date(2019, 10, 1)  # in 2019-20, the report's selected year (the last column)
EARLIER = date(2020, 1, 15)
#: Day offset from the as-at date -> whether the fact counts.
EDGES = pytest.mark.parametrize("offset,counts", [(-1, True), (0, True), (1, False)])


def figure(db, table: str, row: str) -> int:
    """The selected year's figure: the last of three years, or the one-year tables' count."""
    found = annual_report(db, 2019, AS_AT)["tables"][table]
    values = next(r["values"] for r in found["rows"] if r["code"] == row)
    return values[0] if "columns" in found else values[2]


def day(offset: int) -> date:
    return AS_AT + timedelta(days=offset)


@EDGES
def test_an_nfa_decision_counts_from_its_date(db, offset, counts):
    add_case(db, RECEIVED, decision="nfa", decided_on=day(offset), concluded_on=day(offset))
    assert figure(db, "referrals", "nfa") == int(counts)
    assert figure(db, "outcome", "nfa") == int(counts)


@EDGES
def test_a_threshold_met_decision_counts_from_its_date(db, offset, counts):
    add_case(db, RECEIVED, decision="threshold_met", decided_on=day(offset))
    assert figure(db, "outcome", "continuing") == int(counts)


@EDGES
def test_a_conclusion_counts_from_its_date_and_until_then_the_case_continues(db, offset, counts):
    add_case(
        db,
        RECEIVED,
        decision="threshold_met",
        outcomes=("substantiated",),
        training_needs=True,
        concluded_on=day(offset),
    )
    assert figure(db, "outcome", "substantiated") == int(counts)
    assert figure(db, "outcome", "training_needs") == int(counts)
    assert figure(db, "substantiated_by_agency", "education") == int(counts)
    assert figure(db, "outcome", "continuing") == int(not counts)
    assert figure(db, "timeliness", "concluded") == int(counts)


@EDGES
def test_an_outcome_counts_from_its_outcome_date(db, offset, counts):
    case = add_case(
        db, RECEIVED, decision="threshold_met", outcomes=("unfounded", "malicious"), concluded_on=EARLIER
    )
    late = case.allegations[1].id
    db.execute(update(Allegation).where(Allegation.id == late).values(outcome_on=day(offset)))
    assert figure(db, "outcome", "unfounded") == 1
    assert figure(db, "outcome", "malicious") == int(counts)


@EDGES
def test_a_disposal_counts_from_the_date_it_took_effect(db, offset, counts):
    add_case(
        db,
        RECEIVED,
        decision="threshold_met",
        outcomes=("substantiated",),
        concluded_on=EARLIER,
        disposals=("dismissed",),
        disposals_on=day(offset),
    )
    assert figure(db, "outcome", "substantiated") == 1
    assert figure(db, "disposal", "dismissed") == int(counts)


@EDGES
def test_a_dbs_referral_counts_as_made_from_its_made_date_and_as_recommended_before(db, offset, counts):
    add_case(
        db,
        RECEIVED,
        decision="threshold_met",
        outcomes=("substantiated",),
        concluded_on=EARLIER,
        dbs=("made",),
        dbs_recommended_on=EARLIER,
        dbs_made_on=day(offset),
    )
    assert figure(db, "disposal", "dbs_made") == int(counts)
    assert figure(db, "disposal", "dbs_recommended") == int(not counts)


@EDGES
def test_a_dbs_recommendation_counts_from_its_date(db, offset, counts):
    add_case(
        db,
        RECEIVED,
        decision="threshold_met",
        outcomes=("substantiated",),
        concluded_on=EARLIER,
        dbs=("recommended",),
        dbs_recommended_on=day(offset),
    )
    assert figure(db, "disposal", "dbs_recommended") == int(counts)


@EDGES
def test_nfa_after_investigation_counts_in_the_outcome_table_only_from_its_date(db, offset, counts):
    add_case(db, RECEIVED, decision="threshold_met", nfa_after_investigation=True, concluded_on=day(offset))
    assert figure(db, "outcome", "nfa") == int(counts)
    assert figure(db, "outcome", "continuing") == int(not counts)
    assert figure(db, "referrals", "nfa") == 0
