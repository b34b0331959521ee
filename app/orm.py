"""The declarative base every model derives from, with the naming convention of constraints and
indexes (so migrations name them predictably on both databases)."""

from typing import ClassVar

from sqlalchemy import ColumnElement, MetaData, Table, and_, true
from sqlalchemy.orm import DeclarativeBase

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
