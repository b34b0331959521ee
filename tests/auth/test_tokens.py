"""Per-user API tokens: shown once, stored as SHA-256 only, revocable, /api/ only, no CSRF."""

import hashlib
import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import ApiToken
from tests.auth.support import page_csrf
from tests.helpers import sign_in


def make_token(client, name="Data warehouse"):
    csrf = page_csrf(client, "/account/tokens")
    resp = client.post("/account/tokens", data={"name": name, "csrf_token": csrf})
    assert resp.status_code == 200, resp.text
    return re.search(r'id="new-token">([^<]+)<', resp.text).group(1), csrf


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


class TestTokens:
    def test_made_once_stored_as_a_hash_and_usable_on_the_api(self, client, factory, db):
        user = factory.user("manager")
        sign_in(client, user.email)
        text, _ = make_token(client)
        assert text.startswith("lado_") and len(text) > 40
        row = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert row.token_hash == hashlib.sha256(text.encode()).hexdigest()
        assert text not in str(row.__dict__.values())
        listing = client.get("/account/tokens")
        assert "Data warehouse" in listing.text and text not in listing.text and "Never" in listing.text
        client.cookies.clear()
        resp = client.get("/api/v1/me", headers=bearer(text))
        assert resp.status_code == 200
        assert resp.json() == {"id": user.id, "name": user.name, "email": user.email, "role": "manager"}
        db.refresh(row)
        assert row.last_used_at is not None
        assert db.scalar(
            select(AuditEvent).where(AuditEvent.verb == "token_created", AuditEvent.object_id == str(row.id))
        )

    def test_revoked_token_gets_401(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        text, csrf = make_token(client)
        row = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert client.get("/api/v1/me", headers=bearer(text)).status_code == 200
        resp = client.post(f"/account/tokens/{row.id}/revoke", data={"csrf_token": csrf})
        assert resp.status_code == 303
        client.cookies.clear()
        resp = client.get("/api/v1/me", headers=bearer(text))
        assert resp.status_code == 401
        assert resp.headers["content-type"] == "application/problem+json"
        assert resp.headers["www-authenticate"] == "Bearer"
        db.refresh(row)
        assert row.revoked_at is not None

    def test_a_disabled_users_token_gets_401(self, client, factory, db):
        from app.users.service import set_active

        user = factory.user("lado")
        sign_in(client, user.email)
        text, _ = make_token(client)
        set_active(db, None, user, False)
        db.commit()
        client.cookies.clear()
        assert client.get("/api/v1/me", headers=bearer(text)).status_code == 401

    def test_nobody_can_revoke_another_users_token(self, client, app, factory, db):
        from fastapi.testclient import TestClient

        owner, other = factory.user("lado"), factory.user("lado")
        with TestClient(app, follow_redirects=False) as owners_browser:
            sign_in(owners_browser, owner.email)
            text, _ = make_token(owners_browser)
        row = db.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
        sign_in(client, other.email)
        csrf = page_csrf(client, "/account/tokens")
        assert client.post(f"/account/tokens/{row.id}/revoke", data={"csrf_token": csrf}).status_code == 404
        assert "Data warehouse" not in client.get("/account/tokens").text
        db.refresh(row)
        assert row.revoked_at is None
        client.cookies.clear()
        assert client.get("/api/v1/me", headers=bearer(text)).status_code == 200

    def test_a_token_is_not_accepted_on_pages(self, client, factory):
        """A leaked token cannot change the password, make tokens or turn off two-factor."""
        user = factory.user("lado")
        sign_in(client, user.email)
        text, _ = make_token(client)
        client.cookies.clear()
        assert client.get("/account/tokens", headers=bearer(text)).headers["location"].startswith("/sign-in")
        assert client.post("/account/tokens", data={"name": "More"}, headers=bearer(text)).status_code == 403

    def test_name_is_required(self, client, factory):
        user = factory.user("lado")
        sign_in(client, user.email)
        csrf = page_csrf(client, "/account/tokens")
        resp = client.post("/account/tokens", data={"name": "  ", "csrf_token": csrf})
        assert resp.status_code == 422 and "Enter a name for the token" in resp.text

    def test_unknown_token_and_no_token_get_401(self, client):
        assert client.get("/api/v1/me", headers=bearer("lado_not-a-real-token")).status_code == 401
        assert client.get("/api/v1/me").status_code == 401


class TestCsrfAndTokens:
    """POST on the API: a token request needs no CSRF token (no cookies are involved); the same
    request with the session cookie does."""

    def test_token_post_needs_no_csrf_but_cookie_post_does(self, app, client, factory):
        from app.auth.dependencies import SignedIn

        @app.post("/api/v1/test-echo")
        def echo(actor: SignedIn):
            return {"user": actor.user.id}

        user = factory.user("lado")
        csrf = sign_in(client, user.email)
        text, _ = make_token(client)
        assert client.post("/api/v1/test-echo").status_code == 403  # cookie, no CSRF header
        assert client.post("/api/v1/test-echo", headers={"X-CSRF-Token": csrf}).status_code == 200
        cookies = dict(client.cookies)
        client.cookies.clear()
        assert client.post("/api/v1/test-echo", headers=bearer(text)).json() == {"user": user.id}
        client.cookies.update(cookies)
        assert client.post("/api/v1/test-echo", headers=bearer(text)).status_code == 200  # the token decides
