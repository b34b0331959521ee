"""Minutes in a real browser: an officer writes a meeting's minutes (a police-sensitive section
among them), finalises them, builds the distribution list from the attendees and by hand, and
records sending them to the employer with the police section withheld; what the employer got
leaves that section out. axe-core runs on every new page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.cases import service as cases
from app.context import Actor
from app.meetings import service as meetings
from tests.browser.conftest import Watch, assert_accessible, sign_in
from tests.browser.test_strands import fill_date, threshold_met_case
from tests.meetings.test_service import meeting_form

pytestmark = pytest.mark.browser


def test_write_finalise_and_distribute_minutes(browser, live_server, page: Page, users, watch: Watch):
    officer = users.create("lado", name="Ann Officer")
    case_id = threshold_met_case(users, officer)
    actor = Actor(user=officer, ip="127.0.0.1")
    case = cases.get_case(users.session, actor, case_id)
    meeting = meetings.record_meeting(users.session, actor, case, meeting_form())
    users.session.commit()
    sign_in(page, officer.email, watch=watch)

    page.goto(f"/cases/{case_id}/meetings/{meeting.id}")
    page.get_by_role("link", name="Minutes and their distribution").click()
    assert_accessible(page, watch)
    page.get_by_role("button", name="Write the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("draft version 1")
    assert_accessible(page, watch)
    page.locator("#section_body_0").fill("The head teacher described what was seen in the classroom.")
    page.locator("#section_body_2").fill("An arrest is planned; do not tell the employer yet.")
    expect(page.locator("#section_restriction_2_police_sensitive")).to_be_checked()
    page.get_by_role("button", name="Save the draft").first.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft minutes saved")
    assert_accessible(page, watch)
    page.get_by_role("button", name="Finalise version 1").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("version 1 never changes")
    expect(page.get_by_role("button", name="Start a new version")).to_be_visible()

    # --- the distribution list: the attendees, then the employer by hand ------------------------
    page.get_by_role("button", name="Add them to the list").click()
    expect(page.locator("#distribution + ul")).to_contain_text("Sam Police")
    page.get_by_label("Name", exact=True).fill("Kim Head")
    page.get_by_label("Agency or organisation").fill("Northfield School")
    page.get_by_label("Role (optional)").fill("Headteacher")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.locator("#distribution + ul")).to_contain_text("Kim Head, Headteacher, Northfield School")

    # --- record the send, the police section withheld ---------------------------------------------
    page.get_by_role("link", name="Record sending version 1").click()
    assert_accessible(page, watch)
    page.get_by_label("Recipient").select_option(label="Kim Head, Headteacher, Northfield School")
    page.get_by_label("Secure e-mail").check()
    fill_date(page, "sent_on", meeting.held_on)
    page.get_by_label("Police update (Police-sensitive)").check()
    page.get_by_role("button", name="Record the send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the sections were withheld")
    assert_accessible(page, watch)
    page.get_by_label("Why they were withheld").fill("Police-sensitive: not for the employer")
    page.get_by_role("button", name="Record the send").click()
    expect(page.locator("#sends + div table")).to_contain_text("Police update: Police-sensitive")
    assert_accessible(page, watch)

    page.get_by_role("link", name="Kim Head, Headteacher, Northfield School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minutes as sent to Kim Head")
    expect(page.locator("main")).to_contain_text("described what was seen in the classroom")
    expect(page.locator("main")).not_to_contain_text("An arrest is planned")
    assert_accessible(page, watch)
