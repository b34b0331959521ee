"""The initial consideration in a real browser: the kind of no further action is asked only once
"No further action" is chosen (GOV.UK conditional reveal), every question is on the page without
JavaScript, and an empty decision comes back with GOV.UK messages. axe-core runs on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.browser

KIND = "What kind of no further action?"


def open_case(users, lado) -> int:
    case = service.open_case(
        users.session, Actor(user=lado, ip="127.0.0.1"), validate(s.CaseCreate, users.factory.case_data())
    )
    users.session.commit()
    return case.id


def test_the_kind_of_no_further_action_is_revealed_by_its_answer(page, users, watch):
    lado = users.create("lado")
    case_id = open_case(users, lado)
    sign_in(page, lado.email, watch=watch)
    page.goto(f"/cases/{case_id}/initial-consideration")
    kind = page.get_by_role("group", name=KIND)
    expect(kind).to_be_hidden()
    assert_accessible(page, watch)

    page.get_by_label("No further action after initial consideration").check()
    expect(kind).to_be_visible()
    assert_accessible(page, watch)
    page.get_by_label("Threshold met: full LADO process").check()
    expect(kind).to_be_hidden()

    page.get_by_label("No further action after initial consideration").check()
    page.get_by_role("button", name="Record the decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in (
        "Select the kind of no further action",
        "Enter the rationale",
        "Enter the date of the decision",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(kind).to_be_visible()  # the answer is kept, so its question stays open
    assert_accessible(page, watch)


def test_without_javascript_every_question_is_shown(browser, live_server, users, watch):
    lado = users.create("lado")
    case_id = open_case(users, lado)
    context, page = new_page(browser, live_server, watch, java_script_enabled=False)
    try:
        sign_in(page, lado.email, watch=watch)
        page.goto(f"/cases/{case_id}/initial-consideration")
        expect(page.get_by_role("group", name=KIND)).to_be_visible()
        assert_accessible(page, watch)
    finally:
        context.close()
