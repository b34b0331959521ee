"""TOTP two-factor: enrolment with a QR code, sign-in with a code or a recovery code (each
works once), failures throttled, enforcement for every role, turning it off."""

import base64
import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.dependencies import SESSION_COOKIE
from app.auth.models import RecoveryCode
from app.config import get_settings
from tests.auth.support import code_for, enrol, forget_last_code, page_csrf, post_sign_in, session_row
from tests.factories import PASSWORD
from tests.helpers import csrf_from, sign_in


@pytest.fixture
def require_mfa(monkeypatch):
    monkeypatch.setattr(get_settings(), "require_mfa", True)


def enrolled(client, db, factory, role="lado"):
    """A user with two-factor on, signed out again; returns (user, recovery codes)."""
    user = factory.user(
        role, **({"organisations": [factory.organisation().name]} if role == "hr_liaison" else {})
    )
    post_sign_in(client, user.email)
    codes = enrol(client, db, user)
    client.cookies.clear()
    db.refresh(user)
    return user, codes


def send_code(client, code, next_url="/"):
    page = client.get("/sign-in/two-factor")
    assert page.status_code == 200
    return client.post(
        "/sign-in/two-factor", data={"code": code, "next": next_url, "csrf_token": csrf_from(page.text)}
    )


class TestEnrolment:
    def test_set_up_shows_a_qr_code_then_ten_recovery_codes_once(self, client, factory, db):
        user = factory.user("hr_liaison", organisations=[factory.organisation().name])
        sign_in(client, user.email)
        page = client.get("/account/two-factor")
        assert "Set up two-factor authentication" in page.text
        db.refresh(user)
        assert user.totp_secret is None  # GET changes nothing
        csrf = csrf_from(page.text)
        assert (
            client.post("/account/two-factor", data={"action": "start", "csrf_token": csrf}).status_code
            == 303
        )
        page = client.get("/account/two-factor")
        db.refresh(user)
        assert user.totp_secret and not user.totp_enabled
        img = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="QR code', page.text)
        assert img and base64.b64decode(img.group(1)).startswith(b"<svg")
        assert (
            re.sub(r"\s", "", re.search(r'id="secret-key">([^<]+)<', page.text).group(1)) == user.totp_secret
        )
        assert (
            'for="code"' in page.text
            and "Code from your authenticator app" in page.text
            and 'id="code"' in page.text
        )

        resp = client.post("/account/two-factor", data={"code": "000000", "csrf_token": csrf})
        assert resp.status_code == 422 and "The code is not correct" in resp.text
        db.refresh(user)
        assert not user.totp_enabled

        resp = client.post(
            "/account/two-factor", data={"code": code_for(user.totp_secret), "csrf_token": csrf}
        )
        assert resp.status_code == 200
        codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", resp.text)
        assert len(codes) == 10 == len(set(codes))
        db.refresh(user)
        assert user.totp_enabled
        hashes = db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
        assert len(hashes) == 10 and all(h.startswith("$argon2") for h in hashes)
        assert not any(c.replace("-", "") in h for c in codes for h in hashes)
        assert db.scalar(
            select(AuditEvent).where(AuditEvent.verb == "mfa_enrolled", AuditEvent.actor_id == user.id)
        )
        again = client.get("/account/two-factor")
        assert not any(c in again.text for c in codes)  # shown once only
        assert "Two-factor authentication is <strong>on</strong>" in again.text

    def test_enrolling_ends_other_password_only_sessions(self, client, app, factory, db):
        from fastapi.testclient import TestClient

        user = factory.user("lado")
        with TestClient(app, follow_redirects=False) as other:
            sign_in(other, user.email)
            sign_in(client, user.email)
            enrol(client, db, user)
            assert client.get("/account").status_code == 200
            assert other.get("/account").status_code == 303


class TestSignInWithCode:
    def test_password_then_code(self, client, factory, db):
        user, _ = enrolled(client, db, factory)
        resp = post_sign_in(client, user.email, next_url="/account")
        assert resp.status_code == 303 and resp.headers["location"] == "/sign-in/two-factor?next=%2Faccount"
        pending_cookie = client.cookies[SESSION_COOKIE]
        assert not session_row(db, client).mfa_passed
        # the half-signed-in session opens nothing else
        assert client.get("/account").headers["location"].startswith("/sign-in/two-factor")
        assert client.get("/api/v1/me").status_code == 401
        page = client.get("/sign-in/two-factor")
        assert (
            '<label class="govuk-label" for="code">' in page.text
            and "Code from your authenticator app" in page.text
        )
        resp = send_code(client, code_for(user.totp_secret, 1), next_url="/account")
        assert resp.status_code == 303 and resp.headers["location"] == "/account"
        assert (
            client.cookies[SESSION_COOKIE] != pending_cookie
        )  # a new session id once the second factor is in
        assert session_row(db, client).mfa_passed
        assert client.get("/account").status_code == 200
        event = db.scalars(
            select(AuditEvent)
            .where(AuditEvent.verb == "signed_in", AuditEvent.actor_id == user.id)
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.details == {"second_factor": "totp"}

    def test_a_code_cannot_be_used_twice(self, client, factory, db):
        user, _ = enrolled(client, db, factory)
        code = code_for(user.totp_secret, 1)
        post_sign_in(client, user.email)
        assert send_code(client, code).status_code == 303
        post_sign_in(client, user.email)
        resp = send_code(client, code)
        assert resp.status_code == 422
        assert "Enter the 6-digit code shown in your authenticator app now" in resp.text

    def test_wrong_code_is_refused_and_audited(self, client, factory, db):
        user, _ = enrolled(client, db, factory)
        post_sign_in(client, user.email)
        resp = send_code(client, "123456" if code_for(user.totp_secret) != "123456" else "654321")
        assert resp.status_code == 422
        assert not session_row(db, client).mfa_passed
        event = db.scalars(
            select(AuditEvent)
            .where(AuditEvent.verb == "sign_in_failed", AuditEvent.actor_id == user.id)
            .order_by(AuditEvent.id)
        ).all()[-1]
        assert event.details == {"reason": "wrong_code", "during": "second_factor"}

    def test_five_wrong_codes_lock_even_the_right_one_out(self, client, factory, db):
        user, _ = enrolled(client, db, factory)
        post_sign_in(client, user.email)
        for _ in range(5):
            assert send_code(client, "abcde-fghij").status_code == 422
        resp = send_code(client, code_for(user.totp_secret, 1))
        assert resp.status_code == 422 and "Too many incorrect codes" in resp.text
        assert not session_row(db, client).mfa_passed

    def test_a_recovery_code_works_once(self, client, factory, db):
        user, codes = enrolled(client, db, factory)
        post_sign_in(client, user.email)
        resp = send_code(client, codes[3].upper())  # case and hyphen do not matter
        assert resp.status_code == 303
        assert session_row(db, client).mfa_passed
        assert (
            "9 left" in client.get("/account").text or "9 recovery codes left" in client.get("/account").text
        )
        post_sign_in(client, user.email)
        assert send_code(client, codes[3]).status_code == 422
        assert send_code(client, codes[4]).status_code == 303

    def test_the_code_page_needs_a_password_first(self, client):
        resp = client.get("/sign-in/two-factor")
        assert resp.status_code == 303 and resp.headers["location"].startswith("/sign-in?")

    def test_sign_out_works_half_way(self, client, factory, db):
        user, _ = enrolled(client, db, factory)
        post_sign_in(client, user.email)
        csrf = csrf_from(client.get("/sign-in/two-factor").text)
        assert client.post("/sign-out", data={"csrf_token": csrf}).status_code == 303
        assert client.get("/sign-in/two-factor").headers["location"].startswith("/sign-in?")


class TestEnforcement:
    @pytest.mark.parametrize("role", ["lado", "manager", "admin"])
    def test_roles_that_must_use_it_are_sent_to_set_it_up(self, client, factory, db, require_mfa, role):
        user = factory.user(role)
        resp = post_sign_in(client, user.email)
        assert resp.headers["location"] == "/account/two-factor"
        for url in ("/", "/account", "/account/tokens", "/account/password"):
            resp = client.get(url)
            assert resp.status_code == 303 and resp.headers["location"] == "/account/two-factor", url
        assert client.get("/api/v1/me").status_code == 403
        assert client.get("/account/two-factor").status_code == 200
        enrol(client, db, user)
        assert client.get("/").status_code == 200

    def test_hr_liaison_must_set_it_up_too(self, client, db, factory, require_mfa):
        """HR liaisons read outcome letters about named adults: a password alone is not enough."""
        user = factory.user("hr_liaison", organisations=[factory.organisation().name])
        assert post_sign_in(client, user.email).headers["location"] == "/account/two-factor"
        for url in ("/", "/portal/letters", "/account"):
            resp = client.get(url)
            assert resp.status_code == 303 and resp.headers["location"] == "/account/two-factor", url
        assert client.get("/api/v1/me").status_code == 403
        enrol(client, db, user)
        assert client.get("/portal/letters").status_code == 200

    def test_every_role_must_use_it(self):
        from app.auth.totp import MFA_REQUIRED_ROLES
        from app.users.models import Role

        assert MFA_REQUIRED_ROLES == frozenset(Role)

    def test_setting_off_lets_a_password_do(self, client, factory, monkeypatch):
        monkeypatch.setattr(get_settings(), "require_mfa", False)
        user = factory.user("lado")
        assert post_sign_in(client, user.email).headers["location"] == "/cases"  # the caseload
        assert client.get("/account").status_code == 200

    def test_sign_out_is_allowed_before_set_up(self, client, factory, require_mfa):
        user = factory.user("manager")
        post_sign_in(client, user.email)
        csrf = page_csrf(client, "/account/two-factor")
        assert client.post("/sign-out", data={"csrf_token": csrf}).headers["location"] == "/sign-in"


class TestTurningOff:
    def test_needs_a_code_or_the_password(self, client, factory, db):
        user, _codes = enrolled(client, db, factory)
        post_sign_in(client, user.email)
        send_code(client, code_for(user.totp_secret, 1))
        csrf = page_csrf(client, "/account/two-factor")
        resp = client.post(
            "/account/two-factor/disable", data={"code": "", "password": "", "csrf_token": csrf}
        )
        assert resp.status_code == 422 and 'href="#disable-code"' in resp.text
        resp = client.post(
            "/account/two-factor/disable", data={"password": "wrong password here", "csrf_token": csrf}
        )
        assert resp.status_code == 422 and "Your current password is not correct" in resp.text
        db.refresh(user)
        assert user.totp_enabled
        resp = client.post("/account/two-factor/disable", data={"password": PASSWORD, "csrf_token": csrf})
        assert resp.status_code == 303
        db.refresh(user)
        assert not user.totp_enabled and user.totp_secret is None
        assert db.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id)) is None
        assert post_sign_in(client, user.email).headers["location"] == "/cases"  # the caseload

    def test_a_role_that_must_use_it_sets_it_up_again(self, client, factory, db, require_mfa):
        user, _ = enrolled(client, db, factory, "admin")
        post_sign_in(client, user.email)
        send_code(client, code_for(user.totp_secret, 1))
        forget_last_code(db, user)
        csrf = page_csrf(client, "/account/two-factor")
        resp = client.post(
            "/account/two-factor/disable", data={"code": code_for(user.totp_secret), "csrf_token": csrf}
        )
        assert resp.status_code == 303
        assert client.get("/").headers["location"] == "/account/two-factor"


class TestNewRecoveryCodes:
    def test_new_codes_replace_the_old(self, client, factory, db):
        user, old = enrolled(client, db, factory)
        post_sign_in(client, user.email)
        send_code(client, code_for(user.totp_secret, 1))
        forget_last_code(db, user)
        csrf = page_csrf(client, "/account/two-factor")
        resp = client.post(
            "/account/two-factor/recovery-codes",
            data={
                "code": "000000" if code_for(user.totp_secret) != "000000" else "111111",
                "csrf_token": csrf,
            },
        )
        assert resp.status_code == 422 and 'href="#recovery-code"' in resp.text
        resp = client.post(
            "/account/two-factor/recovery-codes",
            data={"code": code_for(user.totp_secret), "csrf_token": csrf},
        )
        assert resp.status_code == 200
        new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", resp.text)
        assert len(new) == 10 and not set(new) & set(old)
        post_sign_in(client, user.email)
        assert send_code(client, old[0]).status_code == 422
        assert send_code(client, new[0]).status_code == 303
