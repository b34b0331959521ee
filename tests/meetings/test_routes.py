"""Meeting and action pages over HTTP: the forms, the case page panel, read-only for managers,
and a restricted case of another officer answering 404 on every page."""

from datetime import date, timedelta

import pytest

from app.meetings import service
from app.meetings.models import CaseAction
from tests.helpers import sign_in
from tests.meetings.test_service import meeting_form
from tests.people.support import open_case, threshold_met

TODAY = date.today()


@pytest.fixture
def setup(db, factory):
    user = factory.user("lado")
    from app.context import Actor

    actor = Actor(user=user, ip="127.0.0.1")
    case = open_case(db, factory, actor, received_on="2026-05-11")
    threshold_met(db, actor, case, date(2026, 5, 12))
    return user, actor, case


def meeting_post(**overrides):
    data = {
        "meeting_type_code": "evaluation",
        "held_on-day": "18",
        "held_on-month": "5",
        "held_on-year": "2026",
        "held_time": "10:30",
        "attendee_name": ["Pat Officer", "Sam Police", ""],
        "attendee_organisation": ["LADO service", "Police", ""],
        "attendee_role": ["Chair", "DS", ""],
        "attendee_absent_1": "yes",  # Sam Police was invited and did not attend
        "minutes": "Discussed <b>calmly</b>.",
        "decisions": "Police to investigate.",
        "police_strand": "proceeding",
        "suspension_considered": "yes",
        "suspension_notes": "Suspended",
        "next_review_on-day": "18",
        "next_review_on-month": "6",
        "next_review_on-year": "2026",
    }
    data.update(overrides)
    return data


class TestMeetingPages:
    def test_record_a_meeting_through_the_form(self, client, db, setup):
        user, _, case = setup
        csrf = sign_in(client, user.email)
        page = client.get(f"/cases/{case.id}/meetings/new")
        assert page.status_code == 200 and "Evaluation or strategy meeting" in page.text
        resp = client.post(f"/cases/{case.id}/meetings", data={**meeting_post(), "csrf_token": csrf})
        assert resp.status_code == 303, resp.text
        shown = client.get(resp.headers["location"])
        assert "Sam Police" in shown.text and "Agreed or under way" in shown.text
        assert "Discussed &lt;b&gt;calmly&lt;/b&gt;." in shown.text
        case_page = client.get(f"/cases/{case.id}/meetings")
        assert "Evaluation or strategy meeting" in case_page.text
        assert 'id="clock-evaluation_meeting"' in case_page.text

    def test_problems_come_back_with_what_was_typed(self, client, setup):
        user, _, case = setup
        csrf = sign_in(client, user.email)
        resp = client.post(
            f"/cases/{case.id}/meetings",
            data={
                **meeting_post(held_time="noon", minutes="Keep me"),
                "suspension_considered": "",
                "csrf_token": csrf,
            },
        )
        assert resp.status_code == 422
        assert "Enter the time of the meeting like 14:30" in resp.text and "Keep me" in resp.text
        assert "Select yes if suspension was considered" in resp.text
        assert 'value="Sam Police"' in resp.text

    def test_edit_a_meeting(self, client, db, setup):
        user, actor, case = setup
        meeting = service.record_meeting(db, actor, case, meeting_form())
        csrf = sign_in(client, user.email)
        page = client.get(f"/cases/{case.id}/meetings/{meeting.id}/edit")
        assert page.status_code == 200 and 'value="10:30"' in page.text
        resp = client.post(
            f"/cases/{case.id}/meetings/{meeting.id}/edit",
            data={**meeting_post(minutes="Changed"), "version": str(meeting.version), "csrf_token": csrf},
        )
        assert resp.status_code == 303
        stale = client.post(
            f"/cases/{case.id}/meetings/{meeting.id}/edit",
            data={**meeting_post(minutes="Late"), "version": "1", "csrf_token": csrf},
        )
        assert stale.status_code == 409 and "Someone else saved this meeting" in stale.text

    def test_manager_reads_but_cannot_write(self, client, db, factory, setup):
        _, actor, case = setup
        meeting = service.record_meeting(db, actor, case, meeting_form())
        csrf = sign_in(client, factory.user("manager").email)
        assert client.get(f"/cases/{case.id}/meetings/{meeting.id}").status_code == 200
        assert "Change the meeting record" not in client.get(f"/cases/{case.id}/meetings/{meeting.id}").text
        assert client.get(f"/cases/{case.id}/meetings/new").status_code == 403
        assert (
            client.post(f"/cases/{case.id}/meetings", data={**meeting_post(), "csrf_token": csrf}).status_code
            == 403
        )


class TestActionPages:
    def test_add_an_action_and_see_it_overdue_then_done(self, client, db, setup):
        user, _, case = setup
        csrf = sign_in(client, user.email)
        due = TODAY - timedelta(days=2)
        resp = client.post(
            f"/cases/{case.id}/actions",
            data={
                "description": "Send the suspension letter",
                "owner_name": "Head teacher",
                "owner_organisation": "School",
                "due_on-day": str(due.day),
                "due_on-month": str(due.month),
                "due_on-year": str(due.year),
                "csrf_token": csrf,
            },
        )
        assert resp.status_code == 303
        page = client.get(f"/cases/{case.id}/meetings")
        assert "Send the suspension letter" in page.text and "1 overdue" in page.text
        action = db.query(CaseAction).filter_by(case_id=case.id).one()
        assert (
            client.post(f"/cases/{case.id}/actions/{action.id}/done", data={"csrf_token": csrf}).status_code
            == 303
        )
        assert "1 overdue" not in client.get(f"/cases/{case.id}").text
        assert client.get(f"/cases/{case.id}/actions").status_code == 200

    def test_an_action_needs_an_owner(self, client, setup):
        user, _, case = setup
        csrf = sign_in(client, user.email)
        resp = client.post(
            f"/cases/{case.id}/actions",
            data={
                "description": "x",
                "due_on-day": "20",
                "due_on-month": "5",
                "due_on-year": "2026",
                "csrf_token": csrf,
            },
        )
        assert resp.status_code == 422 and "Enter who owns the action" in resp.text


class TestRestrictedCase:
    def test_every_page_is_not_found_for_another_officer(self, client, db, factory):
        from app.context import Actor

        owner = Actor(user=factory.user("lado"), ip="127.0.0.1")
        case = open_case(
            db, factory, owner, restricted=True, received_on="2026-05-11", subject_last_name="Secretname"
        )
        meeting = service.record_meeting(db, owner, case, meeting_form())
        action = CaseAction(
            case_id=case.id, description="Secret action", owner_name="X", due_on=date(2026, 5, 20)
        )
        db.add(action)
        db.flush()
        csrf = sign_in(client, factory.user("lado").email)
        for path in (
            f"/cases/{case.id}/meetings",
            f"/cases/{case.id}/meetings/new",
            f"/cases/{case.id}/meetings/{meeting.id}",
            f"/cases/{case.id}/meetings/{meeting.id}/edit",
            f"/cases/{case.id}/actions",
            f"/cases/{case.id}/actions/new",
            f"/cases/{case.id}/actions/{action.id}/edit",
        ):
            resp = client.get(path)
            assert resp.status_code == 404, path
            assert "Secret" not in resp.text and case.reference not in resp.text
        for path in (
            f"/cases/{case.id}/meetings",
            f"/cases/{case.id}/meetings/{meeting.id}/edit",
            f"/cases/{case.id}/actions",
            f"/cases/{case.id}/actions/{action.id}/done",
        ):
            assert client.post(path, data={**meeting_post(), "csrf_token": csrf}).status_code == 404, path
        db.refresh(action)
        assert action.done_on is None

    def test_a_meeting_of_one_case_is_not_reachable_through_another(self, client, db, factory, setup):
        user, actor, case = setup
        other = open_case(db, factory, actor, received_on="2026-05-11")
        meeting = service.record_meeting(db, actor, case, meeting_form())
        sign_in(client, user.email)
        assert client.get(f"/cases/{other.id}/meetings/{meeting.id}").status_code == 404
