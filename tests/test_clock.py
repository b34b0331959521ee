"""One clock in Europe/London: at 00:30 on a British summer morning (23:30 the day before in
UTC) it is already the new day everywhere a LADO sees or types a date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app import clock
from app.cases import service as cases
from app.cases.schemas import CaseCreate
from app.context import Actor
from app.dashboard import service as dashboard
from tests.helpers import post_form, sign_in

#: 00:30 BST on 15 July 2026 is 23:30 UTC on 14 July.
HALF_PAST_MIDNIGHT_BST = datetime(2026, 7, 14, 23, 30, tzinfo=UTC)


@pytest.fixture
def night(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: HALF_PAST_MIDNIGHT_BST)


def test_today_is_the_day_in_england(night):
    assert clock.today() == date(2026, 7, 15)
    assert clock.now().hour == 0 and clock.now().minute == 30


def test_a_referral_received_today_is_recorded_and_tomorrow_is_refused(night, client, factory):
    lado = factory.user("lado")
    csrf = sign_in(client, lado.email)
    form = {
        **factory.case_data(),
        "received_on": "2026-07-15",
        "organisation_name": "Night Owl Nursery",
        "submission_key": "clock-test-1",
    }
    form.pop("children", None)
    answer = post_form(client, "/cases", form, csrf)
    assert answer.status_code == 303, answer.text
    tomorrow = post_form(
        client, "/cases", {**form, "received_on": "2026-07-16", "submission_key": "clock-test-2"}, csrf
    )
    assert tomorrow.status_code == 422
    assert "today or in the past" in tomorrow.text


def test_the_dashboard_counts_an_initial_consideration_due_today(night, factory, db):
    lado = Actor(user=factory.user("lado"))
    # received on Tuesday 14 July: due one working day later, on the 15th, "today" at 00:30 BST
    cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data(received_on="2026-07-14")))
    figures = dashboard.counts(db, lado, clock.today())
    assert figures["initial_consideration:today"] == 1
    assert figures["initial_consideration:overdue"] == 0
