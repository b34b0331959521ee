"""The LADO case journey in a real browser, from sign-in to a concluded case and back.

Mirrors tests/cases/test_routes.py (the same journey over HTTP) but through what a person sees:
labels, buttons, the GOV.UK error summary, htmx updating parts of the page in place, and the
plain-form fallback when JavaScript is off. axe-core runs on every page and after every
in-place update.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.cases import schemas as s
from app.cases import service
from app.context import Actor
from app.forms import validate
from tests.browser.conftest import Watch, assert_accessible, new_page, sign_in

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
CASE_URL = re.compile(r"/cases/(\d+)(#\w+)?$")
# Dates in the recent past, in order: received, decided, outcomes, referral, concluded.
TODAY = date.today()
RECEIVED = TODAY - timedelta(days=60)
DECIDED = TODAY - timedelta(days=59)
OUTCOME = TODAY - timedelta(days=20)
RECOMMENDED = TODAY - timedelta(days=19)
MADE = TODAY - timedelta(days=10)
CONCLUDED = TODAY - timedelta(days=5)


def fill_date(scope, legend: str, d: date) -> None:
    """A GOV.UK date input, found as a person would: the group by its legend, then Day/Month/Year."""
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(d.day))
    group.get_by_label("Month", exact=True).fill(str(d.month))
    group.get_by_label("Year", exact=True).fill(str(d.year))


def mark_document(page: Page) -> None:
    """A marker that survives in-place (htmx) updates and disappears on any navigation."""
    page.evaluate("() => { window.__sameDocument = true; }")


def assert_same_document(page: Page) -> None:
    assert page.evaluate("() => window.__sameDocument === true"), (
        "the page navigated instead of updating in place"
    )


def case_id(page: Page) -> int:
    match = CASE_URL.search(page.url)
    assert match, f"not on a case page: {page.url}"
    return int(match.group(1))


def fill_new_referral(
    page: Page, *, last_name: str = "Testperson", summary: str = "Synthetic summary of what is alleged."
) -> None:
    """Everything the new-referral form asks, with synthetic people only."""
    fill_date(page, "Date received", RECEIVED)
    page.get_by_role("radio", name="E-mail", exact=True).check()
    page.get_by_label("Referrer's name").fill("Dana Referrer")
    page.get_by_label("Referrer's organisation").fill("Synthetic Academy Trust")
    page.get_by_label("Referrer's role").fill("Designated safeguarding lead")
    page.get_by_label("Referrer's phone number").fill("01632 960000")
    page.get_by_label("Referrer's e-mail address").fill("dsl@example.test")
    page.get_by_label("New employer's name").fill("Synthetic Secondary Academy")
    page.get_by_label("Sector").select_option(label="Secondary Schools")
    page.get_by_label("Primary category").select_option(label="Physical")
    page.get_by_role("group", name="Secondary categories (if any)").get_by_label("Emotional").check()
    page.get_by_label("Adult's first name").fill("Alex")
    page.get_by_label("Adult's last name").fill(last_name)
    fill_date(page, "Adult's date of birth (if known)", date(1985, 2, 14))
    page.get_by_label("Adult's job title or role").fill("Teacher")
    child = page.get_by_role("group", name="Child 1", exact=True)
    child.get_by_label("Initials").fill("AB")
    child.get_by_label("Age").fill("12")
    child.get_by_label("Gender").fill("female")
    page.get_by_label("Summary of the allegation").fill(summary)


def add_allegation_in_place(page: Page, watch: Watch, description: str, category: str) -> None:
    section = page.locator("#allegations")
    mark_document(page)
    section.get_by_label("Description of the allegation").fill(description)
    section.get_by_label("Category").select_option(label=category)
    section.get_by_role("button", name="Add allegation").click()
    expect(page.locator("#allegations tbody")).to_contain_text(description)
    expect(page.locator("#allegations [role=status]")).to_have_text("Allegation added")
    assert_same_document(page)
    assert_accessible(page, watch)


def record_outcome(page: Page, watch: Watch, index: int, outcome: str) -> None:
    page.get_by_role("link", name=f"Record outcome for allegation {index}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the outcome")
    assert_accessible(page, watch)
    page.get_by_role("radio", name=outcome, exact=True).check()
    fill_date(page, "Date of the outcome", OUTCOME)
    page.get_by_role("button", name="Record the outcome").click()
    expect(page).to_have_url(CASE_URL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Outcome recorded")


def threshold_met_case(users, lado) -> int:
    """A case past its initial consideration, written directly (the journey test covers the forms)."""
    session = users.session
    actor = Actor(user=lado, ip="127.0.0.1")
    case = service.open_case(
        session, actor, validate(s.CaseCreate, users.factory.case_data(received_on=RECEIVED.isoformat()))
    )
    service.record_initial_consideration(
        session,
        actor,
        case,
        validate(
            s.InitialConsideration,
            {
                "harm_limbs": ["harmed"],
                "decision": "threshold_met",
                "rationale": "Met",
                "decided_on": DECIDED.isoformat(),
                "version": case.version,
            },
        ),
    )
    session.commit()
    return case.id


@pytest.mark.slow
def test_without_javascript_an_allegation_is_added_by_the_plain_form(
    browser, live_server, users, watch: Watch
):
    lado = users.create("lado")
    cid = threshold_met_case(users, lado)
    context, page = new_page(browser, live_server, watch, java_script_enabled=False)
    try:
        sign_in(page, lado.email, watch=watch)
        page.goto(f"/cases/{cid}/allegations")
        assert_accessible(page, watch)
        mark_document(page)
        section = page.locator("#allegations")
        section.get_by_label("Description of the allegation").fill("Left pupils unsupervised on a trip")
        section.get_by_label("Category").select_option(label="Neglect")
        section.get_by_role("button", name="Add allegation").click()
        expect(page).to_have_url(re.compile(rf"/cases/{cid}/allegations$"))
        assert not page.evaluate("() => window.__sameDocument === true"), "expected a full page load"
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Allegation added")
        expect(page.locator("#allegations tbody")).to_contain_text("Left pupils unsupervised on a trip")
        assert_accessible(page, watch)
        # an empty submission comes back as a whole page with the error summary
        page.locator("#allegations").get_by_role("button", name="Add allegation").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page, watch)
    finally:
        context.close()
    watch.check()


@pytest.mark.slow
def test_a_busy_service_leaves_what_was_typed_in_the_form_and_says_so(page: Page, users, watch: Watch):
    """An in-place save the server could not take (503, or no answer at all) swaps nothing: the
    note stays in its box and an error summary at the top of the form says nothing was saved."""
    lado = users.create("lado")
    cid = threshold_met_case(users, lado)
    sign_in(page, lado.email, watch=watch)
    page.goto(f"/cases/{cid}/notes")
    page.route(
        f"**/cases/{cid}/notes",
        lambda route: route.fulfill(
            status=503, body="busy", headers={"Retry-After": "5", "Content-Type": "text/plain"}
        ),
    )
    page.get_by_label("Add a note").fill("Called the head teacher back")
    page.get_by_role("button", name="Add note").click()
    problem = page.locator("#notes .app-request-problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("nothing was saved")
    expect(problem).to_be_focused()
    expect(page.get_by_label("Add a note")).to_have_value("Called the head teacher back")
    _forget_htmx_logs(watch)
    assert_accessible(page, watch)
    page.unroute(f"**/cases/{cid}/notes")
    page.route(f"**/cases/{cid}/notes", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Add note").click()
    expect(problem).to_contain_text("could not be reached")
    expect(page.get_by_label("Add a note")).to_have_value("Called the head teacher back")
    _forget_htmx_logs(watch)


def _forget_htmx_logs(watch: Watch) -> None:
    """htmx logs a refused or failed request on the console itself: expected in the test above,
    and nothing else may be there."""
    expected = ("Response Status Error Code 503 from", "htmx:afterRequest,", "htmx:sendError,")
    watch.script_errors[:] = [e for e in watch.script_errors if not e.startswith(expected)]


def test_html_typed_into_a_summary_or_a_note_is_shown_as_text(page: Page, users, watch: Watch):
    lado = users.create("lado")
    sign_in(page, lado.email, watch=watch)
    page.goto("/cases/new")
    fill_new_referral(page, last_name=XSS, summary=XSS)
    page.get_by_role("button", name="Record the referral").click()
    expect(page).to_have_url(CASE_URL)
    summary_row = page.locator(".govuk-summary-list__row").filter(has_text="Summary")
    expect(summary_row.locator(".govuk-summary-list__value")).to_have_text(XSS)
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Adult concerned")).to_contain_text(XSS)
    page.goto(page.url.split("#")[0].rstrip("/") + "/notes")
    page.get_by_label("Add a note").fill(XSS)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes [role=status]")).to_have_text("Note added")
    expect(page.locator("#notes .app-note .govuk-body")).to_have_text(XSS)
    assert page.locator("img[src='x']").count() == 0, "the typed HTML became an element"
    page.goto("/cases")
    expect(page.locator("table")).to_contain_text(XSS)
    assert page.locator("img[src='x']").count() == 0
    assert_accessible(page, watch)
    # the page fixture fails the test if an alert dialog opened
