"""Driving the app through its HTTP interface as a browser would."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Boolean, Date, DateTime, Integer, select

from app.audit.models import AuditEvent
from tests.factories import PASSWORD

_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _META.search(html)
    assert match, "page has no CSRF meta tag"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    page = client.get("/sign-in")
    token = csrf_from(page.text)
    resp = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": token, "next": "/"}
    )
    assert resp.status_code == 303, resp.text
    home = client.get("/")
    assert home.status_code == 200, home.text
    return csrf_from(home.text)


def post_form(client: TestClient, url: str, data: dict, csrf: str, **kwargs):
    return client.post(url, data={**data, "csrf_token": csrf}, **kwargs)


def user_of_role(factory, role: str):
    if role == "hr_liaison":
        return factory.user(role, organisations=[factory.organisation().name])
    return factory.user(role)


def audit_events(db, object_type: str, verb: str | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.object_type == object_type)
    if verb:
        stmt = stmt.where(AuditEvent.verb == verb)
    return list(db.scalars(stmt.order_by(AuditEvent.id)))


def column_filler(column: dict, moment: str, day: str) -> object:
    """A value for a NOT NULL column a migration test does not care about (inspect's column
    dict): false, `moment` for a timestamp, `day` for a date, 0 for an integer, else ""."""
    kind = column["type"]
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, DateTime):
        return moment
    if isinstance(kind, Date):
        return day
    return 0 if isinstance(kind, Integer) else ""
