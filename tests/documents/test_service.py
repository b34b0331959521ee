"""Documents through their services on a real database and a real folder: attaching (type from
the content, size limit, dedup by hash, meetings and allegations of the case only), downloading,
deleting with a reason, destroying a case's documents, the audit of each, and the case scope."""

from __future__ import annotations

import hashlib

import pytest

from app.cases import outcomes
from app.cases.schemas import AllegationCreate
from app.config import get_settings
from app.documents import repository, service
from app.documents.schemas import DocumentCreate, DocumentDelete
from app.documents.storage import LocalFolderStorage
from app.errors import Conflict, NotFound, TooLarge, ValidationFailed
from app.meetings import service as meetings
from tests.documents.conftest import EXE, PDF, PNG, TEXT, upload
from tests.helpers import audit_events
from tests.meetings.test_service import meeting_form
from tests.people.support import open_case


def store(documents_dir) -> LocalFolderStorage:
    return LocalFolderStorage(documents_dir)


def blob_files(documents_dir) -> list:
    return [
        p for p in documents_dir.rglob("*") if p.is_file() and "tmp" not in p.relative_to(documents_dir).parts
    ]


class TestAttachDocument:
    def test_a_pdf_is_stored_by_its_hash_and_audited_on_the_case(self, db, officer, case, documents_dir):
        document = service.attach_document(
            db, officer, case, DocumentCreate(title="Referral form"), upload("referral.pdf", PDF)
        )
        sha = hashlib.sha256(PDF).hexdigest()
        assert (document.media_type, document.size, document.sha256) == ("application/pdf", len(PDF), sha)
        assert document.title == "Referral form" and document.file_name == "referral.pdf"
        assert document.uploaded_by_id == officer.user.id
        assert store(documents_dir).path_of(sha).read_bytes() == PDF
        [event] = audit_events(db, "document", "created")
        assert event.case_id == case.id and event.object_id == str(document.id)
        assert (
            event.details["file_name"] == "referral.pdf" and event.details["media_type"] == "application/pdf"
        )

    def test_the_title_defaults_to_the_cleaned_file_name(self, db, officer, case):
        document = service.attach_document(
            db, officer, case, DocumentCreate(), upload("../../etc/passwd.txt", TEXT)
        )
        assert document.file_name == "passwd.txt" and document.title == "passwd.txt"

    def test_the_same_bytes_twice_are_stored_once(self, db, officer, case, documents_dir):
        first = service.attach_document(db, officer, case, DocumentCreate(), upload("a.png", PNG))
        second = service.attach_document(db, officer, case, DocumentCreate(), upload("b.png", PNG))
        assert first.id != second.id and first.sha256 == second.sha256
        assert [p.name for p in blob_files(documents_dir) if p.name == first.sha256] == [first.sha256]

    def test_a_type_that_lies_about_itself_is_refused_and_nothing_is_stored(
        self, db, officer, case, documents_dir
    ):
        with pytest.raises(ValidationFailed) as refused:
            service.attach_document(db, officer, case, DocumentCreate(), upload("minutes.pdf", EXE))
        assert "it is not a PDF" in refused.value.errors["file"]
        assert not store(documents_dir).path_of(hashlib.sha256(EXE).hexdigest()).exists()

    def test_a_file_over_the_limit_is_refused(self, db, officer, case, monkeypatch):
        monkeypatch.setattr(get_settings(), "max_upload_mb", 1)
        big = TEXT * (1024 * 1024 // len(TEXT) + 1)
        with pytest.raises(TooLarge, match="smaller than 1 MB"):
            service.attach_document(db, officer, case, DocumentCreate(), upload("big.txt", big))
        assert repository.documents_of(db, case.id) == []

    def test_no_file_is_a_field_error(self, db, officer, case):
        with pytest.raises(ValidationFailed) as refused:
            service.attach_document(db, officer, case, DocumentCreate(), None)
        assert refused.value.errors == {"file": "Choose a file to attach"}

    def test_it_can_be_attached_to_a_meeting_or_allegation_of_the_case_only(self, db, factory, officer, case):
        meeting = meetings.record_meeting(db, officer, case, meeting_form())
        allegation = outcomes.add_allegation(
            db, officer, case, AllegationCreate(description="Pushed a pupil", category_code="physical")
        )
        on_meeting = service.attach_document(
            db, officer, case, DocumentCreate(meeting_id=meeting.id), upload("minutes.pdf", PDF)
        )
        on_allegation = service.attach_document(
            db, officer, case, DocumentCreate(allegation_id=allegation.id), upload("photo.png", PNG)
        )
        assert on_meeting.meeting_id == meeting.id and on_allegation.allegation_id == allegation.id
        other = open_case(db, factory, officer)
        other_meeting = meetings.record_meeting(db, officer, other, meeting_form())
        with pytest.raises(ValidationFailed) as refused:
            service.attach_document(
                db, officer, case, DocumentCreate(meeting_id=other_meeting.id), upload("m.pdf", PDF)
            )
        assert refused.value.errors == {"attached_to": "Choose a meeting of this case"}


class TestDeleteDocument:
    def test_a_deletion_keeps_the_row_with_its_reason_and_removes_the_bytes_at_commit(
        self, db, officer, case, documents_dir
    ):
        document = service.attach_document(db, officer, case, DocumentCreate(), upload("r.pdf", PDF))
        db.commit()
        path = store(documents_dir).path_of(document.sha256)
        assert path.exists()
        service.delete_document(db, officer, case, document.id, DocumentDelete(reason="Wrong case"))
        with db.begin_nested():  # a savepoint released is not the transaction committed
            pass
        with pytest.raises(RuntimeError), db.begin_nested():
            raise RuntimeError("a savepoint rolled back")
        assert path.exists(), "the bytes stay until the deletion commits"
        db.commit()
        assert not path.exists()
        assert document.deleted_reason == "Wrong case" and document.deleted_by_id == officer.user.id
        assert repository.documents_of(db, case.id) == []
        assert repository.documents_of(db, case.id, deleted=True) == [document]
        [event] = audit_events(db, "document", "deleted")
        assert event.details == {"title": "r.pdf", "reason": "Wrong case"}
        with pytest.raises(Conflict):
            service.delete_document(db, officer, case, document.id, DocumentDelete(reason="Again"))

    def test_bytes_another_live_document_holds_are_kept(self, db, officer, case, documents_dir):
        first = service.attach_document(db, officer, case, DocumentCreate(), upload("a.pdf", PDF))
        service.attach_document(db, officer, case, DocumentCreate(), upload("b.pdf", PDF))
        service.delete_document(db, officer, case, first.id, DocumentDelete(reason="Duplicate"))
        db.commit()
        assert store(documents_dir).path_of(first.sha256).exists()

    def test_a_rolled_back_upload_leaves_no_bytes(self, db, officer, case, documents_dir):
        content = b"Only in a transaction that rolls back (synthetic)."
        document = service.attach_document(db, officer, case, DocumentCreate(), upload("x.txt", content))
        path = store(documents_dir).path_of(document.sha256)
        assert path.exists()
        db.rollback()
        assert not path.exists()


class TestForOtherParts:
    def test_list_read_and_destroy_follow_the_case_scope(self, db, factory, officer, case, documents_dir):
        content = b"Police disclosure (synthetic) for destruction."
        document = service.attach_document(db, officer, case, DocumentCreate(), upload("d.txt", content))
        gone = service.attach_document(db, officer, case, DocumentCreate(), upload("e.pdf", PDF))
        service.delete_document(db, officer, case, gone.id, DocumentDelete(reason="Superseded"))
        assert service.list_case_documents(db, officer, case.id) == [document]
        assert service.read_document(db, officer, case.id, document.id) == content
        stranger = factory.actor("lado")
        with pytest.raises(NotFound):
            service.list_case_documents(db, stranger, case.id)
        with pytest.raises(NotFound):
            service.read_document(db, stranger, case.id, document.id)
        with pytest.raises(NotFound):
            service.destroy_case_documents(db, stranger, case.id)
        manager = factory.actor("manager")
        assert service.destroy_case_documents(db, manager, case.id) == 2
        db.commit()
        assert (
            repository.documents_of(db, case.id) == []
            and repository.documents_of(db, case.id, deleted=True) == []
        )
        assert not store(documents_dir).path_of(document.sha256).exists()
        [event] = audit_events(db, "document_list", "deleted")
        assert event.details == {"destroyed": 2} and event.case_id == case.id
