"""Recording a consultation in a real browser, in well under a minute: one page, the adult
unnamed; then seeing it, and making it a referral on the same record. axe-core runs on every
page visited (the form, its error summary, the consultation, the list, the conversion form)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Watch, assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_record_a_consultation_and_make_it_a_referral(browser, live_server, page: Page, users, watch: Watch):
    officer = users.create("lado", name="Ola Officer")
    sign_in(page, officer.email, watch=watch)
    page.get_by_role("link", name="Consultations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Record a consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a consultation")
    assert_accessible(page, watch)

    page.get_by_role("button", name="Record the consultation").click()  # nothing typed
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, watch)

    started = time.monotonic()
    page.get_by_label("Name of the person who asked").fill("Dana Asker")
    page.get_by_label("Their agency or organisation").fill("Synthetic Academy Trust")
    page.get_by_label("Sector").select_option(label="Secondary Schools")
    page.get_by_label("Category").select_option(label="Conduct")
    page.get_by_label("What was asked").fill("A teacher messaged a pupil on social media: what now?")
    page.get_by_label("Advice given").fill("Follow the staff code of conduct; call back if more emerges.")
    page.get_by_role("button", name="Record the consultation").click()
    expect(page.locator("main")).to_contain_text("Follow the staff code of conduct")
    assert time.monotonic() - started < 60
    expect(page.locator(".govuk-summary-list")).to_contain_text("Not named")
    reference = page.get_by_role("heading", level=1).inner_text()
    assert reference.startswith("LADO-")
    assert_accessible(page, watch)

    page.get_by_role("link", name="Make it a referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make it a referral")
    assert_accessible(page, watch)
    page.get_by_label("Adult's first name").fill("Robin")
    page.get_by_label("Adult's last name").fill("Browserperson")
    page.get_by_label("Adult's job title or role").fill("Teacher")
    page.get_by_role("button", name="Make it a referral").click()
    expect(page.locator("main")).to_contain_text("now a referral awaiting initial consideration")
    expect(page.locator("main")).to_contain_text(reference)
