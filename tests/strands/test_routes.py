"""Strands, suspension and planned meetings through HTTP: the pages and forms (GOV.UK error
summary, input kept), the JSON API, the chronology, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from app import clock
from app.strands import repository
from tests.helpers import audit_events, post_form, user_of_role

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"
STRAND = {"status": "under_way", "status_on": "2026-05-14", "outcome_code": "", "notes": "DS Police leads"}
SUSPENSION = {
    "considered": "yes",
    "considered_on": "2026-05-13",
    "alternatives": "Supervised duties",
    "decision": "suspended",
    "reasons": "Police investigation under way",
    "decided_by": "Kim Head, headteacher",
    "decided_on": "2026-05-13",
    "started_on": "2026-05-14",
}


def _plan(day_offset: int = 3) -> dict[str, str]:
    return {
        "meeting_type_code": "evaluation",
        "starts_on": (clock.today() + timedelta(days=day_offset)).isoformat(),
        "starts_time": "10:00",
        "duration_minutes": "60",
        "location": "Room 2",
        "invitee_name": "Sam Police",
        "invitee_organisation": "Police",
        "invitee_role": "DS",
        "invitee_email": "sam.police@example.test",
    }


class TestStrandPages:
    def test_an_officer_records_a_strand_and_sees_it_with_its_date_and_in_the_chronology(
        self, db, officer, case, browser
    ):
        client, csrf = browser(officer.user)
        page = client.get(f"/cases/{case.id}/strands")
        assert (
            page.status_code == 200
            and "Police investigation" in page.text
            and "Not recorded yet" in page.text
        )
        assert 'aria-current="page"' in page.text or "Strands and suspension" in page.text
        form = client.get(f"/cases/{case.id}/strands/police")
        assert form.status_code == 200 and "No further action" in form.text
        resp = post_form(client, f"/cases/{case.id}/strands/police", STRAND, csrf)
        assert resp.status_code == 303 and resp.headers["location"].endswith("#strand-police")
        page = client.get(f"/cases/{case.id}/strands")
        assert "Under way (from 14 May 2026)" in page.text and "Ann Officer" in page.text
        history = client.get(f"/cases/{case.id}/history?kind=strands")
        assert "Strand recorded" in history.text and "Police investigation" in history.text
        assert "14 May 2026" in history.text

    def test_bad_input_shows_the_error_summary_keeps_the_input_and_saves_nothing(
        self, db, officer, case, browser
    ):
        client, csrf = browser(officer.user)
        resp = post_form(
            client,
            f"/cases/{case.id}/strands/social_care",
            {**STRAND, "status": "concluded", "notes": "Typed notes"},
            csrf,
        )
        assert resp.status_code == 422
        assert "govuk-error-summary" in resp.text and 'href="#outcome_code"' in resp.text
        assert "Typed notes" in resp.text
        assert repository.strands_of(db, case.id) == {}

    def test_a_stale_form_is_409_with_the_input_kept(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        post_form(client, f"/cases/{case.id}/strands/police", STRAND, csrf)
        stale = repository.strand_of(db, case.id, "police").version
        post_form(
            client, f"/cases/{case.id}/strands/police", {**STRAND, "notes": "Now", "version": stale}, csrf
        )
        resp = post_form(
            client,
            f"/cases/{case.id}/strands/police",
            {**STRAND, "notes": "Typed late", "version": stale},
            csrf,
        )
        assert resp.status_code == 409 and "Typed late" in resp.text
        assert repository.strand_of(db, case.id, "police").notes == "Now"

    def test_the_suspension_form_records_the_decision_and_refuses_a_bare_yes(
        self, db, officer, case, browser
    ):
        client, csrf = browser(officer.user)
        bare = post_form(client, f"/cases/{case.id}/suspension", {"considered": "yes"}, csrf)
        assert bare.status_code == 422 and 'href="#reasons"' in bare.text and 'href="#decision"' in bare.text
        unanswered = post_form(client, f"/cases/{case.id}/suspension", {}, csrf)
        assert unanswered.status_code == 422 and "Select yes if suspension was considered" in unanswered.text
        assert repository.suspension_of(db, case.id) is None
        form = {**SUSPENSION}
        for name in ("considered_on", "decided_on", "started_on"):  # as the GOV.UK date input sends it
            year, month, day = form.pop(name).split("-")
            form |= {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}
        assert post_form(client, f"/cases/{case.id}/suspension", form, csrf).status_code == 303
        page = client.get(f"/cases/{case.id}/strands")
        assert "Supervised duties" in page.text and "14 May 2026" in page.text and "Kim Head" in page.text
        history = client.get(f"/cases/{case.id}/history?kind=strands")
        assert "Suspension recorded" in history.text


class TestAccess:
    def test_a_manager_reads_but_does_not_write(self, db, factory, officer, case, browser):
        client, csrf = browser(factory.user("manager"))
        assert client.get(f"/cases/{case.id}/strands").status_code == 200
        assert client.get(f"/cases/{case.id}/strands/police").status_code == 403
        assert post_form(client, f"/cases/{case.id}/strands/police", STRAND, csrf).status_code == 403
        assert post_form(client, f"/cases/{case.id}/suspension", SUSPENSION, csrf).status_code == 403
        api = client.put(f"{API}/cases/{case.id}/strands/police", json=STRAND, headers={"X-CSRF-Token": csrf})
        assert api.status_code == 403
        assert repository.strands_of(db, case.id) == {}

    def test_hr_liaison_is_refused_everything(self, db, factory, case, browser):
        client, csrf = browser(user_of_role(factory, "hr_liaison"))
        for url in (
            f"/cases/{case.id}/strands",
            f"/cases/{case.id}/suspension",
            f"/cases/{case.id}/meeting-plans/new",
        ):
            assert client.get(url).status_code == 403, url
        assert client.get(f"{API}/cases/{case.id}/strands").status_code == 403
        assert post_form(client, f"/cases/{case.id}/strands/police", STRAND, csrf).status_code == 403
        assert repository.strands_of(db, case.id) == {}

    def test_another_officer_cannot_reach_a_restricted_case(self, db, factory, officer, case, browser):
        other, csrf = browser(factory.user("lado", name="Cal Officer"))
        assert other.get(f"/cases/{case.id}/strands").status_code == 404
        assert other.get(f"/cases/{case.id}/strands/police").status_code == 404
        assert post_form(other, f"/cases/{case.id}/strands/police", STRAND, csrf).status_code == 404
        assert post_form(other, f"/cases/{case.id}/suspension", SUSPENSION, csrf).status_code == 404
        assert post_form(other, f"/cases/{case.id}/meeting-plans", _plan(), csrf).status_code == 404
        headers = {"X-CSRF-Token": csrf}
        assert other.get(f"{API}/cases/{case.id}/strands").status_code == 404
        assert (
            other.put(f"{API}/cases/{case.id}/strands/police", json=STRAND, headers=headers).status_code
            == 404
        )
        assert other.get(f"{API}/cases/{case.id}/meeting-plans").status_code == 404
        assert repository.strands_of(db, case.id) == {}

    def test_another_officer_cannot_download_a_restricted_cases_invitation(
        self, db, factory, officer, case, browser
    ):
        client, csrf = browser(officer.user)
        resp = post_form(client, f"/cases/{case.id}/meeting-plans", _plan(), csrf)
        assert resp.status_code == 303
        url = resp.headers["location"] + "/invitation.ics"
        other, _ = browser(factory.user("lado", name="Cal Officer"))
        assert other.get(url).status_code == 404
        hr, _ = browser(user_of_role(factory, "hr_liaison"))
        assert hr.get(url).status_code == 403


class TestApi:
    def test_put_and_read_strands_with_their_history_and_as_at(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        headers = {"X-CSRF-Token": csrf}
        resp = client.put(f"{API}/cases/{case.id}/strands/police", json=STRAND, headers=headers)
        assert resp.status_code == 200, resp.text
        concluded = {
            "status": "concluded",
            "status_on": "2026-07-01",
            "outcome_code": "convicted",
            "outcome_on": "2026-07-01",
        }
        body = client.put(f"{API}/cases/{case.id}/strands/police", json=concluded, headers=headers).json()
        (police,) = body["strands"]
        assert (police["status"], police["outcome_code"], police["outcome_label"]) == (
            "concluded",
            "convicted",
            "Convicted",
        )
        assert [h["status"] for h in body["history"]] == ["under_way", "concluded"]
        then = client.get(f"{API}/cases/{case.id}/strands", params={"as_at": "2026-06-01"}).json()
        assert then["strands"][0]["status"] == "under_way" and then["strands"][0]["outcome_code"] is None

    def test_bad_input_is_a_problem_naming_the_field(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        headers = {"X-CSRF-Token": csrf}
        resp = client.put(
            f"{API}/cases/{case.id}/strands/employer",
            json={**STRAND, "outcome_code": "convicted", "outcome_on": "2026-06-01"},
            headers=headers,
        )
        assert resp.status_code == 422 and resp.headers["content-type"].startswith("application/problem+json")
        assert "outcome_code" in resp.text
        assert (
            client.put(f"{API}/cases/{case.id}/strands/nobody", json=STRAND, headers=headers).status_code
            == 422
        )
        resp = client.put(f"{API}/cases/{case.id}/suspension", json={"considered": True}, headers=headers)
        assert resp.status_code == 422 and "reasons" in resp.text

    def test_suspension_and_planned_meetings_through_the_api(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        headers = {"X-CSRF-Token": csrf}
        data = {**SUSPENSION, "considered": True}
        body = client.put(f"{API}/cases/{case.id}/suspension", json=data, headers=headers).json()
        assert (
            body["suspension"]["decision"] == "suspended" and body["suspension"]["started_on"] == "2026-05-14"
        )
        plan = {
            "meeting_type_code": "evaluation",
            "starts_on": (clock.today() + timedelta(days=2)).isoformat(),
            "starts_time": "09:30",
            "invitees": [{"name": "Sam Police", "email": "sam.police@example.test"}],
        }
        created = client.post(f"{API}/cases/{case.id}/meeting-plans", json=plan, headers=headers)
        assert created.status_code == 201, created.text
        plan_id = created.json()["id"]
        listed = client.get(f"{API}/cases/{case.id}/meeting-plans").json()
        assert [p["id"] for p in listed] == [plan_id] and listed[0]["duration_minutes"] == 60
        cancel = client.post(
            f"{API}/cases/{case.id}/meeting-plans/{plan_id}/cancel", json={"reason": "Moved"}, headers=headers
        )
        assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
        again = client.post(
            f"{API}/cases/{case.id}/meeting-plans/{plan_id}/cancel", json={"reason": "x"}, headers=headers
        )
        assert again.status_code == 409


class TestPlannedMeetingPages:
    def test_plan_download_the_invitation_and_record_it_as_held(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        bad = post_form(
            client, f"/cases/{case.id}/meeting-plans", {**_plan(-2), "starts_time": "25:00"}, csrf
        )
        assert (
            bad.status_code == 422 and 'href="#starts_on"' in bad.text and 'href="#starts_time"' in bad.text
        )
        assert "Sam Police" in bad.text  # the invitee typed is kept
        resp = post_form(client, f"/cases/{case.id}/meeting-plans", _plan(), csrf)
        assert resp.status_code == 303
        show = client.get(resp.headers["location"])
        assert (
            show.status_code == 200 and "Download the invitation" in show.text and "Sam Police" in show.text
        )
        ics = client.get(resp.headers["location"] + "/invitation.ics")
        assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
        assert "attachment" in ics.headers["content-disposition"]
        (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
        assert event.decoded("dtstart").astimezone(clock.LONDON).strftime("%H:%M") == "10:00"
        assert str(event["attendee"]) == "mailto:sam.police@example.test"
        assert audit_events(db, "meeting_plan", "exported")[-1].actor_id == officer.user.id
        plan_id = int(resp.headers["location"].rsplit("/", 1)[-1])
        prefilled = client.get(f"/cases/{case.id}/meetings/new?plan={plan_id}")
        assert (
            prefilled.status_code == 200
            and 'name="plan_id"' in prefilled.text
            and "Sam Police" in prefilled.text
        )
        tab = client.get(f"/cases/{case.id}/meetings")
        assert "Planned meetings" in tab.text and "Planned" in tab.text

    def test_cancel_needs_a_reason(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        location = post_form(client, f"/cases/{case.id}/meeting-plans", _plan(), csrf).headers["location"]
        resp = post_form(client, location + "/cancel", {"reason": ""}, csrf)
        assert resp.status_code == 422 and 'href="#reason"' in resp.text
        assert (
            post_form(client, location + "/cancel", {"reason": "Police unavailable"}, csrf).status_code == 303
        )
        assert "Police unavailable" in client.get(location).text
        history = client.get(f"/cases/{case.id}/history?kind=meetings")
        assert "Meeting planned" in history.text and "Planned meeting" in history.text
