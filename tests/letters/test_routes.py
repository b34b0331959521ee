"""The LADO's letter pages through HTTP: the whole journey in the open_client, refusals shown on the
page, Word round trip, who may do what, CSRF on every form."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from sqlalchemy import func, select

from app.letters.models import Letter
from app.outbox.models import OutboxMessage
from tests.letters.conftest import signed_in


def letter_id_from(resp) -> int:
    assert resp.status_code == 303, resp.text
    return int(re.search(r"/letters/(\d+)$", resp.headers["location"]).group(1))


@pytest.fixture
def lado_browser(open_client, lado):
    return signed_in(open_client, lado.user)


def start(client, csrf, case, kind="employer_outcome") -> int:
    return letter_id_from(client.post(f"/cases/{case.id}/letters", data={"kind": kind, "csrf_token": csrf}))


def test_a_concluded_case_to_a_finalised_letter_in_the_browser(db, journey, lado_browser):
    client, csrf = lado_browser
    case = journey.case()
    page = client.get(f"/cases/{case.id}/letters")
    assert page.status_code == 200 and 'id="letters"' in page.text and "Start a draft" in page.text

    lid = start(client, csrf, case)
    page = client.get(f"/cases/{case.id}/letters/{lid}")
    assert page.status_code == 200
    assert case.reference in page.text and "Finalise the letter" in page.text and "Draft" in page.text
    assert page.headers["cache-control"] == "no-store"

    edit = client.get(f"/cases/{case.id}/letters/{lid}/edit")
    assert edit.status_code == 200 and "Jo Liaison" in edit.text
    letter = db.get(Letter, lid)
    body = letter.body + "\n<script>alert('x')</script> & <b>not bold</b>\n"
    resp = client.post(
        f"/cases/{case.id}/letters/{lid}/edit",
        data={
            "body": body,
            "contact_id": str(letter.contact_id),
            "row_version": str(letter.row_version),
            "csrf_token": csrf,
        },
    )
    assert resp.status_code == 303
    page = client.get(f"/cases/{case.id}/letters/{lid}")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;not bold&lt;/b&gt;" in page.text
    assert "<script>alert" not in page.text

    resp = client.post(
        f"/cases/{case.id}/letters/{lid}/finalise",
        data={"row_version": str(db.get(Letter, lid).row_version), "csrf_token": csrf},
    )
    assert resp.status_code == 303, resp.text
    assert db.get(Letter, lid).status == "final"
    pdf = client.get(f"/cases/{case.id}/letters/{lid}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.headers["cache-control"] == "no-store"
    assert f'filename="{case.reference}-outcome-letter-v1.pdf"' in pdf.headers["content-disposition"]
    page = client.get(f"/cases/{case.id}/letters")
    assert "Final, " in page.text and "Queued" in page.text and "Not yet acknowledged (due by" in page.text


def test_finalising_with_missing_outcomes_lists_them_and_changes_nothing(db, journey, lado_browser):
    client, csrf = lado_browser
    case = journey.case(outcomes=("substantiated", None), conclude=False)
    lid = start(client, csrf, case)
    page = client.get(f"/cases/{case.id}/letters/{lid}")
    assert "Allegation 2 (Physical) has no outcome" in page.text
    resp = client.post(f"/cases/{case.id}/letters/{lid}/finalise", data={"csrf_token": csrf})
    assert resp.status_code == 422
    assert (
        "There is a problem" in resp.text
        and "Allegation 2 (Physical) has no outcome: record its outcome" in resp.text
    )
    assert db.get(Letter, lid).status == "draft"
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_word_round_trip(db, journey, lado_browser):
    client, csrf = lado_browser
    case = journey.case()
    lid = start(client, csrf, case)
    resp = client.get(f"/cases/{case.id}/letters/{lid}/docx")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    document = Document(io.BytesIO(resp.content))
    document.add_heading("A heading added in Word", level=2)
    document.add_paragraph("A paragraph added in Word.")
    out = io.BytesIO()
    document.save(out)
    resp = client.post(
        f"/cases/{case.id}/letters/{lid}/docx",
        data={"csrf_token": csrf},
        files={"file": ("edited.docx", out.getvalue(), "application/octet-stream")},
    )
    assert resp.status_code == 303, resp.text
    body = db.get(Letter, lid).body
    assert body.endswith("## A heading added in Word\n\nA paragraph added in Word.\n")
    assert case.reference in body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.docx", b"just text", "must be a Word document"),
        ("letter.txt", b"PK\x03\x04", "must be a Word document"),
        ("letter.docx", b"", "The selected file is empty"),
        ("letter.docx", b"PK" + b"\0" * (2 * 1024 * 1024), "must be smaller than 2 MB"),
    ],
)
def test_a_bad_upload_is_refused_and_changes_nothing(db, journey, lado_browser, name, content, message):
    client, csrf = lado_browser
    case = journey.case()
    lid = start(client, csrf, case)
    before = db.get(Letter, lid).body
    resp = client.post(
        f"/cases/{case.id}/letters/{lid}/docx",
        data={"csrf_token": csrf},
        files={"file": (name, content, "application/octet-stream")},
    )
    assert resp.status_code == 422 and message in resp.text
    db.expire_all()
    assert db.get(Letter, lid).body == before


def test_a_zip_that_is_not_a_word_document_is_refused(db, journey, lado_browser):
    import zipfile

    client, csrf = lado_browser
    case = journey.case()
    lid = start(client, csrf, case)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not word")
    resp = client.post(
        f"/cases/{case.id}/letters/{lid}/docx",
        data={"csrf_token": csrf},
        files={"file": ("x.docx", out.getvalue(), "application/octet-stream")},
    )
    assert resp.status_code == 422 and "must be a Word document" in resp.text


def test_a_correction_through_the_pages(db, journey, lado_browser):
    client, csrf = lado_browser
    case = journey.case()
    lid = start(client, csrf, case)
    assert (
        client.post(f"/cases/{case.id}/letters/{lid}/finalise", data={"csrf_token": csrf}).status_code == 303
    )
    edit = client.post(f"/cases/{case.id}/letters/{lid}/edit", data={"body": "changed", "csrf_token": csrf})
    assert edit.status_code == 409 and "never changes" in edit.text
    second = letter_id_from(
        client.post(f"/cases/{case.id}/letters/{lid}/correction", data={"csrf_token": csrf})
    )
    page = client.get(f"/cases/{case.id}/letters/{second}")
    assert "corrects and replaces" in page.text and "version 1" in page.text
    first_page = client.get(f"/cases/{case.id}/letters/{lid}")
    assert "Version 2 (a draft) replaces this letter" in first_page.text


def test_manager_reads_but_cannot_write_hr_and_admin_cannot_read(db, journey, lado, factory, open_client):
    case = journey.case()
    from app.letters import service
    from app.letters.models import LetterKind
    from app.letters.schemas import Finalise

    letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    service.finalise(db, lado, case, letter, Finalise())
    manager, mcsrf = signed_in(open_client, factory.user("manager"))
    assert manager.get(f"/cases/{case.id}/letters/{letter.id}").status_code == 200
    assert manager.get(f"/cases/{case.id}/letters/{letter.id}/pdf").status_code == 200
    assert manager.get("/letters/unacknowledged").status_code == 200
    assert (
        manager.post(f"/cases/{case.id}/letters", data={"kind": "adult", "csrf_token": mcsrf}).status_code
        == 403
    )
    assert (
        manager.post(
            f"/cases/{case.id}/letters/{letter.id}/correction", data={"csrf_token": mcsrf}
        ).status_code
        == 403
    )
    for role, kwargs in (("admin", {}), ("hr_liaison", {"organisations": [case.organisation.name]})):
        other, _ = signed_in(open_client, factory.user(role, **kwargs))
        for url in (
            f"/cases/{case.id}/letters/{letter.id}",
            f"/cases/{case.id}/letters/{letter.id}/pdf",
            "/letters/unacknowledged",
        ):
            resp = other.get(url)
            assert resp.status_code == 403 and case.reference not in resp.text, (role, url)


def test_a_restricted_cases_letters_are_not_found_for_other_officers(db, journey, factory, lado, open_client):
    case = journey.case(restricted=True)
    assert lado.user in case.officers  # the officer who opened it
    from app.letters import service
    from app.letters.models import LetterKind

    letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    other, csrf = signed_in(open_client, factory.user("lado"))
    for url in (
        f"/cases/{case.id}/letters/{letter.id}",
        f"/cases/{case.id}/letters/{letter.id}/docx",
        f"/cases/{case.id}/letters/{letter.id}/edit",
    ):
        resp = other.get(url)
        assert resp.status_code == 404 and case.reference not in resp.text, url
    resp = other.post(f"/cases/{case.id}/letters/{letter.id}/finalise", data={"csrf_token": csrf})
    assert resp.status_code == 404 and db.get(Letter, letter.id).status == "draft"
    assert other.get("/letters/unacknowledged").status_code == 200


def test_every_letter_form_refuses_a_post_without_the_csrf_token(db, journey, lado_browser):
    client, csrf = lado_browser
    case = journey.case()
    lid = start(client, csrf, case)
    before = db.get(Letter, lid).body
    for path in (
        f"/cases/{case.id}/letters",
        f"/cases/{case.id}/letters/{lid}/edit",
        f"/cases/{case.id}/letters/{lid}/regenerate",
        f"/cases/{case.id}/letters/{lid}/docx",
        f"/cases/{case.id}/letters/{lid}/finalise",
        f"/cases/{case.id}/letters/{lid}/correction",
        f"/cases/{case.id}/letters/{lid}/discard",
    ):
        resp = client.post(path, data={"kind": "adult", "body": "Forged."})
        assert resp.status_code == 403, path
        forged = client.post(
            path,
            data={"kind": "adult", "body": "Forged.", "csrf_token": csrf},
            headers={"Origin": "https://evil.example"},
        )
        assert forged.status_code == 403, path
    db.expire_all()
    letters = db.scalars(select(Letter).where(Letter.case_id == case.id)).all()
    assert [(x.id, x.status, x.body) for x in letters] == [(lid, "draft", before)]
