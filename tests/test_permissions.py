"""The permission matrix (docs/permissions.md) against every route the app registers: each route
is in the matrix, its guard allows exactly the roles written there, and each role and an anonymous
visitor get the answer the matrix promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from app.auth.dependencies import Allow, Public
from app.config import ROOT
from tests.helpers import sign_in

ROLES = ("lado", "manager", "hr_liaison", "admin")
MATRIX = ROOT / "docs" / "permissions.md"
ROW = re.compile(r"^\|\s*`?(GET|POST|PUT|PATCH|DELETE)`?\s*\|\s*`([^`]+)`\s*\|\s*([^|]+)\|")


def documented() -> dict[tuple[str, str], frozenset[str] | None]:
    rows: dict[tuple[str, str], frozenset[str] | None] = {}
    for line in Path(MATRIX).read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if not m:
            continue
        method, path, who = m.group(1), m.group(2), m.group(3).strip()
        rows[(method, path)] = (
            None
            if who.lower().startswith("anyone")
            else frozenset(r.strip() for r in who.split(",") if r.strip())
        )
    return rows


def guard_of(route: APIRoute) -> Allow | Public | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, (Allow, Public)):
            return dep.call
        stack.extend(dep.dependencies)
    return None


def app_routes(app) -> list[tuple[str, str, APIRoute]]:
    """Every (method, path, route) the app serves; included routers are nested in FastAPI 0.16x."""
    out = []
    for ctx in iter_route_contexts(app.routes):
        if isinstance(ctx.route, APIRoute):
            for method in sorted(set(ctx.methods or ()) - {"HEAD", "OPTIONS"}):
                out.append((method, ctx.path, ctx.route))
    return out


def test_every_route_is_in_the_matrix_with_its_guard(app):
    matrix = documented()
    problems = []
    for method, path, route in app_routes(app):
        guard = guard_of(route)
        if guard is None:
            problems.append(f"{method} {path}: no Allow/Public guard")
            continue
        if (method, path) not in matrix:
            problems.append(f"{method} {path}: missing from docs/permissions.md")
            continue
        expected = matrix[(method, path)]
        actual = None if isinstance(guard, Public) else frozenset(guard.roles)
        if expected != actual:
            problems.append(
                f"{method} {path}: matrix says {sorted(expected or ['anyone'])}, "
                f"code allows {sorted(actual or ['anyone'])}"
            )
    stale = set(matrix) - {(m, p) for m, p, _ in app_routes(app)}
    problems += [f"{m} {p}: in docs/permissions.md but not a route" for m, p in sorted(stale)]
    assert not problems, "\n".join(problems)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)


@pytest.mark.parametrize("role", [*ROLES, None])
def test_each_role_gets_what_the_matrix_promises(app, client, factory, role):
    csrf = None
    if role is not None:
        kwargs = {"organisations": [factory.organisation().name]} if role == "hr_liaison" else {}
        csrf = sign_in(client, factory.user(role, **kwargs).email)
    else:
        client.get("/sign-in")
    matrix = documented()
    problems = []
    for method, path, _route in app_routes(app):
        if path in ("/sign-out",) or (method, path) not in matrix:
            continue
        allowed = matrix[(method, path)]
        url = _concrete(path)
        headers = {"X-CSRF-Token": csrf or client.cookies.get("lado_csrf", "")}
        resp = client.request(method, url, headers=headers, data={} if method != "GET" else None)
        code = resp.status_code
        if allowed is None:
            ok = code not in (401, 403) or (method != "GET" and code == 403 and "expired" in resp.text)
        elif role is None:
            ok = code in (401, 303) and (code == 401 if url.startswith("/api/") else True)
        elif role in allowed:
            ok = code not in (401, 403)
        else:
            ok = code == 403
        if not ok:
            problems.append(f"{role or 'anonymous'} {method} {url}: {code}")
    assert not problems, "\n".join(problems)
