"""Every query of the import: reference data and existing rows read once into dicts, and bulk
inserts that write a batch of rows per statement (SQLAlchemy's insertmanyvalues), never one ORM
object per row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.cases.models import Case
from app.imports.validation import ReferenceCodes
from app.organisations.models import Organisation
from app.reference.models import Category, Disposal, Outcome, ReferrerAgency, Sector
from app.users.models import User

#: References per IN (...) query when checking the file against the database.
REFERENCE_CHECK_BATCH = 1_000


def reference_codes(session: Session) -> ReferenceCodes:
    def codes(model) -> dict[str, bool]:
        rows = session.execute(select(model.code, model.active).order_by(model.display_order, model.code))
        return {code: bool(active) for code, active in rows}

    return ReferenceCodes(
        sectors=codes(Sector),
        categories=codes(Category),
        outcomes=codes(Outcome),
        disposals=codes(Disposal),
        referrer_agencies=codes(ReferrerAgency),
    )


def existing_references(session: Session, references: Sequence[str]) -> set[str]:
    """Which of `references` are already case references (queried in batches)."""
    found: set[str] = set()
    for start in range(0, len(references), REFERENCE_CHECK_BATCH):
        chunk = references[start : start + REFERENCE_CHECK_BATCH]
        found.update(session.scalars(select(Case.reference).where(Case.reference.in_(chunk))))
    return found


def organisations_by_key(session: Session) -> dict[str, tuple[int, str]]:
    """name key -> (id, name as recorded) of every organisation."""
    rows = session.execute(select(Organisation.name_key, Organisation.id, Organisation.name))
    return {key: (id_, name) for key, id_, name in rows}


def insert_returning_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` and return their new ids, in the order given.

    PostgreSQL: ids are drawn from the table's sequence in one query, then the rows are
    streamed with COPY (several times faster than multi-row INSERT ... RETURNING, whose long
    statements psycopg re-parses on every batch). Elsewhere: INSERT ... RETURNING in batches.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        ids = list(
            session.scalars(
                text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
                {"table": table.name, "n": len(rows)},
            )
        )
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
        _copy(session, table, rows)
        return ids
    if session.get_bind().dialect.name == "sqlite":
        # SQLite cannot promise the order of a multi-row RETURNING, so SQLAlchemy would fall back
        # to one statement per row. Instead: executemany, then read the highest id. Once this
        # transaction has written it holds SQLite's single write lock, so no other connection can
        # insert in between, and each row took the next rowid: the ids are the last len(rows).
        session.execute(insert(table), _complete(table, rows))
        last = session.scalar(select(func.max(table.c.id)))
        return list(range(last - len(rows) + 1, last + 1))
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(stmt, _complete(table, rows)).scalars())


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, table, rows)
    else:
        session.execute(insert(table), _complete(table, rows))


def _complete(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every column the caller left out that has a Python-side default filled in
    (COPY applies only server defaults, so the writer must supply them)."""
    missing = [c for c in table.columns if c.key not in rows[0] and c.default is not None]
    if missing:
        values = {}
        for column in missing:
            default = column.default
            values[column.key] = default.arg(None) if default.is_callable else default.arg  # type: ignore[union-attr]
        for row in rows:
            row.update(values)
    return rows


def _copy(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    rows = _complete(table, rows)
    columns = list(rows[0])
    json_columns = {c.key for c in table.columns if isinstance(c.type, JSON)}
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    names = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        if json_columns:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])
        else:
            for row in rows:
                copy.write_row([row[c] for c in columns])


def find_users(session: Session, who: str) -> list[User]:
    """Users whose e-mail is `who`, or failing that whose name is `who` (case-insensitive)."""
    who = who.strip()
    by_email = session.scalars(select(User).where(func.lower(User.email) == who.lower())).all()
    if by_email:
        return list(by_email)
    return list(session.scalars(select(User).where(func.lower(User.name) == who.lower()).order_by(User.id)))


def import_summary(session: Session, event_id: int) -> dict[str, Any] | None:
    """What an import wrote, from its summary audit event (None if there is no such import)."""
    event = session.get(AuditEvent, event_id)
    if event is None or event.object_type != "import" or event.verb != "imported":
        return None
    return {**event.details, "occurred_at": event.occurred_at, "actor": event.actor_label}
