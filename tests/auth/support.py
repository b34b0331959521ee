"""Helpers for the sign-in, session and two-factor tests (also used by tests/security)."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.dependencies import SESSION_COOKIE
from app.auth.models import SignInThrottle, UserSession
from app.auth.service import token_hash
from app.clock import utcnow
from app.users.models import User
from tests.factories import PASSWORD
from tests.helpers import csrf_from

SIGN_IN_FAILED = "Enter a correct e-mail address and password"


def anon_csrf(client: TestClient) -> str:
    return csrf_from(client.get("/sign-in").text)


def post_sign_in(client: TestClient, email: str, password: str = PASSWORD, next_url: str = "/"):
    """Submit the password form as a browser without a session would, and return the answer."""
    client.cookies.delete(SESSION_COOKIE)
    token = anon_csrf(client)
    return client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": token, "next": next_url}
    )


def page_csrf(client: TestClient, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code, resp.headers.get("location"))
    return csrf_from(resp.text)


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The TOTP code for now (+ 30 s per step ahead, within the accepted drift)."""
    return pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30 * steps_ahead))


def forget_last_code(db: Session, user: User) -> None:
    """Let the next code be accepted again, as if 30 seconds had passed since the last one."""
    db.refresh(user)
    user.totp_last_counter = None
    db.commit()  # (a savepoint release: a refused request's rollback must not undo it)


def enrol(client: TestClient, db: Session, user: User) -> list[str]:
    """Set up two-factor through the pages, as a user would; returns the recovery codes."""
    csrf = page_csrf(client, "/account/two-factor")
    resp = client.post("/account/two-factor", data={"action": "start", "csrf_token": csrf})
    assert resp.status_code == 303
    page = client.get("/account/two-factor")
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    resp = client.post(
        "/account/two-factor", data={"action": "confirm", "code": code_for(secret), "csrf_token": csrf}
    )
    assert resp.status_code == 200, resp.text
    forget_last_code(db, user)
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", resp.text)


def session_row(db: Session, client: TestClient) -> UserSession:
    db.expire_all()
    return db.scalar(
        select(UserSession).where(UserSession.token_hash == token_hash(client.cookies[SESSION_COOKIE]))
    )


def throttle_row(db: Session, key: str) -> SignInThrottle | None:
    db.expire_all()
    return db.get(SignInThrottle, key)
