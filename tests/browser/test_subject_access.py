"""Subject access in a real browser: an officer records a request (first with a mistake: the
error summary), sees it on the dashboard with its due date, redacts the referrer's name in every
item, downloads the draft bundle, releases it and downloads the zip as released. axe-core runs
on every new page, the subject access request's page included."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import Watch, assert_accessible, sign_in
from tests.browser.keyboard import assert_no_horizontal_scroll
from tests.browser.test_strands import fill_date

pytestmark = pytest.mark.browser


def test_record_a_request_and_make_a_subject_access_bundle(
    browser, live_server, page: Page, users, watch: Watch
):
    officer = users.create("lado", name="Ann Officer")
    actor = Actor(user=officer, ip="127.0.0.1")
    data = users.factory.case_data(
        subject_first_name="Robin", subject_last_name="Bundleperson", referrer_name="Dana Referrer"
    )
    case = service.open_case(users.session, actor, validate(s.CaseCreate, data))
    users.session.commit()
    sign_in(page, officer.email, watch=watch)

    page.get_by_role("link", name="Subject access").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access requests")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Record a subject access request").click()
    assert_accessible(page, watch)
    page.get_by_label("Reference of one of the person's cases").fill(case.reference)
    fill_date(page, "received_on", date(2026, 1, 31))
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the requester")
    assert_accessible(page, watch)
    page.get_by_label("Name of the requester").fill("Robin Bundleperson")
    page.get_by_role("group", name="Was the requester's identity verified?").get_by_label("Yes").check()
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("due 28 February 2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Bundleperson")
    assert_accessible(page, watch)  # the subject access request's page
    request_url = page.url

    page.goto("/dashboard")
    expect(page.locator("#subject-access-panel")).to_contain_text("28 February 2026")
    assert_accessible(page, watch)

    page.goto(request_url)
    page.get_by_label("Item of the bundle").select_option(label="Every item of the bundle")
    page.get_by_label("Passage to redact").fill("Dana Referrer")
    page.get_by_label("Reason for the redaction").select_option(label="The referrer's details")
    page.get_by_role("button", name="Add the redaction").click()
    expect(page.locator("#redactions-everywhere")).to_contain_text("Dana Referrer")
    assert_accessible(page, watch)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the draft bundle (zip)").click()
    draft = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert draft.namelist() == ["bundle.pdf"] and draft.read("bundle.pdf").startswith(b"%PDF-")

    page.get_by_role("button", name="Release the bundle").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Bundle released")
    expect(page.get_by_role("button", name="Add the redaction")).to_have_count(0)
    assert_accessible(page, watch)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the bundle as released").click()
    released = download.value.path().read_bytes()
    assert zipfile.ZipFile(io.BytesIO(released)).read("bundle.pdf").startswith(b"%PDF-")
    page.set_viewport_size({"width": 320, "height": 800})  # WCAG 1.4.10: the SHA-256 wraps
    page.goto(request_url)
    assert_no_horizontal_scroll(page)
    assert_accessible(page, watch)
    watch.check()
