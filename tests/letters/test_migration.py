"""Migration 0016 corrects the seeded letter templates' wording on records and references where
they are still as seeded, flags an administrator's edited template for review instead of
overwriting it, and its downgrade gives an untouched template its seeded text back."""

from __future__ import annotations

import hashlib

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.letters.models import LetterTemplate
from tests.conftest import alembic_config, scratch_engine

SCRIPTS = ScriptDirectory.from_config(alembic_config())
SEEDING = SCRIPTS.get_revision("0004_letters").module
WORDING = SCRIPTS.get_revision("0016_letter_wording").module
SEEDED = {"employer_outcome": SEEDING.EMPLOYER_OUTCOME, "adult": SEEDING.ADULT}


def corrected(kind: str) -> str:
    old, new = WORDING.SECTIONS[kind]
    return SEEDED[kind].replace(old, new)


def rows(conn) -> dict[str, tuple]:
    columns = {c["name"] for c in inspect(conn).get_columns("letter_templates")}
    review = "review_reason" if "review_reason" in columns else "NULL"
    found = conn.execute(text(f"SELECT kind, body, {review} FROM letter_templates ORDER BY kind"))
    return {kind: (body, reason) for kind, body, reason in found}


def test_a_new_database_starts_from_the_corrected_templates(db):
    for kind in ("employer_outcome", "adult"):
        template = db.get(LetterTemplate, kind)
        assert template.body == corrected(kind) and template.review_reason is None
        digest = hashlib.sha256(template.body.strip().encode()).hexdigest()
        assert digest == WORDING.CORRECTED_SHA256[kind]
        assert "Remove the details of any allegation found to be malicious" not in template.body


def test_0016_corrects_untouched_templates_flags_edited_ones_and_downgrades():
    # Saved through the form without a change: a textarea's CRLF, and the text stripped.
    resaved = SEEDED["employer_outcome"].replace("\n", "\r\n").strip()
    edited = SEEDED["adult"].replace("Dear {{ adult.name }},", "Dear {{ adult.name }}, (our own wording)")
    with scratch_engine() as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0015_consultations")
            assert rows(conn) == {
                "adult": (SEEDED["adult"], None),
                "employer_outcome": (SEEDED["employer_outcome"], None),
            }
            conn.execute(
                text("UPDATE letter_templates SET body = :b WHERE kind = 'employer_outcome'"), {"b": resaved}
            )
            conn.execute(text("UPDATE letter_templates SET body = :b WHERE kind = 'adult'"), {"b": edited})
            command.upgrade(alembic_config(conn), "0016_letter_wording")
        with eng.connect() as conn:
            after = rows(conn)
        assert after["employer_outcome"] == (corrected("employer_outcome"), None)
        assert after["adult"] == (edited, WORDING.REVIEW_REASON)  # kept word for word
        assert "false" in WORDING.REVIEW_REASON and "references" in WORDING.REVIEW_REASON
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0015_consultations")
        with eng.connect() as conn:
            assert "review_reason" not in {c["name"] for c in inspect(conn).get_columns("letter_templates")}
            assert rows(conn) == {
                "adult": (edited, None),
                "employer_outcome": (SEEDED["employer_outcome"], None),
            }
        with eng.begin() as conn:  # and up again: the seeded text is recognised once more
            command.upgrade(alembic_config(conn), "0016_letter_wording")
        with eng.connect() as conn:
            assert rows(conn)["employer_outcome"] == (corrected("employer_outcome"), None)
