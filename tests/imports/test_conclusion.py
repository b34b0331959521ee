"""The import's `decided_date` and `nfa_after_investigation` columns (case-import.md): each is
stored, each fact is dated as the contract says (so the report as at a date counts it from then),
the outcome table's NFA row counts an NFA after investigation and the referrals table's does not,
and every broken rule is reported with nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.cases.models import Case, RegulatorReferral, case_disposals
from app.imports.schemas import ImportRejected
from app.imports.service import import_bytes
from app.reports.service import annual_report
from tests.imports.sample import csv_text

BASE = {
    "received_date": "2019-05-01",
    "sector": "primary_school",
    "category": "physical",
    "initial_decision": "threshold_met",
}


@pytest.fixture
def admin(factory):
    return factory.actor("admin")


def _cases(db, prefix: str) -> dict[str, Case]:
    return {c.reference: c for c in db.scalars(select(Case).where(Case.reference.like(f"{prefix}%")))}


def _figure(db, as_at: date, table: str, row: str) -> int:
    report = annual_report(db, 2019, as_at)
    return next(r["values"][2] for r in report["tables"][table]["rows"] if r["code"] == row)


def test_decided_date_and_nfa_after_investigation_are_stored_and_dated(db, admin):
    rows = [
        {**BASE, "reference": "CD-1", "decided_date": "2019-05-09"},
        {**BASE, "reference": "CD-2", "initial_decision": "nfa"},
        {
            **BASE,
            "reference": "CD-3",
            "decided_date": "2019-05-03",
            "nfa_after_investigation": "yes",
            "concluded_date": "2019-09-30",
        },
        {
            **BASE,
            "reference": "CD-4",
            "decided_date": "2019-05-02",
            "outcomes": "substantiated",
            "concluded_date": "2019-11-01",
            "disposals": "dismissed",
            "dbs_referral": "made",
            "nfa_after_investigation": "no",
        },
        {**BASE, "reference": "CD-5", "decided_date": "2019-06-01", "dbs_referral": "recommended"},
    ]
    import_bytes(db, admin, csv_text(rows).encode("utf-8"))
    cases = _cases(db, "CD-")
    assert cases["CD-1"].decided_on == date(2019, 5, 9)
    assert cases["CD-2"].decided_on == date(2019, 5, 1)  # the default: the received date
    three = cases["CD-3"]
    assert (three.status, three.nfa_after_investigation, three.concluded_on) == (
        "concluded",
        True,
        date(2019, 9, 30),
    )
    assert not cases["CD-4"].nfa_after_investigation
    disposal_on = db.scalar(
        select(case_disposals.c.effective_on).where(case_disposals.c.case_id == cases["CD-4"].id)
    )
    assert disposal_on == date(2019, 11, 1)
    referrals = {r.case_id: r for r in db.scalars(select(RegulatorReferral))}
    assert referrals[cases["CD-4"].id].made_on == date(2019, 11, 1)
    assert referrals[cases["CD-5"].id].recommended_on == date(2019, 6, 1)  # open: its decided_date

    # The NFA after investigation counts in the outcome table only, from its conclusion.
    assert _figure(db, date(2019, 9, 29), "outcome", "nfa") == 1  # CD-2 alone
    assert _figure(db, date(2019, 9, 29), "outcome", "continuing") == 4
    assert _figure(db, date(2019, 9, 30), "outcome", "nfa") == 2
    assert _figure(db, date(2019, 9, 30), "referrals", "nfa") == 1
    # The substantiated case and its disposal count from their concluded_date.
    assert _figure(db, date(2019, 10, 31), "disposal", "dismissed") == 0
    assert _figure(db, date(2019, 11, 1), "disposal", "dismissed") == 1
    assert _figure(db, date(2019, 11, 1), "disposal", "dbs_made") == 1


@pytest.mark.parametrize(
    "row,column,words",
    [
        ({"decided_date": "2019-04-30"}, "decided_date", "before the received_date"),
        (
            {"decided_date": "2019-07-02", "outcomes": "unfounded", "concluded_date": "2019-07-01"},
            "decided_date",
            "after the concluded_date",
        ),
        ({"decided_date": "2019-02-30"}, "decided_date", "not a real date"),
        ({"nfa_after_investigation": "maybe"}, "nfa_after_investigation", "must be yes or no"),
        ({"nfa_after_investigation": "yes"}, "concluded_date", "enter the date the case was concluded"),
        (
            {"nfa_after_investigation": "yes", "initial_decision": "nfa"},
            "nfa_after_investigation",
            "only a threshold-met case",
        ),
        (
            {"nfa_after_investigation": "yes", "outcomes": "unfounded", "concluded_date": "2019-07-01"},
            "outcomes",
            "has no allegation outcomes",
        ),
    ],
)
def test_each_broken_rule_is_reported_and_nothing_is_written(db, admin, row, column, words):
    rows = [{**BASE, "reference": "CX-1"}, {**BASE, "reference": "CX-2", **row}]
    with pytest.raises(ImportRejected) as caught:
        import_bytes(db, admin, csv_text(rows).encode("utf-8"))
    assert [p for p in caught.value.problems if p.startswith(f"line 3, column {column}: ") and words in p], (
        caught.value.problems
    )
    assert db.scalar(select(func.count()).select_from(Case).where(Case.reference.like("CX-%"))) == 0
