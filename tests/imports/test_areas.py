"""The import's columns for the referrer's agency, areas, incident dates, non-recent and transfers
(app/imports/areas.py): written as the case's areas and transfers, checked with the rest of the row."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.areas.models import CaseAreas, CaseTransfer
from app.cases.models import Case
from app.imports.schemas import ImportRejected
from app.imports.service import import_bytes
from app.reports.service import annual_report
from tests.imports.sample import csv_text

BASE = {"received_date": "2019-05-01", "sector": "primary_school", "category": "physical"}


@pytest.fixture
def admin(factory):
    return factory.actor("admin")


def run(db, actor, rows):
    return import_bytes(db, actor, csv_text(rows).encode("utf-8"))


def test_imports_areas_and_transfers(db, admin):
    run(
        db,
        admin,
        [
            {
                **BASE,
                "reference": "AR-1",
                "initial_decision": "threshold_met",
                "referrer_agency": "Police",
                "work_area": "Northshire",
                "incident_date": "1990-01-01",
                "incident_end_date": "1990-12-31",
                "non_recent": "yes",
                "transferred_in_from": "Westshire LADO",
                "transferred_in_reference": "W-1",
            },
            {
                **BASE,
                "reference": "AR-2",
                "initial_decision": "threshold_met",
                "transferred_out_to": "Northshire LADO",
                "transferred_out_date": "2019-06-01",
                "transferred_out_reference": "N-2",
            },
            {**BASE, "reference": "AR-3", "initial_decision": "nfa"},
        ],
    )
    cases = {c.reference: c for c in db.scalars(select(Case).where(Case.reference.like("AR-%")))}
    first = db.get(CaseAreas, cases["AR-1"].id)
    assert first is not None
    assert (first.referrer_agency_code, first.work_area, first.non_recent, first.led_here) == (
        "police",
        "Northshire",
        True,
        True,
    )
    assert (first.incident_from, first.incident_to) == (date(1990, 1, 1), date(1990, 12, 31))
    moved = db.get(CaseAreas, cases["AR-2"].id)
    assert moved is not None and (moved.led_here, moved.lead_lado) == (False, "Northshire LADO")
    assert cases["AR-2"].status == "transferred" and cases["AR-2"].next_due_on is None
    assert db.get(CaseAreas, cases["AR-3"].id) is None  # nothing of its areas given: nothing recorded
    directions = sorted(
        db.scalars(
            select(CaseTransfer.direction).where(CaseTransfer.case_id.in_([c.id for c in cases.values()]))
        )
    )
    assert directions == ["in", "out"]
    report = annual_report(db, 2019, date(2020, 3, 31))
    cross = {r["code"]: r["values"][-1] for r in report["tables"]["cross_border"]["rows"]}
    assert cross == {"led_here": 2, "transferred_out": 1, "transferred_in": 1}
    continuing = next(r for r in report["tables"]["outcome"]["rows"] if r["code"] == "continuing")
    assert continuing["values"][-1] == 1


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"referrer_agency": "parent"},
            'line 2, column referrer_agency: "parent" is not a referrer agency code',
        ),
        ({"non_recent": "maybe"}, "line 2, column non_recent:"),
        (
            {"incident_date": "2000-02-02", "incident_end_date": "2000-01-01"},
            "line 2, column incident_end_date:",
        ),
        ({"transferred_in_from": "Westshire LADO"}, "line 2, column transferred_in_reference:"),
        ({"transferred_out_to": "Northshire LADO"}, "line 2, column transferred_out_date:"),
        ({"transferred_out_date": "2019-06-01"}, "line 2, column transferred_out_to:"),
        (
            {"transferred_out_to": "N", "transferred_out_date": "2019-04-01"},
            "line 2, column transferred_out_date: the transfer cannot be before",
        ),
        (
            {"transferred_out_to": "N", "transferred_out_date": "2019-06-01", "initial_decision": "nfa"},
            "line 2, column transferred_out_to: an NFA case",
        ),
        (
            {
                "transferred_out_to": "N",
                "transferred_out_date": "2019-06-01",
                "outcomes": "unfounded",
                "concluded_date": "2019-07-01",
            },
            "line 2, column transferred_out_to: a case transferred out",
        ),
        ({"work_area": "=HYPERLINK()"}, "line 2, column work_area:"),
    ],
)
def test_bad_cells_are_reported_and_nothing_is_written(db, admin, cells, expected):
    before = db.scalar(select(func.count()).select_from(CaseAreas))
    with pytest.raises(ImportRejected) as info:
        run(db, admin, [{**BASE, "reference": "BAD-1", "initial_decision": "threshold_met", **cells}])
    assert any(p.startswith(expected) for p in info.value.problems), info.value.problems
    assert db.scalar(select(func.count()).select_from(CaseAreas)) == before
