"""Publishing the annual report and reconciling it (annual-report.md, Published snapshots): the
figures are stored as computed, with their SHA-256 and the cases behind each count; a case
corrected afterwards shows up as the cells it moved between, with the correction that moved it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.corrections import service as corrections
from app.corrections.schemas import EmployerCorrection
from app.publications import service
from app.publications.models import PublishedFigureCase
from app.reports.service import annual_report
from tests.reports import dataset
from tests.reports.builders import add_case

AS_AT = dataset.AS_AT


@pytest.fixture
def manager(factory):
    return factory.actor("manager")


def test_publishing_stores_the_figures_their_hash_and_the_cases_behind_them(db, manager):
    ids = dataset.build(db)
    published = service.publish(db, manager, 2019, AS_AT, note="  Partnership report  ")
    assert published.figures == annual_report(db, 2019, AS_AT)
    assert published.sha256 == service.sha256_of(published.figures) and len(published.sha256) == 64
    assert (published.year_label, published.as_at, published.note) == ("2019-20", AS_AT, "Partnership report")
    counted = set(
        db.scalars(
            select(PublishedFigureCase.case_id).where(
                PublishedFigureCase.report_id == published.id,
                PublishedFigureCase.table_key == "outcome",
                PublishedFigureCase.row_code == "continuing",
                PublishedFigureCase.column_index == 2,
            )
        )
    )
    assert counted == {ids["C4"], ids["C5"]}
    event = db.scalar(select(AuditEvent).where(AuditEvent.verb == "published"))
    assert event.details == {"year": "2019-20", "as_at": "2020-06-30", "sha256": published.sha256}
    _, differences = service.reconcile(db, manager, published)
    assert differences == []


def test_a_case_corrected_afterwards_is_named_with_the_cells_it_moved_between(db, factory, manager):
    officer = factory.actor("lado")
    case = add_case(db, date(2019, 6, 3), sector="primary_school", decision="nfa")
    add_case(db, date(2019, 7, 1), sector="health", decision="nfa")
    published = service.publish(db, manager, 2019, AS_AT)
    corrections.correct_employer(
        db,
        officer,
        case,
        EmployerCorrection(
            organisation_name="Synthetic Health Centre",
            sector_code="health",
            reason="The referrer named the wrong employer",
            version=case.version,
        ),
    )
    now, differences = service.reconcile(db, manager, published)
    assert now["tables"]["source"]["total"] == published.figures["tables"]["source"]["total"]
    cells = {(d.table, d.row, d.column): d for d in differences}
    assert set(cells) == {("source", "primary_school", 2), ("source", "health", 2)}
    school, health = cells[("source", "primary_school", 2)], cells[("source", "health", 2)]
    assert (school.published, school.now, health.published, health.now) == (1, 0, 1, 2)
    assert (school.table_title, school.row_label, school.column_label) == (
        "Source of allegations by sector",
        "Primary Schools",
        "2019-20",
    )
    assert [(m.reference, m.direction) for m in school.moved] == [(case.reference, "out")]
    assert [(m.reference, m.direction) for m in health.moved] == [(case.reference, "in")]
    change = school.moved[0].changes
    assert len(change) == 1 and officer.user.name in change[0].who
    assert "employer" in change[0].what.lower() or "sector" in change[0].what.lower(), change[0].what
    # The published figures never change.
    assert published.figures["tables"]["source"]["rows"] != now["tables"]["source"]["rows"]
    assert service.sha256_of(published.figures) == published.sha256


def test_a_report_published_twice_is_two_publications(db, manager):
    add_case(db, date(2019, 6, 3), decision="nfa")
    first = service.publish(db, manager, 2019, AS_AT)
    second = service.publish(db, manager, 2019, AS_AT)
    assert first.id != second.id and first.sha256 == second.sha256
    assert [p.id for p in service.list_published(db)] == [second.id, first.id]
    stored = db.scalar(select(func.count()).select_from(PublishedFigureCase))
    assert stored and stored % 2 == 0
