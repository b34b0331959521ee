"""The MOJ Design System's "Add another" (templates/components/add_another.html) in a real browser:
the children of a new referral and the attendees of a meeting, added and removed by keyboard alone,
saved as left; without JavaScript, the same buttons submit the form and it comes back with a row
more or less; at the limit the add button gives way to a message. axe-core runs after each change.

The component moves focus to the added row's fieldset (its legend, "Child 2 (added)", is what a screen
reader announces), not to its first field: the tests check that, and that Tab goes on to the first field.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.cases.list_routes import CHILDREN_LIMIT
from tests.browser.conftest import Watch, assert_accessible, new_page, sign_in
from tests.browser.test_journey import CASE_URL, TODAY, fill_date, fill_new_referral, threshold_met_case

pytestmark = pytest.mark.browser

MEETING_URL = re.compile(r"/cases/\d+/meetings/\d+$")
HELD = TODAY - timedelta(days=30)


#: The rows these tests add and remove: the children's or the attendees' (the new-referral form's
#: other adults are a group of their own, tests/browser/test_incident.py).
ROWS = ".moj-add-another:not(#adults-rows) .moj-add-another__item"


def rows(page: Page):
    return page.locator(ROWS)


def legends(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(f"{ROWS} legend").all_inner_texts()]


def type_in(page: Page, *texts: str) -> None:
    """Type each text into the focused field, Tab between them (an empty text skips a field)."""
    for n, text in enumerate(texts):
        if n:
            page.keyboard.press("Tab")
        if text:
            page.keyboard.type(text)


def add_row_by_keyboard(page: Page, label: str, number: int) -> None:
    """With focus on the add button, Enter: the new row's fieldset takes focus, Tab its first field."""
    expect(page.get_by_role("button", name=f"Add another {label.lower()}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows(page)).to_have_count(number)
    fieldset = rows(page).nth(number - 1).locator("fieldset")
    expect(fieldset).to_be_focused()
    expect(fieldset.locator("legend")).to_contain_text(f"{label} {number}")
    page.keyboard.press("Tab")
    expect(rows(page).nth(number - 1).locator("input").first).to_be_focused()


def test_children_added_and_removed_by_keyboard_are_saved(page: Page, users, watch: Watch):
    lado = users.create("lado")
    sign_in(page, lado.email, watch=watch)
    page.goto("/cases/new")
    expect(rows(page)).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    assert_accessible(page, watch)
    fill_new_referral(page, last_name="Addanother")  # child 1: AB, 12, female

    page.get_by_role("group", name="Child 1", exact=True).get_by_label("Gender").focus()
    page.keyboard.press("Tab")
    add_row_by_keyboard(page, "Child", 2)
    expect(page.locator("#child_initials_1")).to_be_focused()
    type_in(page, "CD", "9", "male")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Remove child 2")).to_be_focused()
    page.keyboard.press("Tab")
    add_row_by_keyboard(page, "Child", 3)
    expect(page.locator("#child_initials_2")).to_be_focused()
    type_in(page, "EF", "4")
    assert legends(page) == ["Child 1", "Child 2", "Child 3"]
    expect(page.get_by_role("button", name=re.compile("^Remove child"))).to_have_count(3)
    assert_accessible(page, watch)

    # back to "Remove child 2" (Shift+Tab: age, initials of child 3, then the button before them)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Remove child 2")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows(page)).to_have_count(2)
    expect(rows(page).nth(0).locator("fieldset")).to_be_focused()  # the row before the one removed
    assert legends(page) == ["Child 1", "Child 2"]
    expect(page.locator("#child_initials_1")).to_have_value("EF")
    expect(page.locator("#child_age_1")).to_have_value("4")
    assert page.locator("#child_initials_2").count() == 0
    assert_accessible(page, watch)

    page.get_by_role("button", name="Record the referral").click()
    expect(page).to_have_url(CASE_URL)
    children = page.locator("table").filter(has=page.locator("caption", has_text="Children involved"))
    expect(children.locator("tbody tr")).to_have_count(2)
    expect(children.locator("tbody tr").nth(0)).to_contain_text("AB")
    expect(children.locator("tbody tr").nth(1)).to_contain_text("EF")
    expect(children).not_to_contain_text("CD")
    assert_accessible(page, watch)


def test_attendees_added_and_removed_by_keyboard_are_saved(page: Page, users, watch: Watch):
    lado = users.create("lado")
    case_id = threshold_met_case(users, lado)
    sign_in(page, lado.email, watch=watch)
    page.goto(f"/cases/{case_id}/meetings/new")
    expect(rows(page)).to_have_count(1)
    assert_accessible(page, watch)
    page.get_by_role("radio", name="Evaluation or strategy meeting").check()
    fill_date(page, "Date of the meeting", HELD)
    page.get_by_label("Time of the meeting").fill("10:00")
    page.get_by_role("group", name="Was suspension considered?").get_by_label("No").check()

    page.get_by_role("group", name="Attendee 1", exact=True).get_by_label("Name").focus()
    type_in(page, "Pat Officer", "LADO service", "Chair")
    page.keyboard.press("Tab")  # "Invited, did not attend": left unticked
    expect(page.get_by_label("Invited, did not attend")).to_be_focused()
    page.keyboard.press("Tab")
    add_row_by_keyboard(page, "Attendee", 2)
    type_in(page, "Sam Detective", "Police", "DS")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # did not attend
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Remove attendee 2")).to_be_focused()
    page.keyboard.press("Tab")
    add_row_by_keyboard(page, "Attendee", 3)
    expect(page.locator("#attendee_absent_2")).not_to_be_checked()  # a new row starts clear
    type_in(page, "Jo Mistake", "Nowhere", "None")
    assert legends(page) == ["Attendee 1", "Attendee 2", "Attendee 3"]
    assert_accessible(page, watch)

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Remove attendee 3")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows(page)).to_have_count(2)
    expect(rows(page).nth(1).locator("fieldset")).to_be_focused()
    assert legends(page) == ["Attendee 1", "Attendee 2"]
    expect(page.locator("#attendee_absent_1")).to_be_checked()
    assert_accessible(page, watch)

    page.get_by_role("button", name="Record the meeting").click()
    expect(page).to_have_url(MEETING_URL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Meeting recorded")
    attendees = page.locator("table").filter(has_text="Sam Detective").locator("tbody tr")
    expect(attendees).to_have_count(2)
    expect(attendees.nth(0)).to_contain_text("Pat Officer")
    expect(attendees.nth(0).locator("td").last).to_have_text("Yes")
    expect(attendees.nth(1)).to_contain_text("Sam Detective")
    expect(attendees.nth(1).locator("td").last).to_have_text("No")
    expect(page.locator("main")).not_to_contain_text("Jo Mistake")
    assert_accessible(page, watch)

    # the change form starts with the two, and a row added there starts clear too
    page.get_by_role("link", name=re.compile("Change the meeting record")).click()
    expect(rows(page)).to_have_count(2)
    page.get_by_role("button", name="Add another attendee").click()
    expect(rows(page)).to_have_count(3)
    expect(page.locator("#attendee_absent_2")).not_to_be_checked()
    assert_accessible(page, watch)


def test_at_the_limit_the_add_button_gives_way_to_a_message(page: Page, users, watch: Watch):
    lado = users.create("lado")
    sign_in(page, lado.email, watch=watch)
    page.goto("/cases/new")
    add = page.get_by_role("button", name="Add another child")
    limit = page.get_by_text(f"You can add up to {CHILDREN_LIMIT} children.")
    expect(limit).to_be_hidden()
    for n in range(2, CHILDREN_LIMIT + 1):
        add.click()
        expect(rows(page)).to_have_count(n)
        # the component moves focus to the new row a moment after adding it: as a person would,
        # wait for that before reaching for the button again (or the click lands mid-move)
        expect(rows(page).nth(n - 1).locator("fieldset")).to_be_focused()
    expect(add).to_be_hidden()
    expect(limit).to_be_visible()
    assert_accessible(page, watch)
    page.get_by_role("button", name=f"Remove child {CHILDREN_LIMIT}").click()
    expect(add).to_be_visible()
    expect(limit).to_be_hidden()


def test_without_javascript_the_buttons_submit_the_form(browser, live_server, users, watch: Watch):
    lado = users.create("lado")
    context, page = new_page(browser, live_server, watch, java_script_enabled=False)
    try:
        sign_in(page, lado.email, watch=watch)
        page.goto("/cases/new")
        fill_new_referral(page, last_name="Nojavascript")  # child 1: AB, 12, female
        page.get_by_role("button", name="Add another child").click()
        expect(page).to_have_url(re.compile(r"/cases#child_initials_1$"))
        expect(rows(page)).to_have_count(2)
        expect(page.locator("#child_initials_0")).to_have_value("AB")
        expect(page.get_by_label("Adult's last name")).to_have_value("Nojavascript")
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        assert_accessible(page, watch)

        child = page.get_by_role("group", name="Child 2", exact=True)
        child.get_by_label("Initials").fill("CD")
        child.get_by_label("Age").fill("9")
        page.get_by_role("button", name="Remove child 1").click()
        expect(rows(page)).to_have_count(1)
        expect(page.locator("#child_initials_0")).to_have_value("CD")
        expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
        assert_accessible(page, watch)

        # Enter in a text field records the referral (the form's own button, not "Add another child")
        page.get_by_label("Adult's job title or role").press("Enter")
        expect(page).to_have_url(CASE_URL)
        children = page.locator("table").filter(has=page.locator("caption", has_text="Children involved"))
        expect(children.locator("tbody tr")).to_have_count(1)
        expect(children).to_contain_text("CD")
        expect(children).not_to_contain_text("AB")
    finally:
        context.close()
    watch.check()
