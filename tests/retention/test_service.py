"""The retention policy's dates, the hold, re-opening, the queue's scope and the keep review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.cases import outcomes as findings
from app.cases import service as cases
from app.cases.schemas import CaseCreate, Conclusion, InitialConsideration, Reopen
from app.clock import today
from app.context import Actor
from app.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from app.retention import service
from app.retention.destruction import destroy_case
from app.retention.models import RetentionRule
from app.retention.schemas import DestroyForm, HoldForm, KeepForm, RetentionSettingsForm
from app.users.models import Role
from tests.retention.conftest import make_due

CONCLUDED = date(2026, 6, 3)  # the Journey's conclusion date


def concluded_case(journey, dob: str | None, category: str = "physical"):
    return journey.case(subject_date_of_birth=dob, primary_category_code=category)


def keep_until(day: date, reason: str = "Still needed.") -> KeepForm:
    return KeepForm(next_review_on=day, keep_reason=reason)


class TestReviewDate:
    def test_ten_years_after_closure_when_the_date_of_birth_is_not_known(self, db, journey):
        case = concluded_case(journey, None)
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.closed_on, row.review_on, row.rule) == (
            CONCLUDED,
            date(2036, 6, 3),
            RetentionRule.YEARS_AFTER_CLOSURE,
        )
        assert row.rule_detail == "10 years after closure on 3 June 2026"

    def test_the_pension_age_when_it_comes_later(self, db, journey):
        case = concluded_case(journey, "1985-02-14")
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.review_on, row.rule) == (date(2052, 2, 14), RetentionRule.PENSION_AGE)

    def test_years_after_closure_when_the_pension_age_comes_first(self, db, journey):
        case = concluded_case(journey, "1950-01-01")
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.review_on, row.rule) == (date(2036, 6, 3), RetentionRule.YEARS_AFTER_CLOSURE)

    def test_a_longer_period_for_the_category(self, db, journey):
        case = concluded_case(journey, "1960-01-01", category="sexual")
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.review_on, row.rule) == (date(2051, 6, 3), RetentionRule.CATEGORY)
        assert row.rule_detail == "25 years after closure (Sexual)"

    def test_the_settings_apply_to_cases_that_close_afterwards(self, db, journey, factory):
        admin = Actor(user=factory.user(Role.ADMIN))
        service.save_policy(
            db,
            admin,
            RetentionSettingsForm(years_after_closure=6, pension_age=60, category_years={"physical": 12}),
        )
        earlier = service.policy(db)
        assert (earlier.years_after_closure, earlier.pension_age, earlier.category_years) == (
            6,
            60,
            {"physical": 12},
        )
        case = concluded_case(journey, "1970-01-01")
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.review_on, row.rule) == (date(2038, 6, 3), RetentionRule.CATEGORY)

    def test_an_nfa_decision_closes_the_case_and_sets_the_date(self, db, factory, lado):
        data = factory.case_data(subject_date_of_birth=None)
        case = cases.open_case(db, lado, CaseCreate.model_validate(data))
        cases.record_initial_consideration(
            db,
            lado,
            case,
            InitialConsideration(
                decision="nfa", nfa_kind="advice_given", rationale="Advice.", decided_on=date(2026, 5, 12)
            ),
        )
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.closed_on, row.review_on) == (date(2026, 5, 12), date(2036, 5, 12))

    def test_reopening_clears_it_and_concluding_again_sets_it_again(self, db, journey, lado):
        case = concluded_case(journey, None)
        findings.reopen_case(db, lado, case, Reopen(reason="New information."))
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.review_on, row.rule, row.closed_on) == (None, "", None)
        findings.conclude_case(
            db, lado, case, Conclusion(training_needs=False, concluded_on=date(2026, 7, 1))
        )
        assert (row.closed_on, row.review_on) == (date(2026, 7, 1), date(2036, 7, 1))

    def test_an_open_case_has_none(self, db, factory, lado):
        case = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data()))
        assert service.retention_of(db, case.id) is None
        assert service.review_date(db, case) is None

    def test_the_command_gives_closed_cases_without_one_their_date(self, db, journey, manager):
        case = concluded_case(journey, None)
        row = service.retention_of(db, case.id)
        assert row is not None
        row.review_on = None
        db.flush()
        assert service.schedule_closed_cases(db, manager) >= 1
        assert row.review_on == date(2036, 6, 3)
        with pytest.raises(Forbidden):
            service.schedule_closed_cases(db, journey.lado)


class TestQueue:
    def test_lists_only_cases_due_not_held(self, db, journey, lado, manager):
        due, later, held = (concluded_case(journey, None) for _ in range(3))
        make_due(db, due.id)
        make_due(db, held.id)
        service.set_hold(db, lado, held, HoldForm(hold=True, hold_reason="Inquiry into residential care."))
        listed = [c.id for c, _ in service.review_queue(db, manager, None).rows]
        assert due.id in listed
        assert later.id not in listed and held.id not in listed

    def test_a_restricted_case_is_not_listed_to_another_officer(self, db, journey, factory, manager):
        case = concluded_case(journey, None)
        case.restricted = True
        make_due(db, case.id)
        other = factory.actor("lado")
        assert case.id not in [c.id for c, _ in service.review_queue(db, other, None).rows]
        assert case.id in [c.id for c, _ in service.review_queue(db, journey.lado, None).rows]
        assert case.id in [c.id for c, _ in service.review_queue(db, manager, None).rows]

    def test_pages_by_review_date_then_case(self, db, journey, manager, monkeypatch):
        monkeypatch.setattr(service, "QUEUE_PAGE_SIZE", 2)
        made = [concluded_case(journey, None) for _ in range(3)]
        for n, case in enumerate(made):
            make_due(db, case.id, date(2019, 1, 1) + timedelta(days=n // 2))
        first = service.review_queue(db, manager, None)
        assert [c.id for c, _ in first.rows] == [made[0].id, made[1].id]
        assert first.next_key == (date(2019, 1, 1), made[1].id)
        second = service.review_queue(db, manager, first.next_key)
        assert [c.id for c, _ in second.rows] == [made[2].id]
        assert second.next_key is None


class TestHoldAndKeep:
    def test_a_held_case_cannot_be_reviewed(self, db, journey, lado):
        case = concluded_case(journey, None)
        make_due(db, case.id)
        service.set_hold(db, lado, case, HoldForm(hold=True, hold_reason="Public inquiry."))
        with pytest.raises(Conflict):
            service.keep(
                db, lado, case, KeepForm(next_review_on=today() + timedelta(days=400), keep_reason="x")
            )
        service.set_hold(db, lado, case, HoldForm(hold=False, hold_reason="The inquiry closed."))
        row = service.retention_of(db, case.id)
        assert row is not None and row.hold is False and row.hold_reason == ""
        assert service.is_due(row)

    def test_keep_sets_the_new_date_and_records_the_review(self, db, journey, lado):
        case = concluded_case(journey, None)
        make_due(db, case.id)
        new = today() + timedelta(days=730)
        review = service.keep(
            db, lado, case, KeepForm(next_review_on=new, keep_reason="Civil claim pending.")
        )
        row = service.retention_of(db, case.id)
        assert row is not None
        assert (row.review_on, row.rule) == (new, RetentionRule.KEPT)
        assert (review.decision, review.due_on, review.next_review_on) == ("keep", date(2020, 1, 1), new)
        assert not service.is_due(row)

    def test_keep_needs_a_date_in_the_future_and_a_due_review(self, db, journey, lado):
        case = concluded_case(journey, None)
        with pytest.raises(Conflict):
            service.keep(
                db, lado, case, KeepForm(next_review_on=today() + timedelta(days=9), keep_reason="x")
            )
        make_due(db, case.id)
        with pytest.raises(ValidationFailed) as refused:
            service.keep(db, lado, case, keep_until(today()))
        assert "next_review_on" in refused.value.errors

    def test_an_open_case_can_be_held(self, db, factory, lado):
        case = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data()))
        row = service.set_hold(db, lado, case, HoldForm(hold=True, hold_reason="Inquiry."))
        assert (row.hold, row.review_on, row.hold_by_id) == (True, None, lado.user.id)


def test_a_destroyed_case_cannot_be_reopened(db, journey, manager):
    case = concluded_case(journey, None)
    make_due(db, case.id)
    destroy_case(db, manager, case, DestroyForm(reason="Period passed.", confirm=True))
    with pytest.raises(InvalidTransition):
        findings.reopen_case(db, journey.lado, case, Reopen(reason="Again."))
