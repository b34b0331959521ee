"""The letter journeys in a real browser (headless Chromium against the live server): a LADO takes a
concluded case to a finalised outcome letter; the employer's HR liaison signs in, sees exactly that
letter, downloads it and acknowledges it; the LADO sees it acknowledged. An administrator's letter
pages too. axe-core (WCAG 2.x A and AA) runs on every page of both journeys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.context import Actor
from tests.browser.conftest import Watch, assert_accessible, new_page, sign_in
from tests.letters.conftest import Journey

pytestmark = pytest.mark.browser

LETTER_URL = re.compile(r"/cases/(\d+)/letters/(\d+)$")


@pytest.fixture
def world(users):
    lado = users.create("lado", name="Lee Officer")
    journey = Journey(users.session, users.factory, Actor(user=lado, ip="127.0.0.1"))
    org = journey.employer("Synthetic Valley Academy")
    other = journey.employer("Synthetic Hill Academy")
    case = journey.case(org)
    other_case = journey.case(other)
    hr = users.create("hr_liaison", name="Hana Liaison", organisations=[org.name])
    users.session.commit()
    return {"lado": lado, "hr": hr, "case": case, "other_case": other_case, "org": org}


@pytest.mark.slow
def test_outcome_letter_from_the_lado_to_an_acknowledgement(
    browser, live_server, page: Page, world, watch: Watch
):
    case = world["case"]
    sign_in(page, world["lado"].email, watch=watch)
    page.goto(f"/cases/{case.id}/letters")
    assert_accessible(page, watch)
    page.get_by_label("Write a letter").select_option(label="Outcome letter to the employer")
    page.get_by_role("button", name="Start a draft").click()
    expect(page).to_have_url(LETTER_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outcome letter to the employer, version 1")
    assert_accessible(page, watch)

    page.get_by_role("button", name="Change the letter").click()
    assert_accessible(page, watch)
    body = page.get_by_label("The letter", exact=True)
    body.fill(body.input_value() + "\nWith thanks for your help. <b>Not markup</b>\n")
    page.get_by_role("button", name="Save the letter").click()
    expect(page.locator("#letter-text")).to_contain_text("With thanks for your help. <b>Not markup</b>")
    assert_accessible(page, watch)

    page.get_by_role("button", name="Finalise the letter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Final")
    expect(page.get_by_text("Queued to e-mail to jo.liaison@school.example.test")).to_be_visible()
    assert_accessible(page, watch)
    page.goto("/letters/unacknowledged")
    assert_accessible(page, watch)

    hr_context, hr_page = new_page(browser, live_server, watch)
    try:
        sign_in(hr_page, world["hr"].email, watch=watch)
        hr_page.get_by_role("link", name="Letters", exact=True).first.click()
        expect(hr_page.get_by_role("heading", level=1)).to_have_text("Letters to your organisation")
        assert_accessible(hr_page, watch)
        rows = hr_page.locator("tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(case.reference)
        expect(hr_page.get_by_text(world["other_case"].reference)).to_have_count(0)
        rows.first.get_by_role("link").click()
        assert_accessible(hr_page, watch)
        expect(hr_page.locator("#letter-text")).to_contain_text("Outcome: Substantiated.")
        with hr_page.expect_download() as download:
            hr_page.get_by_role("button", name="Download the letter (PDF)").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
        hr_page.get_by_role("button", name="Acknowledge receipt").click()
        expect(hr_page.get_by_text("Acknowledged by Hana Liaison")).to_be_visible()
        assert_accessible(hr_page, watch)
        hr_page.goto(f"/cases/{case.id}")
        expect(hr_page.get_by_role("heading", level=1)).not_to_contain_text(case.reference)
    finally:
        hr_context.close()

    page.goto(f"/cases/{case.id}/letters")
    expect(page.locator("#letters")).to_contain_text("Acknowledged by Hana Liaison")
    assert_accessible(page, watch)


def test_the_administrators_letter_pages(page: Page, users, world, watch: Watch):
    admin = users.create("admin", name="Ada Admin")
    sign_in(page, admin.email, watch=watch)
    page.goto("/admin/letter-templates")
    assert_accessible(page, watch)
    page.get_by_label("Organisation name").fill("Valley")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Synthetic Valley Academy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HR liaison contacts")
    assert_accessible(page, watch)
    page.get_by_role("button", name="Add a contact").click()
    assert_accessible(page, watch)
    page.get_by_label("Name", exact=True).fill("Kim Deputy")
    page.get_by_label("E-mail address").fill("kim@school.example.test")
    page.get_by_label("HR portal account").select_option(label=f"Hana Liaison <{world['hr'].email}>")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Kim Deputy", exact=True)).to_be_visible()

    page.goto("/admin/letter-templates/employer_outcome")
    assert_accessible(page, watch)
    page.get_by_label("Template").fill("Dear {{ recipient.name }},\n\n{{ ''.__class__.__mro__ }}\n")
    page.get_by_role("button", name="Save the template").click()
    expect(page.get_by_role("alert")).to_contain_text("The template cannot be saved. Line 3:")
    assert_accessible(page, watch)
    page.goto("/admin/letter-settings")
    assert_accessible(page, watch)
