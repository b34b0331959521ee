"""Dashboard figures on a fixed day, each checked against its list, and the scope: a LADO sees
their own cases, a manager everyone's, a restricted case of another officer never counts."""

import pytest

from app.dashboard import repository, service
from app.errors import NotFound
from tests.dashboard.conftest import TODAY
from tests.people.support import adult, open_case


def case_ids(db, actor, key, when=""):
    page = service.case_list(db, actor, key, when, TODAY, 1000)
    assert page.total == len(page.cases) and not page.total_is_lower_bound
    assert page.after is None and page.before is None
    return {r.id for r in page.cases}


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
        assert f["stage:open"] == 2 and f["stage:threshold_met"] == 5
        assert "stage:nfa" not in f and "stage:concluded" not in f  # listed, not counted
        assert case_ids(db, me, "stage:nfa") == {c["concluded_nfa"].id}
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
            service.case_list(db, me, "everything", "", TODAY, 10)
        with pytest.raises(NotFound):
            service.case_list(db, me, "conclusion", "tomorrow", TODAY, 10)
        with pytest.raises(NotFound):
            service.case_list(db, me, "stage:weird", "", TODAY, 10)
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
