"""The case's chronology, the administrators' audit search and the HR liaison's letters in a real
browser, at a desktop width (1280) and at 320 CSS pixels (WCAG 1.4.10, reflow): the chronology
tells what happened in words, by whom, without readings of the case and without codes, ids or
None; filtering by a kind narrows it; no page scrolls sideways (a wide table scrolls inside its
own region) and axe finds nothing. Screenshots go to /tmp/shots for whoever reviews the layout.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.cases import outcomes, service
from app.cases import schemas as s
from app.context import Actor
from app.forms import validate
from app.letters import portal
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.meetings import service as meetings
from app.meetings.schemas import ActionForm
from tests.browser.conftest import Watch, assert_accessible, new_page, save_failure, sign_in
from tests.letters.conftest import Journey
from tests.meetings.test_service import meeting_form

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
#: What no chronology entry may show: Python's values, codes, ids.
RAW = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\[|\]|\{|\}|_id\b|_code\b|\b[a-z]+_[a-z_]+\b|organisation id")
SENTENCES = [
    "Case opened",
    "Initial consideration recorded: threshold met",
    "Allegation added",
    "Outcome recorded: substantiated",
    "Meeting recorded: evaluation or strategy meeting on 13 May 2026",
    "Action added",
    "Note added",
    "Referral to Disclosure and Barring Service (DBS) recorded: made",
    "Employer's disposals recorded: Written warning",
    "Case concluded",
    "Letter finalised: outcome letter to the employer, version 1",
    "Letter acknowledged: outcome letter to the employer, version 1",
    "Case details changed: job title from Teaching assistant to Head of year",
]
NO_SIDEWAYS_SCROLL = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def world(users):
    """A concluded case with a bit of everything (through the services, committed), read and
    downloaded too, and the people who look at it."""
    lado = users.create("lado", name="Olive Officer")
    officer = Actor(user=lado, ip="127.0.0.1")
    session = users.session
    journey = Journey(session, users.factory, officer)
    employer = journey.employer("Northfield Academy")
    hr = users.create("hr_liaison", name="Harriet Liaison", organisations=[employer.name])
    case = journey.case(employer, outcomes=("substantiated",), conclude=False)
    service.add_note(session, officer, case, s.NoteCreate(body="Spoke to the head teacher on the phone."))
    meetings.record_meeting(session, officer, case, meeting_form(held_on="2026-05-13"))
    meetings.add_action(
        session,
        officer,
        case,
        validate(
            ActionForm,
            {
                "description": "Send the suspension letter",
                "owner_user_id": str(lado.id),
                "due_on": "2026-05-20",
            },
        ),
    )
    data = {f: getattr(case, f) for f in s.CaseDetailsUpdate.model_fields if hasattr(case, f)}
    service.update_details(
        session,
        officer,
        case,
        s.CaseDetailsUpdate.model_validate(
            {
                **data,
                "received_on": case.received_on.isoformat(),
                "job_title": "Head of year",
                "version": case.version,
            }
        ),
    )
    outcomes.conclude_case(
        session,
        officer,
        case,
        s.Conclusion(training_needs=True, concluded_on=date(2026, 6, 3), version=case.version),
    )
    letter = letters.create_draft(session, officer, case, LetterKind.EMPLOYER_OUTCOME)
    letters.finalise(session, officer, case, letter, Finalise())
    service.view_case(session, officer, case.id)
    letters.export_letter(session, officer, case, letter.id, "pdf")
    hr_actor = Actor(user=hr, ip="127.0.0.1")
    portal.acknowledge(session, hr_actor, letter.id)
    admin = users.create("admin", name="Ada Administrator")
    session.commit()
    return {"lado": lado, "hr": hr, "admin": admin, "case": case}


@pytest.fixture(params=[(1280, 900), (320, 800)], ids=["1280", "320"])
def size(request) -> dict[str, int]:
    width, height = request.param
    return {"width": width, "height": height}


def open_as(request, browser, live_server, watch, size, user):
    context, page = new_page(browser, live_server, watch, viewport=size)
    request.addfinalizer(context.close)
    request.addfinalizer(lambda: save_failure(request, page))
    sign_in(page, user.email, watch=watch)
    return page


def no_sideways_scroll(page: Page) -> None:
    scroll_width, inner_width = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert scroll_width <= inner_width, f"{page.url} scrolls sideways: {scroll_width} > {inner_width}"


def test_the_chronology_reads_as_sentences_and_reflows(
    request, browser, live_server, world, watch: Watch, size
):
    page = open_as(request, browser, live_server, watch, size, world["lado"])
    case = world["case"]
    page.goto(f"/cases/{case.id}/history")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology")
    expect(page.get_by_role("link", name="Chronology")).to_have_attribute("aria-current", "page")
    items = page.locator(".moj-timeline .moj-timeline__item")
    titles = [t.strip() for t in page.locator(".moj-timeline__title").all_inner_texts()]
    for sentence in SENTENCES:
        assert sentence in titles, (sentence, titles)
    assert titles[0] == "Letter acknowledged: outcome letter to the employer, version 1"  # newest first
    expect(page.locator(".moj-timeline__byline").first).to_have_text("by Harriet Liaison")
    expect(items.filter(has_text="Case opened").locator(".moj-timeline__byline")).to_have_text(
        "by Olive Officer"
    )
    expect(items.filter(has_text="Case opened").locator("time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT")
    )
    timeline = page.locator(".moj-timeline").inner_text()
    assert "viewed" not in timeline.lower() and "downloaded" not in timeline.lower()
    assert not RAW.search(timeline), RAW.search(timeline)
    assert "Northfield Academy" in timeline and "Spoke to the head teacher on the phone." in timeline
    no_sideways_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"chronology-{size['width']}.png"), full_page=True)
    assert_accessible(page, watch)

    # Only the meetings and actions, oldest first.
    total = items.count()
    expect(page.get_by_role("group", name="Show only")).to_be_hidden()  # folded away until asked for
    page.get_by_text("Filter the chronology").click()
    page.get_by_role("group", name="Show only").get_by_label("Meetings and actions").check()
    page.get_by_role("group", name="Order").get_by_label("Oldest first").check()
    page.get_by_role("button", name="Show entries").click()
    expect(page).to_have_url(re.compile(r"kind=meetings"))
    expect(items).to_have_count(2)
    assert [t.strip() for t in page.locator(".moj-timeline__title").all_inner_texts()] == [
        "Meeting recorded: evaluation or strategy meeting on 13 May 2026",
        "Action added",
    ]
    expect(page.locator("#chronology-showing")).to_contain_text(
        "2 entries: meetings and actions, oldest first"
    )
    expect(page.get_by_role("group", name="Show only").get_by_label("Meetings and actions")).to_be_checked()
    assert total > 2
    no_sideways_scroll(page)
    assert_accessible(page, watch)

    # Printed: the navigation and the filter are left out, the timeline stays.
    page.emulate_media(media="print")
    for hidden in (
        ".moj-sub-navigation",
        ".app-chronology-filter",
        ".govuk-service-navigation",
        ".govuk-footer",
    ):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".moj-timeline")).to_be_visible()
    expect(page.locator(".moj-identity-bar")).to_be_visible()
    page.emulate_media(media="screen")


def test_the_audit_search_fits(request, browser, live_server, world, watch: Watch, size):
    page = open_as(request, browser, live_server, watch, size, world["admin"])
    page.goto(f"/admin/audit?case={world['case'].reference}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit")
    region = page.locator('.app-table-scroll[role="region"][aria-labelledby="audit-caption"]')
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.locator("table tbody tr").first).to_be_visible()
    text = region.inner_text()
    assert "Initial consideration recorded" in text and "Case opened" in text
    assert "Spoke to the head teacher" not in text and "Head of year" not in text  # no case content
    no_sideways_scroll(page)
    if size["width"] == 1280:
        table, frame = page.evaluate(
            "() => [document.querySelector('.app-audit-table').scrollWidth,"
            " document.querySelector('.app-table-scroll').clientWidth]"
        )
        assert table <= frame, f"the audit table is wider than the page at 1280: {table} > {frame}"
        region.locator("details summary").first.click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"audit-{size['width']}.png"), full_page=True)
    assert_accessible(page, watch)
    page.goto("/admin/audit?verb=created")
    no_sideways_scroll(page)
    assert_accessible(page, watch)


def test_the_hr_letters_list_reflows(request, browser, live_server, world, watch: Watch, size):
    page = open_as(request, browser, live_server, watch, size, world["hr"])
    page.goto("/portal/letters")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters to your organisation")
    letter = page.get_by_role("link", name=re.compile(world["case"].reference))
    expect(letter).to_be_visible()
    expect(page.get_by_text("Acknowledged", exact=True)).to_be_visible()
    no_sideways_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"hr-letters-{size['width']}.png"), full_page=True)
    assert_accessible(page, watch)
    letter.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outcome letter to the employer")
    no_sideways_scroll(page)
    assert_accessible(page, watch)
