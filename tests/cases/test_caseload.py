"""The caseload: each case's next deadline kept in SQL by every change that can move it, and the
list sorted, filtered and paged by the database (the LADO's landing page after signing in)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

from app import clock
from app.cases import outcomes, repository, service
from app.cases.models import Case
from app.cases.schemas import (
    AllegationCreate,
    CaseCreate,
    CaseFilters,
    Conclusion,
    InitialConsideration,
    OutcomeRecord,
)
from app.clocks.service import add_working_days, next_deadline_of
from app.context import Actor
from app.meetings import service as meetings
from app.meetings.schemas import ActionForm
from tests.factories import PASSWORD
from tests.helpers import csrf_from, sign_in


def open_case(db, factory, actor, received: date, **overrides) -> Case:
    return service.open_case(
        db, actor, CaseCreate.model_validate(factory.case_data(received_on=received.isoformat(), **overrides))
    )


def no_further_action(db, actor, case: Case, on: date) -> None:
    service.record_initial_consideration(
        db,
        actor,
        case,
        InitialConsideration(
            version=case.version,
            harm_limbs=[],
            decision="nfa",
            nfa_kind="advice_given",
            rationale="No concern.",
            decided_on=on,
        ),
    )


def threshold_met(db, actor, case: Case, on: date) -> None:
    service.record_initial_consideration(
        db,
        actor,
        case,
        InitialConsideration(
            version=case.version,
            harm_limbs=["harmed"],
            decision="threshold_met",
            rationale="Met.",
            decided_on=on,
        ),
    )
    db.flush()


class TestNextDeadline:
    def test_follows_the_journey_and_the_actions(self, db, factory):
        actor = factory.actor("lado")
        received = date(2026, 11, 2)
        case = open_case(db, factory, actor, received)
        db.flush()
        assert (case.next_due_on, case.next_due_label) == (
            add_working_days(received, 1),
            "Initial consideration",
        )

        threshold_met(db, actor, case, date(2026, 11, 3))
        ev_due = case.next_due_on
        assert case.next_due_label == "Evaluation or strategy meeting" and ev_due > date(2026, 11, 3)

        action = meetings.add_action(
            db,
            actor,
            case,
            ActionForm(
                description="Ask the school for the rota", owner_name="Head", due_on=date(2026, 11, 4)
            ),
        )
        db.flush()
        assert (case.next_due_on, case.next_due_label) == (
            date(2026, 11, 4),
            "Action: Ask the school for the rota",
        )

        meetings.mark_done(db, actor, case, action, date(2026, 11, 4))
        db.flush()
        assert case.next_due_on == ev_due

        allegation = outcomes.add_allegation(
            db, actor, case, AllegationCreate(description="Pushed a child.", category_code="physical")
        )
        outcomes.record_outcome(
            db,
            actor,
            case,
            allegation,
            OutcomeRecord(version=case.version, outcome_code="substantiated", outcome_on=date(2026, 11, 20)),
        )
        outcomes.conclude_case(
            db,
            actor,
            case,
            Conclusion(version=case.version, training_needs=False, concluded_on=date(2026, 11, 25)),
        )
        db.flush()
        db.expire(case)
        stored = db.get(Case, case.id)
        assert stored is not None and stored.next_due_on is None and stored.next_due_label == ""

    def test_a_concluded_case_has_no_deadline_but_its_open_actions(self):
        def concluded(**kw):
            return SimpleNamespace(
                received_on=date(2025, 1, 6),
                decision="threshold_met",
                decided_on=date(2025, 1, 6),
                concluded_on=date(2025, 3, 1),
                **kw,
            )

        # no evaluation meeting was recorded (an imported case): still nothing is due
        assert next_deadline_of(concluded(), evaluation_held_on=None, open_actions=(), target_months=3) == (
            None,
            "",
        )
        due = next_deadline_of(
            concluded(),
            evaluation_held_on=None,
            open_actions=[(date(2025, 4, 1), "Chase DBS")],
            target_months=3,
        )
        assert due == (date(2025, 4, 1), "Action: Chase DBS")
        open_one = SimpleNamespace(
            received_on=date(2025, 1, 6),
            decision="threshold_met",
            decided_on=date(2025, 1, 6),
            concluded_on=None,
        )
        assert next_deadline_of(
            open_one, evaluation_held_on=date(2025, 1, 8), open_actions=(), target_months=3
        ) == (date(2025, 4, 6), "Conclusion target (3 months from receipt)")


def rows_of(html: str) -> list[str]:
    """The references on a caseload page, in order."""
    return re.findall(r'<a class="govuk-link" href="/cases/\d+">([^<]+)</a>', html)


class TestCaseloadPage:
    def test_a_lado_lands_on_their_open_cases_soonest_deadline_first(self, client, db, factory):
        lado = factory.user("lado")
        other = factory.user("lado")
        me, them = Actor(user=lado, ip="127.0.0.1"), Actor(user=other, ip="127.0.0.1")
        today = clock.today()
        late = open_case(db, factory, me, today - timedelta(days=30))
        soon = open_case(db, factory, me, today)
        closed = open_case(db, factory, me, today - timedelta(days=40))
        no_further_action(db, me, closed, today - timedelta(days=39))
        theirs = open_case(db, factory, them, today - timedelta(days=50))
        db.commit()

        token = csrf_from(client.get("/sign-in").text)
        page = client.post("/sign-in", data={"email": lado.email, "password": PASSWORD, "csrf_token": token})
        assert page.status_code == 303 and page.headers["location"] == "/cases"
        listing = client.get("/cases")
        assert "My open cases" in listing.text
        assert rows_of(listing.text) == [late.reference, soon.reference]  # not the NFA, not a colleague's
        assert "Overdue" in listing.text and 'aria-sort="ascending"' in listing.text

        everyone = client.get("/cases?status=&officer=&sort=received&order=ascending")
        refs = rows_of(everyone.text)
        assert refs.index(theirs.reference) < refs.index(closed.reference) < refs.index(late.reference)
        assert refs.index(late.reference) < refs.index(soon.reference)

        overdue = client.get("/cases?status=active&officer=&overdue=yes&sort=deadline&order=ascending")
        assert set(rows_of(overdue.text)) == {late.reference, theirs.reference}

        by_days = client.get("/cases?status=active&officer=&sort=days_open&order=descending")
        assert rows_of(by_days.text)[0] == theirs.reference

    def test_a_bad_sort_is_a_clear_error(self, client, factory):
        user = factory.user("lado")
        sign_in(client, user.email)
        page = client.get("/cases?sort=colour")
        assert page.status_code == 422 and "Sort must be one of: reference, received" in page.text


def test_sorting_pages_in_sql_with_the_deadline_nulls_last(db, factory):
    actor = factory.actor("manager")
    lado = factory.actor("lado")
    today = clock.today()
    open_one = open_case(db, factory, lado, today)
    nfa = open_case(db, factory, lado, today - timedelta(days=3))
    no_further_action(db, lado, nfa, today)
    db.flush()
    ids = {open_one.id, nfa.id}
    for order in ("ascending", "descending"):
        rows = repository.page_of_cases(
            db, actor, CaseFilters(sort="deadline", order=order, q="Testperson"), 50, repository.case_rows
        ).cases
        mine = [c.id for c in rows if c.id in ids]
        assert mine == [open_one.id, nfa.id]  # no deadline: last, whichever the order
