"""The annual report's statements read the cases of the report's window only, through an index
(tests/plan_check.py explains how a plan is read on each database).

Every access to `cases` must be a range of received_on (the window, or one year of it), a
case found by its id (the figures over allegations reach each case from its allegation) or the
cases of one adult found by their person (the repeat table's earlier cases): never the whole
table, which at a million cases is ten years for a report about three. The
allegations, disposals and DBS referrals are read in full by some statements (their per-case
flags): each is a tenth of the cases or less, read once per report from an index in case order.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.context import Actor
from app.reports.service import annual_report, earliest_received, figure_drill_down
from app.users.models import Role
from tests.plan_check import Plan, planned, seq_scans
from tests.reports import dataset

AS_AT = dataset.AS_AT
#: Drill-downs that read each kind of predicate: case columns, outcomes, disposals, DBS, a
#: one-year table, a total.
FIGURES = [
    ("outcome", "continuing", 2),
    ("outcome", "substantiated", 1),
    ("disposal", "dismissed", 0),
    ("disposal", "dbs_recommended", 2),
    ("substantiated_by_agency", "police", 2),
    ("timeliness", "within_3_months", 0),
    ("source", "total", 1),
    ("conversion", "referrals", 2),
    ("timeliness", "meeting_within_5_working_days", 0),
    ("repeat", "within_3_years", 2),
    ("strands", "police_none", 2),
]


def _pg_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _pg_nodes(child)


def unranged_reads_of_cases(plan: Plan, postgresql: bool) -> list[str]:
    """How the plan reads `cases` where that is neither a range of received_on, nor by id, nor
    by person."""
    found = []
    if postgresql:
        for node in _pg_nodes(json.loads(plan.text)):
            if node.get("Relation Name") != "cases":
                continue
            condition = node.get("Index Cond") or node.get("Recheck Cond") or ""
            if "received_on >=" not in condition and not condition.startswith(("(id =", "(person_id =")):
                found.append(f"{node['Node Type']} {condition}")
    else:
        for line in plan.text.splitlines():
            if line.startswith(("SCAN cases", "SEARCH cases")) and not (
                "received_on>" in line
                or "received_on<" in line
                or "(rowid=?)" in line
                or "(person_id=?)" in line
            ):
                found.append(line)
    return found


@pytest.fixture
def manager(factory):
    return Actor(user=factory.user(Role.MANAGER))


@pytest.fixture
def plans(db, manager):
    dataset.build(db)
    with planned(db) as recorded:
        annual_report(db, 2019, AS_AT)
        for table, row, col in FIGURES:
            figure_drill_down(db, manager, 2019, table, row, col, AS_AT)
        figure_drill_down(db, manager, 2019, "referrals", "total", 2, AS_AT, after=(date(2019, 6, 1), 0))
    return recorded


def test_no_statement_reads_every_case(plans):
    assert len(plans) >= 10
    assert seq_scans(plans, "cases") == [], "\n\n".join(map(str, seq_scans(plans, "cases")))


def test_cases_are_read_as_a_range_of_received_on_or_by_id(db, plans):
    postgresql = db.get_bind().dialect.name == "postgresql"
    problems = {p.sql[:200]: found for p in plans if (found := unranged_reads_of_cases(p, postgresql))}
    assert problems == {}


def test_the_counting_statements_read_the_window_from_the_report_index(db, plans):
    counting = [p for p in plans if "case_groups" in p.sql]
    assert len(counting) == 1
    # SQLite plans by rules and takes the report's index; PostgreSQL may take another index that
    # holds the same columns (the dashboard's): either way an index, never the table (above).
    if db.get_bind().dialect.name == "sqlite":
        assert "ix_cases_report" in counting[0].text


def test_the_earliest_case_is_one_end_of_an_index(db):
    with planned(db) as recorded:
        earliest_received(db)
    assert seq_scans(recorded, "cases") == []
