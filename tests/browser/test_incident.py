"""One incident, several adults, in a real browser: a referral naming two adults recorded from
one form (the second adult's row added with JavaScript) becomes two linked cases; a third adult
is added later from a case. axe-core runs on every page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Watch, assert_accessible, sign_in
from tests.browser.test_journey import fill_new_referral

pytestmark = pytest.mark.browser


def test_split_one_incident_into_each_adults_case(browser, live_server, page: Page, users, watch: Watch):
    officer = users.create("lado", name="Ida Officer")
    sign_in(page, officer.email, watch=watch)
    page.goto("/cases/new")
    fill_new_referral(page, last_name="Firstrestrainer", summary="Two staff restrained a pupil in the hall.")
    row = page.get_by_role("group", name="Other adult 1", exact=True)
    row.get_by_label("First name").fill("Bo")
    row.get_by_label("Last name").fill("Secondrestrainer")
    row.get_by_label("Job title or role").fill("Teaching assistant")
    page.get_by_role("button", name="Add another adult").click()
    second = page.get_by_role("group", name="Other adult 2", exact=False)
    expect(second).to_be_visible()
    assert_accessible(page, watch)
    # the second row was added by mistake: taken out again, then the referral is recorded
    second.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("group", name="Other adult 2")).to_have_count(0)
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("a case for each other adult recorded")
    first_reference = page.locator(".govuk-caption-l, h1").first.inner_text()
    section = page.locator("main")
    expect(section).to_contain_text("Other adults in this incident")
    expect(section).to_contain_text("Bo Secondrestrainer")
    assert_accessible(page, watch)
    first_url = page.url

    page.get_by_role("link", name="Add another adult from this incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add another adult from this incident")
    assert_accessible(page, watch)
    page.get_by_role("button", name="Record a case for this adult").click()  # nothing typed
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, watch)
    page.get_by_label("Adult's first name").fill("Cy")
    page.get_by_label("Adult's last name").fill("Thirdrestrainer")
    page.get_by_label("Adult's job title or role").fill("Midday supervisor")
    page.get_by_role("button", name="Record a case for this adult").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("recorded for Cy Thirdrestrainer")
    expect(page.locator("main")).to_contain_text("Bo Secondrestrainer")
    expect(page.locator("main")).to_contain_text("Two staff restrained a pupil in the hall.")
    assert_accessible(page, watch)

    page.goto(first_url)
    others = page.locator("#incident ~ .app-table-scroll table").first
    expect(others).to_contain_text("Secondrestrainer")
    expect(others).to_contain_text("Thirdrestrainer")
    assert first_reference
