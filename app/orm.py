"""The declarative base every model derives from, with the naming convention of constraints and
indexes (so migrations name them predictably on both databases)."""

from collections.abc import Callable
from typing import ClassVar

from sqlalchemy import ColumnElement, MetaData, Table, and_, event, true
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    #: Every model maps one table (no model maps a join or a select), so say so to the type checker.
    __table__: ClassVar[Table]


#: Session info key: what `at_commit` put off until the transaction commits.
AT_COMMIT = "lado_at_commit"


def at_commit(session: Session, step: Callable[[], None]) -> None:
    """Run `step` (which adds or changes rows) just before `session` commits, not now; forgotten if
    it rolls back. For the writes a read makes only to leave a trace (the audit of a page view, a
    session's last-seen time): made at once, the first of them would be flushed by the page's next
    query, so the transaction would write, and on SQLite hold the database's one write lock,
    through every read and the rendering that follow; at the commit it writes for a moment."""
    session.info.setdefault(AT_COMMIT, []).append(step)


@event.listens_for(Session, "before_commit")
def _run_at_commit(session: Session) -> None:
    for step in session.info.pop(AT_COMMIT, ()):  # the commit's own flush writes what they add
        step()


@event.listens_for(Session, "after_rollback")
def _forget_at_commit(session: Session) -> None:
    session.info.pop(AT_COMMIT, None)


def escape_like(text: str) -> str:
    """`text` with LIKE's wildcards (and the escape character) taken literally (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def starts_with(dialect: str, expression: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    """`expression` begins with `prefix`, in a form an index on the expression serves: on
    PostgreSQL a LIKE over a text_pattern_ops index; on SQLite (whose LIKE never uses an index on
    an expression) the range of values from the prefix up to the prefix with its last character
    increased. Callers fold the letter case of both sides alike (lower() or upper())."""
    if not prefix:
        return true()
    if dialect == "postgresql":
        return expression.like(escape_like(prefix) + "%", escape="\\")
    return and_(expression >= prefix, expression < prefix[:-1] + chr(ord(prefix[-1]) + 1))
