"""Fixtures for the administrator's pages: a signed-in administrator and a second browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.helpers import sign_in


@pytest.fixture
def admin(factory):
    return factory.user("admin", name="Ada Admin")


@pytest.fixture
def csrf(client, admin) -> str:
    """The signed-in administrator's CSRF token (the `client` carries their session)."""
    return sign_in(client, admin.email)


@pytest.fixture
def other_client(app) -> Iterator[TestClient]:
    """A second browser, for another user's session."""
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


def user_of_role(factory, role: str):
    if role == "hr_liaison":
        return factory.user(role, organisations=[factory.organisation().name])
    return factory.user(role)


def audit_events(db, object_type: str, verb: str | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.object_type == object_type)
    if verb:
        stmt = stmt.where(AuditEvent.verb == verb)
    return list(db.scalars(stmt.order_by(AuditEvent.id)))


@pytest.fixture(autouse=True)
def _two_factor_not_forced(monkeypatch):
    """These tests are about the administrator's pages, not two-factor enrolment (tests/auth
    covers that): accounts here sign in with a password only."""
    from app.config import get_settings

    settings = get_settings()
    if "require_mfa" in type(settings).model_fields:
        monkeypatch.setattr(settings, "require_mfa", False)
