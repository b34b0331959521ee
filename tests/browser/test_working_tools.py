"""The LADO's working tools in a real browser: an employer sends the online referral form, the
LADO finds it in the intake queue, the person check finds the adult's earlier case under another
spelling and the LADO links them, a threshold-met decision starts the evaluation-meeting clock
(five working days across Christmas 2025), the meeting and an action are recorded, and the
dashboard shows the action overdue. axe-core runs on every page visited.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import Watch, assert_accessible, new_page, sign_in
from tests.browser.test_journey import fill_date

pytestmark = pytest.mark.browser

CASE_URL = re.compile(r"/cases/(\d+)(#[\w-]+)?$")
RECEIVED = date(2025, 12, 22)
DECIDED = date(2025, 12, 23)  # 5 working days later: 2 January 2026 (25, 26 Dec and 1 Jan are bank holidays)
MEETING = date(2026, 1, 2)
ACTION_DUE = date(2026, 1, 9)


def earlier_case(users, lado) -> str:
    """An earlier case about the adult, at another employer, recorded directly."""
    session = users.session
    case = service.open_case(
        session,
        Actor(user=lado, ip="127.0.0.1"),
        validate(
            s.CaseCreate,
            users.factory.case_data(
                received_on="2024-01-10",
                subject_first_name="Alex",
                subject_last_name="Oldfield",
                subject_date_of_birth="1985-02-14",
                organisation_name="Synthetic Former Employer Ltd",
            ),
        ),
    )
    session.commit()
    return case.reference


def employer_sends_the_form(browser, live_server: str, watch: Watch) -> str:
    context, page = new_page(browser, live_server, watch)
    try:
        page.goto("/refer")
        expect(page.get_by_role("heading", level=1)).to_have_text("Tell the LADO about an allegation")
        assert_accessible(page, watch)
        page.get_by_label("Your name").fill("Dana Designated")
        page.get_by_label("Your role").fill("Designated safeguarding lead")
        page.get_by_label("Your e-mail address").fill("dsl@example.test")
        page.get_by_label("Name of the organisation").fill("Synthetic Valley Primary School")
        page.get_by_label("Type of organisation").select_option(label="Primary Schools")
        page.get_by_label("Adult's first name").fill("Alex")
        page.get_by_label("Adult's last name").fill("Oldfeild")
        fill_date(page, "Adult's date of birth (if known)", date(1985, 2, 14))
        page.get_by_label("Adult's job title or role").fill("Teaching assistant")
        child = page.get_by_role("group", name="Child 1", exact=True)
        child.get_by_label("Initials").fill("CD")
        child.get_by_label("Age").fill("8")
        page.get_by_label("What happened", exact=True).fill(
            "A pupil said the adult pushed them against a wall."
        )
        page.get_by_label("What you have done so far").fill("The adult was sent home.")
        page.get_by_role("group", name="Has the adult been suspended?").get_by_label("Yes").check()
        page.get_by_role("button", name="Send the referral").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Referral received")
        assert_accessible(page, watch)
        reference = page.locator("#receipt-reference").inner_text()
        assert re.fullmatch(r"ONL-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
        return reference
    finally:
        context.close()


@pytest.mark.slow
def test_from_online_referral_to_an_overdue_action(browser, live_server, page: Page, users, watch: Watch):
    lado = users.create("lado")
    earlier = earlier_case(users, lado)
    reference = employer_sends_the_form(browser, live_server, watch)

    # --- the intake queue, and the person check on the referral -------------------------------------
    sign_in(page, lado.email, watch=watch)
    page.get_by_role("link", name="Online referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Online referrals")
    assert_accessible(page, watch)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    expect(page.locator("main")).to_contain_text("A pupil said the adult pushed them against a wall.")
    expect(page.locator("main table").filter(has_text=earlier)).to_contain_text(
        "Synthetic Former Employer Ltd"
    )
    assert_accessible(page, watch)

    # --- recorded as a case (dated before Christmas 2025), then linked to the earlier case -----------
    page.get_by_role("link", name="Record as a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the referral as a case")
    expect(page.get_by_label("Adult's last name")).to_have_value("Oldfeild")
    assert_accessible(page, watch)
    fill_date(page, "Date received", RECEIVED)
    page.get_by_label("Primary category").select_option(label="Physical")
    page.get_by_role("button", name="Record the case").click()
    expect(page).to_have_url(CASE_URL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"from online referral {reference}")
    person_check = page.locator("#person-check")
    expect(person_check).to_contain_text("1 possible match to check")
    assert_accessible(page, watch)
    person_check.get_by_role("button", name=f"Same adult: link to case {earlier}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Case linked to Alex Oldfield's other cases"
    )
    expect(page.locator("#person-check")).to_contain_text("This adult has 1 other case.")
    assert_accessible(page, watch)
    page.get_by_role("link", name="All cases about Alex Oldfield").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Oldfield")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page, watch)
    page.go_back()

    # --- threshold met on 23 December 2025: the evaluation meeting is due on 2 January 2026 ----------
    page.get_by_role("link", name="Record the initial consideration").click()
    assert_accessible(page, watch)
    page.get_by_label("Harmed or may have harmed a child").check()
    page.get_by_role("radio", name="Threshold met: full LADO process").check()
    page.get_by_label("Rationale").fill("The harm limb is met.")
    fill_date(page, "Date of the decision", DECIDED)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Initial consideration recorded")
    page.get_by_role("link", name="Meetings and actions").click()
    evaluation = page.locator("#clock-evaluation_meeting")
    expect(evaluation).to_contain_text("2 January 2026")
    expect(evaluation).to_contain_text("Overdue")
    assert_accessible(page, watch)

    # --- the evaluation meeting, with an action agreed at it ------------------------------------------
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a meeting")
    assert_accessible(page, watch)
    page.get_by_role("radio", name="Evaluation or strategy meeting").check()
    fill_date(page, "Date of the meeting", MEETING)
    page.get_by_label("Time of the meeting").fill("10:00")
    first = page.get_by_role("group", name="Attendee 1", exact=True)
    first.get_by_label("Name").fill("Pat Officer")
    first.get_by_label("Organisation").fill("LADO service")
    first.get_by_label("Role").fill("Chair")
    page.get_by_role("button", name="Add another attendee").click()
    second = page.get_by_role("group", name="Attendee 2")  # "Attendee 2 (added)" while it has focus
    second.get_by_label("Name").fill("Sam Detective")
    second.get_by_label("Organisation").fill("Police")
    second.get_by_label("Invited, did not attend").check()
    page.get_by_label("Minutes").fill("The allegation and the employer's actions were discussed.")
    page.get_by_label("Decisions").fill("Police to decide whether to investigate.")
    page.get_by_role("group", name="Police investigation").get_by_label("Considered, not yet decided").check()
    page.get_by_role("group", name="Employer's disciplinary process").get_by_label(
        "Agreed or under way"
    ).check()
    page.get_by_role("group", name="Was suspension considered?").get_by_label("Yes").check()
    page.get_by_label("Suspension: what was decided").fill("Suspended on full pay.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Meeting recorded")
    expect(page.locator("main")).to_contain_text("Sam Detective")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Add an action from this meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    assert_accessible(page, watch)
    page.get_by_label("Action", exact=True).fill("Send the suspension letter to the adult")
    page.get_by_label("Owner's name").fill("Head teacher")
    page.get_by_label("Owner's organisation").fill("Synthetic Valley Primary School")
    fill_date(page, "Due date", ACTION_DUE)
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action added")
    row = page.locator("tbody tr").filter(has_text="Send the suspension letter")
    expect(row).to_contain_text("Overdue")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Back to the case").click()
    page.get_by_role("link", name="Meetings and actions").click()
    expect(page.locator("#clock-evaluation_meeting")).to_contain_text("Met")
    expect(page.locator("#actions")).to_contain_text("1 overdue")
    assert_accessible(page, watch)

    # --- the dashboard shows the overdue action -------------------------------------------------------
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("#actions-overdue")).to_contain_text("1")
    assert_accessible(page, watch)
    page.locator("#actions-overdue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions overdue")
    expect(page.locator("tbody")).to_contain_text("Send the suspension letter to the adult")
    assert_accessible(page, watch)


def test_person_check_while_recording_a_referral(page: Page, users, watch: Watch):
    lado = users.create("lado")
    earlier = earlier_case(users, lado)
    sign_in(page, lado.email, watch=watch)
    page.goto("/cases/new")
    page.get_by_label("Adult's first name").fill("Alex")
    page.get_by_label("Adult's last name").fill("Oldfeeld")
    page.get_by_label("Adult's last name").press("Tab")
    check = page.locator("#person-check")
    expect(check).to_contain_text(earlier)
    expect(check).to_contain_text("Synthetic Former Employer Ltd")
    expect(check.locator(".govuk-tag")).to_have_text(re.compile(r"(Strong|Possible|Weak) match"))
    expect(check).to_contain_text("Same first name")  # why: each field's level
    assert_accessible(page, watch)
