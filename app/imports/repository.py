"""Every query of the import: reference data and existing rows read once into dicts, and bulk
inserts that write a batch of rows per statement (SQLAlchemy's insertmanyvalues), never one ORM
object per row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.models import Case
from app.imports.validation import ReferenceCodes
from app.organisations.models import Organisation
from app.reference.models import Category, Disposal, Outcome, Sector

#: References per IN (...) query when checking the file against the database.
REFERENCE_CHECK_BATCH = 1_000


def reference_codes(session: Session) -> ReferenceCodes:
    def codes(model) -> dict[str, bool]:
        rows = session.execute(select(model.code, model.active).order_by(model.display_order, model.code))
        return {code: bool(active) for code, active in rows}

    return ReferenceCodes(sectors=codes(Sector), categories=codes(Category), outcomes=codes(Outcome),
                          disposals=codes(Disposal))


def existing_references(session: Session, references: Sequence[str]) -> set[str]:
    """Which of `references` are already case references (queried in batches)."""
    found: set[str] = set()
    for start in range(0, len(references), REFERENCE_CHECK_BATCH):
        chunk = references[start:start + REFERENCE_CHECK_BATCH]
        found.update(session.scalars(select(Case.reference).where(Case.reference.in_(chunk))))
    return found


def organisation_ids_by_key(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Organisation.name_key, Organisation.id)).tuples().all())


def insert_returning_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` and return their new ids in the order given."""
    if not rows:
        return []
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(stmt, rows).scalars())


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), rows)


def find_users(session: Session, who: str) -> list[User]:
    """Users whose e-mail is `who`, or failing that whose name is `who` (case-insensitive)."""
    who = who.strip()
    by_email = session.scalars(select(User).where(func.lower(User.email) == who.lower())).all()
    if by_email:
        return list(by_email)
    return list(session.scalars(select(User).where(func.lower(User.name) == who.lower()).order_by(User.id)))
