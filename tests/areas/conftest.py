"""Fixtures of areas and transfers: officers, a manager, cases, signed-in browsers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.cases import service as cases
from app.cases.schemas import CaseCreate
from app.context import Actor
from tests.helpers import sign_in


@pytest.fixture
def team(factory):
    """Two officers (Ann, Bea) and a manager, as actors."""
    return {
        name: Actor(user=factory.user("lado", name=f"{name} Officer"), ip="127.0.0.1")
        for name in ("Ann", "Bea")
    } | {"manager": Actor(user=factory.user("manager", name="Mia Manager"), ip="127.0.0.1")}


@pytest.fixture
def open_case(db, factory):
    """open_case(actor, restricted=False, **overrides): a case recorded (and allocated) by actor."""

    def make(actor: Actor, restricted: bool = False, **overrides):
        case = cases.open_case(
            db, actor, CaseCreate.model_validate(factory.case_data(restricted=restricted, **overrides))
        )
        db.flush()
        return case

    return make


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
