"""The search across cases finds the same cases whichever way it reads them (by id when they are
few, by walking the list when they are many), finds referrers anywhere in their names through
each engine's trigram index (kept in step with every change), and reads only through indexes."""

from __future__ import annotations

import pytest

from app.cases import repository, service
from app.cases.schemas import CaseCreate, CaseFilters
from app.dashboard import repository as dashboard
from app.intake.models import Intake
from app.search import repository as search
from tests.plan_check import planned, seq_scans


def open_cases(db, factory, n: int = 6):
    lado = factory.actor("lado")
    cases = [
        service.open_case(
            db,
            lado,
            CaseCreate.model_validate(
                factory.case_data(
                    subject_first_name=["Nadia", "Omar"][k % 2],
                    subject_last_name=["Quennell", "Quennella", "Quenby"][k % 3],
                    referrer_name=f"Rowena Fairweather{k}",
                    referrer_organisation="Westmere Children's Services" if k == 2 else "Synthetic Trust",
                )
            ),
        )
        for k in range(n)
    ]
    db.flush()
    return lado, cases


QUERIES = ["quennell", "Nadia Quennell", "quenby omar", "kenel", "fairweather3", "westmere", "PB-NONE"]


@pytest.mark.parametrize("q", QUERIES)
def test_few_or_many_the_search_finds_the_same_cases(db, factory, monkeypatch, q):
    lado, _ = open_cases(db, factory)
    by_id = [c.id for c in dashboard.search_cases(db, lado, q)]
    listed = [
        c.id for c in repository.page_of_cases(db, lado, CaseFilters(q=q), 50, repository.case_rows).cases
    ]
    # every search now "many": a walk, testing the adult by their key (so many people match that
    # the list is dense with them), by the query of them, or by the ids of every one (all read)
    for candidates, dense in ((0, 1), (0, search.DENSE_PEOPLE), (1, search.DENSE_PEOPLE), (2, 3)):
        monkeypatch.setattr(search, "SEARCH_CANDIDATES", candidates)
        monkeypatch.setattr(search, "DENSE_PEOPLE", dense)
        if candidates == 0:
            assert search.searched(db, q, referrers=True).many == bool(by_id)
        assert [c.id for c in dashboard.search_cases(db, lado, q)] == by_id
        assert [
            c.id for c in repository.page_of_cases(db, lado, CaseFilters(q=q), 50, repository.case_rows).cases
        ] == listed


def test_names_by_their_beginning_or_their_sound_in_either_order(db, factory):
    lado, cases = open_cases(db, factory)
    found = {c.id for c in dashboard.search_cases(db, lado, "omar quennell")}
    assert found == {c.id for c in cases if c.person.first_name == "Omar" and c.person.last_key == "KNL"}
    assert {c.id for c in dashboard.search_cases(db, lado, "quennell omar")} == found
    sounds_alike = {c.id for c in cases if c.person.last_name != "Quenby"}
    assert {c.id for c in dashboard.search_cases(db, lado, "kenel")} == sounds_alike  # by the sound
    assert dashboard.search_cases(db, lado, "uennell") == []  # names match from their beginning


def test_referrers_are_found_anywhere_in_their_names_and_follow_corrections(db, factory):
    lado, cases = open_cases(db, factory)
    assert [c.id for c in dashboard.search_cases(db, lado, "weather4")] == [cases[4].id]
    assert [c.id for c in dashboard.search_cases(db, lado, "children's serv")] == [cases[2].id]
    cases[4].referrer_name = "Ivo Strand"
    db.flush()
    assert dashboard.search_cases(db, lado, "weather4") == []
    assert [c.id for c in dashboard.search_cases(db, lado, "strand")] == [cases[4].id]
    assert dashboard.search_cases(db, lado, "st") == []  # shorter than a trigram: names only
    # The case list's search box is about the case itself: not its referrer.
    assert repository.page_of_cases(db, lado, CaseFilters(q="strand"), 50, repository.case_rows).cases == []


@pytest.mark.parametrize("q", QUERIES)
def test_no_search_scans_all_the_cases(db, factory, monkeypatch, q):
    lado, _ = open_cases(db, factory)
    for candidates in (search.SEARCH_CANDIDATES, 0):
        monkeypatch.setattr(search, "SEARCH_CANDIDATES", candidates)
        with planned(db) as plans:
            dashboard.search_cases(db, lado, q)
        assert seq_scans(plans) == [], "\n\n".join(str(p) for p in seq_scans(plans))


def test_online_referrals_are_found_without_reading_every_case(db, factory):
    """A referral turned into a case is found only by those who may see the case; the test of that
    is one probe per referral found, never a list of every visible case."""
    lado, cases = open_cases(db, factory)
    other = factory.actor("lado")
    hidden = service.open_case(
        db, other, CaseCreate.model_validate(factory.case_data(subject_last_name="Quenhide", restricted=True))
    )
    for n, (case_id, last) in enumerate(
        [(None, "Quennell"), (cases[0].id, "Quennell"), (hidden.id, "Quennell")]
    ):
        db.add(
            Intake(
                reference=f"OR-TEST-{n}",
                submission_key=f"search-intake-{n}",
                referrer_name="Dana Designated",
                referrer_email="dsl@example.test",
                organisation_name="Synthetic Valley Primary School",
                adult_first_name="Alex",
                adult_last_name=last,
                adult_job_title="Teacher",
                what_happened="Synthetic",
                case_id=case_id,
            )
        )
    db.flush()
    with planned(db) as plans:
        found = dashboard.search_intakes(db, lado, "Quennell")
    assert sorted(i.reference for i in found) == ["OR-TEST-0", "OR-TEST-1"]
    assert seq_scans(plans, "cases") == [], "\n\n".join(str(p) for p in seq_scans(plans, "cases"))
    assert sorted(i.reference for i in dashboard.search_intakes(db, other, "Quennell")) == [
        "OR-TEST-0",
        "OR-TEST-1",
        "OR-TEST-2",
    ]
