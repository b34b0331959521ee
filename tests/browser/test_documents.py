"""Documents in a real browser: an officer opens the case's Documents tab, submits the form
without a file (the error summary), attaches a PDF to the case, sees it listed, downloads it, and
deletes it with a reason. axe-core runs on every new page and state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Watch, assert_accessible, sign_in
from tests.browser.test_strands import threshold_met_case
from tests.documents.conftest import PDF

pytestmark = pytest.mark.browser


def test_attach_download_and_delete_a_document(
    browser, live_server, page: Page, users, watch: Watch, tmp_path
):
    officer = users.create("lado", name="Ann Officer")
    case_id = threshold_met_case(users, officer)
    sign_in(page, officer.email, watch=watch)

    page.goto(f"/cases/{case_id}")
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    expect(page.locator("#documents")).to_contain_text("No documents attached yet")
    assert_accessible(page, watch)

    page.get_by_label("Title (optional)").fill("Referral form")
    page.get_by_role("button", name="Attach document").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a file to attach")
    expect(page.get_by_label("Title (optional)")).to_have_value("Referral form")
    assert_accessible(page, watch)

    pdf = tmp_path / "referral.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("File", exact=True).set_input_files(str(pdf))
    page.get_by_role("button", name="Attach document").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Document attached: Referral form")
    row = page.locator("#documents tbody tr").first
    expect(row).to_contain_text("referral.pdf")
    expect(row).to_contain_text("Ann Officer")
    assert_accessible(page, watch)

    with page.expect_download() as download:
        page.get_by_role("link", name="Referral form (download)").click()
    assert download.value.suggested_filename == "referral.pdf"
    assert download.value.path().read_bytes() == PDF

    page.get_by_role("link", name="Delete Referral form").click()
    assert_accessible(page, watch)
    page.get_by_label("Why is it being deleted?").fill("Attached to the wrong case")
    page.get_by_role("button", name="Delete document").click()
    expect(page.locator("#documents")).to_contain_text("No documents attached yet")
    expect(page.locator("#deleted-documents")).to_contain_text("Attached to the wrong case")
    assert_accessible(page, watch)
