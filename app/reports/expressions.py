"""SQL expressions the report's figures are built from, and rewriting them.

- `month_key`: the SQL twin of periods.month_key, written as cheaply as each database computes
  it (PostgreSQL's EXTRACT is numeric, its date_part a float; SQLite keeps a date as YYYY-MM-DD
  text, so the parts are read from the text instead of parsing it as a date).
- `unindexed`: a column SQLite must not reach through an index (`+column`), so that a join
  starts from the other table; elsewhere the column itself.
- `by_as_at`, `dated_flags`: a fact counted only once it took effect (the as-at rule of
  annual-report.md), and the per-case flags of outcomes, disposals and DBS referrals so dated.
- `case_columns`, `required_flags`, `adapt`: what a figure's predicate reads and requires, and
  the same predicate over the columns of a subquery that carries them (repository.py counts
  figures over groups of cases and over the cases that have allegations that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from sqlalchemy import Column, ColumnElement, Integer, and_, extract, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import FromClause, Subquery, operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, ColumnClause
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import iterate, replacement_traverse

from app.cases.models import Allegation, Case, RegulatorReferral, case_disposals

CASES = Case.__table__


class month_key(FunctionElement):
    """SQL twin of periods.month_key: (year * 12 + month) * 100 + day."""

    type = Integer()
    inherit_cache = True


@compiles(month_key)
def _month_key(element, compiler, **kw) -> str:
    (day,) = element.clauses
    return compiler.process((extract("year", day) * 12 + extract("month", day)) * 100 + extract("day", day))


@compiles(month_key, "postgresql")
def _month_key_pg(element, compiler, **kw) -> str:
    day = compiler.process(element.clauses, **kw)
    parts = [f"date_part('{p}', {day})" for p in ("year", "month", "day")]
    return f"(({parts[0]} * 12 + {parts[1]}) * 100 + {parts[2]})"


@compiles(month_key, "sqlite")
def _month_key_sqlite(element, compiler, **kw) -> str:
    day = compiler.process(element.clauses, **kw)
    parts = [f"CAST(substr({day}, {at}, {n}) AS INTEGER)" for at, n in ((1, 4), (6, 2), (9, 2))]
    return f"(({parts[0]} * 12 + {parts[1]}) * 100 + {parts[2]})"


class unindexed(FunctionElement):
    """The column, which SQLite must not reach through an index."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def by_as_at(day: Any, as_at: date) -> ColumnElement[bool]:
    """The fact dated `day` had taken effect on the as-at date (a fact recorded before its date
    was kept carries none, and counts as it always did)."""
    return or_(day.is_(None), day <= as_at)


Flags = dict[str, ColumnElement[bool]]


def dated_flags(as_at: date, outcomes: list[str], disposals: list[str]) -> tuple[Flags, Flags, Flags]:
    """The condition of each per-case flag: an allegation's outcome from its outcome date, a
    disposal from the date it took effect, a DBS referral as made from its made date and as
    recommended from its recommended date (whether or not it was made afterwards)."""
    status, made_on, recommended_on = (
        RegulatorReferral.status,
        RegulatorReferral.made_on,
        RegulatorReferral.recommended_on,
    )
    return (
        {
            f"o{i}": and_(Allegation.outcome_code == c, by_as_at(Allegation.outcome_on, as_at))
            for i, c in enumerate(outcomes)
        },
        {
            f"d{i}": and_(case_disposals.c.disposal_code == c, by_as_at(case_disposals.c.effective_on, as_at))
            for i, c in enumerate(disposals)
        },
        {
            "made": and_(status == "made", by_as_at(made_on, as_at)),
            "recommended": or_(
                and_(status == "recommended", by_as_at(recommended_on, as_at)),
                and_(status == "made", recommended_on <= as_at),
            ),
        },
    )


def case_columns(*predicates: ColumnElement) -> set[str]:
    """The names of the case columns the predicates read."""
    return {
        node.key
        for p in predicates
        for node in iterate(p)
        if isinstance(node, Column) and node.table is CASES
    }


def required_flags(predicate: ColumnElement[bool], flags: Subquery) -> set[str]:
    """The flags of `flags` that the predicate requires to be 1 (`flag == 1` among the terms it
    ANDs together)."""
    found: set[str] = set()
    stack: list[Any] = [predicate]
    while stack:
        node = stack.pop()
        if isinstance(node, BooleanClauseList) and node.operator is operators.and_:
            stack.extend(node.clauses)
        elif (
            isinstance(node, BinaryExpression)
            and node.operator is operators.eq
            and isinstance(node.left, ColumnClause)
            and node.left.table is flags
            and isinstance(node.right, BindParameter)
            and node.right.value == 1
        ):
            found.add(node.left.key)
    return found


def adapt(
    predicate: ColumnElement, source: FromClause, columns: Mapping[str, ColumnElement]
) -> ColumnElement:
    """The predicate over other columns: each column of `source` (the cases table or a
    subquery) replaced by the column named like it in `columns`."""

    def replace(element: Any, **_: Any) -> Any:
        if isinstance(element, ColumnClause) and element.table is source:
            return columns[element.key]
        return None

    return cast(ColumnElement, replacement_traverse(predicate, {}, replace))
