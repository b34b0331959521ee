"""The whole LADO journey by keyboard alone, at a desktop width and at 320 px (WCAG 1.4.10).

From signing in to a concluded, then re-opened, case: every control is reached with Tab and used
with Enter, Space, typing or the arrow keys. After every step the test asserts where focus is:
- a new page starts at the top (the first Tab reaches "Skip to main content"), or, after a
  save, on the success banner (announced);
- a refused full-page form puts focus on its error summary;
- an in-place (htmx) update puts focus on the updated section's heading, beside its status
  banner, and an in-place error on the error summary at the top of the swapped section.
Every page and every in-place state is checked by axe (0 violations) and for sideways scrolling.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Watch, assert_accessible
from tests.browser.keyboard import (
    assert_no_horizontal_scroll,
    choose,
    choose_radio,
    fill_date,
    navigate,
    press,
    tab_to,
    tick,
    type_into,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

TODAY = date.today()
RECEIVED = TODAY - timedelta(days=60)
DECIDED = TODAY - timedelta(days=59)
OUTCOME = TODAY - timedelta(days=20)
RECOMMENDED = TODAY - timedelta(days=19)
CONCLUDED = TODAY - timedelta(days=5)
CASE_PAGE = re.compile(r"/cases/\d+(/[a-z-]+)?(#\w+)?$")


def arrived(page: Page, watch: Watch, heading: str) -> None:
    """A full page has loaded: its heading, no sideways scroll, axe, and focus at the top (or on
    the success banner a save leaves, which govuk-frontend focuses so it is announced)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_horizontal_scroll(page)
    assert_accessible(page, watch)
    banner = page.locator(".govuk-notification-banner--success[role=alert]")
    if banner.count():
        expect(banner).to_be_focused()
    else:
        assert page.evaluate("() => document.activeElement === document.body")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def saved(page: Page, watch: Watch, heading: str, message: str | re.Pattern) -> None:
    expect(page.locator(".govuk-notification-banner")).to_contain_text(message)
    arrived(page, watch, heading)


def refused(page: Page, watch: Watch, first_error: str | re.Pattern) -> None:
    """A full-page form came back with problems: the error summary has focus and says what to fix."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_have_text(first_error)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_no_horizontal_scroll(page)
    assert_accessible(page, watch)


def in_place(page: Page, watch: Watch, section: str, status: str) -> None:
    """An in-place addition was saved: focus on the section's heading, its banner says so."""
    expect(page.locator(f"#{section} [role=status]")).to_contain_text(status)
    expect(page.locator(f"#{section}-heading")).to_be_focused()
    assert page.evaluate("() => window.__sameDocument === true"), "the page navigated"
    assert_no_horizontal_scroll(page)
    assert_accessible(page, watch)


def in_place_refused(page: Page, watch: Watch, section: str, first_error: str | re.Pattern) -> None:
    summary = page.locator(f"#{section} .govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_have_text(first_error)
    assert page.evaluate("() => window.__sameDocument === true"), "the page navigated"
    assert_no_horizontal_scroll(page)
    assert_accessible(page, watch)


def mark_document(page: Page) -> None:
    page.evaluate("() => { window.__sameDocument = true; }")


def sub_page(page: Page, watch: Watch, name: str) -> None:
    press(page, page.get_by_role("navigation", name=re.compile("^Case ")).get_by_role("link", name=name))
    arrived(page, watch, name)


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 320])
def test_the_whole_journey_by_keyboard(page: Page, users, watch: Watch, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    lado = users.create("lado")

    # --- sign in: the LADO lands on their caseload ----------------------------------------------------
    page.goto("/sign-in")
    arrived(page, watch, "Sign in")
    type_into(page, page.get_by_label("E-mail address"), lado.email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases$"))
    arrived(page, watch, "My open cases")
    expect(page.get_by_role("status")).to_have_text("0 cases")

    # --- a new referral: refused first (focus on the summary, whose links lead to the fields) -----------
    navigate(page, "New referral")
    arrived(page, watch, "Record a new contact or referral")
    type_into(page, page.get_by_label("Referrer's name"), "Dana Referrer")
    press(page, page.get_by_role("button", name="Record the referral"))
    refused(page, watch, re.compile("date received", re.I))
    press(
        page, page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("date received", re.I))
    )
    expect(page.get_by_role("group", name="Date received", exact=True).get_by_label("Day")).to_be_focused()
    expect(page.get_by_label("Referrer's name")).to_have_value("Dana Referrer")

    fill_date(page, "Date received", RECEIVED)
    choose_radio(page, page.get_by_role("radio", name="E-mail", exact=True))
    type_into(page, page.get_by_label("Referrer's organisation"), "Synthetic Academy Trust")
    type_into(page, page.get_by_label("Referrer's role"), "Designated safeguarding lead")
    type_into(page, page.get_by_label("New employer's name"), "Synthetic Secondary Academy")
    choose(page, page.get_by_label("Sector"), "Secondary Schools")
    type_into(page, page.get_by_label("Adult's first name"), "Alex")
    type_into(page, page.get_by_label("Adult's last name"), "Keyboardson")
    type_into(page, page.get_by_label("Adult's job title or role"), "Teacher")
    child = page.get_by_role("group", name="Child 1", exact=True)
    type_into(page, child.get_by_label("Initials"), "AB")
    type_into(page, child.get_by_label("Age"), "12")
    choose(page, page.get_by_label("Primary category"), "Physical")
    type_into(page, page.get_by_label("Summary of the allegation"), "Synthetic summary of what is alleged.")
    press(page, page.get_by_role("button", name="Record the referral"))
    expect(page).to_have_url(CASE_PAGE)
    saved(page, watch, "Summary", re.compile(r"Case LADO-\d{4}-\d{4} recorded"))
    identity = page.locator(".moj-identity-bar")
    expect(identity).to_contain_text("Awaiting initial consideration")
    expect(identity).to_contain_text("Alex Keyboardson")
    expect(identity).to_contain_text(lado.name)
    expect(identity).to_contain_text("Initial consideration")  # the next deadline

    # --- the initial consideration, from the summary's task list -------------------------------------
    press(page, page.locator(".govuk-task-list").get_by_role("link", name="Initial consideration"))
    arrived(page, watch, "Record the initial consideration")
    press(page, page.get_by_role("button", name="Record the decision"))
    refused(page, watch, re.compile(r"^Select .*decision"))
    tick(page, page.get_by_label("Harmed or may have harmed a child"))
    choose_radio(page, page.get_by_role("radio", name="Threshold met: full LADO process"))
    type_into(page, page.get_by_label("Rationale"), "The harm limb is met.")
    fill_date(page, "Date of the decision", DECIDED)
    press(page, page.get_by_role("button", name="Record the decision"))
    saved(page, watch, "Summary", "Initial consideration recorded")
    expect(identity).to_contain_text("Threshold met")
    expect(identity).to_contain_text("Evaluation or strategy meeting")
    expect(identity.locator(".govuk-tag--red")).to_have_text("Overdue")

    # --- allegations, in place: an empty one refused, then one added ------------------------------------
    sub_page(page, watch, "Allegations and outcomes")
    mark_document(page)
    press(page, page.get_by_role("button", name="Add allegation"))
    in_place_refused(page, watch, "allegations", re.compile(r"^Enter .*description", re.I))
    type_into(page, page.get_by_label("Description of the allegation"), "Grabbed a pupil's arm")
    choose(page, page.locator("#allegations").get_by_label("Category"), "Physical")
    press(page, page.get_by_role("button", name="Add allegation"))
    in_place(page, watch, "allegations", "Allegation added")
    expect(page.locator("#allegations tbody tr")).to_have_count(1)

    outcome_link = page.get_by_role("link", name="Record outcome for allegation 1").get_attribute("href")
    press(page, page.get_by_role("link", name="Record outcome for allegation 1"))
    arrived(page, watch, "Record the outcome")
    choose_radio(page, page.get_by_role("radio", name="Substantiated", exact=True))
    fill_date(page, "Date of the outcome", OUTCOME)
    press(page, page.get_by_role("button", name="Record the outcome"))
    saved(page, watch, "Allegations and outcomes", "Outcome recorded")
    expect(page.locator("#allegations tbody")).to_contain_text("Substantiated (")

    press(page, page.get_by_role("link", name="Record disposals"))
    arrived(page, watch, "Record the employer's disposals")
    tick(page, page.get_by_label("Dismissed"))
    press(page, page.get_by_role("button", name="Save disposals"))
    saved(page, watch, "Allegations and outcomes", "Disposals saved")

    # --- a DBS referral, in place ------------------------------------------------------------------------
    sub_page(page, watch, "Referrals")
    mark_document(page)
    referrals = page.locator("#referrals")
    press(page, referrals.get_by_role("button", name="Record referral"))
    in_place_refused(page, watch, "referrals", re.compile(r"^Select", re.I))
    choose(page, referrals.get_by_label("Regulator", exact=True), "Disclosure and Barring Service (DBS)")
    choose_radio(page, referrals.get_by_role("radio", name="Recommended"))
    fill_date(page, "Date recommended (if any)", RECOMMENDED, scope=referrals)
    press(page, referrals.get_by_role("button", name="Record referral"))
    in_place(page, watch, "referrals", "Referral recorded")
    expect(page.locator("#referrals tbody")).to_contain_text("Recommended")

    # --- conclusion, from the task list ----------------------------------------------------------------
    sub_page(page, watch, "Summary")
    press(page, page.locator(".govuk-task-list").get_by_role("link", name="Conclusion"))
    arrived(page, watch, "Conclude the case")
    ended = page.get_by_role("group", name="How did the investigation end?")
    choose_radio(page, ended.get_by_label("With an outcome for each allegation"))
    choose_radio(page, page.get_by_role("group", name="Were training needs identified?").get_by_label("No"))
    fill_date(page, "Date concluded", CONCLUDED)
    press(page, page.get_by_role("button", name="Conclude the case"))
    saved(page, watch, "Summary", "Case concluded")
    expect(identity).to_contain_text("Concluded")
    expect(identity.locator("dd").nth(3)).to_have_text("None")
    page.goto(outcome_link or "")  # a concluded case refuses a new outcome, even by its address
    expect(page.locator("main")).to_contain_text("This case is concluded: it cannot receive a new outcome.")
    assert_accessible(page, watch)
    page.go_back()

    # --- a note, in place ------------------------------------------------------------------------------
    sub_page(page, watch, "Notes")
    mark_document(page)
    press(page, page.get_by_role("button", name="Add note"))
    in_place_refused(page, watch, "notes", re.compile(r"^Enter", re.I))
    type_into(page, page.get_by_label("Add a note"), "Employer confirmed the dismissal in writing.")
    press(page, page.get_by_role("button", name="Add note"))
    in_place(page, watch, "notes", "Note added")
    expect(page.locator("#notes")).to_contain_text("Employer confirmed the dismissal in writing.")

    # --- the chronology, then re-opened from the identity bar ---------------------------------------------
    sub_page(page, watch, "Chronology")
    expect(page.locator("main")).to_contain_text(lado.name)
    press(page, page.get_by_role("link", name="Re-open the case"))
    arrived(page, watch, "Re-open the case")
    type_into(page, page.get_by_label("Reason for re-opening"), "New information from the police.")
    press(page, page.get_by_role("button", name="Re-open the case"))
    saved(page, watch, "Summary", "Case re-opened")
    expect(identity).to_contain_text("Threshold met")

    # --- and the caseload lists it, with its next deadline -------------------------------------------------
    navigate(page, "Cases")
    arrived(page, watch, "My open cases")
    row = page.locator("tbody tr").filter(has_text="Alex Keyboardson")
    expect(row).to_contain_text("Threshold met")
    tab_to(page, row.get_by_role("link"))
