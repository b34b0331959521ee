"""Signing in and out in a real browser: a wrong password, sign-out ending the session on the
server, two-factor set-up and sign-in with a code from an authenticator app (pyotp plays the
app), a recovery code, and the idle and absolute session timeouts."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from app.auth.models import UserSession
from app.clock import utcnow
from app.config import get_settings
from tests.browser.conftest import Watch, assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SIGN_IN = re.compile(r"/sign-in(\?.*)?$")


def test_a_wrong_password_is_refused_with_a_clear_error(page: Page, users, watch: Watch):
    lado = users.create("lado")
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter your e-mail address")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your password")).to_be_visible()
    assert_accessible(page, watch)

    sign_in(page, lado.email, "not the right password", watch=watch)
    expect(page).to_have_url(SIGN_IN)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct e-mail address and password"
    )
    expect(page.get_by_label("E-mail address")).to_have_value(lado.email)
    expect(page.get_by_label("Password")).to_have_value("")  # never sent back to the browser
    assert_accessible(page, watch)
    page.goto("/cases")
    expect(page).to_have_url(SIGN_IN)


def test_sign_out_ends_the_session_on_the_server(page: Page, users, watch: Watch):
    lado = users.create("lado")
    sign_in(page, lado.email, watch=watch)
    page.goto("/cases")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"cases$", re.I))
    stolen = page.context.cookies()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(SIGN_IN)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    assert_accessible(page, watch)

    page.go_back()  # case pages are not cached (no-store): going back asks the server again
    expect(page).to_have_url(SIGN_IN)
    expect(page.locator("body")).not_to_contain_text("Signed in as")
    page.goto("/cases")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=(/|%2F)cases$"))
    # the old session cookie, replayed, is dead on the server too
    page.context.add_cookies(stolen)
    page.goto("/cases")
    expect(page).to_have_url(SIGN_IN)


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


@pytest.mark.slow
def test_two_factor_set_up_then_sign_in_with_a_code_or_a_recovery_code(
    page: Page, users, watch: Watch, monkeypatch
):
    monkeypatch.setattr(get_settings(), "require_mfa", True)
    lado = users.create("lado")

    # a LADO must set up two-factor before anything else
    sign_in(page, lado.email, watch=watch)
    expect(page).to_have_url(re.compile(r"/account/two-factor$"))
    page.goto("/cases")
    expect(page).to_have_url(re.compile(r"/account/two-factor"))
    expect(page.locator(".govuk-warning-text")).to_contain_text("must use two-factor authentication")
    assert_accessible(page, watch)
    page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page, watch)
    secret = page.locator("#secret-key").inner_text().replace(" ", "")

    page.get_by_label("Code from your authenticator app").fill(
        "000000" if _code(secret) != "000000" else "111111"
    )
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not correct")
    assert_accessible(page, watch)
    page.get_by_label("Code from your authenticator app").fill(_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    recovery = page.locator("#recovery-codes li")
    expect(recovery).to_have_count(10)
    recovery_code = recovery.first.inner_text()
    assert_accessible(page, watch)
    page.goto("/cases")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"cases$", re.I))
    page.get_by_role("button", name="Sign out").click()

    # next time: password, then a code (the next time step: the code just used cannot be replayed)
    sign_in(page, lado.email, watch=watch)
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor"))
    page.goto("/cases")
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor"))
    assert_accessible(page, watch)
    page.get_by_label("Code from your authenticator app").fill(_code(secret, -5))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, watch)
    page.get_by_label("Code from your authenticator app").fill(_code(secret, 1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/cases$"))  # where the user was going before the code was asked
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"cases$", re.I))
    expect(page.locator("body")).to_contain_text(f"Signed in as {lado.name}")
    page.get_by_role("button", name="Sign out").click()

    # without the phone: a recovery code, which then says how many are left
    sign_in(page, lado.email, watch=watch)
    page.get_by_label("Code from your authenticator app").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You used a recovery code. You have 9 left"
    )
    assert_accessible(page, watch)


def _age_sessions(users, user_id: int, **ago: timedelta) -> None:
    now = utcnow()
    users.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id)
        .values(**{column: now - delta for column, delta in ago.items()})
    )
    users.session.commit()


def test_an_idle_or_too_old_session_ends_and_asks_to_sign_in_again(page: Page, users, watch: Watch):
    lado = users.create("lado")
    settings = get_settings()

    sign_in(page, lado.email, watch=watch)
    page.goto("/cases")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"cases$", re.I))
    _age_sessions(users, lado.id, last_seen_at=timedelta(minutes=settings.session_idle_minutes + 1))
    page.reload()
    expect(page).to_have_url(re.compile(r"/sign-in\?next=(/|%2F)cases$"))
    assert_accessible(page, watch)

    # active all along, but signed in longer ago than the absolute limit
    page.get_by_label("E-mail address").fill(lado.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/cases$"))  # back where the user was going
    _age_sessions(
        users,
        lado.id,
        created_at=timedelta(hours=settings.session_absolute_hours, minutes=1),
        last_seen_at=timedelta(minutes=1),
    )
    page.reload()
    expect(page).to_have_url(SIGN_IN)
