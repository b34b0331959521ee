"""Retention in a real browser: a manager finds a due case in the review queue, opens its
Retention tab, is refused on the confirmation page without ticking the box (the error summary),
then destroys its personal data; the case's pages say so and no longer show the adult. axe-core
runs on every page visited, errors included."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.context import Actor
from app.retention import service as retention
from tests.browser.conftest import Watch, assert_accessible, sign_in
from tests.browser.keyboard import assert_no_horizontal_scroll
from tests.letters.conftest import Journey

pytestmark = pytest.mark.browser


def test_a_manager_destroys_a_due_case(browser, live_server, page: Page, users, watch: Watch):
    officer = users.create("lado", name="Ann Officer")
    manager = users.create("manager", name="Mo Manager")
    journey = Journey(users.session, users.factory, Actor(user=officer, ip="127.0.0.1"))
    case = journey.case(subject_last_name="Brightwater", subject_date_of_birth=None)
    row = retention.retention_of(users.session, case.id)
    assert row is not None
    row.review_on = date(2020, 1, 1)
    users.session.commit()

    sign_in(page, manager.email, watch=watch)
    page.get_by_role("link", name="Retention", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention reviews due")
    assert_accessible(page, watch)
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention")
    expect(page.locator(".govuk-summary-list")).to_contain_text("10 years after closure on 3 June 2026")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Destroy the personal data of this case").click()
    page.get_by_label("Reason for destruction").fill("The retention period has passed.")
    page.get_by_role("button", name="Destroy the personal data").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select that you understand")
    expect(page.get_by_label("Reason for destruction")).to_have_value("The retention period has passed.")
    assert_accessible(page, watch)
    page.get_by_label("I understand the personal data of this case is destroyed for good").check()
    page.get_by_role("button", name="Destroy the personal data").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("was destroyed")
    expect(page.locator(".moj-identity-bar")).to_contain_text("Destroyed under retention review on")
    assert_accessible(page, watch)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    page.goto(f"/cases/{case.id}")
    expect(page.locator("main")).not_to_contain_text("Brightwater")
    expect(page.locator(".moj-identity-bar")).not_to_contain_text("Brightwater")
    assert_accessible(page, watch)
