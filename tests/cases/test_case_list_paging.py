"""The case list at any size: every sort reads stored keys kept in step with the rows they come
from, pages are keyset pages (the same cost however deep) that visit every case once in either
direction, the total is counted up to a limit, and no listed query scans all the cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import nulls_last, select

from app.cases import repository, service
from app.cases.models import Case
from app.cases.schemas import CASE_SORTS, CaseCreate, CaseFilters
from app.people.models import Person
from app.people.service import list_flags
from tests.cases.test_caseload import no_further_action
from tests.plan_check import planned, seq_scans

SURNAME = "Keysetperson"


def make_cases(db, factory, n: int = 7) -> list[Case]:
    """N cases of one search word, received on different days, some without a deadline (NFA),
    some with another officer, one with no employer."""
    lado, other = factory.actor("lado"), factory.actor("lado")
    cases = []
    for k in range(n):
        data = factory.case_data(
            received_on=(date(2026, 3, 2) + timedelta(days=k % 4)).isoformat(),
            subject_first_name=["Ann", "Bea", "Cai"][k % 3],
            subject_last_name=f"{SURNAME}{k % 5}",
        )
        case = service.open_case(db, other if k % 3 == 0 else lado, CaseCreate.model_validate(data))
        if k == 3:  # as imported cases may be: no employer recorded
            case.organisation_id = None
        if k % 2:
            no_further_action(db, lado, case, case.received_on)
        cases.append(case)
    db.flush()
    return cases


def expected_order(db, ids: set[int], sort: str, order: str) -> list[int]:
    """The whole list in one ORDER BY: what the pages, put together, must be."""
    column = repository.SORT_COLUMNS[sort]
    descending = (order == "descending") != (sort == "days_open")
    key = column.desc() if descending else column.asc()
    tie = Case.id.desc() if descending else Case.id.asc()
    rows = db.scalars(select(Case.id).where(Case.id.in_(ids)).order_by(nulls_last(key), tie))
    return list(rows)


@pytest.mark.parametrize("sort", list(CASE_SORTS))
def test_keyset_pages_visit_every_case_once_in_both_directions(db, factory, sort):
    actor = factory.actor("manager")
    ids = {c.id for c in make_cases(db, factory)}
    for order in ("ascending", "descending"):
        want = expected_order(db, ids, sort, order)
        base = {"q": SURNAME, "sort": sort, "order": order}
        forward, after, pages = [], None, []
        while True:
            page = repository.page_of_cases(
                db, actor, CaseFilters(**base, after=after), 2, repository.case_rows
            )
            pages.append([c.id for c in page.cases])
            forward += pages[-1]
            assert (page.before is None) == (after is None)
            if page.after is None:
                break
            after = page.after
        assert forward == want, (sort, order)
        backward, before = list(pages[-1]), pages[-1][0]
        while True:
            page = repository.page_of_cases(
                db, actor, CaseFilters(**base, before=before), 2, repository.case_rows
            )
            backward = [c.id for c in page.cases] + backward
            assert page.after is not None
            if page.before is None:
                break
            before = page.before
        assert backward == want, (sort, order)
        numbered = [
            c.id
            for n in range(1, len(pages) + 1)
            for c in repository.page_of_cases(
                db, actor, CaseFilters(**base, page=n), 2, repository.case_rows
            ).cases
        ]
        assert numbered == want


def test_sort_keys_follow_the_adult_the_employer_and_the_allocated_officer(db, factory):
    actor = factory.actor("lado")
    case = service.open_case(
        db,
        actor,
        CaseCreate.model_validate(
            factory.case_data(
                subject_first_name="Ann", subject_last_name="Keyset", organisation_name="Oak School"
            )
        ),
    )
    db.flush()
    db.refresh(case)
    assert (case.adult_sort, case.employer_sort, case.officer_sort) == (
        "Keyset Ann",
        "Oak School",
        actor.user.name,
    )
    case.person.last_name = "Renamed"
    case.organisation.name = "Elm School"
    actor.user.name = "Zed Officer"
    db.flush()
    db.refresh(case)
    assert (case.adult_sort, case.employer_sort, case.officer_sort) == (
        "Renamed Ann",
        "Elm School",
        "Zed Officer",
    )
    other = Person(first_name="Bo", last_name="Another")
    db.add(other)
    db.flush()
    case.person_id = other.id  # a column changed directly (the person check's link)
    case.allocated_officer_id = None  # the officer's sort key is the allocated officer's name
    case.officers = []
    db.flush()
    db.refresh(case)
    assert (case.adult_sort, case.officer_sort) == ("Another Bo", None)


def test_the_total_is_counted_up_to_a_limit(db, factory, monkeypatch):
    actor = factory.actor("manager")
    make_cases(db, factory, 5)
    page = repository.page_of_cases(db, actor, CaseFilters(q=SURNAME), 2, repository.case_rows)
    assert (page.total, page.total_is_lower_bound) == (5, False)
    monkeypatch.setattr(repository, "TOTAL_LIMIT", 3)
    page = repository.page_of_cases(db, actor, CaseFilters(q=SURNAME), 2, repository.case_rows)
    assert (page.total, page.total_is_lower_bound) == (3, True)


def test_a_cursor_to_a_case_out_of_sight_starts_the_list_again(db, factory):
    cases = make_cases(db, factory, 4)
    hidden = cases[0]
    hidden.restricted = True
    db.flush()
    officer = factory.actor("lado")  # named on none of them
    first = repository.page_of_cases(db, officer, CaseFilters(q=SURNAME), 2, repository.case_rows)
    after_hidden = repository.page_of_cases(
        db, officer, CaseFilters(q=SURNAME, after=hidden.id), 2, repository.case_rows
    )
    assert [c.id for c in after_hidden.cases] == [c.id for c in first.cases]
    assert hidden.id not in {c.id for c in first.cases}


LISTS = [
    {"status": "active", "officer": "me", "sort": "deadline", "order": "ascending"},
    {"status": "active", "sort": "deadline", "order": "ascending"},
    *({"sort": key, "order": order} for key in CASE_SORTS for order in ("ascending", "descending")),
    {"sector": "secondary_school", "category": "physical"},
    {"officer": "none"},
    {"q": SURNAME},
    {"q": "Ann " + SURNAME},
]


@pytest.mark.parametrize("filters", LISTS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()))
def test_no_list_scans_all_the_cases(db, factory, filters):
    cases = make_cases(db, factory, 4)
    for who in ("lado", "manager"):
        actor = factory.actor(who)
        first = repository.page_of_cases(db, actor, CaseFilters(**filters), 2, repository.case_rows)
        with planned(db) as plans:
            page = repository.page_of_cases(
                db, actor, CaseFilters(**filters, after=cases[1].id), 2, repository.case_rows
            )
            list_flags(db, actor, first.cases + page.cases)
        assert plans, "nothing was planned"
        assert seq_scans(plans) == [], "\n\n".join(str(p) for p in seq_scans(plans))


def test_the_api_pages_by_cursor_as_the_page_does(client, db, factory):
    from tests.cases.test_api import token_api

    make_cases(db, factory, 5)
    api = token_api(client, db, factory.user("manager"))
    seen, after = [], None
    while True:
        query = f"/cases?q={SURNAME}&page_size=2" + (f"&after={after}" if after else "")
        body = api.get(query).json()
        assert (body["total"], body["total_is_lower_bound"]) == (5, False)
        seen += [item["id"] for item in body["items"]]
        after = body["next_after"]
        if after is None:
            break
    by_number = [
        i["id"]
        for n in (1, 2, 3)
        for i in api.get(f"/cases?q={SURNAME}&page_size=2&page={n}").json()["items"]
    ]
    assert len(seen) == 5 and seen == by_number
