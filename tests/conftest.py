"""Test fixtures: a real database built by `alembic upgrade head`, each test in a transaction
that is rolled back.

TEST_DATABASE_URL chooses the database (default: a fresh SQLite file). CI runs the suite once
on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile

# Most suites sign in with a password only; tests/auth and tests/security switch two-factor
# enforcement back on explicitly (monkeypatching the settings object).
os.environ["LADO_REQUIRE_MFA"] = "false"
# Cheap argon2 parameters for the suite's hundreds of test users (the policy is tested as is).
os.environ["LADO_INSECURE_FAST_PASSWORD_HASHING"] = "true"
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import db as app_db
from app.config import ROOT, get_settings
from tests.factories import Factory
from tests.helpers import sign_in

_TMP = Path(tempfile.mkdtemp(prefix="lado-tests-"))
# A data folder of each test process's own: what one keeps there (the statistics' lock files,
# app/reports/limits.py) is never another's under pytest-xdist.
os.environ["LADO_DATA_DIR"] = str(_TMP / "data")
get_settings.cache_clear()  # settings read before the variables above were set are dropped


def database_url() -> str:
    """The test database. Under pytest-xdist each PostgreSQL worker gets its own database
    (TEST_DATABASE_URL's name plus the worker id), created on first use."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{_TMP / 'test.sqlite3'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@contextmanager
def scratch_engine(make: Callable[[str], Engine] = create_engine, suffix: str = "walk") -> Iterator[Engine]:
    """An empty database of its own for a migration test, made with `make` (the app's
    make_engine where SQLite's foreign keys matter): a new SQLite file, or on PostgreSQL a new
    database beside the suite's, dropped afterwards."""
    url = make_url(database_url())
    admin = None
    if url.get_backend_name() == "sqlite":
        scratch = f"sqlite:///{Path(tempfile.mkdtemp()) / f'{suffix}.sqlite3'}"
    else:
        name = f"{url.database}_{suffix}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = url.set(database=name).render_as_string(hide_password=False)
    eng = make(scratch)
    try:
        yield eng
    finally:
        eng.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def alembic_config(connection=None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def reset_schema(engine: Engine) -> None:
    """Start from an empty database, whatever an earlier run left."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        path = engine.url.database
        engine.dispose()
        if path and os.path.exists(path):
            os.remove(path)


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    url = database_url()
    os.environ["DATABASE_URL"] = url
    eng = app_db.configure(url)
    reset_schema(eng)
    eng = app_db.configure(url)
    with eng.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test; the code
    under test may commit (its commits become savepoint releases)."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(db: Session):
    from app.main import create_app

    application = create_app()

    def override(request: Request):
        yield from app_db.in_transaction(db, request)

    application.dependency_overrides[app_db.request_session] = override
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


@pytest.fixture
def factory(db: Session) -> Factory:
    return Factory(db)


@pytest.fixture
def other_client(app) -> Iterator[TestClient]:
    """A second browser, for another user's session."""
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


@pytest.fixture
def lado(factory):
    """A LADO officer, as the services see them."""
    return factory.actor("lado", name="Lee Officer")


@pytest.fixture
def admin(factory):
    return factory.user("admin", name="Ada Admin")


@pytest.fixture
def admin_csrf(client, admin) -> str:
    """The signed-in administrator's CSRF token (the `client` carries their session)."""
    return sign_in(client, admin.email)


@pytest.fixture
def password_only(monkeypatch):
    """For tests of pages, not of two-factor enrolment (tests/auth covers that): accounts sign in
    with a password only, whatever another test set."""
    monkeypatch.setattr(get_settings(), "require_mfa", False)


TRUNCATE_ORDER = [
    "audit_events",
    "minutes_send_withheld",
    "minutes_sends",
    "minutes_recipients",
    "minutes_sections",
    "meeting_minutes",
    "subject_access_releases",
    "subject_access_redactions",
    "subject_access_requests",
    "disclosures",
    "retention_reviews",
    "case_retentions",
    "cover_cases",
    "lado_notifications",
    "case_transfers",
    "case_areas",
    "case_allocations",
    "covers",
    "documents",
    "case_notes",
    "reopened_outcomes",
    "case_reopenings",
    "published_figure_cases",
    "published_reports",
    "regulator_referrals",
    "allegations",
    "children",
    "case_disposals",
    "case_secondary_categories",
    "case_officers",
    "cases",
    "incidents",
    "people",
    "reference_counters",
    "recovery_codes",
    "api_tokens",
    "user_sessions",
    "sign_in_throttles",
    "user_organisations",
    "users",
    "organisations",
    "child_populations",
]


def clean_committed(engine: Engine) -> None:
    """Remove what a committing test wrote (reference data and settings stay)."""
    from app.models import metadata

    names = [n for n in TRUNCATE_ORDER if n in metadata.tables]
    extra = [
        t.name
        for t in reversed(metadata.sorted_tables)
        if t.name not in names
        and t.name
        not in {
            "agency_groups",
            "sectors",
            "categories",
            "outcomes",
            "disposals",
            "regulators",
            "settings",
            "meeting_types",
            "referrer_agencies",
            "lawful_bases",
            "letter_templates",
        }
    ]
    names = extra + names
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(names) + " RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def committed_engine(engine: Engine) -> Iterator[Engine]:
    """For tests that need real commits (threads, a live server): cleaned afterwards."""
    clean_committed(engine)
    yield engine
    clean_committed(engine)


@pytest.fixture(scope="session")
def documents_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(autouse=True)
def documents_dir(monkeypatch, documents_root) -> Path:
    """No test writes documents into the working tree: the blob store is a temporary folder."""
    monkeypatch.setattr(get_settings(), "documents_dir", documents_root)
    return documents_root
