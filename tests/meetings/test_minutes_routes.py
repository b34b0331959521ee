"""Minutes over HTTP: write a draft in sections, a stale save answered 409 with the text kept,
finalise, a new version, the distribution list, recording a send with a section withheld and
what that recipient got; the JSON API; the chronology; a restricted case as another officer and
the HR liaison, who never see minutes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from app.context import Actor
from app.meetings import minutes, repository, service
from app.meetings.schemas import MinutesFinalise
from tests.helpers import post_form, sign_in, user_of_role
from tests.meetings.test_minutes import draft_form
from tests.meetings.test_service import meeting_form
from tests.people.support import open_case, threshold_met

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


@pytest.fixture
def officer(factory) -> Actor:
    return Actor(user=factory.user("lado", name="Ann Officer"), ip="127.0.0.1")


@pytest.fixture
def case(db, factory, officer):
    c = open_case(db, factory, officer, received_on="2026-05-11", restricted=True)
    threshold_met(db, officer, c, date(2026, 5, 12))
    db.flush()
    return c


@pytest.fixture
def meeting(db, officer, case):
    return service.record_meeting(db, officer, case, meeting_form())


@pytest.fixture
def browser(app) -> Iterator:
    opened: list[TestClient] = []

    def sign_in_as(user):
        client = TestClient(app, base_url="http://testserver", follow_redirects=False)
        client.__enter__()
        opened.append(client)
        return client, sign_in(client, user.email)

    yield sign_in_as
    for client in opened:
        client.__exit__(None, None, None)


def sections_post(row_version, rows):
    data = {"row_version": str(row_version), "section_heading": [], "section_body": []}
    for i, (heading, body, restriction) in enumerate(rows):
        data["section_heading"].append(heading)
        data["section_body"].append(body)
        data[f"section_restriction_{i}"] = restriction
    return data


ROWS = [
    ("Discussion", "The head described the incident.", "none"),
    ("Police update", "An arrest is planned for Friday.", "police_sensitive"),
]


def base(case, meeting) -> str:
    return f"/cases/{case.id}/meetings/{meeting.id}/minutes"


class TestMinutesPages:
    def test_write_finalise_distribute_and_see_what_a_recipient_got(
        self, db, officer, case, meeting, browser
    ):
        client, csrf = browser(officer.user)
        page = client.get(base(case, meeting))
        assert page.status_code == 200 and "No minutes written yet" in page.text
        resp = post_form(client, base(case, meeting), {}, csrf)
        assert resp.status_code == 303
        (draft,) = repository.minutes_versions(db, case.id, meeting.id)
        assert resp.headers["location"].endswith(f"/minutes/{draft.id}/edit")
        form = client.get(resp.headers["location"])
        assert form.status_code == 200 and "Police update" in form.text
        resp = post_form(
            client, f"{base(case, meeting)}/{draft.id}/edit", sections_post(draft.row_version, ROWS), csrf
        )
        assert resp.status_code == 303, resp.text
        db.refresh(draft)
        resp = post_form(
            client, f"{base(case, meeting)}/{draft.id}/finalise", {"row_version": draft.row_version}, csrf
        )
        assert resp.status_code == 303
        db.refresh(draft)
        assert draft.is_final
        assert client.get(f"{base(case, meeting)}/{draft.id}/edit").status_code == 409

        resp = post_form(client, f"{base(case, meeting)}/recipients/suggested", {}, csrf)
        assert resp.status_code == 303
        resp = post_form(
            client,
            f"{base(case, meeting)}/recipients",
            {
                "name": "Kim Head",
                "agency": "Northfield School",
                "role": "Headteacher",
                "email": "head@example.org",
            },
            csrf,
        )
        assert resp.status_code == 303
        head = repository.recipients_of(db, case.id, meeting.id)[-1]
        police = draft.sections[1]
        form = client.get(f"{base(case, meeting)}/{draft.id}/sends/new")
        assert form.status_code == 200 and "Police update (Police-sensitive)" in form.text
        resp = post_form(
            client,
            f"{base(case, meeting)}/{draft.id}/sends",
            {
                "recipient_id": str(head.id),
                "method": "secure_email",
                "sent_on-day": "20",
                "sent_on-month": "5",
                "sent_on-year": "2026",
                "withheld_section_ids": [str(police.id)],
                "withheld_reason": "Police-sensitive: not for the employer",
            },
            csrf,
        )
        assert resp.status_code == 303, resp.text
        (send,) = repository.sends_of(db, case.id, meeting.id)
        got = client.get(f"{base(case, meeting)}/sends/{send.id}")
        assert got.status_code == 200
        assert "The head described the incident." in got.text and "An arrest is planned" not in got.text
        assert "Police-sensitive: not for the employer" in got.text
        tab = client.get(f"/cases/{case.id}/meetings").text
        assert "Version 1, final" in tab
        overview = client.get(base(case, meeting)).text
        assert "Kim Head" in overview and "Secure e-mail" in overview and "Start a new version" in overview
        chronology = client.get(f"/cases/{case.id}/history").text
        for title in ("Minutes drafted", "Minutes finalised", "Minutes distributed: Kim Head"):
            assert title in chronology, title
        assert "An arrest is planned" not in chronology

    def test_a_stale_save_is_409_with_the_text_kept(self, db, officer, case, meeting, browser):
        client, csrf = browser(officer.user)
        draft = minutes.start_draft(db, officer, case, meeting)
        opened = draft.row_version
        minutes.update_draft(db, officer, case, draft, draft_form(opened))
        db.commit()  # what the test made stays when the refused request rolls back
        rows = [("Discussion", "My own words, typed while someone else saved", "none")]
        resp = post_form(client, f"{base(case, meeting)}/{draft.id}/edit", sections_post(opened, rows), csrf)
        assert resp.status_code == 409
        assert "My own words, typed while someone else saved" in resp.text
        assert "Someone else saved these minutes" in resp.text
        assert f'name="row_version" value="{draft.row_version}"' in resp.text

    def test_an_empty_draft_is_refused_in_govuk_words(self, db, officer, case, meeting, browser):
        client, csrf = browser(officer.user)
        draft = minutes.start_draft(db, officer, case, meeting)
        resp = post_form(
            client, f"{base(case, meeting)}/{draft.id}/edit", sections_post(draft.row_version, []), csrf
        )
        assert resp.status_code == 422 and 'href="#sections"' in resp.text and 'id="sections"' in resp.text

    def test_a_draft_cannot_be_sent(self, db, officer, case, meeting, browser):
        client, csrf = browser(officer.user)
        draft = minutes.start_draft(db, officer, case, meeting)
        minutes.add_suggested(db, officer, case, meeting)
        db.commit()
        assert client.get(f"{base(case, meeting)}/{draft.id}/sends/new").status_code == 409
        recipient = repository.recipients_of(db, case.id, meeting.id)[0]
        resp = post_form(
            client,
            f"{base(case, meeting)}/{draft.id}/sends",
            {"recipient_id": str(recipient.id), "method": "post", "sent_on": "2026-05-20"},
            csrf,
        )
        assert resp.status_code == 409 and "finalise this draft first" in resp.text
        assert repository.sends_of(db, case.id) == []

    def test_manager_reads_but_cannot_write(self, db, factory, officer, case, meeting, browser):
        final = minutes.start_draft(db, officer, case, meeting)
        minutes.finalise(db, officer, case, final, MinutesFinalise())
        db.flush()
        client, csrf = browser(user_of_role(factory, "manager"))
        page = client.get(base(case, meeting))
        assert (
            page.status_code == 200 and "Discussion" in page.text and "Start a new version" not in page.text
        )
        assert post_form(client, base(case, meeting), {}, csrf).status_code == 403


class TestMinutesApi:
    def test_the_api_writes_finalises_and_records_a_send(self, db, officer, case, meeting, browser):
        client, csrf = browser(officer.user)
        headers = {"X-CSRF-Token": csrf}
        url = f"{API}{base(case, meeting)}"
        made = client.post(url, headers=headers)
        assert made.status_code == 201, made.text
        draft = made.json()
        body = {
            "row_version": draft["row_version"],
            "sections": [
                {"heading": "Discussion", "body": "Heard.", "restriction": "none"},
                {"heading": "Police update", "body": "Arrest planned.", "restriction": "police_sensitive"},
            ],
        }
        saved = client.put(f"{url}/{draft['id']}", json=body, headers=headers)
        assert saved.status_code == 200, saved.text
        stale = client.put(f"{url}/{draft['id']}", json=body, headers=headers)
        assert stale.status_code == 409 and stale.headers["content-type"].startswith(
            "application/problem+json"
        )
        recipient = client.post(
            f"{url}/recipients", json={"name": "Kim Head", "agency": "School"}, headers=headers
        )
        assert recipient.status_code == 201
        send = {"recipient_id": recipient.json()["id"], "method": "post", "sent_on": "2026-05-20"}
        assert client.post(f"{url}/{draft['id']}/sends", json=send, headers=headers).status_code == 409
        final = client.post(
            f"{url}/{draft['id']}/finalise",
            json={"row_version": saved.json()["row_version"]},
            headers=headers,
        )
        assert final.status_code == 200 and final.json()["status"] == "final"
        police = final.json()["sections"][1]["id"]
        sent = client.post(
            f"{url}/{draft['id']}/sends",
            json=send | {"withheld_section_ids": [police], "withheld_reason": "Police-sensitive"},
            headers=headers,
        )
        assert sent.status_code == 201, sent.text
        assert [s["heading"] for s in sent.json()["received"]] == ["Discussion"]
        assert client.get(sent.headers["location"]).json()["withheld_section_ids"] == [police]
        read = client.get(url).json()
        assert [v["status"] for v in read["versions"]] == ["final"] and len(read["sends"]) == 1
        again = client.put(f"{url}/{draft['id']}", json=body, headers=headers)
        assert again.status_code == 409  # finalised minutes never change


class TestAccess:
    def test_another_officer_gets_404_on_a_restricted_case(
        self, db, factory, officer, case, meeting, browser
    ):
        draft = minutes.start_draft(db, officer, case, meeting)
        final = minutes.finalise(db, officer, case, draft, MinutesFinalise())
        recipient = minutes.add_suggested(db, officer, case, meeting)[0]
        db.commit()
        other, csrf = browser(factory.user("lado", name="Cal Officer"))
        for path in (
            base(case, meeting),
            f"{base(case, meeting)}/{final.id}",
            f"{base(case, meeting)}/{final.id}/sends/new",
            f"{API}{base(case, meeting)}",
        ):
            resp = other.get(path)
            assert resp.status_code == 404, path
            assert "Discussed." not in resp.text
        for path in (base(case, meeting), f"{base(case, meeting)}/recipients/suggested"):
            assert post_form(other, path, {}, csrf).status_code == 404, path
        resp = post_form(
            other,
            f"{base(case, meeting)}/{final.id}/sends",
            {"recipient_id": str(recipient.id), "method": "post", "sent_on": "2026-05-20"},
            csrf,
        )
        assert resp.status_code == 404
        assert other.post(f"{API}{base(case, meeting)}", headers={"X-CSRF-Token": csrf}).status_code == 404
        assert repository.sends_of(db, case.id) == []
        assert len(repository.minutes_versions(db, case.id, meeting.id)) == 1

    def test_the_hr_liaison_never_sees_minutes(self, db, factory, officer, case, meeting, browser):
        draft = minutes.start_draft(db, officer, case, meeting)
        minutes.finalise(db, officer, case, draft, MinutesFinalise())
        db.commit()
        hr, csrf = browser(user_of_role(factory, "hr_liaison"))
        for path in (base(case, meeting), f"{base(case, meeting)}/{draft.id}", f"{API}{base(case, meeting)}"):
            resp = hr.get(path)
            assert resp.status_code == 403, path
            assert "Discussed." not in resp.text
        assert post_form(hr, base(case, meeting), {}, csrf).status_code == 403
        assert len(repository.minutes_versions(db, case.id, meeting.id)) == 1
