"""Dashboard figures on a fixed day, each checked against its list, and the scope: a LADO sees
their own cases, a manager everyone's, a restricted case of another officer never counts."""

from datetime import date

import pytest

from app.dashboard import repository, service
from app.errors import NotFound
from app.forms import validate
from app.meetings import service as meetings
from app.meetings.models import CaseAction
from app.meetings.schemas import MeetingForm
from tests.people.support import adult, open_case, threshold_met

TODAY = date(2026, 6, 10)  # a Wednesday


def meeting(db, actor, case, held_on: str, kind: str = "evaluation", delay: str = "Police enquiry"):
    return meetings.record_meeting(
        db,
        actor,
        case,
        validate(
            MeetingForm,
            {
                "meeting_type_code": kind,
                "held_on": held_on,
                "held_time": "10:00",
                "suspension_considered": False,
                "delay_reason": delay,
            },
        ),
    )


@pytest.fixture
def world(db, factory):
    me, other = factory.actor("lado"), factory.actor("lado")
    c = {}
    c["ic_today"] = open_case(db, factory, me, received_on="2026-06-09")
    c["ic_overdue"] = open_case(db, factory, me, received_on="2026-06-08")
    c["ev_today"] = open_case(db, factory, me, received_on="2026-06-02")
    threshold_met(db, me, c["ev_today"], date(2026, 6, 3))
    c["ev_overdue"] = open_case(db, factory, me, received_on="2026-06-01")
    threshold_met(db, me, c["ev_overdue"], date(2026, 6, 2))
    c["ev_held"] = open_case(db, factory, me, received_on="2026-06-01")
    threshold_met(db, me, c["ev_held"], date(2026, 6, 2))
    meeting(db, me, c["ev_held"], "2026-06-05")
    c["target_today"] = open_case(db, factory, me, received_on="2026-03-10")
    threshold_met(db, me, c["target_today"], date(2026, 3, 10))
    meeting(db, me, c["target_today"], "2026-03-12")
    meeting(db, me, c["target_today"], "2026-06-01", "review")
    c["no_review"] = open_case(db, factory, me, received_on="2026-03-01")
    threshold_met(db, me, c["no_review"], date(2026, 3, 2))
    meeting(db, me, c["no_review"], "2026-03-04")
    meeting(db, me, c["no_review"], "2026-05-01", "review")
    c["concluded_nfa"] = open_case(db, factory, me, received_on="2026-06-01")
    from app.cases import service as cases
    from app.cases.schemas import InitialConsideration

    cases.record_initial_consideration(
        db,
        me,
        c["concluded_nfa"],
        InitialConsideration(
            decision="nfa", nfa_kind="advice_given", rationale="Advice", decided_on=date(2026, 6, 1)
        ),
    )
    for name, due in (("today", TODAY), ("overdue", date(2026, 6, 1)), ("later", date(2026, 7, 1))):
        db.add(CaseAction(case_id=c["ev_held"].id, description=f"Action {name}", owner_name="X", due_on=due))
    db.add(
        CaseAction(
            case_id=c["ev_held"].id,
            description="Done",
            owner_name="X",
            due_on=date(2026, 6, 1),
            done_on=date(2026, 6, 2),
        )
    )
    # another officer's cases: one ordinary, one restricted, both overdue
    c["others"] = open_case(db, factory, other, received_on="2026-06-08")
    c["others_restricted"] = open_case(
        db, factory, other, received_on="2026-06-08", restricted=True, **adult("Secret", "Hiddenname")
    )
    db.add(
        CaseAction(
            case_id=c["others_restricted"].id,
            description="Secret action",
            owner_name="X",
            due_on=date(2026, 6, 1),
        )
    )
    db.flush()
    return me, other, c


def case_ids(db, actor, key, when=""):
    rows, total = service.case_list(db, actor, key, when, TODAY, 1, 1000)
    assert total == len(rows)
    return {r.id for r in rows}


class TestFigures:
    def test_each_figure_for_the_officer_matches_its_list(self, db, world):
        me, _, c = world
        f = service.counts(db, me, TODAY)
        expected = {
            ("initial_consideration", "today"): {c["ic_today"].id},
            ("initial_consideration", "overdue"): {c["ic_overdue"].id},
            ("evaluation_meeting", "today"): {c["ev_today"].id},
            ("evaluation_meeting", "overdue"): {c["ev_overdue"].id},
            ("conclusion", "today"): {c["target_today"].id},
            ("conclusion", "overdue"): {c["no_review"].id},
            ("no_review", ""): {c["no_review"].id},
        }
        for (key, when), ids in expected.items():
            assert case_ids(db, me, key, when) == ids, (key, when)
            assert f[f"{key}:{when}" if when else key] == len(ids), (key, when)
        assert f["stage:open"] == 2 and f["stage:threshold_met"] == 5 and f["stage:nfa"] == 1
        assert case_ids(db, me, "stage:open") == {c["ic_today"].id, c["ic_overdue"].id}
        assert (f["actions:today"], f["actions:overdue"]) == (1, 1)
        assert [a.description for a, _ in service.action_list(db, me, "overdue", TODAY)] == ["Action overdue"]

    def test_manager_sees_everyones_cases_including_restricted(self, db, factory, world):
        _, _, c = world
        manager = factory.actor("manager")
        ids = case_ids(db, manager, "initial_consideration", "overdue")
        assert {c["ic_overdue"].id, c["others"].id, c["others_restricted"].id} <= ids
        assert service.counts(db, manager, TODAY)["actions:overdue"] >= 2

    def test_other_officers_restricted_case_never_appears_for_a_lado(self, db, factory, world):
        me, _, c = world
        hidden = c["others_restricted"]
        for key in ("initial_consideration", "evaluation_meeting", "conclusion"):
            for when in ("today", "overdue"):
                assert hidden.id not in case_ids(db, me, key, when)
        for _action, case in service.action_list(db, me, "overdue", TODAY):
            assert case.id != hidden.id
        # not even a LADO who could see every unrestricted case finds it by search
        stranger = factory.actor("lado")
        for q in (
            hidden.reference,
            "Hiddenname",
            "Hidenname",
            "Secret Hiddenname",
            hidden.organisation.name,
            hidden.referrer_name,
        ):
            assert hidden.id not in {x.id for x in repository.search_cases(db, stranger, q)}, q

    def test_unknown_lists_are_not_found(self, db, world):
        me, _, _ = world
        with pytest.raises(NotFound):
            service.case_list(db, me, "everything", "", TODAY, 1, 10)
        with pytest.raises(NotFound):
            service.case_list(db, me, "conclusion", "tomorrow", TODAY, 1, 10)
        with pytest.raises(NotFound):
            service.case_list(db, me, "stage:weird", "", TODAY, 1, 10)
        with pytest.raises(NotFound):
            service.action_list(db, me, "soon", TODAY)


class TestSearch:
    def test_by_reference_tolerant_name_employer_and_referrer(self, db, factory):
        me = factory.actor("lado")
        case = open_case(
            db,
            factory,
            me,
            **adult("Catherine", "Smyth"),
            referrer_name="Robin Uniquereferrer",
            organisation_name="Synthetic Hilltop Academy",
        )
        other = open_case(db, factory, me, **adult("Sam", "Brown"))
        for q in (
            case.reference,
            case.reference.lower(),
            "Smith",
            "smyth",
            "Kathryn Smith",
            "Smith Catherine",
            "hilltop",
            "uniquereferrer",
            "Cath",
        ):
            found = {c.id for c in repository.search_cases(db, me, q)}
            assert case.id in found and other.id not in found, q
        assert repository.search_cases(db, me, "   ") == []
        assert repository.search_cases(db, me, "%") == []  # wildcards are literal
