"""The declarative base every model derives from, with the naming convention of constraints and
indexes (so migrations name them predictably on both databases)."""

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Integer, MetaData, String, Table, and_, bindparam, event, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

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


class IdList(TypeDecorator[list[int]]):
    """A list of ids sent as one parameter: an integer array on PostgreSQL, JSON text on SQLite."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(Integer))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        ids = [int(v) for v in value or ()]
        return ids if dialect.name == "postgresql" else json.dumps(ids)


class among(FunctionElement[Any]):
    """`column` is one of `ids`, with the ids as one parameter (`= ANY(array)` on PostgreSQL,
    `IN (SELECT value FROM json_each(...))` on SQLite) rather than an IN list of one parameter
    each: an officer's ten thousand cases as ten thousand parameters cost more to compile and
    send than the query costs to run, on every page of their caseload."""

    #: Not Boolean: SQLite's compiler would append "= 1" to a boolean function in a WHERE, and
    #: then no index serves it.
    type = NullType()
    inherit_cache = True
    name = "among"

    def __init__(
        self, column: ColumnElement[Any] | QueryableAttribute[Any], ids: Iterable[int] | str
    ) -> None:
        """`ids`, or the name of the parameter that gives them when the statement is run (for
        a statement built once and kept, see `Kept`)."""
        param = (
            bindparam(ids, type_=IdList())
            if isinstance(ids, str)
            else bindparam(None, list(ids), type_=IdList())
        )
        super().__init__(column, param)


@compiles(among, "postgresql")
def _among_postgresql(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = element.clauses
    return f"{compiler.process(column, **kw)} = ANY({compiler.process(ids, **kw)})"


@compiles(among)
def _among_sqlite(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = element.clauses
    return f"{compiler.process(column, **kw)} IN (SELECT value FROM json_each({compiler.process(ids, **kw)}))"


T = TypeVar("T")


class unindexed(FunctionElement[Any]):
    """The column, which SQLite must not reach through an index (`+column`): so that a join starts
    from the other table, or a GROUP BY does not pick the index of its order over a narrower one;
    elsewhere the column itself."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


class Kept(Generic[T]):
    """Statements built once per key and kept (the newest `size`), for the queries every page
    runs: building a statement of a few dozen expressions costs more CPU than running it on a
    page's worth of rows, and the same officer asks for the same one all day. Thread-safe; a
    key must name everything the statement depends on (the actor's scope, the dialect), and
    what varies per page is a bound parameter given when it runs."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        built = build()
        with self._lock:
            self._kept[key] = built
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return built
