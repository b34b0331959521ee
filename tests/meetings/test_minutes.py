"""Minutes of a meeting: drafts with sections, optimistic concurrency, finalised versions that never
change, new versions, the distribution list and the record of each send with what was withheld,
the audit, and the hooks for retention and the sharing log."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.forms import validate
from app.meetings import minutes, service
from app.meetings.models import MeetingMinutes, MinutesSection, MinutesSend
from app.meetings.schemas import MinutesDraft, MinutesFinalise, RecipientForm, SendForm
from tests.meetings.test_service import meeting_form
from tests.people.support import open_case, threshold_met

SECTIONS = [
    {"heading": "Discussion", "body": "The employer described the incident.", "restriction": "none"},
    {
        "heading": "Police update",
        "body": "DS Example: arrest planned for Friday.",
        "restriction": "police_sensitive",
    },
    {"heading": "Decisions", "body": "Strategy meeting again in four weeks.", "restriction": "none"},
]


def draft_form(row_version=None, sections=SECTIONS) -> MinutesDraft:
    return validate(MinutesDraft, {"row_version": row_version, "sections": sections})


def send_form(recipient_id, **overrides) -> SendForm:
    data = {"recipient_id": recipient_id, "method": "secure_email", "sent_on": "2026-05-20"}
    data.update(overrides)
    return validate(SendForm, data)


@pytest.fixture
def case(db, factory, lado):
    c = open_case(db, factory, lado, received_on="2026-05-11")
    threshold_met(db, lado, c, date(2026, 5, 12))
    return c


@pytest.fixture
def meeting(db, lado, case):
    return service.record_meeting(db, lado, case, meeting_form())


def final_minutes(db, lado, case, meeting) -> MeetingMinutes:
    draft = minutes.start_draft(db, lado, case, meeting)
    minutes.update_draft(db, lado, case, draft, draft_form(draft.row_version))
    return minutes.finalise(db, lado, case, draft, MinutesFinalise(row_version=draft.row_version))


def events(db, kind):
    return list(db.scalars(select(AuditEvent).where(AuditEvent.object_type == kind).order_by(AuditEvent.id)))


class TestDrafts:
    def test_a_first_draft_starts_from_the_meeting_record_with_a_police_section(
        self, db, lado, case, meeting
    ):
        draft = minutes.start_draft(db, lado, case, meeting)
        assert draft.version == 1 and not draft.is_final
        assert [(s.heading, s.body, s.restriction) for s in draft.sections] == [
            ("Discussion", "Discussed.", "none"),
            ("Decisions", "Police to investigate.", "none"),
            ("Police update", "", "police_sensitive"),
        ]
        assert minutes.start_draft(db, lado, case, meeting) is draft  # one draft at a time
        (event,) = events(db, "meeting_minutes")
        assert event.verb == "created" and event.case_id == case.id
        assert event.details["sections"] == ["Discussion", "Decisions", "Police update"]

    def test_edit_keeps_the_sections_in_order_and_audits_no_text(self, db, lado, case, meeting):
        draft = minutes.start_draft(db, lado, case, meeting)
        before = draft.row_version
        minutes.update_draft(db, lado, case, draft, draft_form(before))
        db.flush()
        assert draft.row_version == before + 1
        assert [s.heading for s in draft.sections] == ["Discussion", "Police update", "Decisions"]
        assert draft.restricted_sections[0].heading == "Police update"
        updated = events(db, "meeting_minutes")[-1]
        assert updated.verb == "updated"
        assert "arrest" not in str(updated.details)  # headings and a fingerprint, not the text
        assert (
            updated.details["changes"]["text_sha256"]["from"]
            != updated.details["changes"]["text_sha256"]["to"]
        )

    def test_a_stale_edit_is_a_conflict(self, db, lado, case, meeting):
        draft = minutes.start_draft(db, lado, case, meeting)
        opened = draft.row_version
        minutes.update_draft(db, lado, case, draft, draft_form(opened))
        db.flush()
        with pytest.raises(Conflict):
            minutes.update_draft(db, lado, case, draft, draft_form(opened))
        with pytest.raises(Conflict):
            minutes.finalise(db, lado, case, draft, MinutesFinalise(row_version=opened))

    def test_a_draft_needs_a_section_with_a_heading(self):
        with pytest.raises(ValidationFailed) as exc:
            draft_form(sections=[])
        assert "sections" in exc.value.errors
        with pytest.raises(ValidationFailed) as exc:
            draft_form(sections=[{"heading": "", "body": "Text"}])
        assert "Enter section 1" in " ".join(exc.value.errors.values())


class TestFinalised:
    def test_finalised_minutes_never_change(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        assert final.is_final and final.finalised_at is not None
        with pytest.raises(InvalidTransition):
            minutes.update_draft(db, lado, case, final, draft_form(final.row_version))
        with pytest.raises(InvalidTransition):
            minutes.finalise(db, lado, case, final, MinutesFinalise())
        final.sections[0].body = "Changed behind the service's back"
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()

    def test_a_deleted_final_section_is_refused_too(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        db.delete(final.sections[0])
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()

    def test_sections_taken_off_or_added_to_final_minutes_are_refused(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        db.commit()
        final.sections = final.sections[:1]
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()
        final.sections.append(MinutesSection(position=9, heading="Added later"))
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()

    def test_a_change_after_finalising_is_a_new_version(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        v2 = minutes.start_draft(db, lado, case, meeting)
        assert (v2.version, v2.replaces_id, v2.is_final) == (2, final.id, False)
        assert [(s.heading, s.body) for s in v2.sections] == [(s.heading, s.body) for s in final.sections]
        minutes.update_draft(db, lado, case, v2, draft_form(v2.row_version, sections=SECTIONS[:1]))
        db.flush()
        db.expire_all()
        assert len(final.sections) == 3 and len(v2.sections) == 1  # v1 as it was
        assert events(db, "meeting_minutes")[-2].details["replaces_version"] == 1


class TestDistribution:
    def test_suggestions_from_the_attendees_not_yet_listed(self, db, lado, case, meeting):
        assert [s.name for s in minutes.suggestions(db, case, meeting)] == ["Pat Officer", "Sam Police"]
        added = minutes.add_suggested(db, lado, case, meeting)
        assert [(r.name, r.agency, r.role) for r in added] == [
            ("Pat Officer", "LADO service", "Chair"),
            ("Sam Police", "Police", "DS"),
        ]
        assert minutes.suggestions(db, case, meeting) == []
        assert [e.details["name"] for e in events(db, "minutes_recipient")] == ["Pat Officer", "Sam Police"]

    def test_a_draft_cannot_be_sent(self, db, lado, case, meeting):
        draft = minutes.start_draft(db, lado, case, meeting)
        head = minutes.add_recipient(
            db, lado, case, meeting, validate(RecipientForm, {"name": "Ann Head", "agency": "School"})
        )
        with pytest.raises(InvalidTransition):
            minutes.record_send(db, lado, case, draft, send_form(head.id))

    def test_a_send_records_what_was_withheld_and_the_recipient_does_not_get_it(
        self, db, lado, case, meeting
    ):
        final = final_minutes(db, lado, case, meeting)
        head = minutes.add_recipient(
            db,
            lado,
            case,
            meeting,
            validate(
                RecipientForm, {"name": "Ann Head", "agency": "Northfield School", "role": "Headteacher"}
            ),
        )
        police = next(s for s in final.sections if s.restriction == "police_sensitive")
        send = minutes.record_send(
            db,
            lado,
            case,
            final,
            send_form(
                head.id,
                withheld_section_ids=[police.id],
                withheld_reason="Police-sensitive: not for the employer",
            ),
        )
        assert (send.recipient_name, send.recipient_agency, send.method) == (
            "Ann Head",
            "Northfield School",
            "secure_email",
        )
        assert send.withheld == [police] and send.sent_by_id == lado.user.id
        got = minutes.shown_sections(final, send.withheld)
        assert "Police update" not in [s.heading for s in got] and len(got) == 2
        (event,) = events(db, "minutes_send")
        assert event.details["withheld"] == ["Police update"] and event.details["method"] == "secure_email"
        assert event.details["version"] == 1

    def test_withholding_needs_a_reason_and_sections_of_this_version(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        head = minutes.add_recipient(
            db, lado, case, meeting, validate(RecipientForm, {"name": "Ann Head", "agency": "School"})
        )
        with pytest.raises(ValidationFailed) as exc:
            send_form(head.id, withheld_section_ids=[final.sections[0].id])
        assert "withheld_reason" in exc.value.errors
        with pytest.raises(ValidationFailed) as exc:
            minutes.record_send(
                db, lado, case, final, send_form(head.id, withheld_section_ids=[999999], withheld_reason="x")
            )
        assert "withheld_section_ids" in exc.value.errors
        with pytest.raises(ValidationFailed) as exc:
            minutes.record_send(db, lado, case, final, send_form(999999))
        assert "recipient_id" in exc.value.errors

    def test_a_recipient_of_another_meeting_is_refused(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        other = service.record_meeting(db, lado, case, meeting_form(held_on="2026-05-19"))
        stranger = minutes.add_recipient(
            db, lado, case, other, validate(RecipientForm, {"name": "Ann Head", "agency": "School"})
        )
        with pytest.raises(ValidationFailed):
            minutes.record_send(db, lado, case, final, send_form(stranger.id))
        with pytest.raises(NotFound):
            minutes.get_minutes(db, case, other, final.id)


class TestForTheOtherParts:
    def test_case_minutes_lists_versions_and_sends(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        head = minutes.add_recipient(
            db, lado, case, meeting, validate(RecipientForm, {"name": "Ann Head", "agency": "School"})
        )
        minutes.record_send(db, lado, case, final, send_form(head.id))
        minutes.start_draft(db, lado, case, meeting)
        held = minutes.case_minutes(db, case)
        assert [(m.version, m.status) for m in held.versions] == [(1, "final"), (2, "draft")]
        assert [s.recipient_name for s in held.sends] == ["Ann Head"]

    def test_destroy_deletes_finalised_minutes_and_audits_no_content(self, db, lado, case, meeting):
        final = final_minutes(db, lado, case, meeting)
        head = minutes.add_recipient(
            db, lado, case, meeting, validate(RecipientForm, {"name": "Ann Head", "agency": "School"})
        )
        police = final.sections[1]
        minutes.record_send(
            db,
            lado,
            case,
            final,
            send_form(head.id, withheld_section_ids=[police.id], withheld_reason="Police"),
        )
        minutes.start_draft(db, lado, case, meeting)
        counts = minutes.destroy_case_minutes(db, lado, case.id)
        assert counts == {"withheld": 1, "sends": 1, "recipients": 1, "sections": 6, "versions": 2}
        db.expire_all()
        for model in (MeetingMinutes, MinutesSection, MinutesSend):
            assert db.scalar(select(func.count()).select_from(model)) == 0
        event = events(db, "meeting_minutes")[-1]
        assert event.verb == "deleted" and event.details == {"destroyed": counts}
