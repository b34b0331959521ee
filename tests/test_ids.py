"""Ids beyond the database's integer range are "not found" on every route that takes one: 404 on
pages, 422 on the API, never a 500 (PostgreSQL's integer is 32-bit, SQLite's 64-bit)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.helpers import sign_in
from tests.test_permissions import app_routes, guard_of

ID_PARAM = re.compile(r"\{(\w+_id)\}")


@pytest.fixture
def clients(app, factory):
    """One signed-in client per role; a 500 comes back as an answer, not an exception."""
    made: dict[str, tuple[TestClient, str]] = {}

    def client_for(role: str) -> tuple[TestClient, str]:
        if role not in made:
            c = TestClient(
                app, base_url="http://testserver", follow_redirects=False, raise_server_exceptions=False
            )
            kwargs = {"organisations": [factory.organisation().name]} if role == "hr_liaison" else {}
            made[role] = (c, sign_in(c, factory.user(role, **kwargs).email))
        return made[role]

    yield client_for
    for c, _ in made.values():
        c.close()


def id_routes(app):
    routes = [(m, p, r) for m, p, r in app_routes(app) if ID_PARAM.search(p)]
    assert len(routes) > 50, "the walk found too few routes with ids"
    return routes


@pytest.mark.parametrize("value", [str(2**31), str(2**63), "99999999999999999999", "0", "abc"])
def test_an_id_out_of_range_is_not_found_on_every_route(app, clients, value):
    problems = []
    for method, path, route in id_routes(app):
        guard = guard_of(route)
        assert guard is not None and guard.roles, path
        client, csrf = clients(sorted(guard.roles)[0])
        for name in ID_PARAM.findall(path):
            url = re.sub(r"\{([^}]+)\}", lambda m, name=name: value if m.group(1) == name else "1", path)
            resp = client.request(
                method, url, headers={"X-CSRF-Token": csrf}, data={} if method != "GET" else None
            )
            api = url.startswith("/api/")
            expected = 422 if api else 404
            if resp.status_code != expected:
                problems.append(f"{method} {url}: {resp.status_code}, expected {expected}")
            elif api and name not in {e["field"] for e in resp.json().get("errors", [])}:
                problems.append(f"{method} {url}: the 422 does not name {name}")
            elif not api and "Page not found" not in resp.text:
                problems.append(f"{method} {url}: not the page-not-found page")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "schema, data, field",
    [
        (
            "app.letters.schemas:DraftEdit",
            {"body": "Dear HR", "contact_id": "99999999999999999999"},
            "contact_id",
        ),
        (
            "app.organisations.schemas:ContactForm",
            {"name": "Jo", "email": "jo@example.test", "user_id": str(2**31)},
            "user_id",
        ),
    ],
)
def test_an_id_out_of_range_in_a_form_is_a_field_error(schema, data, field):
    """Ids chosen in forms (a contact, a user account) are refused before they reach the database."""
    import importlib

    from app.errors import ValidationFailed
    from app.forms import validate

    module, name = schema.split(":")
    with pytest.raises(ValidationFailed) as info:
        validate(getattr(importlib.import_module(module), name), data)
    assert list(info.value.errors) == [field]
