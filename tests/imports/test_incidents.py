"""The import's `incident` column: the rows of one file with the same value are one incident's
cases (app/incidents), across the writer's batches too; a bad cell is reported, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.cases.models import Case
from app.imports import service
from app.imports.schemas import ImportRejected
from app.imports.service import import_bytes
from app.incidents.models import Incident
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


def test_rows_with_the_same_incident_are_linked_and_the_others_are_not(db, admin, monkeypatch):
    monkeypatch.setattr(service, "BATCH_SIZE", 2)
    rows = [
        {**BASE, "reference": "IN-1", "incident": "Restraint 3 May", "subject_last_name": "Oneadult"},
        {**BASE, "reference": "IN-2", "incident": "Other", "subject_last_name": "Twoadult"},
        {**BASE, "reference": "IN-3", "incident": "", "subject_last_name": "Alone"},
        {**BASE, "reference": "IN-4", "incident": "Restraint 3 May", "subject_last_name": "Fouradult"},
        {**BASE, "reference": "IN-5", "incident": "Other", "subject_last_name": "Fiveadult"},
    ]
    import_bytes(db, admin, csv_text(rows).encode("utf-8"))
    cases = {c.reference: c for c in db.scalars(select(Case).where(Case.reference.like("IN-%")))}
    assert cases["IN-1"].incident_id == cases["IN-4"].incident_id is not None
    assert cases["IN-2"].incident_id == cases["IN-5"].incident_id is not None
    assert cases["IN-1"].incident_id != cases["IN-2"].incident_id
    assert cases["IN-3"].incident_id is None
    assert db.scalar(select(func.count()).select_from(Incident)) == 2


def test_a_formula_in_the_incident_is_reported_and_nothing_is_written(db, admin):
    rows = [{**BASE, "reference": "IX-1", "incident": "=CMD()"}]
    with pytest.raises(ImportRejected) as caught:
        import_bytes(db, admin, csv_text(rows).encode("utf-8"))
    assert any("column incident" in p for p in caught.value.problems), caught.value.problems
    assert db.scalar(select(func.count()).select_from(Case).where(Case.reference == "IX-1")) == 0
