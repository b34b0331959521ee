"""Subject access through the services on a real database: the one-calendar-month rule, the
bundle's contents and scope, redactions, and the release kept as released."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.audit.models import ObjectType, Verb
from app.disclosures import service as disclosures
from app.disclosures.schemas import DisclosureCreate
from app.documents import service as documents
from app.documents.schemas import DocumentCreate
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.forms import validate
from app.meetings import minutes
from app.meetings import service as meetings
from app.subject_access import service
from app.subject_access.models import Redaction, Release
from app.subject_access.schemas import RedactionCreate, StatusChange
from tests.helpers import audit_events
from tests.meetings.test_minutes import final_minutes
from tests.meetings.test_service import meeting_form
from tests.subject_access.conftest import request_data


def _pdf_text(zip_bytes: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        reader = PdfReader(io.BytesIO(archive.read("bundle.pdf")))
    return "\n".join(page.extract_text() for page in reader.pages)


class TestDueDate:
    @pytest.mark.parametrize(
        ("received", "due"),
        [
            (date(2026, 1, 31), date(2026, 2, 28)),
            (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
            (date(2026, 3, 15), date(2026, 4, 15)),
            (date(2026, 8, 31), date(2026, 9, 30)),
            (date(2026, 12, 20), date(2027, 1, 20)),
        ],
    )
    def test_one_calendar_month_is_the_corresponding_date_or_the_months_last_day(self, received, due):
        assert service.due_date(received) == due

    def test_an_extension_makes_it_three_months_after_receipt(self):
        assert service.extended_due_date(date(2026, 11, 30)) == date(2027, 2, 28)


class TestRecording:
    def test_a_request_about_the_adult_of_a_case_is_due_a_month_later_and_audited(self, db, officer, subject):
        req = service.record_request(db, officer, request_data(subject.open_case, received_on="2026-01-31"))
        assert req.person_id == subject.open_case.person_id
        assert req.due_on == date(2026, 2, 28) and req.status == "open"
        (event,) = audit_events(db, ObjectType.SUBJECT_ACCESS_REQUEST, Verb.CREATED)
        assert event.details["due_on"] == "2026-02-28"

    def test_a_case_the_officer_cannot_see_names_nobody(self, db, officer, subject):
        with pytest.raises(ValidationFailed) as exc:
            service.record_request(db, officer, request_data(subject.restricted_case))
        assert "case_reference" in exc.value.errors

    def test_extending_moves_the_due_date_and_an_answered_request_changes_no_more(self, db, officer, sar):
        change = StatusChange(status="extended", changed_on=date(2026, 6, 20), why="Many records")
        service.change_status(db, officer, sar, change)
        assert sar.status == "extended" and sar.due_on == date(2026, 9, 15)
        service.change_status(
            db, officer, sar, StatusChange(status="refused", changed_on=date(2026, 6, 21), why="x")
        )
        assert sar.status == "refused"
        with pytest.raises(InvalidTransition):
            service.change_status(db, officer, sar, change)

    def test_nothing_is_released_before_the_identity_is_verified(self, db, officer, subject):
        req = service.record_request(db, officer, request_data(subject.open_case, identity_verified=False))
        with pytest.raises(InvalidTransition):
            service.release(db, officer, req)
        checked = StatusChange(status="verified", changed_on=date(2026, 6, 16), why="Passport seen")
        service.change_status(db, officer, req, checked)
        assert req.identity_verified and req.status == "open"
        assert service.release(db, officer, req).sha256
        with pytest.raises(InvalidTransition):
            service.change_status(db, officer, req, checked)


class TestBundle:
    def test_it_holds_the_persons_visible_cases_only(self, db, officer, subject, sar):
        made = service.bundle_of(db, officer, sar)
        assert [c.id for c in made.cases] == [subject.open_case.id]
        texts = "\n".join(i.text for i in made.items)
        assert "grabbed child AB" in texts and "Dana Referrer" in texts
        assert "restricted matter" not in texts and "Someone else entirely" not in texts
        keys = {i.key for i in made.items}
        assert {f"case:{subject.open_case.id}:details", f"case:{subject.open_case.id}:chronology"} <= keys

    def test_a_manager_and_the_named_officer_get_the_restricted_case_too(
        self, db, manager, owner, subject, sar
    ):
        for actor in (manager, owner):
            ids = {c.id for c in service.bundle_of(db, actor, sar).cases}
            assert ids == {subject.open_case.id, subject.restricted_case.id}

    def test_a_request_is_not_found_by_an_officer_who_sees_none_of_the_persons_cases(
        self, db, officer, owner, subject
    ):
        req = service.record_request(db, owner, request_data(subject.restricted_case))
        subject.open_case.person_id = None  # now the restricted case is the person's only one
        db.flush()
        with pytest.raises(NotFound):
            service.get_request(db, officer, req.id)
        assert service.outstanding(db, officer) == []

    def test_the_sharing_log_is_part_of_the_bundle(self, db, officer, subject, sar):
        data = {
            "shared_on": "2026-05-20",
            "what": "The allegation",
            "agency_code": "police",
            "agency_name": "Northshire Police",
            "recipient_name": "DS Pat Example",
            "method": "phone",
            "lawful_basis_code": "criminal_offence_data",
        }
        disclosures.record_disclosure(db, officer, subject.open_case, validate(DisclosureCreate, data))
        [item] = [i for i in service.bundle_of(db, officer, sar).items if i.key.endswith(":sharing")]
        assert "DS Pat Example (Northshire Police), phone" in item.text

    def test_the_draft_is_a_zip_of_a_pdf_and_is_audited_as_an_export(self, db, officer, subject, sar):
        name, data = service.export_draft(db, officer, sar)
        assert name.endswith(".zip")
        assert "grabbed child AB" in _pdf_text(data)
        db.commit()  # a reading is audited as its transaction commits
        (event,) = audit_events(db, ObjectType.SUBJECT_ACCESS_BUNDLE, Verb.EXPORTED)
        assert event.details["cases"] == [subject.open_case.reference] and event.details["draft"] is True


class TestRedactionAndRelease:
    def test_the_released_bundle_applies_its_redactions_and_is_kept_with_its_hash(
        self, db, officer, subject, sar
    ):
        service.add_redaction(
            db, officer, sar, RedactionCreate(item_key="*", passage="Dana Referrer", reason="referrer")
        )
        details = f"case:{subject.open_case.id}:details"
        service.add_redaction(
            db, officer, sar, RedactionCreate(item_key=details, passage="AB", reason="child")
        )
        release = service.release(db, officer, sar)
        db.commit()
        db.expire_all()
        kept = db.scalar(select(Release).where(Release.request_id == sar.id))
        assert kept is not None and kept.sha256 == hashlib.sha256(kept.content).hexdigest() == release.sha256
        text = _pdf_text(kept.content)
        assert "Dana Referrer" not in text  # redacted in every item: the referrer's and the chronology
        assert "Name: [Redacted: The referrer's details]" in text
        # Redacted in one item only: the case's details (the chronology still says it).
        assert "grabbed child [Redacted: A child's name or details] by" in text.replace("\n", " ")
        assert "grabbed child AB" in text
        assert sar.status == "released" and kept.case_references == subject.open_case.reference
        exports = audit_events(db, ObjectType.SUBJECT_ACCESS_BUNDLE, Verb.EXPORTED)
        assert exports[-1].details["sha256"] == kept.sha256

    def test_a_passage_not_in_the_item_and_an_item_not_in_the_bundle_are_refused(
        self, db, officer, subject, sar
    ):
        key = f"case:{subject.open_case.id}:referrer"
        with pytest.raises(ValidationFailed) as exc:
            service.add_redaction(
                db, officer, sar, RedactionCreate(item_key=key, passage="Nobody", reason="referrer")
            )
        assert "passage" in exc.value.errors
        hidden = f"case:{subject.restricted_case.id}:details"
        with pytest.raises(ValidationFailed) as exc:
            service.add_redaction(
                db, officer, sar, RedactionCreate(item_key=hidden, passage="Robin", reason="other_exemption")
            )
        assert "item_key" in exc.value.errors

    def test_released_redactions_never_change(self, db, officer, subject, sar):
        key = f"case:{subject.open_case.id}:referrer"
        row = service.add_redaction(
            db, officer, sar, RedactionCreate(item_key=key, passage="Dana Referrer", reason="referrer")
        )
        service.release(db, officer, sar)
        with pytest.raises(InvalidTransition):
            service.add_redaction(
                db, officer, sar, RedactionCreate(item_key=key, passage="Synthetic", reason="referrer")
            )
        with pytest.raises(InvalidTransition):
            service.remove_redaction(db, officer, sar, row.id)
        with pytest.raises(InvalidTransition):
            service.release(db, officer, sar)
        # Behind the service: the ORM refuses too.
        kept = db.get(Redaction, row.id)
        assert kept is not None
        kept.reason = "third_party"
        with pytest.raises(InvalidTransition):
            db.flush()
        db.rollback()

    def test_the_released_zip_is_not_found_by_a_reader_who_cannot_see_every_case_in_it(
        self, db, officer, manager, subject, sar
    ):
        service.release(db, manager, sar)  # the manager's bundle holds the restricted case
        with pytest.raises(NotFound):
            service.released_bundle(db, officer, sar)
        assert service.released_bundle(db, manager, sar).size > 0


class TestDocumentsAndMinutes:
    def test_a_document_is_an_item_and_its_original_goes_in_the_zip(self, db, officer, subject, sar):
        case = subject.open_case
        doc = documents.attach_document(
            db,
            officer,
            case,
            DocumentCreate(title="Employer's report"),
            documents.Upload("report.txt", io.BytesIO(b"The employer's synthetic report.")),
        )
        [item] = [i for i in service.bundle_of(db, officer, sar).items if i.key == f"document:{doc.id}"]
        assert "Employer's report" in item.text and "report.txt" in item.text
        _name, data = service.export_draft(db, officer, sar)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            [original] = [n for n in archive.namelist() if n.endswith("report.txt")]
            assert archive.read(original) == b"The employer's synthetic report."

    def test_finalised_minutes_are_an_item_and_a_draft_is_not(self, db, officer, subject, sar):
        case = subject.open_case
        meeting = meetings.record_meeting(db, officer, case, meeting_form())
        final = final_minutes(db, officer, case, meeting)
        minutes.start_draft(db, officer, case, meeting)  # a second version, still a draft
        keys = [i.key for i in service.bundle_of(db, officer, sar).items if i.key.startswith("minutes:")]
        assert keys == [f"minutes:{final.id}"]
        [item] = [i for i in service.bundle_of(db, officer, sar).items if i.key == keys[0]]
        assert "The employer described the incident." in item.text
