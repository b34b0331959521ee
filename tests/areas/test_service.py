"""The rules of areas, transfers and notifications (app/areas/service.py), on a real database."""

from __future__ import annotations

from datetime import date

import pytest

from app.areas import repository, service
from app.areas.schemas import AreasUpdate, NewCaseAreas, NotificationCreate, TransferIn, TransferOut
from app.cases import service as cases
from app.cases.schemas import CaseCreate, InitialConsideration
from app.errors import Conflict, InvalidTransition, ValidationFailed
from app.forms import validate
from app.reference.models import ReferrerAgency
from tests.helpers import audit_events


def areas(**values) -> AreasUpdate:
    return validate(AreasUpdate, values)


class TestRecordAreas:
    def test_stores_audits_and_bumps_the_version(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        version = case.version
        changed = service.record_areas(
            db,
            ann,
            case,
            areas(
                referrer_agency_code="police",
                work_area="Northshire",
                home_area="Southshire",
                incident_area="Westshire",
                led_here="no",
                lead_lado="Northshire LADO",
                incident_from="1998-06-01",
                incident_to="1998-08-31",
                incident_period="summer 1998",
                non_recent="yes",
                version=version,
            ),
        )
        db.flush()
        row = repository.areas_of(db, case)
        assert row is not None
        assert (row.referrer_agency_code, row.work_area, row.home_area, row.incident_area) == (
            "police",
            "Northshire",
            "Southshire",
            "Westshire",
        )
        assert (row.led_here, row.lead_lado, row.non_recent) == (False, "Northshire LADO", True)
        assert (row.incident_from, row.incident_to) == (date(1998, 6, 1), date(1998, 8, 31))
        assert changed["referrer_agency_code"] == {"from": None, "to": "police"}
        assert case.version > version
        event = audit_events(db, "case_areas", "updated")[-1]
        assert event.case_id == case.id and event.details["non_recent"] == {"from": None, "to": True}

    def test_nothing_changed_is_not_audited(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        service.record_areas(db, ann, case, areas(work_area="Northshire"))
        db.flush()
        before = len(audit_events(db, "case_areas"))
        assert service.record_areas(db, ann, case, areas(work_area="Northshire")) == {}
        assert len(audit_events(db, "case_areas")) == before

    def test_another_lead_needs_its_name_and_a_period_ends_after_it_starts(self):
        with pytest.raises(ValidationFailed) as exc:
            validate(
                AreasUpdate, {"led_here": "no", "incident_from": "2020-05-02", "incident_to": "2020-05-01"}
            )
        assert set(exc.value.errors) == {"lead_lado", "incident_to"}
        assert exc.value.errors["lead_lado"] == "Enter the name of the LADO that leads the case"

    def test_a_lead_lado_typed_while_led_here_is_not_kept(self, db, team, open_case):
        case = open_case(team["Ann"])
        service.record_areas(db, team["Ann"], case, areas(led_here="yes", lead_lado="Typed by mistake"))
        row = repository.areas_of(db, case)
        assert row is not None and (row.led_here, row.lead_lado) == (True, "")

    def test_an_inactive_agency_is_refused_but_may_stay_on_a_case_that_has_it(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        service.record_areas(db, ann, case, areas(referrer_agency_code="ofsted"))
        db.flush()
        db.get(ReferrerAgency, "ofsted").active = False
        db.flush()
        service.record_areas(db, ann, case, areas(referrer_agency_code="ofsted", work_area="Eastshire"))
        other = open_case(ann)
        with pytest.raises(ValidationFailed) as exc:
            service.record_areas(db, ann, other, areas(referrer_agency_code="ofsted"))
        assert "no longer in use" in exc.value.errors["referrer_agency_code"]
        with pytest.raises(ValidationFailed):
            service.record_areas(db, ann, other, areas(referrer_agency_code="nonsense"))
        assert repository.areas_of(db, other) is None

    def test_a_stale_version_is_a_conflict(self, db, team, open_case):
        case = open_case(team["Ann"])
        with pytest.raises(Conflict):
            service.record_areas(db, team["Ann"], case, areas(work_area="X", version=case.version + 5))


class TestOpenCase:
    def test_a_new_case_with_its_areas_and_transfer_in(self, db, factory, team):
        ann = team["Ann"]
        data = factory.case_data()
        extra = {
            "referrer_agency_code": "parent_carer",
            "incident_area": "Westshire",
            "non_recent": "no",
            "received_from_lado": "Westshire LADO",
            "received_from_reference": "WS-123",
        }
        case = service.open_case(db, ann, CaseCreate.model_validate(data), validate(NewCaseAreas, extra))
        db.flush()
        row = repository.areas_of(db, case)
        assert row is not None and (row.referrer_agency_code, row.non_recent) == ("parent_carer", False)
        [transfer] = repository.transfers_of(db, case)
        assert (transfer.direction, transfer.other_lado, transfer.other_reference) == (
            "in",
            "Westshire LADO",
            "WS-123",
        )
        assert transfer.transferred_on == case.received_on
        assert audit_events(db, "case_transfer", "created")[-1].case_id == case.id

    def test_received_from_another_lado_needs_its_reference(self):
        with pytest.raises(ValidationFailed) as exc:
            validate(NewCaseAreas, {"received_from_lado": "Westshire LADO"})
        assert set(exc.value.errors) == {"received_from_reference"}


def transfer(**values) -> TransferOut:
    return validate(
        TransferOut,
        {"other_lado": "Northshire LADO", "transferred_on": "2026-05-20", "reason": "Works there", **values},
    )


class TestTransferOut:
    def test_closes_the_case_here_as_transferred(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        service.transfer_out(db, ann, case, transfer(other_reference="NS-9"))
        db.flush()
        assert case.status == "transferred" and case.decision is None and case.concluded_on is None
        assert case.next_due_on is None
        row = repository.areas_of(db, case)
        assert row is not None and (row.led_here, row.lead_lado) == (False, "Northshire LADO")
        [moved] = repository.transfers_of(db, case)
        assert (moved.direction, moved.previous_status, moved.other_reference) == ("out", "open", "NS-9")
        event = audit_events(db, "case_transfer", "created")[-1]
        assert event.details["status"] == {"from": "open", "to": "transferred"}

    def test_a_transferred_case_takes_no_second_transfer_nor_a_transfer_in(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        service.transfer_out(db, ann, case, transfer())
        with pytest.raises(InvalidTransition):
            service.transfer_out(db, ann, case, transfer())
        with pytest.raises(InvalidTransition):
            service.transfer_in(
                db,
                ann,
                case,
                validate(
                    TransferIn, {"other_lado": "X", "transferred_on": "2026-05-21", "other_reference": "R"}
                ),
            )
        assert len(repository.transfers_of(db, case)) == 1

    def test_not_before_the_case_was_received_and_nothing_changes(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        with pytest.raises(ValidationFailed) as exc:
            service.transfer_out(db, ann, case, transfer(transferred_on="2026-05-01"))
        assert "transferred_on" in exc.value.errors
        assert case.status == "open" and repository.transfers_of(db, case) == []

    def test_a_closed_case_cannot_be_transferred(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        cases.record_initial_consideration(
            db,
            ann,
            case,
            validate(
                InitialConsideration,
                {
                    "decision": "nfa",
                    "nfa_kind": "advice_given",
                    "rationale": "Advice",
                    "decided_on": "2026-05-12",
                },
            ),
        )
        with pytest.raises(InvalidTransition):
            service.transfer_out(db, ann, case, transfer())


class TestNotification:
    def test_recorded_and_audited(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        service.notify_lado(
            db,
            ann,
            case,
            validate(
                NotificationCreate,
                {"lado": "Southshire LADO", "notified_on": "2026-05-12", "reason": "Lives there"},
            ),
        )
        db.flush()
        [n] = repository.notifications_of(db, case)
        assert (n.lado, n.notified_on, n.by_id) == ("Southshire LADO", date(2026, 5, 12), ann.user.id)
        assert audit_events(db, "lado_notification", "created")[-1].details["lado"] == "Southshire LADO"
