"""Subject access through HTTP: recording (GOV.UK error summary, input kept), the request's page
and its redaction form, the draft and released downloads, the dashboard's panel, the API, and
who may do what (an HR liaison is refused; an officer who sees none of the person's cases finds
no request; the released zip holding a restricted case is not found to another officer)."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.subject_access import service
from app.subject_access.models import Release
from tests.helpers import post_form
from tests.subject_access.conftest import request_data

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


def _form(case, **overrides):
    return {
        "case_reference": case.reference,
        "requester_name": "Robin Subjectperson",
        "requester_relationship": "The adult themselves",
        "received_on-day": "31",
        "received_on-month": "1",
        "received_on-year": "2026",
        "identity_verified": "yes",
        **overrides,
    }


def test_an_officer_records_a_request_due_a_calendar_month_later(db, officer, subject, browser):
    client, csrf = browser(officer.user)
    assert client.get("/subject-access/new").status_code == 200
    resp = post_form(client, "/subject-access/new", _form(subject.open_case), csrf)
    assert resp.status_code == 303
    page = client.get(resp.headers["location"]).text
    assert "due 28 February 2026" in page and "Robin Subjectperson" in page
    assert subject.open_case.reference in page and "grabbed child AB" in page


def test_a_bad_request_is_refused_in_govuk_words_with_the_input_kept(db, officer, subject, browser):
    client, csrf = browser(officer.user)
    resp = post_form(
        client, "/subject-access/new", _form(subject.restricted_case, requester_name="Kim Kept"), csrf
    )
    assert (
        resp.status_code == 422 and 'href="#case_reference"' in resp.text and 'value="Kim Kept"' in resp.text
    )
    resp = post_form(client, "/subject-access/new", _form(subject.open_case, requester_name=""), csrf)
    assert resp.status_code == 422 and "Enter the name of the requester" in resp.text


def test_the_dashboard_lists_open_requests_with_their_due_dates(db, officer, manager, subject, browser):
    req = service.record_request(db, officer, request_data(subject.open_case, received_on="2026-03-15"))
    for user in (officer.user, manager.user):
        client, _ = browser(user)
        page = client.get("/dashboard").text
        assert "Open subject access requests" in page and "15 April 2026" in page
        assert f"/subject-access/{req.id}" in page and "Overdue" in page
    service.release(db, officer, req)
    client, _ = browser(officer.user)
    assert f"/subject-access/{req.id}" not in client.get("/dashboard").text


def test_redact_download_and_release_through_the_page(db, officer, manager, subject, sar, browser):
    client, csrf = browser(officer.user)
    key = f"case:{subject.open_case.id}:referrer"
    bad = post_form(
        client, f"/subject-access/{sar.id}/redactions", {"item_key": key, "passage": "", "reason": ""}, csrf
    )
    assert bad.status_code == 422 and "Enter the passage to redact" in bad.text
    ok = post_form(
        client,
        f"/subject-access/{sar.id}/redactions",
        {"item_key": "*", "passage": "Dana Referrer", "reason": "referrer"},
        csrf,
    )
    assert ok.status_code == 303
    page = client.get(f"/subject-access/{sar.id}").text
    assert "[Redacted: The referrer&#39;s details]" in page and "Redacted in every item" in page
    draft = client.get(f"/subject-access/{sar.id}/bundle")
    assert draft.status_code == 200 and draft.headers["content-type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(draft.content)).namelist()[0] == "bundle.pdf"
    released = post_form(client, f"/subject-access/{sar.id}/release", {}, csrf)
    assert released.status_code == 303
    kept = db.get(Release, sar.release.id)
    got = client.get(f"/subject-access/{sar.id}/released")
    assert got.status_code == 200 and got.content == kept.content
    again = post_form(client, f"/subject-access/{sar.id}/release", {}, csrf)
    assert again.status_code == 409
    page = client.get(f"/subject-access/{sar.id}").text
    assert kept.sha256 in page and "Add the redaction" not in page
    reader, _ = browser(manager.user)
    assert reader.get(f"/subject-access/{sar.id}/released").content == kept.content
    assert reader.get(f"/subject-access/{sar.id}/bundle").status_code == 403


def test_who_may_see_what(db, factory, officer, owner, manager, subject, sar, browser):
    hr, _ = browser(factory.user("hr_liaison", organisations=[factory.organisation().name]))
    for url in (
        "/subject-access",
        f"/subject-access/{sar.id}",
        f"/subject-access/{sar.id}/bundle",
        f"{API}/subject-access",
    ):
        assert hr.get(url).status_code == 403, url
    # The owner's request about the restricted case alone is not found to another officer.
    only_restricted = service.record_request(db, owner, request_data(subject.restricted_case))
    subject.open_case.person_id = None
    db.commit()  # a refused request rolls back its transaction: what the test set up must stay
    other, _ = browser(officer.user)
    assert other.get(f"/subject-access/{only_restricted.id}").status_code == 404
    assert other.get(f"{API}/subject-access/{only_restricted.id}").status_code == 404
    assert f"/subject-access/{only_restricted.id}" not in other.get("/subject-access").text
    # A bundle released by a manager holds the restricted case: not found to the officer.
    subject.open_case.person_id = subject.restricted_case.person_id
    service.release(db, manager, sar)
    db.commit()
    assert other.get(f"/subject-access/{sar.id}/released").status_code == 404
    named, _ = browser(owner.user)
    got = named.get(f"/subject-access/{sar.id}/released")
    assert got.status_code == 200, got.text[-3000:]


def test_the_api_records_and_reads_requests(db, officer, subject, browser):
    client, csrf = browser(officer.user)
    body = {**request_data(subject.open_case).model_dump(mode="json"), "received_on": "2026-01-31"}
    made = client.post(f"{API}/subject-access", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text
    assert made.json()["due_on"] == "2026-02-28" and made.json()["status"] == "open"
    one = client.get(made.headers["location"])
    assert one.status_code == 200 and one.json()["person_name"] == "Robin Subjectperson"
    bad = client.post(
        f"{API}/subject-access", json={**body, "case_reference": ""}, headers={"X-CSRF-Token": csrf}
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_the_persons_page_offers_a_request_with_their_case_filled_in(db, officer, subject, browser):
    client, _ = browser(officer.user)
    page = client.get(f"/people/{subject.open_case.person_id}").text
    link = f"/subject-access/new?case={subject.open_case.reference}"
    assert link in page
    assert f'value="{subject.open_case.reference}"' in client.get(link).text
