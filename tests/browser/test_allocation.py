"""Allocation and cover in a real browser: a manager reallocates a restricted case with a reason
and adds a co-worker, then covers an officer's absence (one case to one officer, the other to
another) and ends the cover; the covering officer finds the case only while covering. axe-core
runs on every page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import Watch, assert_accessible, new_page, sign_in

pytestmark = pytest.mark.browser


def restricted_case(users, officer) -> tuple[int, str]:
    case = service.open_case(
        users.session,
        Actor(user=officer, ip="127.0.0.1"),
        validate(s.CaseCreate, users.factory.case_data(restricted=True)),
    )
    users.session.commit()
    return case.id, case.reference


def test_reallocate_and_cover(browser, live_server, page: Page, users, watch: Watch):
    ann = users.create("lado", name="Ann Officer")
    users.create("lado", name="Bea Officer")
    cal = users.create("lado", name="Cal Officer")
    manager = users.create("manager", name="Mia Manager")
    first_id, _ = restricted_case(users, ann)
    second_id, second = restricted_case(users, ann)

    # --- the manager reallocates the first case to Bea, then gives it back with Cal as co-worker ---
    sign_in(page, manager.email, watch=watch)
    page.goto(f"/cases/{first_id}/allocation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation")
    assert_accessible(page, watch)
    page.get_by_role("button", name="Reallocate").click()  # nothing chosen: the error summary
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, watch)
    page.get_by_label("Allocate to").select_option(label="Bea Officer")
    page.get_by_label("Reason", exact=True).fill("Rebalancing caseloads")
    page.get_by_role("button", name="Reallocate").click()
    expect(page.locator("main")).to_contain_text("Rebalancing caseloads")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Bea Officer")
    page.get_by_label("Co-worker", exact=True).select_option(label="Cal Officer")
    page.get_by_role("button", name="Add co-worker").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Cal Officer")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Chronology").click()
    expect(page.locator("main")).to_contain_text("allocated officer from Ann Officer to Bea Officer")

    # --- Ann is away: her open case goes to Cal for the cover -----------------------------------
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.locator("main")).to_contain_text("Each officer's open cases")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Cover for an absent officer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cover")
    assert_accessible(page, watch)
    page.get_by_role("link", name="Arrange cover").click()
    assert_accessible(page, watch)
    page.get_by_label("Who is away?").select_option(label="Ann Officer")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrange cover for Ann Officer")
    expect(page.locator("main table")).to_contain_text(second)
    assert_accessible(page, watch)
    page.get_by_label("Covering officer").select_option(label="Bea Officer")
    page.get_by_label(f"Covered by, case {second}").select_option(label="Cal Officer")
    page.get_by_label("Reason", exact=True).fill("Annual leave")
    page.get_by_role("button", name="Start cover").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cover for Ann Officer")
    expect(page.locator("main table")).to_contain_text("With the covering officer")
    assert_accessible(page, watch)
    cover_url = page.url

    # --- Cal finds the restricted case while covering, and not after --------------------------------
    context, cal_page = new_page(browser, live_server, watch)
    try:
        sign_in(cal_page, cal.email, watch=watch)
        cal_page.goto(f"/cases/{second_id}/allocation")
        expect(cal_page.locator(".govuk-summary-list")).to_contain_text("Covering for Ann Officer")
        assert_accessible(cal_page, watch)

        page.goto(cover_url)
        page.get_by_role("button", name="End cover and hand back").click()
        expect(page.locator("main table")).to_contain_text("Handed back")
        assert_accessible(page, watch)

        assert cal_page.request.get(f"/cases/{second_id}").status == 404  # restricted again
    finally:
        context.close()
    assert first_id != second_id
