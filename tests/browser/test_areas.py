"""Other areas in a real browser: an officer records a referral from the police about a
non-recent allegation in another area, notifies that area's LADO, then transfers the case out;
the case is closed as transferred. axe-core runs on every page visited, errors included."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import Watch, assert_accessible, sign_in

pytestmark = pytest.mark.browser


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_areas_notification_and_transfer_out(browser, live_server, page: Page, users, watch: Watch):
    ann = users.create("lado", name="Ann Officer")
    case = service.open_case(
        users.session, Actor(user=ann, ip="127.0.0.1"), validate(s.CaseCreate, users.factory.case_data())
    )
    users.session.commit()

    sign_in(page, ann.email, watch=watch)
    page.goto("/cases/new")
    expect(page.get_by_label("Referrer's agency")).to_be_visible()
    expect(page.get_by_role("heading", name="Where and when")).to_be_visible()
    assert_accessible(page, watch)

    page.goto(f"/cases/{case.id}/areas")
    expect(page.get_by_role("heading", level=1)).to_have_text("Areas and transfers")
    assert_accessible(page, watch)
    page.get_by_role("radio", name="Another LADO").check()
    page.get_by_role("button", name="Save", exact=True).click()  # another lead, not named: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the name of the LADO that leads the case"
    )
    assert_accessible(page, watch)
    page.get_by_role("radio", name="This LADO").check()
    page.get_by_label("Referrer's agency").select_option(label="Police")
    page.get_by_label("Council area where the incident happened").fill("Westshire")
    page.get_by_label("Incident period (if the dates are not known)").fill("1985 to 1990")
    page.get_by_role("group", name="Is the allegation non-recent?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Westshire")
    expect(page.locator(".govuk-summary-list")).to_contain_text("1985 to 1990")

    page.get_by_label("LADO notified").fill("Westshire LADO")
    fill_date(page, "Date notified", "12", "5", "2026")
    page.get_by_role("button", name="Record the notification").click()
    expect(page.locator("main")).to_contain_text("Westshire LADO")

    page.get_by_role("button", name="Transfer and close the case").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, watch)
    page.get_by_label("Receiving LADO").fill("Westshire LADO")
    fill_date(page, "Date of the transfer", "20", "5", "2026")
    page.get_by_label("Reason for the transfer").fill("The adult works in their area")
    page.get_by_role("button", name="Transfer and close the case").click()
    expect(page.locator("main")).to_contain_text("Transferred to another LADO")
    expect(page.get_by_role("button", name="Transfer and close the case")).to_have_count(0)
    assert_accessible(page, watch)
    page.get_by_role("link", name="Chronology").click()
    expect(page.locator("main")).to_contain_text("Transfer recorded")
    assert_accessible(page, watch)
