"""`lado import-cases` against the test database: it opens and commits its own transaction."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app import db as app_db
from app.audit.models import AuditEvent
from app.cases.models import Case
from app.cli import main
from app.imports import service
from app.users.models import User
from tests.imports.conftest import row_counts
from tests.imports.sample import csv_text
from tests.imports.test_service import GOOD

pytestmark = pytest.mark.committed


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str | bytes, name: str = "cases.csv"):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return str(path)

    return write


def invoke(*args: str):
    return CliRunner().invoke(main, ["import-cases", *args])


class TestImportCasesCommand:
    def test_imports_as_the_system_user_and_prints_a_summary_by_year(self, committed_engine, csv_file):
        result = invoke(csv_file(csv_text(GOOD)))

        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            "Imported 5 cases.",
            "By reporting year (the year each case was received; years start in April):",
            "  2018-19          1",
            "  2019-20          4",
        ]
        with app_db.session_scope() as s:
            user = s.scalar(select(User).where(User.name == "import"))
            assert user is not None and user.role == "admin" and user.is_active is False
            assert not user.password_hash.startswith("$argon2")
            assert (
                s.scalars(select(Case.created_by_id).where(Case.reference.like("A-%"))).all() == [user.id] * 5
            )
            actors = s.scalars(select(AuditEvent.actor_id).where(AuditEvent.verb == "imported")).all()
            assert actors == [user.id] * 6

    def test_the_system_user_is_reused(self, committed_engine, csv_file):
        assert invoke(csv_file(csv_text(GOOD[:1]), "one.csv")).exit_code == 0
        assert invoke(csv_file(csv_text(GOOD[1:2]), "two.csv")).exit_code == 0
        with app_db.session_scope() as s:
            assert len(s.scalars(select(User).where(User.name == "import")).all()) == 1

    def test_as_names_an_existing_user_by_email(self, committed_engine, csv_file):
        from app.users.service import create_user

        with app_db.session_scope() as s:
            create_user(
                s,
                None,
                email="lado.lead@example.test",
                name="Lead Synthetic",
                role="lado",
                password="correct horse battery staple",
            )
        result = invoke(csv_file(csv_text(GOOD[:2])), "--as", "LADO.lead@example.test")
        assert result.exit_code == 0, result.output
        with app_db.session_scope() as s:
            lead = s.scalar(select(User).where(User.email == "lado.lead@example.test"))
            assert s.scalars(select(Case.created_by_id)).all() == [lead.id] * 2
            assert s.scalar(select(User).where(User.name == "import")) is None

    def test_unknown_user_is_refused(self, committed_engine, csv_file):
        result = invoke(csv_file(csv_text(GOOD)), "--as", "nobody@example.test")
        assert result.exit_code == 2
        assert '--as: there is no user with the e-mail address or name "nobody@example.test"' in result.stderr
        with app_db.session_scope() as s:
            assert row_counts(s)["cases"] == 0

    def test_problems_go_to_stderr_and_nothing_is_written(self, committed_engine, csv_file):
        assert invoke(csv_file(csv_text(GOOD[1:2]), "first.csv")).exit_code == 0
        with app_db.session_scope() as s:
            before = row_counts(s)
        rows = [GOOD[0], {**GOOD[3], "sector": "shipping"}, GOOD[1], {**GOOD[4], "summary": "=1+1"}]
        result = invoke(csv_file(csv_text(rows), "second.csv"))

        assert result.exit_code == 1
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        # GOOD[0]'s summary holds a line break, so it fills lines 2 and 3
        assert lines[0].startswith('line 4, column sector: "shipping" is not a sector code')
        assert lines[1] == (
            'line 5, column reference: a case with reference "A-2" already exists; an import never '
            "updates a case, so remove this row or change its reference"
        )
        assert lines[2].startswith('line 6, column summary: the text starts with "="')
        assert lines[-2:] == ["3 problems found.", "No cases were imported."]
        with app_db.session_scope() as s:
            assert row_counts(s) == before

    def test_non_utf8_file(self, committed_engine, csv_file):
        data = csv_text(GOOD[1:2]).encode("utf-8").replace(b"health", b"h\xe9alth", 1)
        result = invoke(csv_file(data))
        assert result.exit_code == 1
        assert result.stderr.startswith(
            "line 2, column sector: the file is not UTF-8 text: byte 0xE9 at byte position"
        )

    def test_prints_progress_on_stderr(self, committed_engine, csv_file, monkeypatch):
        monkeypatch.setattr(service, "BATCH_SIZE", 2)
        monkeypatch.setattr(service, "PROGRESS_EVERY", 2)
        rows = [{**GOOD[1], "reference": f"P-{n}"} for n in range(5)]
        result = invoke(csv_file(csv_text(rows)))
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines() == [
            "checked 2 rows",
            "checked 4 rows",
            "checked 5 rows - no problems found",
            "imported 2 of 5",
            "imported 4 of 5",
            "imported 5 of 5",
        ]
