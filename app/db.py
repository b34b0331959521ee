"""Engine, session factory and the one owner of each transaction.

Only `request_session` (for a web request) and `session_scope` (for the CLI and jobs)
commit or roll back. Services call `flush()` at most.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # Let SQLAlchemy, not pysqlite, decide when transactions begin (savepoints work).
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            conn.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None


def configure(url: str | None = None) -> Engine:
    """(Re)build the engine; tests and the CLI call it with an explicit URL."""
    global _engine, _factory
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url or get_settings().sqlalchemy_url)
    _factory = sessionmaker(bind=_engine, expire_on_commit=False)
    return _engine


def get_engine() -> Engine:
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


def new_session() -> Session:
    get_engine()
    assert _factory is not None
    return _factory()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A transaction for the CLI and background jobs: commit on success, roll back on error."""
    session = new_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def in_transaction(session: Session, request: Request) -> Iterator[Session]:
    """Commit when the handler returns, roll back if it raises. A refusal (403, or 404 for a record
    the caller may not see) is rolled back too, then recorded in the audit in its own commit."""
    from app.errors import Forbidden, NotFound

    try:
        yield session
        session.commit()
    except (Forbidden, NotFound) as exc:
        _rollback_keeping_signed_in(session, request)
        _record_denial(session, request, exc)
        raise
    except BaseException:
        _rollback_keeping_signed_in(session, request)
        raise


def _rollback_keeping_signed_in(session: Session, request: Request) -> None:
    """Roll back, then reload the signed-in user and their session: rollback expires them, and the
    error page, rendered after this session has closed, shows the user and the CSRF token (an
    expired, detached object would turn every 403, 404 or 409 page into a 500)."""
    session.rollback()
    principal = getattr(request.state, "principal", None)
    for obj in (getattr(principal, "user_session", None), getattr(principal, "user", None)):
        if obj is not None and obj in session:
            try:
                session.refresh(obj)
            except Exception:  # gone meanwhile: the error page then shows no user
                pass


def _record_denial(session: Session, request: Request, exc: Exception) -> None:
    from app.audit.models import Verb
    from app.audit.service import record

    principal = getattr(request.state, "principal", None)
    if principal is None or principal.user is None:
        return
    try:
        record(session, principal.actor, Verb.ACCESS_DENIED, "route", f"{request.method} {request.url.path}"[:64],
               details={"status": getattr(exc, "status_code", None), "message": str(exc)[:500]})
        session.commit()
    except Exception:  # the refusal stands even if it cannot be recorded
        session.rollback()


def request_session(request: Request) -> Iterator[Session]:
    """The request's session (see in_transaction)."""
    session = new_session()
    try:
        yield from in_transaction(session, request)
    finally:
        session.close()


DbSession = Annotated[Session, Depends(request_session, scope="function")]
