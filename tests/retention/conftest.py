"""Fixtures for retention: cases taken through the real journey (tests/letters' Journey), a
manager, and a helper that makes a case's review due."""

from __future__ import annotations

from datetime import date

import pytest

from app.context import Actor
from app.retention import service
from app.users.models import Role
from tests.letters.conftest import Journey, journey, open_client  # noqa: F401 (fixtures)

PAST = date(2020, 1, 1)


@pytest.fixture
def manager(factory) -> Actor:
    return Actor(user=factory.user(Role.MANAGER, name="Mo Manager"), ip="127.0.0.1")


def make_due(db, case_id: int, on: date = PAST) -> None:
    """The case's retention review falls due on `on` (in the past: due now)."""
    row = service.retention_of(db, case_id)
    assert row is not None and row.review_on is not None
    row.review_on = on
    db.flush()
