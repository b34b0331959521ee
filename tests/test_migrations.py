"""Migrations are tested code: models and migrations agree, the chain is one line, and it walks
down to base and up again on an empty database."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import app.models
from tests.conftest import alembic_config, scratch_engine


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "render_as_batch": True, "include_name": app.models.include_name},
        )
        diff = compare_metadata(ctx, app.models.metadata)
    assert diff == [], f"models differ from migrations: {diff}"


def test_chain_is_linear_with_readable_ids():
    scripts = ScriptDirectory.from_config(alembic_config())
    assert len(scripts.get_heads()) == 1, "two migration branches: renumber one on top of the other"
    for rev in scripts.walk_revisions():
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+", rev.revision), rev.revision
        assert Path(rev.path).stem == rev.revision


def test_walk_down_to_base_and_up_again():
    with scratch_engine() as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with eng.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM sectors")).scalar() == 20


def test_0007_encrypts_existing_two_factor_secrets_and_its_downgrade_decrypts():
    """Secrets stored in plain text before 0007 are encrypted by it (and decrypted by its downgrade),
    and the user's other rows survive: on SQLite the column is replaced without rebuilding `users`,
    which with foreign keys on would cascade to sessions and recovery codes."""
    from cryptography.fernet import Fernet

    from app.db import make_engine
    from app.encryption import DEVELOPMENT_KEY

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    now = "2026-01-01 00:00:00"
    with scratch_engine(make_engine) as eng:  # the app's engine: foreign keys on for SQLite
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0005_working_tools")
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, role, password_hash, is_active, totp_secret, "
                    "totp_enabled, created_at) VALUES (1, 'a@example.test', 'A', 'lado', 'x', true, :s, "
                    "true, :now), (2, 'b@example.test', 'B', 'lado', 'x', true, NULL, false, :now)"
                ),
                {"s": secret, "now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO user_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
                    "mfa_passed) VALUES ('h', 1, 'c', :now, :now, true)"
                ),
                {"now": now},
            )
            conn.execute(text("INSERT INTO recovery_codes (user_id, code_hash) VALUES (1, 'x')"))

        def stored():
            with eng.connect() as conn:
                rows = conn.execute(text("SELECT id, totp_secret FROM users ORDER BY id")).all()
                kept = [
                    conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                    for t in ("user_sessions", "recovery_codes")
                ]
            return dict(rows), kept

        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0007_encrypt_totp")
        secrets, kept = stored()
        assert secrets[1].startswith("gAAAAA")
        assert Fernet(DEVELOPMENT_KEY).decrypt(secrets[1].encode()).decode() == secret
        assert secrets[2] is None and kept == [1, 1]
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0005_working_tools")
        assert stored() == ({1: secret, 2: None}, [1, 1])


def test_0012_allocates_todays_cases_to_their_recording_officer_and_writes_the_history():
    """A case gets its recording officer when named on it, else the first officer named on it
    (lowest id), else stays not allocated; each allocation carried across is in the history, and
    the officer sort key is the allocated officer's name. The downgrade keeps the referrer search."""
    from sqlalchemy import Boolean, Date, DateTime, Integer

    now = "2026-01-01 00:00:00"

    def filler(column):
        kind = column["type"]
        if isinstance(kind, Boolean):
            return False
        if isinstance(kind, DateTime):
            return now
        if isinstance(kind, Date):
            return "2026-05-11"
        return 0 if isinstance(kind, Integer) else ""

    with scratch_engine() as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0011_report_indexes")
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, role, password_hash, is_active, totp_enabled, "
                    "created_at) VALUES (1, 'a@example.test', 'Zoe', 'lado', 'x', true, false, :now), "
                    "(2, 'b@example.test', 'Yan', 'lado', 'x', true, false, :now), "
                    "(3, 'c@example.test', 'Importer', 'admin', 'x', true, false, :now)"
                ),
                {"now": now},
            )
            columns = [c for c in inspect(conn).get_columns("cases") if not c["nullable"]]
            for case_id, created_by in ((1, 1), (2, 1), (3, 3)):
                values = {c["name"]: filler(c) for c in columns}
                values.update(
                    id=case_id,
                    reference=f"LADO-2026-000{case_id}",
                    status="open",
                    sector_code="primary_school",
                    primary_category_code="physical",
                    created_by_id=created_by,
                    referrer_name="Dana Referrer",
                )
                names = ", ".join(values)
                conn.execute(
                    text(f"INSERT INTO cases ({names}) VALUES ({', '.join(':' + n for n in values)})"), values
                )
            # case 1: recorded by Zoe, named with Yan; case 2: recorded by Zoe, only Yan named
            # (handed over); case 3: imported, nobody named
            conn.execute(text("INSERT INTO case_officers (case_id, user_id) VALUES (1, 2), (1, 1), (2, 2)"))
            command.upgrade(alembic_config(conn), "0012_allocation")
        with eng.connect() as conn:
            rows = conn.execute(
                text("SELECT id, allocated_officer_id, officer_sort FROM cases ORDER BY id")
            ).all()
            assert [tuple(r) for r in rows] == [(1, 1, "Zoe"), (2, 2, "Yan"), (3, None, None)]
            history = conn.execute(
                text(
                    "SELECT case_id, kind, from_officer_id, to_officer_id, by_id "
                    "FROM case_allocations ORDER BY case_id"
                )
            ).all()
            assert [tuple(r) for r in history] == [
                (1, "allocated", None, 1, None),
                (2, "allocated", None, 2, None),
            ]
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0011_report_indexes")
        with eng.connect() as conn:
            assert "allocated_officer_id" not in {c["name"] for c in inspect(conn).get_columns("cases")}
            assert conn.execute(text("SELECT officer_sort FROM cases WHERE id = 1")).scalar() == "Yan"
            if eng.dialect.name == "sqlite":  # the table was copied: its triggers were made again
                triggers = conn.execute(
                    text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
                ).scalar()
                assert triggers == 3
