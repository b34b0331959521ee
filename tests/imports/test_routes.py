"""The administrator's upload page, through HTTP as a browser uses it."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.cases.models import Case
from app.imports import routes
from tests.helpers import sign_in
from tests.imports.conftest import row_counts
from tests.imports.sample import csv_text
from tests.imports.test_service import GOOD


def case_counts(db) -> dict[str, int]:
    counts = row_counts(db)
    del counts["audit_events"]
    return counts


def upload(client, csrf: str, content: bytes | str, filename: str = "cases.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        "/admin/import", data={"csrf_token": csrf}, files={"file": (filename, data, "text/csv")}
    )


@pytest.fixture
def admin_csrf(client, factory):
    return sign_in(client, factory.user("admin").email)


class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, client):
        resp = client.get("/admin/import")
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/sign-in")

    @pytest.mark.parametrize("role", ["lado", "manager", "hr_liaison"])
    def test_other_roles_are_refused(self, client, factory, db, role):
        orgs = [factory.organisation().name] if role == "hr_liaison" else None
        csrf = sign_in(client, factory.user(role, organisations=orgs).email)
        assert client.get("/admin/import").status_code == 403
        before = case_counts(db)
        assert upload(client, csrf, csv_text(GOOD)).status_code == 403
        assert case_counts(db) == before  # (the refusal itself is audited)

    def test_upload_without_csrf_token_is_refused(self, client, factory, db, admin_csrf):
        before = case_counts(db)
        resp = client.post(
            "/admin/import", files={"file": ("cases.csv", csv_text(GOOD).encode(), "text/csv")}
        )
        assert resp.status_code == 403
        assert case_counts(db) == before


class TestUpload:
    def test_form(self, client, admin_csrf):
        page = client.get("/admin/import")
        assert page.status_code == 200
        assert 'enctype="multipart/form-data"' in page.text
        assert 'type="file"' in page.text and 'name="file"' in page.text

    def test_clean_file_is_imported_and_summarised_by_year(self, client, db, admin_csrf):
        resp = upload(client, admin_csrf, csv_text(GOOD), filename="earlier-years.csv")
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/admin/import?import=")
        assert db.scalar(select(Case).where(Case.reference == "A-1")) is not None

        page = client.get(resp.headers["location"])
        assert page.status_code == 200
        assert "Imported 5 cases" in page.text
        assert "earlier-years.csv" in page.text
        assert "by reporting year" in page.text
        assert ">2018-19</th>" in page.text and ">2019-20</th>" in page.text

    def test_file_with_problems_shows_them_all_and_writes_nothing(self, client, db, admin_csrf):
        before = row_counts(db)
        rows = [
            GOOD[1],
            {**GOOD[3], "sector": "<b>nowhere</b>"},
            {**GOOD[4], "received_date": "2019-02-30"},
            {**GOOD[2], "reference": "A-2"},
        ]
        resp = upload(client, admin_csrf, csv_text(rows))

        assert resp.status_code == 422
        assert row_counts(db) == before
        assert "govuk-error-summary" in resp.text
        assert "<title>Error: " in resp.text
        assert "<b>nowhere</b>" not in resp.text  # the file's text is escaped
        for expected in [
            'line 3, column sector: "<b>nowhere</b>" is not a sector code',
            'line 4, column received_date: "2019-02-30" is not a real date',
            'line 5, column reference: "A-2" is also on line 2',
        ]:
            assert str(escape(expected)) in resp.text
        assert "The file has 3 problems; no cases were imported" in resp.text

    def test_long_lists_of_problems_are_cut_at_200(self, client, db, admin_csrf):
        rows = [{**GOOD[1], "reference": f"R-{n}", "sector": "unknown"} for n in range(230)]
        resp = upload(client, admin_csrf, csv_text(rows))
        assert resp.status_code == 422
        assert "line 201, column sector" in resp.text
        assert "line 202, column sector" not in resp.text
        assert "and 30 more problems not shown" in resp.text

    @pytest.mark.parametrize(
        "filename, content, message",
        [
            ("", b"", "Select a CSV file to import"),
            ("cases.xlsx", b"PK\x03\x04", "The selected file must be a CSV file"),
            ("cases.csv", b"", "The selected file is empty"),
        ],
    )
    def test_upload_problems(self, client, db, admin_csrf, filename, content, message):
        before = row_counts(db)
        resp = upload(client, admin_csrf, content, filename=filename)
        assert resp.status_code == 422
        assert message in resp.text
        assert row_counts(db) == before

    def test_no_file_field_at_all(self, client, admin_csrf):
        resp = client.post(
            "/admin/import",
            data={"csrf_token": admin_csrf},
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert resp.status_code == 422
        assert "Select a CSV file to import" in resp.text

    def test_too_large_file_is_refused(self, client, db, admin_csrf, monkeypatch):
        monkeypatch.setattr(routes, "MAX_UPLOAD_BYTES", 1024 * 1024)
        before = row_counts(db)
        resp = upload(client, admin_csrf, b"x" * (1024 * 1024 + 1))
        assert resp.status_code == 422
        assert "The selected file must be smaller than 1 MB" in resp.text
        assert row_counts(db) == before
