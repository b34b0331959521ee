"""As at is a point in time (annual-report.md): each fact a table counts, dated the day before,
on and the day after the as-at date, counts only when it took effect on or before it; a case
re-opened after the as-at date counts with the decision and conclusion it had on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from app.cases import outcomes
from app.cases.history import ReopenedOutcome
from app.cases.models import Allegation, CaseReopening
from app.cases.schemas import Conclusion, OutcomeRecord, Reopen
from app.reports.service import annual_report, cases_for_figure
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


def reopen_on(db, factory, case, on: date) -> None:
    """Re-opens the case through the service, as if on `on`."""
    outcomes.reopen_case(db, factory.actor("lado"), case, Reopen(reason="New evidence"))
    db.execute(update(CaseReopening).where(CaseReopening.case_id == case.id).values(reopened_on=on))


#: Re-opened the day before or on the as-at date: re-opened by then; the day after: not yet.
REOPENED = pytest.mark.parametrize("offset,still_closed", [(-1, False), (0, False), (1, True)])


@REOPENED
def test_a_case_reopened_after_the_date_counts_with_the_conclusion_it_had(db, factory, offset, still_closed):
    case = add_case(
        db,
        RECEIVED,
        decision="threshold_met",
        outcomes=("substantiated",),
        training_needs=True,
        concluded_on=EARLIER,
        disposals=("dismissed",),
    )
    reopen_on(db, factory, case, day(offset))
    assert case.concluded_on is None and case.training_needs is None
    assert figure(db, "outcome", "substantiated") == int(still_closed)
    assert figure(db, "outcome", "training_needs") == int(still_closed)
    assert figure(db, "disposal", "dismissed") == int(still_closed)
    assert figure(db, "timeliness", "concluded") == int(still_closed)
    assert figure(db, "outcome", "continuing") == int(not still_closed)
    listed = cases_for_figure(db, factory.actor("manager"), 2019, "outcome", "substantiated", 2, AS_AT)
    assert [c["id"] for c in listed] == ([case.id] if still_closed else [])


@REOPENED
def test_an_nfa_case_reopened_after_the_date_counts_as_the_nfa_it_was(db, factory, offset, still_closed):
    case = add_case(db, RECEIVED, decision="nfa", decided_on=RECEIVED, concluded_on=RECEIVED)
    reopen_on(db, factory, case, day(offset))
    assert case.decision is None
    assert figure(db, "referrals", "nfa") == int(still_closed)
    assert figure(db, "outcome", "nfa") == int(still_closed)


def test_reopened_twice_each_date_counts_what_the_case_had_then(db, factory):
    case = add_case(db, RECEIVED, decision="threshold_met", outcomes=("unfounded",), concluded_on=EARLIER)
    reopen_on(db, factory, case, date(2020, 3, 1))
    outcomes.conclude_case(
        db, factory.actor("lado"), case, Conclusion(training_needs=False, concluded_on=date(2020, 4, 1))
    )
    outcomes.reopen_case(db, factory.actor("lado"), case, Reopen(reason="Again"))
    second = db.scalars(
        select(CaseReopening).where(CaseReopening.case_id == case.id).order_by(CaseReopening.id)
    ).all()[-1]
    second.reopened_on = date(2020, 9, 1)
    db.flush()

    def concluded(as_at: date) -> int:
        report = annual_report(db, 2019, as_at)
        return next(
            r["values"][0] for r in report["tables"]["timeliness"]["rows"] if r["code"] == "concluded"
        )

    assert concluded(date(2020, 2, 29)) == 1  # the first conclusion, kept by the first re-opening
    assert concluded(date(2020, 3, 15)) == 0  # re-opened
    assert concluded(date(2020, 6, 30)) == 1  # the second conclusion, kept by the second re-opening


@REOPENED
def test_an_outcome_changed_after_reopening_leaves_the_earlier_report_alone(
    db, factory, offset, still_closed
):
    case = add_case(db, RECEIVED, decision="threshold_met", outcomes=("substantiated",), concluded_on=EARLIER)
    reopen_on(db, factory, case, day(offset))
    allegation = case.allegations[0]
    changed_on = date(2020, 9, 1)
    record = OutcomeRecord(outcome_code="unfounded", outcome_on=changed_on, version=case.version)
    outcomes.record_outcome(db, factory.actor("lado"), case, allegation, record)
    outcomes.conclude_case(
        db, factory.actor("lado"), case, Conclusion(training_needs=False, concluded_on=changed_on)
    )
    assert figure(db, "outcome", "substantiated") == int(still_closed)
    assert figure(db, "outcome", "unfounded") == 0
    listed = cases_for_figure(db, factory.actor("manager"), 2019, "outcome", "substantiated", 2, AS_AT)
    assert [c["id"] for c in listed] == ([case.id] if still_closed else [])
    later = annual_report(db, 2019, date(2020, 12, 31))["tables"]["outcome"]["rows"]
    assert {r["code"]: r["values"][2] for r in later if r["code"] in ("substantiated", "unfounded")} == {
        "substantiated": 0,
        "unfounded": 1,
    }


def test_a_reopening_keeps_each_allegations_outcome_as_it_stood(db, factory):
    case = add_case(
        db, RECEIVED, decision="threshold_met", outcomes=("substantiated", "false"), concluded_on=EARLIER
    )
    outcomes.reopen_case(db, factory.actor("lado"), case, Reopen(reason="New evidence"))
    kept = db.scalars(select(ReopenedOutcome).where(ReopenedOutcome.case_id == case.id)).all()
    assert sorted((k.allegation_id, k.outcome_code, k.outcome_on) for k in kept) == sorted(
        (a.id, a.outcome_code, a.outcome_on) for a in case.allegations
    )
