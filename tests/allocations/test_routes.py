"""Allocation and cover through HTTP, as a browser (forms) and as an API client (JSON)."""

from __future__ import annotations

import pytest

from app.allocations.models import Cover
from tests.helpers import audit_events, post_form

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


class TestAllocationPage:
    def test_the_allocated_officer_reallocates_from_the_page(self, db, team, open_case, browser):
        ann, bea = team["Ann"], team["Bea"]
        case = open_case(ann)
        client, csrf = browser(ann.user)
        page = client.get(f"/cases/{case.id}/allocation")
        assert page.status_code == 200 and "Reallocate the case" in page.text and "Ann Officer" in page.text
        viewed = audit_events(db, "case", "viewed")[-1]  # the tab shows the case: its reading is audited
        assert (viewed.case_id, viewed.actor_id) == (case.id, ann.user.id)
        resp = post_form(
            client,
            f"/cases/{case.id}/allocation",
            {"officer_id": str(bea.user.id), "reason": "Rebalancing", "version": str(case.version)},
            csrf,
        )
        assert resp.status_code == 303
        assert client.get(f"/cases/{case.id}/allocation").status_code == 404  # restricted: no longer hers
        bea_client, _ = browser(bea.user)
        page = bea_client.get(f"/cases/{case.id}/allocation")
        assert page.status_code == 200 and "Rebalancing" in page.text
        history = bea_client.get(f"/cases/{case.id}/history?kind=allocation")
        assert "Case reallocated: allocated officer from Ann Officer to Bea Officer" in history.text

    def test_bad_input_shows_the_error_summary_and_a_stale_form_409_keeps_the_input(
        self, db, team, open_case, browser
    ):
        ann, bea, manager = team["Ann"], team["Bea"], team["manager"]
        case = open_case(ann)
        client, csrf = browser(manager.user)
        resp = post_form(client, f"/cases/{case.id}/allocation", {"officer_id": "", "reason": ""}, csrf)
        assert resp.status_code == 422
        assert "govuk-error-summary" in resp.text and 'href="#officer_id"' in resp.text
        stale = case.version
        post_form(client, f"/cases/{case.id}/co-workers", {"co_worker_id": str(bea.user.id)}, csrf)
        resp = post_form(
            client,
            f"/cases/{case.id}/allocation",
            {"officer_id": str(bea.user.id), "reason": "Typed before the change", "version": str(stale)},
            csrf,
        )
        assert resp.status_code == 409 and "Typed before the change" in resp.text
        assert case.allocated_officer_id == ann.user.id

    def test_another_officer_may_read_an_unrestricted_case_but_not_change_who_works_it(
        self, db, team, open_case, browser
    ):
        ann, cal = team["Ann"], team["Cal"]
        case = open_case(ann, restricted=False)
        client, csrf = browser(cal.user)
        page = client.get(f"/cases/{case.id}/allocation")
        assert page.status_code == 200 and "Reallocate the case" not in page.text
        form = {"officer_id": str(cal.user.id), "reason": "Taking it", "version": str(case.version)}
        assert post_form(client, f"/cases/{case.id}/allocation", form, csrf).status_code == 403
        added = post_form(client, f"/cases/{case.id}/co-workers", {"co_worker_id": str(cal.user.id)}, csrf)
        assert added.status_code == 403
        api = client.post(f"{API}/cases/{case.id}/allocation", json=form, headers={"X-CSRF-Token": csrf})
        assert api.status_code == 403 and api.headers["content-type"].startswith("application/problem+json")
        assert case.allocated_officer_id == ann.user.id

    def test_a_co_worker_sees_the_restricted_case_until_removed(self, db, team, open_case, browser):
        ann, bea, cal = team["Ann"], team["Bea"], team["Cal"]
        case = open_case(ann)
        bea_client, _ = browser(bea.user)
        cal_client, _ = browser(cal.user)
        assert bea_client.get(f"/cases/{case.id}").status_code == 404
        client, csrf = browser(ann.user)
        resp = post_form(client, f"/cases/{case.id}/co-workers", {"co_worker_id": str(bea.user.id)}, csrf)
        assert resp.status_code == 303
        assert bea_client.get(f"/cases/{case.id}").status_code == 200
        assert cal_client.get(f"/cases/{case.id}").status_code == 404
        resp = post_form(client, f"/cases/{case.id}/co-workers/{bea.user.id}/remove", {}, csrf)
        assert resp.status_code == 303
        assert bea_client.get(f"/cases/{case.id}").status_code == 404

    @pytest.mark.parametrize("role", ["hr_liaison", "admin"])
    def test_other_roles_get_nothing(self, db, team, open_case, browser, factory, role):
        case = open_case(team["Ann"], restricted=False)
        user = factory.user(role, organisations=[case.organisation.name] if role == "hr_liaison" else None)
        client, csrf = browser(user)
        for url in (
            f"/cases/{case.id}/allocation",
            "/cover",
            "/cover/new",
            f"{API}/cases/{case.id}/allocation",
        ):
            assert client.get(url).status_code == 403, url
        assert client.get(f"{API}/covers").status_code == 403
        form = {"officer_id": str(user.id), "reason": "x", "version": str(case.version)}
        assert post_form(client, f"/cases/{case.id}/allocation", form, csrf).status_code == 403


class TestCoverPages:
    def test_a_manager_starts_and_ends_cover(self, db, team, open_case, browser):
        ann, bea, cal, manager = team["Ann"], team["Bea"], team["Cal"], team["manager"]
        first, second = open_case(ann), open_case(ann)
        client, csrf = browser(manager.user)
        page = client.get(f"/cover/new?officer={ann.user.id}")
        assert page.status_code == 200 and first.reference in page.text and second.reference in page.text
        form = {
            "absent_officer_id": str(ann.user.id),
            "case_ids": f"{first.id},{second.id}",
            "covering_officer_id": str(bea.user.id),
            f"case-{second.id}": str(cal.user.id),
            f"case-{first.id}": "",
            "reason": "",
        }
        resp = post_form(client, "/cover/new", form, csrf)
        assert resp.status_code == 422 and 'href="#reason"' in resp.text and first.reference in resp.text
        resp = post_form(client, "/cover/new", {**form, "reason": "Annual leave"}, csrf)
        assert resp.status_code == 303
        cover = db.query(Cover).one()
        assert (first.allocated_officer_id, second.allocated_officer_id) == (bea.user.id, cal.user.id)
        cal_client, _ = browser(cal.user)
        assert cal_client.get(f"/cases/{second.id}").status_code == 200  # the covering officer
        assert cal_client.get(f"/cases/{first.id}").status_code == 404  # covered by someone else
        again = post_form(client, "/cover/new", {**form, "reason": "Again"}, csrf)
        assert again.status_code == 409 and "already covered" in again.text
        assert client.get("/cover").status_code == 200
        assert "Ann Officer" in client.get(f"/cover/{cover.id}").text
        resp = post_form(client, f"/cover/{cover.id}/end", {"reason": "Back"}, csrf)
        assert resp.status_code == 303
        assert (first.allocated_officer_id, second.allocated_officer_id) == (ann.user.id, ann.user.id)
        assert cal_client.get(f"/cases/{second.id}").status_code == 404
        assert post_form(client, f"/cover/{cover.id}/end", {}, csrf).status_code == 409

    def test_an_officer_cannot_arrange_cover(self, db, team, open_case, browser):
        ann, bea = team["Ann"], team["Bea"]
        open_case(ann)
        client, csrf = browser(bea.user)
        assert client.get("/cover").status_code == 403
        form = {"absent_officer_id": str(ann.user.id), "covering_officer_id": str(bea.user.id), "reason": "x"}
        assert post_form(client, "/cover/new", form, csrf).status_code == 403


class TestApi:
    def test_allocation_and_cover_through_the_api(self, db, team, open_case, browser):
        ann, bea, manager = team["Ann"], team["Bea"], team["manager"]
        case = open_case(ann)
        client, csrf = browser(manager.user)
        headers = {"X-CSRF-Token": csrf}
        got = client.get(f"{API}/cases/{case.id}/allocation").json()
        assert got["allocated_officer"] == {"id": ann.user.id, "name": "Ann Officer"}
        assert got["history"][0]["kind"] == "allocated"
        resp = client.post(
            f"{API}/cases/{case.id}/co-workers", json={"officer_id": bea.user.id}, headers=headers
        )
        assert resp.status_code == 201 and resp.json()["co_workers"] == [
            {"id": bea.user.id, "name": "Bea Officer"}
        ]
        resp = client.post(
            f"{API}/cases/{case.id}/allocation", json={"officer_id": bea.user.id}, headers=headers
        )
        assert resp.status_code == 422 and [e["field"] for e in resp.json()["errors"]] == ["reason"]
        resp = client.post(
            f"{API}/cases/{case.id}/allocation",
            json={"officer_id": bea.user.id, "reason": "Rebalancing", "version": 1},
            headers=headers,
        )
        assert resp.status_code == 409
        resp = client.delete(f"{API}/cases/{case.id}/co-workers/{bea.user.id}", headers=headers)
        assert resp.status_code == 200 and resp.json()["co_workers"] == []
        resp = client.post(
            f"{API}/covers",
            json={"absent_officer_id": ann.user.id, "covering_officer_id": bea.user.id, "reason": "Leave"},
            headers=headers,
        )
        assert resp.status_code == 201, resp.text
        cover = resp.json()
        assert cover["cases"] == [
            {
                "case_id": case.id,
                "covering_officer": {"id": bea.user.id, "name": "Bea Officer"},
                "outcome": None,
            }
        ]
        assert client.get(f"{API}/cases/{case.id}").json()["allocated_officer_id"] == bea.user.id
        ended = client.post(f"{API}/covers/{cover['id']}/end", json={}, headers=headers).json()
        assert ended["cases"][0]["outcome"] == "handed_back" and ended["ended_by"]["id"] == manager.user.id
        assert [c["id"] for c in client.get(f"{API}/covers").json()] == [cover["id"]]
