"""The dashboard reads the cases being worked, not the years of cases held: none of the statements
behind its figures, its lists (every figure's, every stage's, a page after and before a case) and
its actions plans a sequential scan of cases (tests/plan_check.py), for a LADO officer and for a
manager, and the caseloads' counts. And a list is read a page at a time after or before a case
(keyset paging), each page the same whatever its depth, its total counted up to a limit for a
closed stage."""

from datetime import date

import pytest
from sqlalchemy import text

from app.allocations import repository as allocations
from app.cases import repository as case_list
from app.cases import service as cases
from app.cases.schemas import CaseFilters, InitialConsideration
from app.dashboard import repository, service
from tests.dashboard.conftest import TODAY
from tests.people.support import open_case
from tests.plan_check import planned, seq_scans

LISTS = [(f"{d.key}", w) for d in service.DEADLINES for w in service.WHEN] + [
    ("no_review", ""),
    *((f"stage:{s}", "") for s in ("open", "nfa", "threshold_met", "concluded")),
]


def every_statement(db, actor) -> None:
    service.counts(db, actor, TODAY)
    service.caseloads(db, actor, TODAY)  # the managers' table of each officer's cases
    for key, when in LISTS:
        first = service.case_list(db, actor, key, when, TODAY, 1)
        if first.after is not None:
            second = service.case_list(db, actor, key, when, TODAY, 1, after=first.after)
            if second.before is not None:
                service.case_list(db, actor, key, when, TODAY, 1, before=second.before)
    for when in service.WHEN:
        service.action_list(db, actor, when, TODAY)


@pytest.mark.parametrize("role", ["lado", "manager"])
def test_no_statement_of_the_dashboard_reads_every_case(db, factory, world, role):
    me, _, _ = world
    actor = me if role == "lado" else factory.actor("manager")
    with planned(db) as plans:
        every_statement(db, actor)
    assert len(plans) > len(LISTS)
    scans = seq_scans(plans, "cases")
    assert scans == [], "\n\n".join(str(p) for p in scans)


def test_a_list_pages_after_and_before_a_case_in_the_order_received(db, factory):
    me = factory.actor("lado")
    received = [date(2026, 5, d) for d in (4, 4, 5, 6, 7)]  # two on one day: the id breaks the tie
    made = [open_case(db, factory, me, received_on=d.isoformat()) for d in received]
    order = [c.id for c in sorted(made, key=lambda c: (c.received_on, c.id))]

    def page(**cursor):
        return service.case_list(db, me, "stage:open", "", TODAY, 2, **cursor)

    first = page()
    assert [c.id for c in first.cases] == order[:2] and first.total == 5
    assert first.before is None and first.after == order[1]
    second = page(after=first.after)
    assert [c.id for c in second.cases] == order[2:4]
    assert (second.before, second.after) == (order[2], order[3])
    last = page(after=second.after)
    assert [c.id for c in last.cases] == order[4:] and last.after is None and last.before == order[4]
    assert [c.id for c in page(before=second.before).cases] == order[:2]
    assert page(before=second.before).before is None
    # a cursor to a case not in the list (another stage, or not in scope) starts it again
    assert [c.id for c in page(after=10**9).cases] == order[:2]


def test_a_closed_stage_list_counts_up_to_the_limit(db, factory, monkeypatch):
    me = factory.actor("lado")
    monkeypatch.setattr(repository, "COUNT_LIMIT", 2)
    for d in (4, 5, 6):
        case = open_case(db, factory, me, received_on=date(2026, 5, d).isoformat())
        cases.record_initial_consideration(
            db,
            me,
            case,
            InitialConsideration(
                decision="nfa", nfa_kind="advice_given", rationale="Advice", decided_on=date(2026, 5, d)
            ),
        )
    open_case(db, factory, me, received_on="2026-05-07")
    closed = service.case_list(db, me, "stage:nfa", "", TODAY, 10)
    assert closed.total == 2 and closed.total_is_lower_bound and len(closed.cases) == 3
    open_ones = service.case_list(db, me, "stage:open", "", TODAY, 10)
    assert open_ones.total == 1 and not open_ones.total_is_lower_bound  # a stage being worked: exact


def test_each_officers_caseload_and_their_cases_are_read_by_index(db, factory, world):
    """The managers' table of each officer's open and overdue cases, an officer's open cases (what
    a cover moves) and the caseload filtered by allocated officer (or none) read cases by index."""
    me, _, _ = world
    manager = factory.actor("manager")
    with planned(db) as plans:
        rows = service.caseloads(db, manager, TODAY)
        allocations.open_cases_of(db, manager, me.user.id)
        for officer in (str(me.user.id), "none"):
            case_list.page_of_cases(
                db, manager, CaseFilters(officer=officer, status="active"), 10, case_list.case_rows
            )
            case_list.page_of_cases(
                db, manager, CaseFilters(officer=officer, overdue=True), 10, case_list.case_rows
            )
    assert any(r.officer_id == me.user.id and r.open > 0 and r.overdue > 0 for r in rows)
    scans = seq_scans(plans, "cases")
    assert scans == [], "\n\n".join(str(p) for p in scans)


#: sqlite_stat1 as `ANALYZE` wrote it for the cases' indexes at a million synthetic cases
#: (bench/pages_data.py): three statuses by SQLite's average, though the open stages hold 3%.
MILLION_CASES_STATS = {
    "ix_cases_adult_sort_id_restricted": "1000000 60 1 1",
    "ix_cases_allocated_officer_id_id": "1000000 1502 1",
    "ix_cases_category_received_on": "1000000 200000 55",
    "ix_cases_employer_sort_id_restricted": "1000000 477 1 1",
    "ix_cases_incident_id": "1000000 1000000",
    "ix_cases_next_due_on_id_restricted": "1000000 407 1 1",
    "ix_cases_officer_sort_id_restricted": "1000000 1502 1 1",
    "ix_cases_organisation_id": "1000000 477",
    "ix_cases_person_id_received_on": "1000000 2 2",
    "ix_cases_received_on_id_restricted": "1000000 274 1 1",
    "ix_cases_reference_upper": "1000000 1",
    "ix_cases_report": "1000000 274 137 9 3 2 2 2 2 2 1 1",
    "ix_cases_sector_received_on": "1000000 58824 17",
    "ix_cases_status_allocated_officer_id_restricted": "1000000 333334 501 32 30",
    "ix_cases_status_id": "1000000 333334 1",
    "ix_cases_status_received_on_id": "1000000 333334 93 1 1 1",
}


def test_on_sqlite_the_caseloads_are_counted_from_the_open_stages_at_a_million_cases(db, factory, world):
    """With the statistics of a million cases, SQLite grouped the caseloads by walking the officer
    index through every case (1.1 s); they are counted from the open stages' range instead."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's planner, given a large table's statistics")
    db.execute(text("ANALYZE"))
    db.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'cases'"))
    for index, stat in MILLION_CASES_STATS.items():
        db.execute(text("INSERT INTO sqlite_stat1 VALUES ('cases', :i, :s)"), {"i": index, "s": stat})
    db.execute(text("ANALYZE sqlite_schema"))  # the planner reads the statistics again
    with planned(db) as plans:
        service.caseloads(db, factory.actor("manager"), TODAY)
    scans = seq_scans(plans, "cases")
    assert scans == [], "\n\n".join(str(p) for p in scans)
