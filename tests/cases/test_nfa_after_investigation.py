"""Concluding a threshold-met case as no further action after investigation (issue 15): the
allegations get no outcome, a reason is required, the conclusion is audited, shown, returned by
the API and counted in the outcome table's NFA row (never the referrals table's); re-opening
clears it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.cases import outcomes, service
from app.cases.models import CaseStatus
from app.cases.schemas import (
    AllegationCreate,
    CaseCreate,
    Conclusion,
    InitialConsideration,
    OutcomeRecord,
    Reopen,
)
from app.clock import today
from app.errors import ValidationFailed
from app.reports.service import annual_report
from tests.helpers import post_form, sign_in

DECIDED = date(2026, 5, 12)
CONCLUDED = date(2026, 6, 20)


@pytest.fixture
def officer(factory):
    return factory.actor("lado")


@pytest.fixture
def case(db, factory, officer):
    case = service.open_case(db, officer, CaseCreate.model_validate(factory.case_data()))
    service.record_initial_consideration(
        db,
        officer,
        case,
        InitialConsideration(
            harm_limbs=["harmed"], decision="threshold_met", rationale="Harm test met", decided_on=DECIDED
        ),
    )
    outcomes.add_allegation(
        db, officer, case, AllegationCreate(description="Pushed", category_code="physical")
    )
    return case


def nfa_after(reason: str = "The strategy meeting agreed no further LADO role") -> Conclusion:
    return Conclusion(
        training_needs=False, concluded_on=CONCLUDED, nfa_after_investigation=True, reason=reason
    )


def test_concludes_without_outcomes_with_the_reason_audited(db, officer, case):
    outcomes.conclude_case(db, officer, case, nfa_after())
    assert case.status == CaseStatus.CONCLUDED and case.concluded_on == CONCLUDED
    assert case.nfa_after_investigation and case.allegations[0].outcome_code is None
    event = db.scalar(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.verb == "status_changed")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert event.details["step"] == "conclude"
    assert event.details["nfa_after_investigation"] == {"from": False, "to": True}
    assert event.details["conclusion_reason"]["to"] == "The strategy meeting agreed no further LADO role"


def test_a_reason_is_required_and_nothing_changes_without_one(db, officer, case):
    with pytest.raises(ValidationFailed) as caught:
        outcomes.conclude_case(db, officer, case, nfa_after(reason="  "))
    assert caught.value.errors == {"reason": "Enter why the investigation ended with no further action"}
    assert case.status == CaseStatus.THRESHOLD_MET and not case.nfa_after_investigation


def test_refused_once_an_allegation_has_an_outcome(db, officer, case):
    outcomes.record_outcome(
        db, officer, case, case.allegations[0], OutcomeRecord(outcome_code="unfounded", outcome_on=CONCLUDED)
    )
    with pytest.raises(ValidationFailed) as caught:
        outcomes.conclude_case(db, officer, case, nfa_after())
    assert "allegation 1 has one" in caught.value.errors["nfa_after_investigation"]
    assert case.status == CaseStatus.THRESHOLD_MET


def test_counted_in_the_outcome_nfa_row_only_and_cleared_on_reopening(db, officer, case):
    def figure(table: str, row: str) -> int:
        report = annual_report(db, 2026, today())  # as at the re-opening's own day: re-opened by then
        return next(r["values"][2] for r in report["tables"][table]["rows"] if r["code"] == row)

    assert figure("outcome", "continuing") == 1
    outcomes.conclude_case(db, officer, case, nfa_after())
    assert (figure("outcome", "nfa"), figure("referrals", "nfa"), figure("outcome", "continuing")) == (
        1,
        0,
        0,
    )
    outcomes.reopen_case(db, officer, case, Reopen(reason="The police found new evidence"))
    assert not case.nfa_after_investigation and case.conclusion_reason == ""
    assert (figure("outcome", "nfa"), figure("outcome", "continuing")) == (0, 1)


def test_the_form_asks_how_it_ended_and_requires_the_reason(client, db, factory, case):
    csrf = sign_in(client, factory.user("lado").email)
    page = client.get(f"/cases/{case.id}/conclude")
    assert "How did the investigation end?" in page.text
    assert "Why did the investigation end with no further action?" in page.text
    dates = {"concluded_on-day": "20", "concluded_on-month": "6", "concluded_on-year": "2026"}
    resp = post_form(client, f"/cases/{case.id}/conclude", {"training_needs": "no", **dates}, csrf)
    assert resp.status_code == 422 and "Select how the investigation ended" in resp.text
    resp = post_form(
        client,
        f"/cases/{case.id}/conclude",
        {"nfa_after_investigation": "yes", "training_needs": "no", "reason": "", **dates},
        csrf,
    )
    assert resp.status_code == 422 and "Enter why the investigation ended with no further action" in resp.text
    resp = post_form(
        client,
        f"/cases/{case.id}/conclude",
        {"nfa_after_investigation": "yes", "training_needs": "no", "reason": "No LADO role", **dates},
        csrf,
    )
    assert resp.status_code == 303, resp.text
    db.refresh(case)
    assert case.nfa_after_investigation and case.conclusion_reason == "No LADO role"
    shown = client.get(f"/cases/{case.id}/allegations")
    assert "No further action after investigation" in shown.text and "No LADO role" in shown.text


def test_the_api_concludes_and_returns_it(client, db, factory, case):
    csrf = sign_in(client, factory.user("lado").email)
    headers = {"X-CSRF-Token": csrf}
    body = {
        "training_needs": False,
        "concluded_on": "2026-06-20",
        "nfa_after_investigation": True,
        "reason": "No LADO role",
        "version": case.version,
    }
    resp = client.post(f"/api/v1/cases/{case.id}/conclude", json={**body, "reason": ""}, headers=headers)
    assert resp.status_code == 422
    assert {e["field"] for e in resp.json()["errors"]} == {"reason"}
    resp = client.post(f"/api/v1/cases/{case.id}/conclude", json=body, headers=headers)
    assert resp.status_code == 200, resp.text
    out = resp.json()
    assert (out["status"], out["nfa_after_investigation"], out["conclusion_reason"]) == (
        "concluded",
        True,
        "No LADO role",
    )
