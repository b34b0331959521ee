"""Data quality on the case's own steps: implausible input questioned until confirmed (and the
confirmation audited), impossible input refused, nothing saved meanwhile."""

from __future__ import annotations

from datetime import date

import pytest

from app.cases import outcomes
from app.cases import service as cases
from app.cases.schemas import (
    AllegationCreate,
    CaseCreate,
    CaseDetailsUpdate,
    InitialConsideration,
    OutcomeRecord,
)
from app.corrections.plausibility import Questions, age_on
from app.errors import Implausible, ValidationFailed
from tests.helpers import audit_events


def create(db, actor, factory, confirm: bool = False, **overrides):
    data = factory.case_data(confirm_implausible=confirm, **overrides)
    return cases.open_case(db, actor, CaseCreate.model_validate(data))


def count_cases(db) -> int:
    return len(audit_events(db, "case", "created"))


class TestQuestions:
    def test_age_on(self):
        assert age_on(date(2000, 3, 1), date(2016, 2, 29)) == 15
        assert age_on(date(2000, 3, 1), date(2016, 3, 1)) == 16

    @pytest.mark.parametrize(
        ("born", "asked"), [(date(2010, 5, 12), True), (date(2010, 5, 11), False), (date(1926, 5, 11), False)]
    )
    def test_the_age_limits(self, born, asked):
        q = Questions()
        q.adult_born(born, date(2026, 5, 11), "dob")
        assert ("dob" in q.asked) is asked and not q.refused

    def test_over_100_is_questioned(self):
        q = Questions()
        q.adult_born(date(1925, 5, 10), date(2026, 5, 11), "dob")
        assert "would have been 101" in q.asked["dob"]

    def test_the_same_employer_picked_and_typed_is_not_questioned(self):
        q = Questions()
        q.employer_picked_and_typed("Synthetic School", " synthetic school ", "organisation_name")
        assert q.asked == {}


class TestCaseCreation:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"received_on": "1999-12-31", "subject_date_of_birth": "1960-01-01"}, "received_on"),
            ({"subject_date_of_birth": "2012-01-01"}, "subject_date_of_birth"),
            ({"subject_date_of_birth": "1920-01-01"}, "subject_date_of_birth"),
        ],
    )
    def test_implausible_is_questioned_then_saved_when_confirmed(self, db, factory, lado, overrides, field):
        before = count_cases(db)
        with pytest.raises(Implausible) as exc:
            create(db, lado, factory, **overrides)
        assert set(exc.value.errors) == {field, "confirm_implausible"}
        assert count_cases(db) == before
        case = create(db, lado, factory, confirm=True, **overrides)
        opened = audit_events(db, "case", "created")[-1]
        assert (
            opened.case_id == case.id
            and opened.details["confirmed_implausible"] == exc.value.questions[field]
        )

    def test_plausible_input_records_no_confirmation(self, db, factory, lado):
        create(db, lado, factory, confirm=True)
        assert "confirmed_implausible" not in audit_events(db, "case", "created")[-1].details

    def test_born_after_the_date_received_is_refused(self, db, factory, lado):
        with pytest.raises(ValidationFailed) as exc:
            create(db, lado, factory, confirm=True, subject_date_of_birth="2026-05-11")
        assert not isinstance(exc.value, Implausible) and "subject_date_of_birth" in exc.value.errors

    def test_a_future_date_received_is_refused_by_the_schema(self, factory):
        with pytest.raises(Exception, match="today or in the past"):
            CaseCreate.model_validate(factory.case_data(received_on="2999-01-01", confirm_implausible=True))

    def test_an_employer_picked_and_typed_is_questioned_and_the_picked_one_kept(self, db, factory, lado):
        org = factory.organisation("Synthetic Chosen Academy")
        overrides = {"organisation_id": org.id, "organisation_name": "Synthetic Typed Academy"}
        with pytest.raises(Implausible) as exc:
            create(db, lado, factory, **overrides)
        assert "organisation_name" in exc.value.errors
        case = create(db, lado, factory, confirm=True, **overrides)
        assert case.organisation_id == org.id

    def test_an_impossible_answer_is_told_before_the_implausible_ones(self, db, factory, lado):
        with pytest.raises(ValidationFailed) as exc:
            create(db, lado, factory, received_on="1999-01-01", sector_code="no-such-sector")
        assert not isinstance(exc.value, Implausible) and "sector_code" in exc.value.errors


class TestDecisionsAndOutcomes:
    def test_a_decision_before_the_date_received(self, db, factory, lado):
        case = create(db, lado, factory)
        data = {
            "decision": "threshold_met",
            "harm_limbs": ["harmed"],
            "rationale": "r",
            "decided_on": "2026-05-01",
        }
        with pytest.raises(Implausible):
            cases.record_initial_consideration(db, lado, case, InitialConsideration.model_validate(data))
        assert case.status == "open" and case.decided_on is None
        confirmed = InitialConsideration.model_validate({**data, "confirm_implausible": True})
        cases.record_initial_consideration(db, lado, case, confirmed)
        assert case.decided_on == date(2026, 5, 1)
        event = audit_events(db, "case", "status_changed")[-1]
        assert "before the date received" in event.details["confirmed_implausible"]

    def test_an_outcome_before_the_date_received(self, db, factory, lado):
        case = create(db, lado, factory)
        cases.record_initial_consideration(
            db,
            lado,
            case,
            InitialConsideration(
                harm_limbs=["harmed"], decision="threshold_met", rationale="r", decided_on=date(2026, 5, 12)
            ),
        )
        allegation = outcomes.add_allegation(
            db, lado, case, AllegationCreate(description="x", category_code="physical")
        )
        data = {"outcome_code": "unfounded", "outcome_on": "2026-04-30"}
        with pytest.raises(Implausible) as exc:
            outcomes.record_outcome(db, lado, case, allegation, OutcomeRecord.model_validate(data))
        assert "outcome_on" in exc.value.errors and allegation.outcome_code is None
        outcomes.record_outcome(
            db, lado, case, allegation, OutcomeRecord.model_validate({**data, "confirm_implausible": True})
        )
        assert allegation.outcome_code == "unfounded"
        assert "confirmed_implausible" in audit_events(db, "allegation", "updated")[-1].details

    def test_changing_the_date_received_to_before_2000(self, db, factory, lado):
        case = create(db, lado, factory)
        data = {
            "received_on": "1998-05-11",
            "contact_method": "phone",
            "referrer_name": case.referrer_name,
            "sector_code": case.sector_code,
            "job_title": case.job_title,
            "primary_category_code": case.primary_category_code,
            "summary": case.summary,
        }
        with pytest.raises(Implausible):
            cases.update_details(db, lado, case, CaseDetailsUpdate.model_validate(data))
        assert case.received_on == date(2026, 5, 11)
        cases.update_details(
            db, lado, case, CaseDetailsUpdate.model_validate({**data, "confirm_implausible": True})
        )
        assert case.received_on == date(1998, 5, 11)
        again = {**data, "summary": "Changed later", "version": case.version}
        cases.update_details(db, lado, case, CaseDetailsUpdate.model_validate(again))  # not asked again
        assert case.summary == "Changed later"
