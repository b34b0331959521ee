"""Engine, session factory and the one owner of each transaction.

Only `request_session` (for a web request) and `session_scope` (for the CLI and jobs)
commit or roll back. Services call `flush()` at most.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.config import Settings, get_settings
from app.errors import Busy, Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from app.sqlite import sqlite_engine

log = logging.getLogger("lado.db")


def _postgresql_engine(url: str, settings: Settings) -> Engine:
    """Every connection gets lock, statement and idle-in-transaction timeouts, so no request waits
    forever on a lock another one holds, and no JIT; the pool checks a connection before use, so the app
    recovers by itself when the server restarts."""
    limits = {
        "lock_timeout": settings.db_lock_timeout_seconds,
        "statement_timeout": settings.db_statement_timeout_seconds,
        "idle_in_transaction_session_timeout": settings.db_idle_in_transaction_timeout_seconds,
    }
    options = " ".join(f"-c {name}={int(seconds * 1000)}" for name, seconds in limits.items())
    # No JIT compilation: PostgreSQL compiles a query whose estimated cost passes jit_above_cost,
    # and an estimate counts every row a plan could read, not the few a LIMIT or an empty table
    # lets it read: at 100k cases the search of online referrals (none of them) took 30 ms to
    # compile and under a millisecond to run. The pages read a few rows each; nothing gains.
    options += " -c jit=off"
    # Always a plan for the parameters given: psycopg prepares a statement after its fifth run,
    # and PostgreSQL may then choose one generic plan for every later parameter. A generic plan
    # cannot range an index over `LIKE $1`, so the search for "Ashdown" became a scan of every
    # person (97 ms instead of 1.3 ms at 100k cases) once "Smith", whose own plan is costly, had
    # made the generic plan look cheap. Planning the pages' statements costs far less than that.
    options += " -c plan_cache_mode=force_custom_plan"
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        connect_args={"options": options, "connect_timeout": 5},
    )


def make_engine(url: str) -> Engine:
    settings = get_settings()
    if url.startswith("sqlite"):
        return sqlite_engine(url, settings.db_lock_timeout_seconds)
    return _postgresql_engine(url, settings)


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


#: SQLSTATEs of PostgreSQL's timeouts: lock_timeout, statement_timeout, idle in transaction.
_PG_LOCK_TIMEOUT, _PG_TIMEOUTS = "55P03", {"55P03", "57014", "25P03"}


def database_problem(exc: BaseException) -> DomainError | None:
    """The domain error for a failure of the database itself, or None for any other exception:
    a version that moved under a save is a Conflict (409); a lock or statement timeout, a busy
    SQLite file or a server that went away is Busy (503). Never a 500, never a hang."""
    if isinstance(exc, StaleDataError):
        return Conflict()
    if not isinstance(exc, DBAPIError):
        return None
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate == _PG_LOCK_TIMEOUT:
        return Conflict(
            "Someone else is saving this record at this moment, so your change was not saved. "
            "Check the record as it is now, then save again."
        )
    text = str(exc.orig).lower()
    if sqlstate in _PG_TIMEOUTS or "database is locked" in text or "database table is locked" in text:
        return Busy()
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        return Busy("The database could not be reached, so nothing was saved. Try again in a minute.")
    return None


T = TypeVar("T")


@dataclass
class Refused:
    """Why a form's step was not saved: 422 with field errors, or 409 when someone else saved first
    (or held the record too long). The route shows the form again with what the user typed."""

    status_code: int
    errors: dict[str, str]


def try_step(
    session: Session,
    action: Callable[[], T],
    *,
    reload: Sequence[object] = (),
    conflict_field: str = "version",
    also: tuple[type[DomainError], ...] = (),
) -> T | Refused:
    """Run one service call for a form and flush, so that a save that lost a race shows here and
    not at commit. Refused: everything the step did is rolled back, the objects in `reload` are
    read again as they are now (the page shows the current record and its new version). `also`:
    further refusals (such as InvalidTransition) the page shows against `conflict_field`, with
    their own status."""
    try:
        result = action()
        session.flush()
        return result
    except ValidationFailed as exc:
        session.rollback()
        return Refused(422, exc.errors)
    except Exception as exc:
        refusals: tuple[type[DomainError], ...] = (Conflict, *also)
        problem = database_problem(exc) if isinstance(exc, (StaleDataError, DBAPIError)) else exc
        if not isinstance(problem, refusals):
            raise
        session.rollback()
        for obj in reload:
            session.refresh(obj)
        return Refused(problem.status_code, {conflict_field: problem.message})


def in_transaction(session: Session, request: Request) -> Iterator[Session]:
    """Commit when the handler returns, roll back if it raises. A refusal (403, or 404 for a record
    the caller may not see) is rolled back too, then recorded in the audit in its own commit. A
    failure of the database (conflict, timeout, busy) is rolled back and raised as the domain error
    that says so (see database_problem), whether the handler or the commit met it."""
    try:
        yield session
        session.commit()
    except (Forbidden, NotFound) as exc:
        session.rollback()
        _record_denial(session, request, exc)
        raise
    except BaseException as exc:
        session.rollback()
        problem = database_problem(exc)
        if problem is not None:
            log.warning(
                "%s %s answered %s: %s",
                request.method,
                request.url.path,
                problem.status_code,
                str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300]
                if str(exc)
                else type(exc).__name__,
            )
            raise problem from exc
        raise


def _record_denial(session: Session, request: Request, exc: Exception) -> None:
    principal = getattr(request.state, "principal", None)
    if principal is None or principal.user is None:
        return
    try:
        record(
            session,
            principal.actor,
            Verb.ACCESS_DENIED,
            ObjectType.ROUTE,
            f"{request.method} {request.url.path}"[:64],
            details={"status": getattr(exc, "status_code", None), "message": str(exc)[:500]},
        )
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
