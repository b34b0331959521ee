"""Areas and transfers through HTTP: the case page's forms, the new-referral form and the JSON
API; who may read and who may record."""

from __future__ import annotations

import pytest

from app.areas import repository
from tests.helpers import audit_events, post_form, user_of_role

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


def date_parts(name: str, iso: str) -> dict[str, str]:
    y, m, d = iso.split("-")
    return {f"{name}-day": d, f"{name}-month": m, f"{name}-year": y}


class TestAreasPage:
    def test_an_officer_records_the_areas_and_sees_them_in_the_chronology(self, db, team, open_case, browser):
        ann = team["Ann"]
        case = open_case(ann)
        client, csrf = browser(ann.user)
        page = client.get(f"/cases/{case.id}/areas")
        assert page.status_code == 200 and "Change the areas and dates" in page.text
        assert audit_events(db, "case", "viewed")[-1].case_id == case.id
        form = {
            "referrer_agency_code": "police",
            "work_area": "Northshire",
            "home_area": "Southshire",
            "incident_area": "Westshire",
            "led_here": "yes",
            "non_recent": "yes",
            "incident_period": "summer 1998",
            "version": str(case.version),
            **date_parts("incident_from", "1998-06-01"),
        }
        assert post_form(client, f"/cases/{case.id}/areas", form, csrf).status_code == 303
        page = client.get(f"/cases/{case.id}/areas")
        assert (
            "Northshire" in page.text and "1 June 1998 (summer 1998)" in page.text and "Police" in page.text
        )
        history = client.get(f"/cases/{case.id}/history?kind=areas")
        assert "Areas and dates changed" in history.text and "Referrer&#39;s agency" in history.text

    def test_bad_input_is_a_gov_uk_error_and_nothing_is_saved(self, db, team, open_case, browser):
        ann = team["Ann"]
        case = open_case(ann)
        client, csrf = browser(ann.user)
        form = {
            "led_here": "no",
            "lead_lado": "",
            "version": str(case.version),
            **date_parts("incident_from", "2099-01-01"),
        }
        resp = post_form(client, f"/cases/{case.id}/areas", form, csrf)
        assert resp.status_code == 422 and "govuk-error-summary" in resp.text
        assert 'href="#lead_lado"' in resp.text and 'href="#incident_from"' in resp.text
        assert repository.areas_of(db, case) is None

    def test_transfer_out_closes_the_case_and_its_page_says_so(self, db, team, open_case, browser):
        ann = team["Ann"]
        case = open_case(ann)
        client, csrf = browser(ann.user)
        empty = post_form(client, f"/cases/{case.id}/transfer-out", {"version": str(case.version)}, csrf)
        assert empty.status_code == 422 and 'href="#out_other_lado"' in empty.text
        assert 'href="#out_transferred_on"' in empty.text and case.status == "open"
        form = {
            "out_other_lado": "Northshire LADO",
            "out_reason": "The adult works there",
            "out_other_reference": "NS-1",
            "version": str(case.version),
            **date_parts("out_transferred_on", "2026-05-20"),
        }
        assert post_form(client, f"/cases/{case.id}/transfer-out", form, csrf).status_code == 303
        db.refresh(case)
        assert case.status == "transferred"
        page = client.get(f"/cases/{case.id}/areas")
        assert "Transferred to another LADO" in page.text and "Transfer and close the case" not in page.text
        assert "Another LADO: Northshire LADO" in page.text
        again = post_form(
            client, f"/cases/{case.id}/transfer-out", {**form, "version": str(case.version)}, csrf
        )
        assert again.status_code == 409
        history = client.get(f"/cases/{case.id}/history?kind=areas")
        assert "Transfer recorded" in history.text and "Northshire LADO" in history.text

    def test_transfer_in_and_notification(self, db, team, open_case, browser):
        ann = team["Ann"]
        case = open_case(ann)
        client, csrf = browser(ann.user)
        form = {
            "in_other_lado": "Westshire LADO",
            "in_other_reference": "WS-7",
            **date_parts("in_transferred_on", "2026-05-11"),
        }
        assert post_form(client, f"/cases/{case.id}/transfer-in", form, csrf).status_code == 303
        notice = {
            "notice_lado": "Southshire LADO",
            "notice_reason": "The adult lives there",
            **date_parts("notice_notified_on", "2026-05-12"),
        }
        assert post_form(client, f"/cases/{case.id}/lado-notifications", notice, csrf).status_code == 303
        page = client.get(f"/cases/{case.id}/areas").text
        assert "WS-7" in page and "Southshire LADO" in page and "The adult lives there" in page


class TestNewReferralForm:
    def test_records_the_areas_with_the_case(self, db, factory, team, browser):
        ann = team["Ann"]
        client, csrf = browser(ann.user)
        data = factory.case_data()
        data.pop("children")
        data |= {
            "referrer_agency_code": "ofsted",
            "work_area": "Northshire",
            "non_recent": "no",
            "received_from_lado": "Eastshire LADO",
            "received_from_reference": "ES-3",
        }
        resp = post_form(client, "/cases", data, csrf)
        assert resp.status_code == 303, resp.text[-1500:]
        case_id = int(resp.headers["location"].rstrip("/").split("/")[-1])
        got = client.get(f"{API}/cases/{case_id}/areas").json()
        assert (got["referrer_agency_code"], got["work_area"], got["non_recent"]) == (
            "ofsted",
            "Northshire",
            False,
        )
        assert [(t["direction"], t["other_reference"]) for t in got["transfers"]] == [("in", "ES-3")]

    def test_problems_of_the_case_and_of_its_areas_are_told_together(self, db, factory, team, browser):
        client, csrf = browser(team["Ann"].user)
        data = factory.case_data(summary="")
        data.pop("children")
        data |= {"led_here": "no", "referrer_agency_code": "ofsted"}
        resp = post_form(client, "/cases", data, csrf)
        assert resp.status_code == 422 and 'href="#summary"' in resp.text and 'href="#lead_lado"' in resp.text


class TestAccess:
    def test_hr_liaison_and_administrator_are_refused(self, db, factory, team, open_case, browser):
        case = open_case(team["Ann"])
        for role in ("hr_liaison", "admin"):
            client, csrf = browser(user_of_role(factory, role))
            assert client.get(f"/cases/{case.id}/areas").status_code == 403
            assert post_form(client, f"/cases/{case.id}/areas", {"work_area": "X"}, csrf).status_code == 403
            assert client.get(f"{API}/cases/{case.id}/areas").status_code == 403
            api = client.post(
                f"{API}/cases/{case.id}/transfer-out",
                json={"other_lado": "X", "transferred_on": "2026-05-20", "reason": "R"},
                headers={"X-CSRF-Token": csrf},
            )
            assert api.status_code == 403
        assert case.status == "open" and repository.areas_of(db, case) is None

    def test_a_restricted_case_is_hidden_from_an_officer_not_named_on_it(self, db, team, open_case, browser):
        case = open_case(team["Ann"], restricted=True)
        client, csrf = browser(team["Bea"].user)
        assert client.get(f"/cases/{case.id}/areas").status_code == 404
        assert post_form(client, f"/cases/{case.id}/areas", {"work_area": "X"}, csrf).status_code == 404
        form = {"out_other_lado": "X", "out_reason": "R", **date_parts("out_transferred_on", "2026-05-20")}
        assert post_form(client, f"/cases/{case.id}/transfer-out", form, csrf).status_code == 404
        api = client.get(f"{API}/cases/{case.id}/areas")
        assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
        put = client.put(
            f"{API}/cases/{case.id}/areas", json={"work_area": "X"}, headers={"X-CSRF-Token": csrf}
        )
        assert put.status_code == 404
        assert case.status == "open" and repository.areas_of(db, case) is None

    def test_a_manager_reads_but_does_not_record(self, db, team, open_case, browser):
        case = open_case(team["Ann"], restricted=True)
        client, csrf = browser(team["manager"].user)
        page = client.get(f"/cases/{case.id}/areas")
        assert page.status_code == 200 and "Change the areas and dates" not in page.text
        assert post_form(client, f"/cases/{case.id}/areas", {"work_area": "X"}, csrf).status_code == 403
        assert client.get(f"{API}/cases/{case.id}/areas").status_code == 200


class TestApi:
    def test_put_transfer_and_notify(self, db, team, open_case, browser):
        ann = team["Ann"]
        case = open_case(ann)
        client, csrf = browser(ann.user)
        h = {"X-CSRF-Token": csrf}
        put = client.put(
            f"{API}/cases/{case.id}/areas",
            json={
                "referrer_agency_code": "self",
                "incident_from": "2001-01-01",
                "non_recent": True,
                "version": case.version,
            },
            headers=h,
        )
        assert put.status_code == 200, put.text
        assert (put.json()["referrer_agency_code"], put.json()["non_recent"]) == ("self", True)
        bad = client.put(f"{API}/cases/{case.id}/areas", json={"referrer_agency_code": "nope"}, headers=h)
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
        note = client.post(
            f"{API}/cases/{case.id}/lado-notifications",
            json={"lado": "Southshire LADO", "notified_on": "2026-05-12"},
            headers=h,
        )
        assert note.status_code == 201 and note.json()["notifications"][0]["lado"] == "Southshire LADO"
        out = client.post(
            f"{API}/cases/{case.id}/transfer-out",
            json={"other_lado": "Northshire LADO", "transferred_on": "2026-05-20", "reason": "Works there"},
            headers=h,
        )
        assert out.status_code == 201 and out.json()["status"] == "transferred"
        assert out.json()["led_here"] is False and out.json()["lead_lado"] == "Northshire LADO"
        again = client.post(
            f"{API}/cases/{case.id}/transfer-out",
            json={"other_lado": "Northshire LADO", "transferred_on": "2026-05-20", "reason": "Works there"},
            headers=h,
        )
        assert again.status_code == 409
        assert client.get(f"{API}/cases/{case.id}").json()["status"] == "transferred"
