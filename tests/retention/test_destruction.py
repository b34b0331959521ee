"""Destruction: the personal data of a destroyed case is gone from every table (searched for in
every text column of the database), the certificate is in the audit without any of it, the
adult's row stays for their other cases, and every annual figure, for every year and as-at date,
is the same after destruction as before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from app.areas.models import CaseAreas, CaseTransfer
from app.audit.models import AuditEvent, Verb
from app.cases.models import Allegation, Case, Child, RegulatorReferral
from app.cases.schemas import NoteCreate
from app.cases.service import add_note as service_add_note
from app.clock import today
from app.errors import Conflict, Forbidden, InvalidTransition
from app.letters.models import Letter
from app.outbox.models import OutboxMessage
from app.people.models import Person, PersonKey
from app.reports.service import annual_report, figure_members
from app.retention import repository, service
from app.retention.destruction import DESTRUCTION_STEPS, destroy_case
from app.retention.models import CaseRetention
from app.retention.schemas import DestroyForm, HoldForm, KeepForm
from tests.reports import dataset
from tests.reports import test_further_tables as further
from tests.retention.builders import rich_case, where_found
from tests.retention.conftest import make_due

DESTROY = DestroyForm(reason="The retention period has passed.", confirm=True)


class TestPersonalData:
    def test_is_gone_from_every_table(self, db, journey, manager):
        case, marker = rich_case(db, journey)
        _kept, kept_marker = rich_case(db, journey)
        make_due(db, case.id)
        keep = KeepForm(next_review_on=today() + timedelta(days=30), keep_reason=f"Kept {marker}")
        service.keep(db, journey.lado, case, keep)
        assert len(where_found(db, marker)) > 20  # the marker is everywhere a case keeps text
        make_due(db, case.id)
        destroy_case(db, manager, case, DESTROY)
        assert where_found(db, marker) == []
        assert len(where_found(db, kept_marker)) > 20  # another case is untouched

    def test_what_each_table_keeps(self, db, journey, manager):
        case, _ = rich_case(db, journey)
        person_id = case.person_id
        make_due(db, case.id)
        destroy_case(db, manager, case, DESTROY)
        db.expire_all()
        person = db.get(Person, person_id)
        assert person is not None and (person.first_name, person.last_name, person.date_of_birth) == (
            "",
            "",
            None,
        )
        assert db.scalars(select(PersonKey).where(PersonKey.person_id == person_id)).all() == []
        assert db.scalars(select(Child).where(Child.case_id == case.id)).all() == []
        assert db.scalars(select(Letter).where(Letter.case_id == case.id)).all() == []
        assert db.scalars(select(OutboxMessage).where(OutboxMessage.subject_type == "letter")).all() == []
        row = db.get(Case, case.id)
        assert row is not None
        # The statistical record stays: the case, its codes and dates, outcomes, disposals, referrals.
        assert (row.reference, row.received_on, row.sector_code, row.primary_category_code) == (
            case.reference,
            date(2026, 5, 11),
            "secondary_school",
            "physical",
        )
        assert (row.decision, row.concluded_on, row.person_id, row.adult_sort) == (
            "threshold_met",
            date(2026, 6, 3),
            person_id,
            None,
        )
        assert [a.outcome_code for a in row.allegations] == ["substantiated", "malicious"]
        assert {a.description for a in row.allegations} == {""}
        assert [d.code for d in row.disposals] == ["written_warning"]
        referrals = db.scalars(select(RegulatorReferral).where(RegulatorReferral.case_id == case.id)).all()
        assert sorted((r.regulator_code, r.status, r.made_on, r.reference) for r in referrals) == [
            ("dbs", "made", date(2026, 6, 2), ""),
            ("tra", "recommended", None, ""),
        ]
        areas = db.get(CaseAreas, case.id)
        assert areas is not None and (areas.non_recent, areas.work_area) == (True, "")

    def test_the_certificate_names_what_was_destroyed_not_the_content(self, db, journey, manager):
        case, marker = rich_case(db, journey)
        make_due(db, case.id)
        review = destroy_case(db, manager, case, DESTROY)
        events = db.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.verb == Verb.DESTROYED.value)
        ).all()
        assert len(events) == 1
        certificate = events[0].details["certificate"]
        assert events[0].actor_id == manager.user.id
        assert certificate["review_id"] == review.id
        assert certificate["review_due_on"] == "2020-01-01"
        assert certificate["rule"] == "pension_age"
        assert certificate["adult_anonymised"] is True
        records = certificate["records"]
        assert records["letters"] == 1 and records["notes"] == 1 and records["children"] == 1
        assert records["meeting attendees"] == 1 and records["online referrals"] == 1
        assert records["audit events scrubbed"] > 10
        assert marker.lower() not in str(events[0].details).lower()
        # The chronology keeps what happened, without what was recorded.
        steps = db.scalars(select(AuditEvent.details).where(AuditEvent.case_id == case.id)).all()
        assert {"step": "conclude", "destroyed": "under retention review", "review_id": review.id} in steps
        retention = service.retention_of(db, case.id)
        assert retention is not None and retention.destroyed_on is not None

    def test_the_adult_keeps_their_name_while_another_of_their_cases_is_held(self, db, journey, manager):
        first, _ = rich_case(db, journey)
        second = journey.case(subject_date_of_birth=None)
        second.person_id = first.person_id
        db.flush()
        make_due(db, first.id)
        destroy_case(db, manager, first, DESTROY)
        db.expire_all()
        person = db.get(Person, first.person_id)
        assert person is not None and person.last_name.startswith("Adult")
        make_due(db, second.id)
        destroy_case(db, manager, db.get(Case, second.id), DESTROY)
        db.expire_all()
        assert db.get(Person, first.person_id).last_name == ""

    def test_refused_before_the_review_is_due_when_held_and_to_an_officer(self, db, journey, manager):
        case, _ = rich_case(db, journey)
        with pytest.raises(Conflict):
            destroy_case(db, manager, case, DESTROY)
        make_due(db, case.id)
        with pytest.raises(Forbidden):
            destroy_case(db, journey.lado, case, DESTROY)
        service.set_hold(db, journey.lado, case, HoldForm(hold=True, hold_reason="Inquiry."))
        with pytest.raises(Conflict):
            destroy_case(db, manager, case, DESTROY)

    def test_cannot_be_destroyed_twice(self, db, journey, manager):
        case, _ = rich_case(db, journey)
        make_due(db, case.id)
        destroy_case(db, manager, case, DESTROY)
        with pytest.raises(Exception) as refused:
            destroy_case(db, manager, case, DESTROY)
        assert "destroyed" in str(refused.value)

    def test_nothing_on_the_case_changes_afterwards(self, db, journey, manager):
        case, _ = rich_case(db, journey)
        make_due(db, case.id)
        destroy_case(db, manager, case, DESTROY)
        db.commit()
        with pytest.raises(InvalidTransition, match="destroyed under a retention review"):
            service_add_note(db, journey.lado, case, NoteCreate(body="Written back after destruction"))
        db.rollback()
        case = db.get(Case, case.id)
        assert case is not None and case.notes == []
        summary = case.summary
        case.summary = "Written back after destruction"
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()
        allegation = db.scalars(select(Allegation).where(Allegation.case_id == case.id)).first()
        assert allegation is not None  # kept: the report counts its category and outcome
        db.delete(allegation)
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()
        assert db.get(Case, case.id).summary == summary
        assert db.scalar(select(Allegation.id).where(Allegation.id == allegation.id)) == allegation.id

    def test_another_case_is_still_worked(self, db, journey, manager):
        case, _ = rich_case(db, journey)
        other, _ = rich_case(db, journey)
        make_due(db, case.id)
        destroy_case(db, manager, case, DESTROY)
        service_add_note(db, journey.lado, other, NoteCreate(body="Still worked"))
        db.flush()
        assert "Still worked" in [n.body for n in other.notes]

    def test_every_kind_of_personal_data_has_its_step(self):
        names = [name for name, _ in DESTRUCTION_STEPS]
        assert names[:2] == ["adult", "case"]
        assert {"letters", "documents", "minutes", "sharing log"} <= set(names)


# ---- the figures --------------------------------------------------------------------------------

#: (start year, as-at dates): every reporting year the data sets touch, each as at several dates.
AS_AT = [date(2017, 9, 1), date(2018, 6, 30), date(2019, 6, 1), date(2020, 6, 30), date(2021, 3, 31)]
YEARS = [
    (year, [d for d in [*AS_AT, date(2026, 7, 1), None] if d is None or d >= date(year, 4, 1)])
    for year in (2016, 2017, 2018, 2019, 2020, 2026)
]


def every_report(db) -> dict:
    return {(year, as_at): annual_report(db, year, as_at) for year, dates in YEARS for as_at in dates}


def every_cell(report: dict) -> list[tuple[str, str, int]]:
    cells = []
    for key, table in report["tables"].items():
        width = len(table["columns"]) if "columns" in table else 3
        for row in table["rows"]:
            cells.extend((key, row["code"], i) for i in range(width))
    return cells


def test_every_annual_figure_is_the_same_after_destruction(db, journey, manager):
    built = dataset.build(db)
    more = further.build(db)
    rich = [rich_case(db, journey)[0] for _ in range(2)]
    # The areas tables: a referrer agency, led elsewhere, a transfer out, on cases to destroy.
    db.add(
        CaseAreas(case_id=built["A2"], referrer_agency_code="police", non_recent=True, work_area="Synthetic")
    )
    db.add(CaseAreas(case_id=more["T1"], led_here=False, lead_lado="Other LADO", non_recent=False))
    db.add(
        CaseTransfer(
            case_id=more["R2"],
            direction="out",
            other_lado="Other LADO",
            transferred_on=date(2018, 2, 1),
            reason="x",
        )
    )
    db.flush()
    assert service.schedule_closed_cases(db, manager) > 5
    before = every_report(db)
    first = before[(2019, date(2020, 6, 30))]
    counted = [v for table in first["tables"].values() for row in table["rows"] for v in row["values"]]
    assert sum(v for v in counted if isinstance(v, int)) > 100  # the figures count something
    members_before = figure_members(db, manager, 2019, date(2020, 6, 30), every_cell(first))
    # Destroy closed cases of every kind: substantiated with DBS, NFA, a consultation made a
    # referral, strands and suspension, repeats (both of p2's cases, one of p1's), the rich ones.
    names = [
        *(built[n] for n in ("A2", "A3", "B1", "B2")),
        *(more[n] for n in ("K2", "N1")),
        *(c.id for c in rich),
    ]
    for name in ("A2", "A3", "B1", "B2"):
        assert service.retention_of(db, built[name]) is not None, name
    for case_id in names:
        make_due(db, case_id)
        destroy_case(db, manager, db.get(Case, case_id), DESTROY)
    # Open cases of the further data set (repeats, strands) are destroyed too, as if closed.
    for name in ("T1", "R2", "S1", "S2"):
        case = db.get(Case, more[name])
        db.add(service_row(case))
        db.flush()
        destroy_case(db, manager, case, DESTROY)
    db.expire_all()
    after = every_report(db)
    assert after == before
    assert figure_members(db, manager, 2019, date(2020, 6, 30), every_cell(first)) == members_before
    assert db.get(Person, db.get(Case, more["S1"]).person_id).last_name == ""


def service_row(case):
    """A retention row due now for a case the data set left open (destroying it must still leave
    its figures alone)."""
    return CaseRetention(case_id=case.id, review_on=date(2020, 1, 1), rule="years_after_closure", hold=False)


class TestAuditStaysAppendOnly:
    """PostgreSQL's trigger (migration 0025) lets a destruction rewrite `details` alone, and only
    in a transaction that asks; SQLite has no trigger, so there is nothing to test there."""

    @pytest.fixture(autouse=True)
    def _postgresql(self, db):
        if db.get_bind().dialect.name != "postgresql":
            pytest.skip("the append-only trigger exists on PostgreSQL only")

    def _event(self, db) -> int:
        event = AuditEvent(verb="updated", object_type="case", actor_label="x", details={"summary": "x"})
        db.add(event)
        db.flush()
        return event.id

    def test_an_update_is_refused_without_the_setting(self, db):
        event_id = self._event(db)
        with pytest.raises(DBAPIError), db.begin_nested():
            db.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(details={}))

    def test_only_details_may_change_with_it(self, db):
        event_id = self._event(db)
        repository.allow_audit_scrub(db, True)
        db.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(details={"destroyed": "yes"}))
        with pytest.raises(DBAPIError), db.begin_nested():
            db.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(verb="deleted"))
        with pytest.raises(DBAPIError), db.begin_nested():
            db.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
        repository.allow_audit_scrub(db, False)
        with pytest.raises(DBAPIError), db.begin_nested():
            db.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(details={}))
