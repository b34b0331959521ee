"""Corrections in a real browser: an officer corrects the adult's name (the person check runs
again), is asked to confirm an implausible date of birth, corrects the employer and the referrer,
adds, corrects and removes a child, and reads it all in the chronology. axe-core runs on every
page visited, the error summary and the warning included."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import Watch, assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_correct_what_was_recorded(browser, live_server, page: Page, users, watch: Watch):
    ann = users.create("lado", name="Ann Officer")
    case = service.open_case(
        users.session,
        Actor(user=ann, ip="127.0.0.1"),
        validate(
            s.CaseCreate,
            users.factory.case_data(subject_first_name="Jordan", subject_last_name="Quilfether"),
        ),
    )
    users.session.commit()
    case_id = case.id

    sign_in(page, ann.email, watch=watch)
    page.goto(f"/cases/{case_id}")
    page.get_by_role("link", name="Correct what was recorded").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct what was recorded")
    assert_accessible(page, watch)

    # --- the adult: a reason is needed, an age of 11 is questioned, then confirmed ------------
    page.get_by_role("link", name="Correct the adult's details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the adult's details")
    assert_accessible(page, watch)
    page.get_by_label("Adult's last name").fill("Quillfeather")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the correction")
    assert_accessible(page, watch)
    page.get_by_label("Year").fill("2015")
    page.get_by_label("Reason for the correction").fill("The school sent the right spelling")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-warning-text")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("would have been 11")
    assert_accessible(page, watch)
    page.get_by_label("Year").fill("1985")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The person check ran again")
    expect(page.locator("main")).to_contain_text("Jordan Quillfeather")

    # --- the employer, the referrer and a child ---------------------------------------------
    page.get_by_role("link", name="Correct the employer").click()
    assert_accessible(page, watch)
    page.get_by_label("New employer's name").fill("Synthetic Corrected Academy")
    page.get_by_label("Reason for the correction").fill("Wrong school recorded")
    page.get_by_role("button", name="Save the correction").click()  # still picked: questioned
    expect(page.locator(".govuk-error-summary")).to_contain_text("also typed a new employer")
    assert_accessible(page, watch)
    page.get_by_label("Employer", exact=True).select_option(value="")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("main")).to_contain_text("Synthetic Corrected Academy")
    page.get_by_role("link", name="Correct who referred").click()
    assert_accessible(page, watch)
    page.get_by_label("Referrer's role").fill("Headteacher")
    page.get_by_label("Reason for the correction").fill("Misheard on the phone")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("main")).to_contain_text("Headteacher")
    page.get_by_role("link", name="Add a child").click()
    assert_accessible(page, watch)
    page.get_by_label("Initials").fill("cd")
    page.get_by_label("Age").fill("9")
    page.get_by_label("Reason for the correction").fill("Left out when recorded")
    page.get_by_role("button", name="Add the child").click()
    expect(page.locator("main")).to_contain_text("Child 2 (CD, aged 9)")
    page.get_by_role("link", name="Correct Child 2 (CD, aged 9)").click()
    assert_accessible(page, watch)
    page.get_by_label("Age").fill("10")
    page.get_by_label("Reason for the correction").fill("Age wrong")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_role("link", name="Remove Child 1 (AB, aged 12, female)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove a child")
    assert_accessible(page, watch)
    page.get_by_label("Reason for the correction").fill("Not involved after all")
    page.get_by_role("button", name="Remove the child").click()
    expect(page.locator("main")).not_to_contain_text("Child 1 (AB")

    # --- the chronology tells every correction with before and after -------------------------
    page.goto(f"/cases/{case_id}/history?kind=corrections")
    main = page.locator("main")
    expect(main).to_contain_text("Adult's details corrected: last name from Quilfether to Quillfeather")
    expect(main).to_contain_text("Child's details corrected: age from 9 to 10")
    expect(main).to_contain_text("Child removed")
    expect(main).to_contain_text("Referrer corrected")
    assert_accessible(page, watch)
