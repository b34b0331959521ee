"""The attendees of a meeting as "Add another" rows (templates/components/add_another.html), without
JavaScript: "Add another attendee" and "Remove attendee N" submit the form (new or change), which
comes back as typed with a row more or less and nothing saved. Any number of attendees up to the
schema's limit is saved, with who did not attend; past it the form says so."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.meetings import service
from app.meetings.models import Meeting
from app.meetings.routes import ATTENDEES_LIMIT
from app.meetings.schemas import MeetingForm
from tests.helpers import sign_in
from tests.meetings.test_routes import meeting_post, setup  # noqa: F401 (a fixture)
from tests.meetings.test_service import meeting_form

NAME_INPUT = re.compile(r'<input[^>]*\bname="attendee_name"[^>]*>')
ABSENT = re.compile(r'<input[^>]*\bname="attendee_absent_(\d+)"[^>]*>')


def attendees(*rows: tuple[str, str, str, bool]) -> dict[str, object]:
    """The form's attendee fields: (name, organisation, role, attended) per row."""
    data: dict[str, object] = {
        "attendee_name": [r[0] for r in rows],
        "attendee_organisation": [r[1] for r in rows],
        "attendee_role": [r[2] for r in rows],
    }
    data.update({f"attendee_absent_{i}": "yes" for i, r in enumerate(rows) if not r[3]})
    return data


def meeting_fields(**overrides) -> dict[str, object]:
    """tests/meetings/test_routes.py's meeting, without its attendees."""
    return {k: v for k, v in meeting_post(**overrides).items() if not k.startswith("attendee_")}


def names_shown(html: str) -> list[str]:
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in NAME_INPUT.findall(html)]


def absent_shown(html: str) -> list[int]:
    return [int(m.group(1)) for m in ABSENT.finditer(html) if " checked" in m.group(0)]


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


TWO = (("Pat Officer", "LADO service", "Chair", True), ("Sam Police", "Police", "DS", False))


@pytest.fixture
def csrf(client, setup) -> str:  # noqa: F811
    return sign_in(client, setup[0].email)


def test_a_new_meeting_starts_with_one_row(client, setup, csrf):  # noqa: F811
    page = client.get(f"/cases/{setup[2].id}/meetings/new").text
    assert names_shown(page) == [""] and ">Attendee 1</legend>" in page
    assert 'name="add_row" value="attendees"' in page and 'name="remove_row"' not in page
    assert f"app-add-another--max-{ATTENDEES_LIMIT}" in page


def test_the_limit_is_the_schemas():
    limit = next(
        m.max_length for m in MeetingForm.model_fields["attendees"].metadata if hasattr(m, "max_length")
    )
    assert ATTENDEES_LIMIT == limit == 40  # app.css says 40 too


def test_the_change_form_starts_with_the_attendees_recorded(client, db, setup, csrf):  # noqa: F811
    _, actor, case = setup
    meeting = service.record_meeting(db, actor, case, meeting_form())
    page = client.get(f"/cases/{case.id}/meetings/{meeting.id}/edit").text
    assert names_shown(page) == ["Pat Officer", "Sam Police"] and absent_shown(page) == [1]


class TestWithoutJavaScript:
    def test_add_another_attendee_keeps_what_was_typed_and_saves_nothing(self, client, db, setup, csrf):  # noqa: F811
        case = setup[2]
        meetings, events = count(db, Meeting), count(db, AuditEvent)
        form = {**meeting_fields(minutes="Typed & kept"), **attendees(*TWO), "add_row": "attendees"}
        resp = client.post(f"/cases/{case.id}/meetings", data={**form, "csrf_token": csrf})
        assert resp.status_code == 200, resp.text
        assert count(db, Meeting) == meetings and count(db, AuditEvent) == events
        assert names_shown(resp.text) == ["Pat Officer", "Sam Police", ""]
        assert absent_shown(resp.text) == [1] and ">Attendee 3</legend>" in resp.text
        assert 'value="Police"' in resp.text and 'value="DS"' in resp.text
        assert "Typed &amp; kept" in resp.text and 'value="10:30"' in resp.text
        assert "There is a problem" not in resp.text
        assert f'formaction="/cases/{case.id}/meetings#attendee_name_3"' in resp.text

    def test_remove_an_attendee_on_the_change_form_saves_nothing(self, client, db, setup, csrf):  # noqa: F811
        _, actor, case = setup
        meeting = service.record_meeting(db, actor, case, meeting_form())
        version, events = meeting.version, count(db, AuditEvent)
        three = (*TWO, ("Jo Social", "Children's services", "Social worker", False))
        form = {
            **meeting_fields(minutes="Changed, not saved"),
            **attendees(*three),
            "version": str(version),
            "remove_row": "0",
        }
        resp = client.post(f"/cases/{case.id}/meetings/{meeting.id}/edit", data={**form, "csrf_token": csrf})
        assert resp.status_code == 200, resp.text
        assert count(db, AuditEvent) == events
        db.refresh(meeting)
        assert meeting.version == version and meeting.minutes == "Discussed."
        assert [a.name for a in meeting.attendees] == ["Pat Officer", "Sam Police"]
        assert names_shown(resp.text) == ["Sam Police", "Jo Social"]
        assert absent_shown(resp.text) == [0, 1]  # renumbered: both did not attend
        assert "Changed, not saved" in resp.text and f'name="version" value="{version}"' in resp.text
        assert ">Attendee 3</legend>" not in resp.text

    def test_at_the_limit_no_row_is_added_and_the_page_says_so(self, client, db, setup, csrf):  # noqa: F811
        rows = [(f"Person {i}", "", "", True) for i in range(ATTENDEES_LIMIT)]
        form = {**meeting_fields(), **attendees(*rows), "add_row": "attendees"}
        resp = client.post(f"/cases/{setup[2].id}/meetings", data={**form, "csrf_token": csrf})
        assert resp.status_code == 200
        assert len(names_shown(resp.text)) == ATTENDEES_LIMIT
        assert f"You can add up to {ATTENDEES_LIMIT} attendees." in resp.text


def test_eight_attendees_are_saved(client, db, setup, csrf):  # noqa: F811
    case = setup[2]
    rows = [(f"Person {i}", f"Org {i}", f"Role {i}", i % 3 != 0) for i in range(8)]
    form = {**meeting_fields(), **attendees(*rows)}
    resp = client.post(f"/cases/{case.id}/meetings", data={**form, "csrf_token": csrf})
    assert resp.status_code == 303, resp.text
    meeting = db.scalars(select(Meeting).where(Meeting.case_id == case.id)).one()
    assert [(a.name, a.organisation, a.role, a.attended) for a in meeting.attendees] == rows


def test_more_attendees_than_the_limit_are_refused_not_dropped(client, db, setup, csrf):  # noqa: F811
    rows = [(f"Person {i}", "", "", True) for i in range(ATTENDEES_LIMIT + 1)]
    form = {**meeting_fields(), **attendees(*rows)}
    resp = client.post(f"/cases/{setup[2].id}/meetings", data={**form, "csrf_token": csrf})
    assert resp.status_code == 422 and count(db, Meeting) == 0
    assert f"Enter no more than {ATTENDEES_LIMIT} attendees" in resp.text
    assert len(names_shown(resp.text)) == ATTENDEES_LIMIT + 1
