"""Meetings planned ahead: the rules, the audit, recording a plan as held, and the .ics
invitation parsed back with icalendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from app import clock
from app.errors import Conflict, ValidationFailed
from app.forms import validate
from app.meetings import invitations, plans, service
from app.meetings.schemas import PlanCancel, PlanForm
from tests.helpers import audit_events
from tests.meetings.test_service import meeting_form
from tests.people.support import open_case, threshold_met


def plan_form(**overrides) -> PlanForm:
    data = {
        "meeting_type_code": "evaluation",
        "starts_on": (clock.today() + timedelta(days=3)).isoformat(),
        "starts_time": "14:30",
        "duration_minutes": "90",
        "location": "Room 2, Civic Centre",
        "agenda": "Strands and immediate safety",
        "invitees": [
            {
                "name": "Sam Police",
                "organisation": "Police",
                "role": "DS",
                "email": "sam.police@example.test",
            },
            {"name": "Kim Head", "organisation": "Northfield Academy", "role": "Headteacher", "email": ""},
        ],
    }
    data.update(overrides)
    return validate(PlanForm, data)


@pytest.fixture
def case(db, factory, lado):
    c = open_case(db, factory, lado, received_on="2026-05-11")
    threshold_met(db, lado, c, date(2026, 5, 12))
    return c


class TestPlanMeeting:
    def test_a_plan_keeps_its_time_place_and_invitees_and_is_audited(self, db, lado, case):
        plan = plans.plan_meeting(db, lado, case, plan_form())
        assert plan.status == "planned" and plan.duration_minutes == 90
        assert plan.starts_at.astimezone(clock.LONDON).strftime("%H:%M") == "14:30"
        assert [i.name for i in plan.invitees] == ["Sam Police", "Kim Head"]
        event = audit_events(db, "meeting_plan", "created")[-1]
        assert event.case_id == case.id and event.actor_id == lado.user.id
        assert "Sam Police, Police, DS, sam.police@example.test" in event.details["invitees"]

    def test_a_plan_in_the_past_or_of_an_unknown_type_is_refused(self, db, lado, case):
        with pytest.raises(ValidationFailed) as exc:
            plan_form(starts_on=(clock.today() - timedelta(days=1)).isoformat())
        assert set(exc.value.errors) == {"starts_on"}
        with pytest.raises(ValidationFailed) as exc:
            plans.plan_meeting(db, lado, case, plan_form(meeting_type_code="nope"))
        assert set(exc.value.errors) == {"meeting_type_code"}

    def test_bad_times_lengths_and_addresses_are_refused_by_the_schema(self):
        with pytest.raises(ValidationFailed) as exc:
            plan_form(
                starts_time="25:00",
                duration_minutes="5",
                invitees=[{"name": "Sam", "email": "not-an-address"}],
            )
        assert {"starts_time", "duration_minutes"} <= set(exc.value.errors)
        assert any(k.startswith("invitees") for k in exc.value.errors)

    def test_changing_a_plan_moves_its_sequence_on_and_a_stale_version_is_refused(self, db, lado, case):
        plan = plans.plan_meeting(db, lado, case, plan_form())
        first = plan.version
        plans.update_plan(db, lado, case, plan, plan_form(location="Online", version=first))
        db.flush()
        assert plan.version == first + 1 and plan.location == "Online"
        change = audit_events(db, "meeting_plan", "updated")[-1]
        assert change.details["location"] == {"from": "Room 2, Civic Centre", "to": "Online"}
        with pytest.raises(Conflict):
            plans.update_plan(db, lado, case, plan, plan_form(location="Room 9", version=first))

    def test_cancelling_needs_a_reason_and_ends_the_plan(self, db, lado, case):
        plan = plans.plan_meeting(db, lado, case, plan_form())
        with pytest.raises(ValidationFailed):
            validate(PlanCancel, {"reason": ""})
        plans.cancel_plan(db, lado, case, plan, PlanCancel(reason="Police not available"))
        assert plan.status == "cancelled" and plan.cancel_reason == "Police not available"
        with pytest.raises(Conflict):
            plans.update_plan(db, lado, case, plan, plan_form())
        event = audit_events(db, "meeting_plan", "status_changed")[-1]
        assert event.details["status"] == {"from": "planned", "to": "cancelled"}


class TestRecordedWhenHeld:
    def test_recording_the_meeting_marks_its_plan_held_and_links_them(self, db, lado, case):
        plan = plans.plan_meeting(db, lado, case, plan_form())
        meeting = service.record_meeting(db, lado, case, meeting_form(plan_id=plan.id))
        assert (plan.status, plan.meeting_id) == ("held", meeting.id)
        with pytest.raises(Conflict):  # held: recorded once
            service.record_meeting(db, lado, case, meeting_form(plan_id=plan.id))

    def test_a_plan_of_another_case_cannot_be_recorded_here(self, db, factory, lado, case):
        other = open_case(db, factory, lado, received_on="2026-05-11")
        plan = plans.plan_meeting(db, lado, other, plan_form())
        with pytest.raises(ValidationFailed) as exc:
            service.record_meeting(db, lado, case, meeting_form(plan_id=plan.id))
        assert "plan_id" in exc.value.errors and plan.status == "planned"


class TestInvitation:
    def test_the_ics_parses_back_with_time_zone_attendees_uid_and_sequence(self, db, lado, case):
        plan = plans.plan_meeting(db, lado, case, plan_form())
        db.flush()
        cal = Calendar.from_ical(
            invitations.invitation(plan, case.reference, "Pat Officer", "pat@example.test")
        )
        assert str(cal["method"]) == "REQUEST"
        (event,) = cal.walk("VEVENT")
        start = event.decoded("dtstart")
        assert start.astimezone(clock.LONDON).strftime("%H:%M") == "14:30"
        assert event.decoded("dtend") - start == timedelta(minutes=90)
        assert str(event["uid"]) == plan.uid and int(event["sequence"]) == plan.version
        assert str(event["summary"]).endswith(f": case {case.reference}")
        assert str(event["location"]) == "Room 2, Civic Centre"
        attendees = event.get("attendee")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == ["mailto:sam.police@example.test"]  # Kim has no address
        assert "Kim Head, Headteacher, Northfield Academy" in str(event["description"])
        assert str(event["organizer"]) == "mailto:pat@example.test"
        subject = case.person.last_name if case.person else "Subject"
        assert subject not in cal.to_ical().decode()  # never the adult's name

    def test_a_cancelled_plan_is_a_cancellation_of_the_same_event(self, db, lado, case):
        plan = plans.plan_meeting(db, lado, case, plan_form())
        db.flush()
        uid = plan.uid
        plans.cancel_plan(db, lado, case, plan, PlanCancel(reason="Moved"))
        db.flush()
        cal = Calendar.from_ical(invitations.invitation(plan, case.reference, "Pat", ""))
        (event,) = cal.walk("VEVENT")
        assert str(cal["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
        assert str(event["uid"]) == uid and int(event["sequence"]) == plan.version > 1
