"""Fixtures of subject access: one adult with two cases, one of them restricted to the officer
who recorded it (another officer must never see it), and signed-in browsers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient

from app.cases.models import Case
from app.context import Actor
from app.subject_access import service
from app.subject_access.schemas import RequestCreate
from tests.helpers import sign_in
from tests.people.support import adult, open_case, threshold_met


@dataclass
class Adult:
    open_case: Case
    restricted_case: Case
    other_adults_case: Case


@pytest.fixture
def officer(factory) -> Actor:
    return factory.actor("lado", name="Ann Officer")


@pytest.fixture
def owner(factory) -> Actor:
    """The officer named on the restricted case."""
    return factory.actor("lado", name="Rae Owner")


@pytest.fixture
def manager(factory) -> Actor:
    return factory.actor("manager", name="Max Manager")


@pytest.fixture
def subject(db, factory, officer, owner) -> Adult:
    who = adult("Robin", "Subjectperson")
    first = open_case(
        db,
        factory,
        officer,
        **who,
        referrer_name="Dana Referrer",
        summary="Robin Subjectperson grabbed child AB by the arm in the corridor.",
    )
    threshold_met(db, officer, first, date(2026, 5, 12))
    second = open_case(db, factory, owner, **who, restricted=True, summary="A restricted matter about Robin.")
    second.person_id = first.person_id  # the same adult, linked as the person check would
    other = open_case(db, factory, officer, **adult("Kit", "Otherperson"), summary="Someone else entirely.")
    db.flush()
    return Adult(first, second, other)


def request_data(case: Case, **overrides) -> RequestCreate:
    data = {
        "case_reference": case.reference,
        "requester_name": "Robin Subjectperson",
        "requester_relationship": "The adult themselves",
        "received_on": "2026-06-15",
        "identity_verified": True,
        **overrides,
    }
    return RequestCreate.model_validate(data)


@pytest.fixture
def sar(db, officer, subject):
    return service.record_request(db, officer, request_data(subject.open_case))


@pytest.fixture
def browser(app) -> Iterator:
    """browser(user) -> (client signed in as user, its CSRF token)."""
    opened: list[TestClient] = []

    def sign_in_as(user):
        client = TestClient(app, base_url="http://testserver", follow_redirects=False)
        client.__enter__()
        opened.append(client)
        return client, sign_in(client, user.email)

    yield sign_in_as
    for client in opened:
        client.__exit__(None, None, None)
