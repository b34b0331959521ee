"""Strands and suspension: the rules, the history with effective dates, the audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app import clock
from app.errors import Conflict, ValidationFailed
from app.forms import validate
from app.strands import repository, service
from app.strands.models import StrandKind
from app.strands.schemas import StrandUpdate, SuspensionUpdate
from tests.helpers import audit_events

POLICE, SOCIAL_CARE, EMPLOYER = StrandKind.POLICE, StrandKind.SOCIAL_CARE, StrandKind.EMPLOYER


def strand(**values) -> StrandUpdate:
    return validate(StrandUpdate, {"status": "under_way", "status_on": "2026-05-14", **values})


def suspended(**values) -> SuspensionUpdate:
    data = {
        "considered": True,
        "considered_on": "2026-05-13",
        "alternatives": "Supervised duties at another site",
        "decision": "suspended",
        "reasons": "Children at risk while the police investigate",
        "decided_by": "Kim Head, headteacher",
        "decided_on": "2026-05-13",
        "started_on": "2026-05-14",
    }
    return validate(SuspensionUpdate, {**data, **values})


class TestStrandRules:
    def test_each_strand_takes_its_own_outcomes(self, db, officer, case):
        service.update_strand(
            db,
            officer,
            case,
            POLICE,
            strand(status="concluded", outcome_code="charged", outcome_on="2026-06-01"),
        )
        with pytest.raises(ValidationFailed) as exc:  # a police outcome is not a section 47 outcome
            service.update_strand(
                db, officer, case, SOCIAL_CARE, strand(outcome_code="charged", outcome_on="2026-06-01")
            )
        assert "outcome_code" in exc.value.errors
        with pytest.raises(ValidationFailed):  # nor an employer's disposal
            service.update_strand(
                db, officer, case, EMPLOYER, strand(outcome_code="convicted", outcome_on="2026-06-01")
            )
        employer = service.update_strand(
            db, officer, case, EMPLOYER, strand(outcome_code="dismissed", outcome_on="2026-06-01")
        )
        assert employer.outcome_code == "dismissed"
        assert case.disposals == []  # the strand does not change the case's disposals

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"status": "considering", "outcome_code": "nfa", "outcome_on": "2026-06-01"}, "outcome_code"),
            ({"status": "concluded"}, "outcome_code"),
            ({"status": "concluded", "outcome_code": "ongoing", "outcome_on": "2026-06-01"}, "outcome_code"),
            ({"outcome_code": "charged"}, "outcome_on"),
            ({"outcome_on": "2026-06-01"}, "outcome_on"),
            ({"status": "stalled"}, "status"),
            ({"status_on": ""}, "status_on"),
        ],
    )
    def test_an_outcome_needs_a_status_that_has_one_and_a_date(self, values, field):
        with pytest.raises(ValidationFailed) as exc:
            strand(**values)
        assert field in exc.value.errors

    def test_dates_are_neither_in_the_future_nor_before_the_case_was_received(self, db, officer, case):
        with pytest.raises(ValidationFailed) as exc:
            strand(status_on=(clock.today() + timedelta(days=1)).isoformat())
        assert "status_on" in exc.value.errors
        with pytest.raises(ValidationFailed) as exc:
            service.update_strand(
                db,
                officer,
                case,
                POLICE,
                strand(status_on="2026-05-01", outcome_code="nfa", outcome_on="2026-05-02"),
            )
        assert set(exc.value.errors) == {"status_on", "outcome_on"}
        assert repository.strands_of(db, case.id) == {}


class TestStrandHistory:
    def test_every_change_is_kept_with_its_effective_date_and_who_recorded_it(self, db, officer, case):
        service.update_strand(db, officer, case, POLICE, strand(status_on="2026-05-14"))
        service.update_strand(
            db,
            officer,
            case,
            POLICE,
            strand(status="concluded", status_on="2026-07-01", outcome_code="nfa", outcome_on="2026-07-01"),
        )
        changes = repository.changes_of(db, case.id)
        assert [(c.status, c.status_on, c.outcome_code) for c in changes] == [
            ("under_way", date(2026, 5, 14), None),
            ("concluded", date(2026, 7, 1), "nfa"),
        ]
        assert {c.by_id for c in changes} == {officer.user.id}
        assert repository.strands_as_at(db, case.id, date(2026, 6, 1))["police"].status == "under_way"
        assert repository.strands_as_at(db, case.id, date(2026, 7, 1))["police"].outcome_code == "nfa"
        assert repository.strands_as_at(db, case.id, date(2026, 5, 13)) == {}
        created, updated = audit_events(db, "case_strand")
        assert (created.verb, created.case_id, created.details["strand"]) == ("created", case.id, "police")
        assert updated.details["status"] == {"from": "under_way", "to": "concluded"}
        assert updated.details["outcome_code"] == {"from": None, "to": "nfa"}

    def test_saving_the_same_again_records_nothing(self, db, officer, case):
        service.update_strand(db, officer, case, POLICE, strand())
        service.update_strand(db, officer, case, POLICE, strand())
        assert len(repository.changes_of(db, case.id)) == 1 and len(audit_events(db, "case_strand")) == 1

    def test_a_form_loaded_before_another_change_is_refused(self, db, officer, case):
        row = service.update_strand(db, officer, case, POLICE, strand())
        db.flush()
        stale = row.version
        service.update_strand(db, officer, case, POLICE, strand(notes="DS Police in charge", version=stale))
        db.flush()
        with pytest.raises(Conflict):
            service.update_strand(db, officer, case, POLICE, strand(notes="Typed before", version=stale))

    def test_the_employer_outcome_is_audited_as_a_disposal(self, db, officer, case):
        service.update_strand(
            db, officer, case, EMPLOYER, strand(outcome_code="written_warning", outcome_on="2026-06-01")
        )
        (event,) = audit_events(db, "case_strand")
        assert event.details["disposal_code"] == "written_warning" and "outcome_code" not in event.details


class TestSuspension:
    def test_a_suspension_with_its_reasons_alternatives_and_dates(self, db, officer, case):
        s = service.update_suspension(db, officer, case, suspended())
        assert (s.decision, s.started_on, s.updated_by_id) == (
            "suspended",
            date(2026, 5, 14),
            officer.user.id,
        )
        assert s.is_suspended_on(date(2026, 6, 1)) and not s.is_suspended_on(date(2026, 5, 13))
        service.update_suspension(
            db, officer, case, suspended(reviewed_on="2026-06-14", ended_on="2026-07-01", version=s.version)
        )
        assert not s.is_suspended_on(date(2026, 7, 2))
        created, updated = audit_events(db, "suspension")
        assert created.verb == "created" and created.details["decision"] == "suspended"
        assert updated.details["ended_on"] == {"from": None, "to": "2026-07-01"}

    def test_suspension_is_never_automatic_a_considered_decision_needs_its_reasons(self, db, officer, case):
        with pytest.raises(ValidationFailed) as exc:
            service.update_suspension(db, officer, case, validate(SuspensionUpdate, {"considered": True}))
        assert {"considered_on", "decision", "reasons", "decided_by", "decided_on"} <= set(exc.value.errors)
        with pytest.raises(ValidationFailed) as exc:
            service.update_suspension(db, officer, case, suspended(alternatives=""))
        assert set(exc.value.errors) == {"alternatives"}
        assert repository.suspension_of(db, case.id) is None

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"decision": "not_suspended"}, "started_on"),  # only a suspension starts
            ({"started_on": None, "ended_on": "2026-06-01"}, "started_on"),
            ({"ended_on": "2026-05-13"}, "ended_on"),  # before it started
            ({"reviewed_on": "2026-05-13"}, "reviewed_on"),
            ({"decided_on": "2026-05-12"}, "decided_on"),  # before it was considered
            ({"considered_on": "2026-05-01", "decided_on": "2026-05-01"}, "considered_on"),  # before received
        ],
    )
    def test_dates_that_cannot_be(self, db, officer, case, values, field):
        with pytest.raises(ValidationFailed) as exc:
            service.update_suspension(db, officer, case, suspended(**values))
        assert field in exc.value.errors

    def test_not_considered_carries_no_decision(self, db, officer, case):
        with pytest.raises(ValidationFailed) as exc:
            service.update_suspension(
                db, officer, case, validate(SuspensionUpdate, {"considered": False, "decision": "suspended"})
            )
        assert "decision" in exc.value.errors
        s = service.update_suspension(db, officer, case, validate(SuspensionUpdate, {"considered": False}))
        assert s.considered is False and s.decision is None
