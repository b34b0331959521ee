"""Documents through HTTP: the tab and its upload form (GOV.UK error summary, input kept), the
download's headers, deletion with a reason, the JSON API, the chronology, the limits (a file over
the limit, a type that lies about itself, a malicious name), and who may see what."""

from __future__ import annotations

import io

import pytest

from app.config import get_settings
from app.documents import repository
from tests.documents.conftest import EXE, PDF, PNG, TEXT
from tests.helpers import audit_events, post_form, user_of_role

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


def attach(client, csrf, case_id, name="referral.pdf", content=PDF, **fields):
    return post_form(
        client,
        f"/cases/{case_id}/documents",
        fields,
        csrf,
        files={"file": (name, io.BytesIO(content), "application/octet-stream")},
    )


class TestDocumentsTab:
    def test_an_officer_attaches_lists_downloads_and_deletes_a_document(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        page = client.get(f"/cases/{case.id}/documents")
        assert (
            page.status_code == 200
            and "No documents attached yet" in page.text
            and "Attach a document" in page.text
        )
        resp = attach(client, csrf, case.id, title="Referral form", description="From the school")
        assert resp.status_code == 303
        [document] = repository.documents_of(db, case.id)
        assert resp.headers["location"].endswith(f"/cases/{case.id}/documents#document-{document.id}")
        page = client.get(f"/cases/{case.id}/documents")
        assert "Referral form" in page.text and "referral.pdf" in page.text and "PDF" in page.text
        download = client.get(f"/cases/{case.id}/documents/{document.id}/download")
        assert download.status_code == 200 and download.content == PDF
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["x-content-type-options"] == "nosniff"
        assert download.headers["content-disposition"].startswith('attachment; filename="referral.pdf"')
        assert audit_events(db, "document", "exported")[-1].object_id == str(document.id)
        form = client.get(f"/cases/{case.id}/documents/{document.id}/delete")
        assert form.status_code == 200 and "Why is it being deleted?" in form.text
        empty = post_form(client, f"/cases/{case.id}/documents/{document.id}/delete", {"reason": ""}, csrf)
        assert empty.status_code == 422 and "govuk-error-summary" in empty.text
        resp = post_form(
            client, f"/cases/{case.id}/documents/{document.id}/delete", {"reason": "Wrong case"}, csrf
        )
        assert resp.status_code == 303
        page = client.get(f"/cases/{case.id}/documents")
        assert "No documents attached yet" in page.text and "Wrong case" in page.text
        assert client.get(f"/cases/{case.id}/documents/{document.id}/download").status_code == 404
        again = post_form(
            client, f"/cases/{case.id}/documents/{document.id}/delete", {"reason": "Again"}, csrf
        )
        assert again.status_code == 409 and "already been deleted" in again.text

    def test_attachments_and_deletions_are_in_the_chronology(self, officer, case, browser, db):
        client, csrf = browser(officer.user)
        attach(client, csrf, case.id, title="Police disclosure")
        [document] = repository.documents_of(db, case.id)
        post_form(client, f"/cases/{case.id}/documents/{document.id}/delete", {"reason": "Duplicate"}, csrf)
        history = client.get(f"/cases/{case.id}/history")
        assert "Document attached" in history.text and "Document deleted" in history.text
        assert "Documents" in client.get(f"/cases/{case.id}/history?kind=documents").text

    def test_a_malicious_file_name_is_harmless(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        name = "../../etc/pass\u202ewd<script>.txt"  # quotes and line breaks: test_content.py
        assert attach(client, csrf, case.id, name=name, content=TEXT).status_code == 303
        [document] = repository.documents_of(db, case.id)
        assert document.file_name == "passwd<script>.txt"
        page = client.get(f"/cases/{case.id}/documents")
        assert "<script>" not in page.text and "&lt;script&gt;" in page.text
        header = client.get(f"/cases/{case.id}/documents/{document.id}/download").headers[
            "content-disposition"
        ]
        assert header.startswith("attachment; filename=\"passwd_script_.txt\"; filename*=UTF-8''")
        assert "/" not in header.split("filename*=")[1] and "\u202e" not in header

    def test_a_type_that_lies_about_itself_is_refused_with_the_input_kept(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        resp = attach(client, csrf, case.id, name="minutes.pdf", content=EXE, title="Strategy minutes")
        assert resp.status_code == 422 and "govuk-error-summary" in resp.text
        assert "The file is called .pdf but it is not a PDF: it is a .exe file" in resp.text
        assert 'value="Strategy minutes"' in resp.text
        resp = attach(client, csrf, case.id, name="photo.docx", content=PNG)
        assert resp.status_code == 422 and "it is a PNG image" in resp.text
        assert repository.documents_of(db, case.id) == []

    def test_a_file_over_the_limit_is_refused(self, db, officer, case, browser, monkeypatch):
        monkeypatch.setattr(get_settings(), "max_upload_mb", 1)
        client, csrf = browser(officer.user)
        just_over = TEXT * (1024 * 1024 // len(TEXT) + 1)  # past the file limit, within the body's room
        resp = attach(client, csrf, case.id, name="notes.txt", content=just_over, title="Long notes")
        assert (
            resp.status_code == 413 and "smaller than 1 MB" in resp.text and 'value="Long notes"' in resp.text
        )
        far_over = TEXT * (2 * 1024 * 1024 // len(TEXT))  # refused by the body limit, as it arrives
        resp = attach(client, csrf, case.id, name="notes.txt", content=far_over)
        assert resp.status_code == 413 and "smaller than 1 MB" in resp.text
        api = client.post(
            f"{API}/cases/{case.id}/documents",
            files={"file": ("notes.txt", io.BytesIO(far_over), "text/plain")},
            headers={"X-CSRF-Token": csrf},
        )
        assert api.status_code == 413 and api.json()["status"] == 413
        assert repository.documents_of(db, case.id) == []

    def test_an_empty_form_says_what_to_do(self, officer, case, browser):
        client, csrf = browser(officer.user)
        resp = post_form(client, f"/cases/{case.id}/documents", {"title": ""}, csrf)
        assert resp.status_code == 422 and "Choose a file to attach" in resp.text


class TestTheJsonApi:
    def test_upload_list_download_and_delete(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        headers = {"X-CSRF-Token": csrf}
        resp = client.post(
            f"{API}/cases/{case.id}/documents",
            data={"title": "Photo of the room"},
            files={"file": ("room.png", io.BytesIO(PNG), "image/png")},
            headers=headers,
        )
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["media_type"] == "image/png" and body["title"] == "Photo of the room"
        assert resp.headers["location"] == f"{API}/cases/{case.id}/documents/{body['id']}"
        listed = client.get(f"{API}/cases/{case.id}/documents").json()
        assert [d["id"] for d in listed["documents"]] == [body["id"]]
        download = client.get(f"{API}/cases/{case.id}/documents/{body['id']}")
        assert download.content == PNG and download.headers["content-type"] == "image/png"
        lying = client.post(
            f"{API}/cases/{case.id}/documents",
            files={"file": ("x.pdf", io.BytesIO(EXE), "application/pdf")},
            headers=headers,
        )
        assert lying.status_code == 422 and lying.json()["errors"][0]["field"] == "file"
        no_reason = client.request(
            "DELETE", f"{API}/cases/{case.id}/documents/{body['id']}", json={}, headers=headers
        )
        assert no_reason.status_code == 422
        gone = client.request(
            "DELETE",
            f"{API}/cases/{case.id}/documents/{body['id']}",
            json={"reason": "Blurred"},
            headers=headers,
        )
        assert gone.status_code == 204
        again = client.request(
            "DELETE",
            f"{API}/cases/{case.id}/documents/{body['id']}",
            json={"reason": "Blurred"},
            headers=headers,
        )
        assert again.status_code == 409
        assert client.get(f"{API}/cases/{case.id}/documents").json()["documents"] == []


class TestWhoMaySeeDocuments:
    @pytest.fixture
    def document(self, db, officer, case, browser):
        client, csrf = browser(officer.user)
        attach(client, csrf, case.id, title="Police disclosure")
        [document] = repository.documents_of(db, case.id)
        return document

    def test_an_officer_not_named_on_a_restricted_case_gets_404_everywhere(
        self, factory, case, document, browser
    ):
        client, csrf = browser(factory.user("lado"))
        base = f"/cases/{case.id}/documents"
        assert client.get(base).status_code == 404
        assert client.get(f"{base}/{document.id}/download").status_code == 404
        assert client.get(f"{base}/{document.id}/delete").status_code == 404
        assert attach(client, csrf, case.id).status_code == 404
        assert post_form(client, f"{base}/{document.id}/delete", {"reason": "x"}, csrf).status_code == 404
        headers = {"X-CSRF-Token": csrf}
        assert client.get(f"{API}{base}").status_code == 404
        assert client.get(f"{API}{base}/{document.id}").status_code == 404
        api_upload = client.post(f"{API}{base}", files={"file": ("a.pdf", io.BytesIO(PDF))}, headers=headers)
        assert api_upload.status_code == 404
        api_delete = client.request(
            "DELETE", f"{API}{base}/{document.id}", json={"reason": "x"}, headers=headers
        )
        assert api_delete.status_code == 404
        assert document.deleted_at is None

    def test_an_hr_liaison_never_sees_documents(self, factory, case, document, browser):
        client, csrf = browser(user_of_role(factory, "hr_liaison"))
        base = f"/cases/{case.id}/documents"
        for url in (base, f"{base}/{document.id}/download", f"{API}{base}", f"{API}{base}/{document.id}"):
            resp = client.get(url)
            assert resp.status_code in (403, 404) and b"Police disclosure" not in resp.content
        assert attach(client, csrf, case.id).status_code == 403

    def test_a_manager_reads_and_downloads_but_does_not_attach(self, factory, case, document, browser):
        client, csrf = browser(factory.user("manager"))
        page = client.get(f"/cases/{case.id}/documents")
        assert (
            page.status_code == 200
            and "Police disclosure" in page.text
            and "Attach a document" not in page.text
        )
        assert client.get(f"/cases/{case.id}/documents/{document.id}/download").content == PDF
        assert attach(client, csrf, case.id).status_code == 403
