"""No state change on GET anywhere in sign-in and accounts: every GET route of app.auth (and the
start page, where signing in lands) is requested, signed in and not, and the accounts' tables are
compared before and after."""

from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import ApiToken, RecoveryCode, SignInThrottle, UserSession
from app.users.models import User
from tests.auth.support import enrol, page_csrf
from tests.helpers import sign_in


def snapshot(db: Session):
    db.expire_all()
    return {
        "users": [
            (u.id, u.email, u.password_hash, u.is_active, u.totp_secret, u.totp_enabled, u.totp_last_counter)
            for u in db.scalars(select(User).order_by(User.id))
        ],
        "sessions": [
            (s.id, s.revoked_at, s.mfa_passed, s.csrf_token)
            for s in db.scalars(select(UserSession).order_by(UserSession.id))
        ],
        "tokens": [(t.id, t.revoked_at, t.name) for t in db.scalars(select(ApiToken).order_by(ApiToken.id))],
        "recovery": [(r.id, r.used_at) for r in db.scalars(select(RecoveryCode).order_by(RecoveryCode.id))],
        "throttles": [(t.key, t.failures, t.locked_until) for t in db.scalars(select(SignInThrottle))],
    }


def auth_get_paths(app):
    paths = []
    for route in iter_route_contexts(app.routes):  # included routers are nested in FastAPI 0.16x
        module = getattr(route.endpoint, "__module__", "") if route.endpoint else ""
        if (module.startswith("app.auth") or route.path == "/") and "GET" in (route.methods or set()):
            paths.append(route.path)
    return paths


def test_get_routes_change_nothing(app, client, factory, db):
    paths = auth_get_paths(app)
    assert {
        "/sign-in",
        "/sign-in/two-factor",
        "/account",
        "/account/two-factor",
        "/account/tokens",
        "/account/password",
        "/api/v1/me",
        "/",
    } <= set(paths)
    user = factory.user("lado")
    sign_in(client, user.email)
    enrol(client, db, user)
    csrf = page_csrf(client, "/account/tokens")
    assert client.post("/account/tokens", data={"name": "Warehouse", "csrf_token": csrf}).status_code == 200
    before = snapshot(db)
    for path in paths:
        assert client.get(path).status_code in (200, 303), path
        assert client.get(path, params={"action": "start", "name": "x", "code": "123456"}).status_code in (
            200,
            303,
        )
    assert snapshot(db) == before
    client.cookies.clear()
    for path in paths:
        client.get(path)
    assert snapshot(db) == before
