"""Strands, suspension and planned meetings in a real browser: an officer records the police
strand (first with a mistake: the error summary), the suspension decision, plans a meeting,
downloads its invitation and records it as held. axe-core runs on every new page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from app import clock
from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import Watch, assert_accessible, sign_in

pytestmark = pytest.mark.browser


def threshold_met_case(users, officer) -> int:
    actor = Actor(user=officer, ip="127.0.0.1")
    case = service.open_case(
        users.session, actor, validate(s.CaseCreate, users.factory.case_data(received_on="2026-05-11"))
    )
    service.record_initial_consideration(
        users.session,
        actor,
        case,
        s.InitialConsideration(
            harm_limbs=["harmed"],
            decision="threshold_met",
            rationale="Harm test met",
            decided_on=date(2026, 5, 12),
        ),
    )
    users.session.commit()
    return case.id


def fill_date(page: Page, name: str, day: date) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def test_strands_suspension_and_a_planned_meeting(browser, live_server, page: Page, users, watch: Watch):
    officer = users.create("lado", name="Ann Officer")
    case_id = threshold_met_case(users, officer)
    sign_in(page, officer.email, watch=watch)

    # --- the police strand: a concluded strand without an outcome is refused -------------------
    page.goto(f"/cases/{case_id}")
    page.get_by_role("link", name="Strands and suspension").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strands and suspension")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Record the police investigation").click()
    assert_accessible(page, watch)
    page.get_by_label("Concluded").check()
    fill_date(page, "status_on", date(2026, 7, 1))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the outcome of the concluded strand")
    assert_accessible(page, watch)
    page.get_by_label("Outcome", exact=True).select_option(label="Charged")
    fill_date(page, "outcome_on", date(2026, 7, 1))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#strand-police")).to_contain_text("Charged (from 1 July 2026)")

    # --- suspension -------------------------------------------------------------------------------
    page.get_by_role("link", name="Record the suspension record").click()
    assert_accessible(page, watch)
    page.get_by_role("group", name="Was suspension considered?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reasons for the decision")
    assert_accessible(page, watch)
    fill_date(page, "considered_on", date(2026, 5, 13))
    page.get_by_label("Alternatives considered").fill("Supervised duties at another site")
    page.get_by_label("Suspended", exact=True).check()
    page.get_by_label("Reasons for the decision").fill("Police investigation under way")
    page.get_by_label("Who decided").fill("Kim Head, headteacher")
    fill_date(page, "decided_on", date(2026, 5, 13))
    fill_date(page, "started_on", date(2026, 5, 14))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#suspension")).to_contain_text("Supervised duties at another site")
    assert_accessible(page, watch)

    # --- a planned meeting, its invitation, and its record when held ---------------------------
    page.get_by_role("link", name="Meetings and actions").click()
    page.get_by_role("link", name="Plan a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a meeting")
    assert_accessible(page, watch)
    page.get_by_label("Evaluation or strategy meeting").check()
    fill_date(page, "starts_on", clock.today() + timedelta(days=3))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Where").fill("Room 2, Civic Centre")
    page.locator("#invitee_name_0").fill("Sam Police")
    page.locator("#invitee_email_0").fill("sam.police@example.test")
    page.get_by_role("button", name="Plan the meeting").last.click()
    expect(page.locator("main")).to_contain_text("Download the invitation")
    assert_accessible(page, watch)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the invitation (.ics)").click()
    (event,) = Calendar.from_ical(download.value.path().read_bytes()).walk("VEVENT")
    assert str(event["location"]) == "Room 2, Civic Centre"
    page.get_by_role("link", name="Record the meeting as held").click()
    expect(page.locator("#attendee_name_0")).to_have_value("Sam Police")
    page.get_by_role("group", name="Was suspension considered?").get_by_label("No").check()
    fill_date(page, "held_on", clock.today())
    page.get_by_role("button", name="Record the meeting").last.click()
    expect(page.locator("main")).to_contain_text("Sam Police")
    page.goto(f"/cases/{case_id}/meetings")
    expect(page.locator("#planned-meetings")).to_contain_text("Held")
    assert_accessible(page, watch)
