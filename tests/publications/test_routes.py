"""The published reports' pages, downloads and API: managers only, a publication made from the
form or the API, opened beside today's figures, downloaded exact or with small numbers suppressed."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.publications.models import PublishedReport
from app.reports.suppression import is_small
from tests.helpers import csrf_from, post_form, sign_in
from tests.reports import dataset
from tests.reports.builders import add_case


@pytest.fixture
def manager(client, factory):
    user = factory.user("manager")
    return user, sign_in(client, user.email)


def test_publish_from_the_form_then_open_it_and_download_it(client, db, manager):
    _, csrf = manager
    dataset.build(db)
    page = client.get("/reports/published")
    assert page.status_code == 200 and "No report has been published yet" in page.text
    resp = post_form(
        client,
        "/reports/published",
        {
            "start_year": "2019",
            "as_at-day": "30",
            "as_at-month": "6",
            "as_at-year": "2020",
            "note": "For the board",
        },
        csrf,
    )
    assert resp.status_code == 303, resp.text
    published = db.scalar(select(PublishedReport))
    assert resp.headers["location"] == f"/reports/published/{published.id}"
    shown = client.get(resp.headers["location"])
    assert shown.status_code == 200
    assert "The case data gives every figure the same today" in shown.text
    assert published.sha256 in shown.text and "For the board" in shown.text
    exact = json.loads(client.get(f"/reports/published/{published.id}.json").content)
    assert exact == published.figures
    small = json.loads(client.get(f"/reports/published/{published.id}.json?suppress=true").content)
    values = [v for t in small["tables"].values() for r in t["rows"] for v in r["values"]]
    assert not any(is_small(v) for v in values)
    verbs = [
        e.verb for e in db.scalars(select(AuditEvent).where(AuditEvent.object_type == "published_report"))
    ]
    assert verbs == ["published", "viewed", "exported", "exported"]


def test_a_bad_year_is_refused_with_the_form_kept(client, db, manager):
    _, csrf = manager
    resp = post_form(client, "/reports/published", {"start_year": "19", "note": "Kept note"}, csrf)
    assert resp.status_code == 422
    assert "There is a problem" in resp.text and "Reporting year" in resp.text and "Kept note" in resp.text
    assert db.scalar(select(PublishedReport)) is None


def test_the_annual_page_offers_to_publish_what_it_shows(client, db, manager):
    add_case(db, date(2019, 6, 3), decision="nfa")
    page = client.get("/reports/annual?start_year=2019&as_at-day=30&as_at-month=6&as_at-year=2020")
    form = re.search(r'<form method="post" action="/reports/published".*?</form>', page.text, re.S)
    assert form and 'value="2019"' in form.group(0) and 'value="2020-06-30"' in form.group(0)
    resp = client.post(
        "/reports/published",
        data={"start_year": "2019", "as_at": "2020-06-30", "csrf_token": csrf_from(page.text)},
    )
    assert resp.status_code == 303


def test_the_api_publishes_lists_and_reconciles(client, db, manager):
    _, csrf = manager
    add_case(db, date(2019, 6, 3), decision="nfa")
    headers = {"X-CSRF-Token": csrf}
    resp = client.post(
        "/api/v1/reports/published", json={"start_year": 2019, "as_at": "2020-06-30"}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    summary = resp.json()
    assert summary["year"] == "2019-20" and len(summary["sha256"]) == 64
    assert [p["id"] for p in client.get("/api/v1/reports/published").json()] == [summary["id"]]
    add_case(db, date(2019, 6, 4), decision="nfa")  # received before the as-at date, recorded since
    body = client.get(f"/api/v1/reports/published/{summary['id']}").json()
    assert body["figures"]["tables"]["referrals"]["rows"][0]["values"][2] == 1
    assert body["now"]["tables"]["referrals"]["rows"][0]["values"][2] == 2
    cells = {(d["table"], d["row"], d["column"]) for d in body["differences"]}
    assert ("referrals", "total", 2) in cells and ("referrals", "nfa", 2) in cells
    bad = client.post("/api/v1/reports/published", json={"start_year": 1800}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "start_year"
    assert client.get("/api/v1/reports/published/999999").status_code == 404


@pytest.mark.parametrize("role", ["lado", "hr_liaison", "admin"])
def test_only_managers(client, factory, db, role):
    organisations = [factory.organisation().name] if role == "hr_liaison" else None
    csrf = sign_in(client, factory.user(role, organisations=organisations).email)
    for url in (
        "/reports/published",
        "/reports/published/1",
        "/reports/published/1.json",
        "/api/v1/reports/published",
    ):
        assert client.get(url).status_code == 403, url
    assert post_form(client, "/reports/published", {"start_year": "2019"}, csrf).status_code == 403
    assert db.scalar(select(PublishedReport)) is None
