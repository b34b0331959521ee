"""The letter workflow's rules: drafts from the template, what must be true to finalise, a final
letter never changes, corrections are new versions, delivery is queued in the same transaction."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.cases import outcomes
from app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.letters import service
from app.letters.models import Letter, LetterKind, LetterStatus
from app.letters.schemas import DraftEdit, Finalise
from app.outbox.models import MessageStatus, OutboxMessage


def events(db, object_type="letter", verb=None):
    stmt = select(AuditEvent).where(AuditEvent.object_type == object_type)
    if verb:
        stmt = stmt.where(AuditEvent.verb == verb)
    return list(db.scalars(stmt.order_by(AuditEvent.id)))


def outbox(db) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


class TestCreateDraft:
    def test_made_from_the_template_to_the_primary_contact(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        assert (letter.version, letter.status) == (1, LetterStatus.DRAFT)
        assert letter.contact.name == "Jo Liaison" and letter.organisation_id == case.organisation_id
        assert case.reference in letter.body and "Dear Jo Liaison," in letter.body
        assert "Lee Officer" in letter.body
        [event] = events(db, verb="created")
        assert event.case_id == case.id and event.details["version"] == 1

    def test_one_open_draft_per_kind(self, db, journey, lado):
        case = journey.case()
        first = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        assert service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME) is first
        adult = service.create_draft(db, lado, case, LetterKind.ADULT)
        assert adult.id != first.id and adult.version == 1 and adult.organisation_id is None
        assert "Dear Sam " in adult.body

    def test_an_employer_letter_needs_an_employer_contact_before_finalising(self, db, journey, lado):
        org = journey.employer(contact=False)
        case = journey.case(org)
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        assert letter.contact is None
        with pytest.raises(ValidationFailed) as exc:
            service.finalise(db, lado, case, letter, Finalise())
        assert "contact_id" in exc.value.errors and org.name in exc.value.errors["contact_id"]


class TestFinalise:
    def test_refused_while_allegations_lack_outcomes_listing_each(self, db, journey, lado):
        case = journey.case(outcomes=("substantiated", None, None), conclude=False)
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        with pytest.raises(ValidationFailed) as exc:
            service.finalise(db, lado, case, letter, Finalise())
        messages = list(exc.value.errors.values())
        assert messages == [
            "Allegation 2 (Physical) has no outcome: record its outcome on the case",
            "Allegation 3 (Physical) has no outcome: record its outcome on the case",
        ]
        assert letter.status == LetterStatus.DRAFT and letter.pdf_sha256 == "" and outbox(db) == []

    def test_refused_with_no_allegations(self, db, journey, lado):
        case = journey.case(outcomes=(), conclude=False)
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        with pytest.raises(ValidationFailed) as exc:
            service.finalise(db, lado, case, letter, Finalise())
        assert "allegations" in exc.value.errors

    def test_stores_pdf_with_sha256_and_queues_delivery_in_the_same_transaction(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        service.finalise(db, lado, case, letter, Finalise(row_version=letter.row_version))
        assert letter.status == LetterStatus.FINAL and letter.finalised_by_id == lado.user.id
        assert letter.pdf.startswith(b"%PDF-") and letter.pdf_sha256 == hashlib.sha256(letter.pdf).hexdigest()
        assert (letter.recipient_name, letter.recipient_email) == (
            "Jo Liaison",
            "jo.liaison@school.example.test",
        )
        [message] = outbox(db)
        assert message.status == MessageStatus.QUEUED and message.kind == "letter_ready"
        assert (message.subject_type, message.subject_id) == ("letter", str(letter.id))
        assert letter.delivery_message_id == message.id and message.to_address == letter.recipient_email
        assert message.attachment is None
        [event] = events(db, verb="status_changed")
        assert (
            event.details["sha256"] == letter.pdf_sha256 and event.details["outbox_message_id"] == message.id
        )

    def test_the_email_carries_no_case_detail(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        service.finalise(db, lado, case, letter, Finalise())
        [message] = outbox(db)
        text = message.subject + message.body_text
        for detail in (
            case.reference,
            case.person.first_name,
            case.person.last_name,
            case.organisation.name,
            "Substantiated",
            "allegation",
            "Teaching assistant",
        ):
            assert detail.lower() not in text.lower(), detail
        assert "http://127.0.0.1:8000/portal/letters" in text

    def test_pdf_attached_only_when_the_organisation_chose_it(self, db, journey, lado):
        case = journey.case(journey.employer(attach_pdf=True))
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        service.finalise(db, lado, case, letter, Finalise())
        [message] = outbox(db)
        assert message.attachment == letter.pdf and message.attachment_name.endswith(".pdf")

    def test_a_letter_to_the_adult_is_not_emailed(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.ADULT)
        service.finalise(db, lado, case, letter, Finalise())
        assert letter.is_final and letter.recipient_name == case.person.full_name
        assert outbox(db) == [] and letter.delivery_message_id is None

    def test_a_case_changed_since_the_draft_needs_a_confirmed_check(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        letter.generated_at = case.updated_at - timedelta(seconds=1)  # as if drafted before the last change
        with pytest.raises(ValidationFailed) as exc:
            service.finalise(db, lado, case, letter, Finalise())
        assert list(exc.value.errors) == ["checked_against_case"]
        service.finalise(db, lado, case, letter, Finalise(checked_against_case=True))
        assert letter.is_final

    def test_a_stale_form_is_a_conflict(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        with pytest.raises(Conflict):
            service.finalise(db, lado, case, letter, Finalise(row_version=letter.row_version + 1))
        assert not letter.is_final


class TestFinalLetterNeverChanges:
    @pytest.fixture
    def final(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        service.finalise(db, lado, case, letter, Finalise())
        db.commit()  # a savepoint release: a rollback below undoes only what follows
        return case, letter

    def test_every_service_refuses(self, db, lado, final):
        case, letter = final
        body, sha = letter.body, letter.pdf_sha256
        for attempt in (
            lambda: service.update_draft(db, lado, case, letter, DraftEdit(body="Changed.")),
            lambda: service.regenerate(db, lado, case, letter, None),
            lambda: service.upload_docx(db, lado, case, letter, b"PK", "x.docx"),
            lambda: service.finalise(db, lado, case, letter, Finalise()),
            lambda: service.discard_draft(db, lado, case, letter),
        ):
            with pytest.raises(InvalidTransition, match="never changes"):
                attempt()
        db.refresh(letter)
        assert (letter.body, letter.pdf_sha256, letter.status) == (body, sha, "final")

    def test_the_orm_refuses_a_direct_change_or_delete(self, db, final):
        _case, letter = final
        letter.body = "Tampered."
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()
        db.delete(db.get(Letter, letter.id))
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()

    def test_a_correction_is_a_new_version_naming_the_one_it_replaces(self, db, lado, final):
        case, first = final
        sha = first.pdf_sha256
        correction = service.start_correction(db, lado, case, first)
        assert (correction.version, correction.replaces_id, correction.status) == (2, first.id, "draft")
        assert "corrects and replaces our letter version 1 of" in correction.body
        assert service.start_correction(db, lado, case, first) is correction  # the same open correction
        service.finalise(db, lado, case, correction, Finalise())
        assert correction.is_final and first.pdf_sha256 == sha and first.is_final
        with pytest.raises(InvalidTransition, match="Version 2 already replaces"):
            service.start_correction(db, lado, case, first)
        third = service.start_correction(db, lado, case, correction)
        assert third.version == 3 and third.replaces_id == correction.id

    def test_a_draft_cannot_be_corrected(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        with pytest.raises(InvalidTransition):
            service.start_correction(db, lado, case, letter)


class TestDraftEditing:
    def test_body_and_recipient_saved_and_audited_without_the_text(self, db, journey, lado):
        org = journey.employer()
        from app.organisations import contacts
        from app.organisations.schemas import ContactForm

        other = contacts.add_contact(
            db, lado, org, ContactForm(name="Kim Deputy", email="kim@school.example.test")
        )
        case = journey.case(org)
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        assert service.update_draft(
            db, lado, case, letter, DraftEdit(body="New text.\r\n\r\nSecond.", contact_id=other.id)
        )
        assert letter.body == "New text.\n\nSecond.\n" and letter.contact_id == other.id
        [event] = events(db, verb="updated")
        assert set(event.details["changes"]) == {"body_sha256", "contact_id"}
        assert "New text" not in str(event.details)
        assert not service.update_draft(
            db, lado, case, letter, DraftEdit(body="New text.\n\nSecond.", contact_id=other.id)
        )

    def test_a_contact_of_another_organisation_is_refused(self, db, journey, lado):
        case = journey.case()
        elsewhere = journey.employer()
        stranger = elsewhere.contacts[0]
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        with pytest.raises(ValidationFailed) as exc:
            service.update_draft(db, lado, case, letter, DraftEdit(body="x", contact_id=stranger.id))
        assert exc.value.errors == {"contact_id": "Choose a contact from the list"}

    def test_regenerate_picks_up_the_case_as_it_is_now(self, db, journey, lado):
        case = journey.case(outcomes=("substantiated", None), conclude=False)
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        assert "Not yet decided" in letter.body
        from datetime import date

        from app.cases.schemas import OutcomeRecord

        outcomes.record_outcome(
            db,
            lado,
            case,
            case.allegations[1],
            OutcomeRecord(outcome_code="unfounded", outcome_on=date(2026, 6, 1)),
        )
        assert service.is_stale(case, letter)
        service.regenerate(db, lado, case, letter, letter.row_version)
        assert "Not yet decided" not in letter.body and "Unfounded" in letter.body
        assert not service.is_stale(case, letter)

    def test_discarding_a_draft_frees_its_version(self, db, journey, lado):
        case = journey.case()
        letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        service.discard_draft(db, lado, case, letter)
        assert db.scalars(select(Letter).where(Letter.case_id == case.id)).all() == []
        assert service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME).version == 1

    def test_a_letter_of_another_case_is_not_found(self, db, journey, lado):
        case, other = journey.case(), journey.case()
        letter = service.create_draft(db, lado, other, LetterKind.EMPLOYER_OUTCOME)
        with pytest.raises(NotFound):
            service.get_letter(db, case, letter.id)
