"""Fixtures of strands and suspension: a threshold-met case recorded by an officer (restricted,
so only that officer and managers see it), and signed-in browsers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from app.context import Actor
from tests.helpers import sign_in
from tests.people.support import open_case, threshold_met


@pytest.fixture
def officer(factory) -> Actor:
    return Actor(user=factory.user("lado", name="Ann Officer"), ip="127.0.0.1")


@pytest.fixture
def case(db, factory, officer):
    c = open_case(db, factory, officer, received_on="2026-05-11", restricted=True)
    threshold_met(db, officer, c, date(2026, 5, 12))
    db.flush()
    return c


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
