"""Meetings and actions: validation rules, audit, the delay-reason rule past the conclusion target."""

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Conflict, NotFound, ValidationFailed
from app.forms import validate
from app.meetings import service
from app.meetings.schemas import ActionForm, MeetingForm
from tests.people.support import open_case, threshold_met


def meeting_form(**overrides) -> MeetingForm:
    data = {
        "meeting_type_code": "evaluation",
        "held_on": "2026-05-18",
        "held_time": "10:30",
        "attendees": [
            {"name": "Pat Officer", "organisation": "LADO service", "role": "Chair", "attended": True},
            {"name": "Sam Police", "organisation": "Police", "role": "DS", "attended": False},
        ],
        "minutes": "Discussed.",
        "decisions": "Police to investigate.",
        "police_strand": "proceeding",
        "social_care_strand": "undecided",
        "employer_strand": "",
        "suspension_considered": True,
        "suspension_notes": "Suspended on full pay",
        "next_review_on": "2026-06-18",
    }
    data.update(overrides)
    return validate(MeetingForm, data)


@pytest.fixture
def case(db, factory, lado):
    c = open_case(db, factory, lado, received_on="2026-05-11")
    threshold_met(db, lado, c, date(2026, 5, 12))
    return c


class TestMeetings:
    def test_record_a_meeting_with_attendees_strands_and_audit(self, db, lado, case):
        meeting = service.record_meeting(db, lado, case, meeting_form())
        assert meeting.held_on == date(2026, 5, 18) and meeting.held_at.hour == 9  # 10:30 BST is 09:30 UTC
        assert [(a.name, a.attended) for a in meeting.attendees] == [
            ("Pat Officer", True),
            ("Sam Police", False),
        ]
        assert (meeting.police_strand, meeting.social_care_strand, meeting.employer_strand) == (
            "proceeding",
            "undecided",
            None,
        )
        event = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "meeting")).one()
        assert event.case_id == case.id and event.verb == "created"
        assert "Sam Police (Police, DS) - did not attend" in event.details["attendees"]

    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("held_on", "2026-05-01", "on or after the date received"),
            ("meeting_type_code", "tea_party", "Choose the type of meeting"),
        ],
    )
    def test_refused_with_a_clear_message(self, db, lado, case, field, value, message):
        with pytest.raises(ValidationFailed) as exc:
            service.record_meeting(db, lado, case, meeting_form(**{field: value}))
        assert message in exc.value.errors[field]

    @pytest.mark.parametrize(
        "data,field",
        [
            ({"held_time": "25:00"}, "held_time"),
            ({"held_on": "2999-01-01"}, "held_on"),
            ({"next_review_on": "2026-05-01"}, "next_review_on"),
            ({"suspension_considered": None}, "suspension_considered"),
            ({"police_strand": "maybe"}, "police_strand"),
            ({"minutes": "x" * 50001}, "minutes"),
            ({"attendees": [{"name": ""}]}, "attendees"),
        ],
    )
    def test_bad_input_is_refused_by_the_schema(self, data, field):
        with pytest.raises(ValidationFailed) as exc:
            meeting_form(**data)
        assert field in exc.value.errors

    def test_review_past_three_months_needs_a_reason_for_delay(self, db, lado, case):
        with pytest.raises(ValidationFailed) as exc:
            service.record_meeting(
                db,
                lado,
                case,
                meeting_form(meeting_type_code="review", held_on="2026-08-12", next_review_on=""),
            )
        assert "reason for the delay" in exc.value.errors["delay_reason"]
        # on the day the target is reached no reason is needed yet; after it, the reason is kept
        service.record_meeting(
            db, lado, case, meeting_form(meeting_type_code="review", held_on="2026-08-11", next_review_on="")
        )
        m = service.record_meeting(
            db,
            lado,
            case,
            meeting_form(
                meeting_type_code="review",
                held_on="2026-08-12",
                next_review_on="",
                delay_reason="Police enquiry ongoing",
            ),
        )
        assert m.delay_reason == "Police enquiry ongoing"

    def test_target_months_setting_moves_the_rule(self, db, lado, case):
        from app.settings.repository import set_value

        set_value(db, "conclusion_target_months", 4)
        service.record_meeting(
            db, lado, case, meeting_form(meeting_type_code="review", held_on="2026-09-10", next_review_on="")
        )

    def test_update_checks_the_version_and_audits_changes(self, db, lado, case):
        meeting = service.record_meeting(db, lado, case, meeting_form())
        service.update_meeting(
            db, lado, case, meeting, meeting_form(version=meeting.version, minutes="Revised.")
        )
        event = db.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "meeting", AuditEvent.verb == "updated")
        ).one()
        assert event.details["minutes"] == {"from": "Discussed.", "to": "Revised."}
        with pytest.raises(Conflict):
            service.update_meeting(db, lado, case, meeting, meeting_form(version=1))

    def test_a_meeting_of_another_case_is_not_found(self, db, factory, lado, case):
        other = open_case(db, factory, lado, received_on="2026-05-11")
        meeting = service.record_meeting(db, lado, other, meeting_form())
        with pytest.raises(NotFound):
            service.get_meeting(db, case, meeting.id)


class TestActions:
    def test_add_from_a_meeting_with_an_outside_owner_then_mark_done(self, db, lado, case):
        meeting = service.record_meeting(db, lado, case, meeting_form())
        action = service.add_action(
            db,
            lado,
            case,
            validate(
                ActionForm,
                {
                    "description": "Send suspension letter",
                    "owner_name": "Head teacher",
                    "owner_organisation": "School",
                    "due_on": "2026-05-20",
                    "meeting_id": str(meeting.id),
                },
            ),
        )
        assert action.meeting_id == meeting.id and action.owner_label == "Head teacher, School"
        assert action.is_overdue(date(2026, 5, 21)) and not action.is_overdue(date(2026, 5, 20))
        service.mark_done(db, lado, case, action, date(2026, 5, 21))
        assert not action.is_overdue(date(2026, 6, 1))
        with pytest.raises(Conflict):
            service.mark_done(db, lado, case, action, date(2026, 5, 22))
        verbs = db.scalars(
            select(AuditEvent.verb).where(AuditEvent.object_type == "case_action").order_by(AuditEvent.id)
        ).all()
        assert verbs == ["created", "updated"]

    def test_owned_by_a_team_member(self, db, factory, lado, case):
        officer = factory.user("lado", name="Robin Officer")
        action = service.add_action(
            db,
            lado,
            case,
            validate(
                ActionForm,
                {
                    "description": "Chase police",
                    "owner_user_id": str(officer.id),
                    "owner_name": "ignored",
                    "due_on": "2026-05-20",
                },
            ),
        )
        assert action.owner_label == "Robin Officer" and action.owner_name == ""

    @pytest.mark.parametrize(
        "data,field",
        [
            ({"owner_name": ""}, "owner_name"),
            ({"due_on": "2026-01-01"}, "due_on"),
            ({"meeting_id": "999999"}, "meeting_id"),
            ({"owner_user_id": "999999", "owner_name": ""}, "owner_user_id"),
            ({"done_on": "2999-01-01"}, "done_on"),
        ],
    )
    def test_refused(self, db, factory, lado, case, data, field):
        payload = {"description": "Do it", "owner_name": "Someone", "due_on": "2026-05-20", **data}
        with pytest.raises(ValidationFailed) as exc:
            service.add_action(db, lado, case, validate(ActionForm, payload))
        assert field in exc.value.errors

    def test_a_manager_cannot_own_an_action(self, db, factory, lado, case):
        manager = factory.user("manager")
        with pytest.raises(ValidationFailed):
            service.add_action(
                db,
                lado,
                case,
                validate(
                    ActionForm, {"description": "x", "owner_user_id": str(manager.id), "due_on": "2026-05-20"}
                ),
            )
