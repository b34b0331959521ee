"""Every page of every role at 320 CSS pixels (WCAG 1.4.10 Reflow) and at 1280: nothing scrolls
sideways, and axe finds nothing. The demo data fills the pages, so each list and record has content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from app.cases.models import Allegation, Case, RegulatorReferral
from app.demo import load_demo_data
from app.intake.models import Intake
from app.letters.models import Letter
from app.meetings.models import CaseAction, Meeting
from app.organisations.models import Organisation
from app.people.models import Person
from app.publications.models import PublishedReport
from app.users.models import User
from tests.browser.conftest import Watch, assert_accessible
from tests.browser.keyboard import assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "lado": [
        "/cases",
        "/cases/new",
        "/cases/{case}",
        "/cases/{case}/allegations",
        "/cases/{case}/meetings",
        "/cases/{case}/referrals",
        "/cases/{case}/letters",
        "/cases/{case}/notes",
        "/cases/{case}/documents",
        "/cases/{case}/history",
        "/cases/{case}/disclosures",
        "/cases/{case}/areas",
        "/cases/{case}/retention",
        "/retention",
        "/cases/{case}/edit",
        "/cases/{case}/actions",
        "/cases/{case}/actions/new",
        "/cases/{case}/meetings/new",
        "/cases/{meeting_case}/meetings/{meeting}",
        "/cases/{meeting_case}/meetings/{meeting}/edit",
        "/cases/{meeting_case}/meetings/{meeting}/minutes",
        "/cases/{action_case}/actions/{action}/edit",
        "/cases/{open_case}/initial-consideration",
        "/cases/{allegation_case}/allegations/{allegation}/outcome",
        "/cases/{allegation_case}/disposals",
        "/cases/{referral_case}/referrals/{referral}/edit",
        "/cases/{letter_case}/letters/{letter}",
        "/people/{person}",
        "/dashboard",
        "/dashboard/actions",
        "/dashboard/cases?list=initial_consideration&when=overdue",
        "/search?q=a",
        "/intake",
        "/consultations",
        "/consultations/new",
        "/letters/unacknowledged",
        "/subject-access",
        "/subject-access/new",
        "/account",
        "/account/password",
        "/account/tokens",
        "/account/two-factor",
    ],
    "manager": [
        *("/cases", "/dashboard", "/reports/annual", "/cases/{case}", "/cases/{case}/history"),
        *("/reports/published", "/reports/published/{published}"),
        *("/cases/{case}/disclosures", "/subject-access"),
        *("/retention", "/cases/{case}/retention", "/cases/{case}/retention/destroy"),
    ],
    "hr_liaison": ["/portal/letters", "/portal/letters/{letter}"],
    "admin": [
        "/admin",
        "/admin/users",
        "/admin/users/new",
        "/admin/users/{user}/edit",
        "/admin/organisations",
        "/admin/organisations/new",
        "/admin/organisations/{organisation}/edit",
        "/admin/organisations/{organisation}/contacts",
        "/admin/reference",
        "/admin/reference/categories",
        "/admin/reference/lawful-bases",
        "/admin/settings",
        "/admin/clocks",
        "/admin/retention",
        "/admin/import",
        "/admin/audit",
        "/admin/letter-templates",
        "/admin/letter-templates/employer_outcome",
        "/admin/letter-settings",
    ],
}


def _ids(session) -> dict[str, int]:
    """Ids of one record of each kind the pages show (a kind the demo lacks is left out)."""
    found: dict[str, int] = {}

    def take(key: str, stmt, case_key: str | None = None) -> None:
        row = session.scalars(stmt.limit(1)).first()
        if row is not None:
            found[key] = row.id
            if case_key:
                found[case_key] = row.case_id

    take("case", select(Case).order_by(Case.id))
    take("published", select(PublishedReport).order_by(PublishedReport.id))
    take("open_case", select(Case).where(Case.status == "open"))
    take("meeting", select(Meeting).order_by(Meeting.id), "meeting_case")
    take("action", select(CaseAction).order_by(CaseAction.id), "action_case")
    take("allegation", select(Allegation).join(Case).where(Case.status == "threshold_met"), "allegation_case")
    take("referral", select(RegulatorReferral).order_by(RegulatorReferral.id), "referral_case")
    take("letter", select(Letter).where(Letter.finalised_at.is_not(None)), "letter_case")
    for key, model in (
        ("person", Person),
        ("organisation", Organisation),
        ("user", User),
        ("intake", Intake),
    ):
        take(key, select(model).order_by(model.id))
    return found


@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_of_every_role_fits_the_screen(page: Page, users, watch: Watch, width: int):
    shown: list[str] = []
    load_demo_data(16, echo=shown.append)
    passwords = {}
    for line in shown:
        parts = line.split()
        if len(parts) == 3 and "@" in parts[1]:
            passwords.setdefault(parts[0], (parts[1], parts[2]))
    ids = _ids(users.session)
    users.session.rollback()  # no transaction left open (and idle) while the pages are walked
    page.set_viewport_size({"width": width, "height": 800})
    visited = 0
    for role, paths in PAGES.items():
        email, password = passwords[role]
        page.context.clear_cookies()
        page.goto("/sign-in")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        for path in paths:
            try:
                url = path.format(**ids)
            except KeyError:  # the demo has no such record (a referral, say): nothing to show
                continue
            response = page.goto(url)
            assert response is not None and response.status == 200, (
                f"{role} {url}: {response and response.status}"
            )
            assert_no_horizontal_scroll(page)
            assert_accessible(page, watch)
            visited += 1
    assert visited >= 45, f"only {visited} pages had their records: {sorted(ids)}"
