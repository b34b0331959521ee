"""SQL expressions the report's figures are built from, and rewriting them.

- `month_key`: the SQL twin of periods.month_key, written as cheaply as each database computes
  it (PostgreSQL's EXTRACT is numeric, its date_part a float; SQLite keeps a date as YYYY-MM-DD
  text, so the parts are read from the text instead of parsing it as a date).
- `by_as_at`, `dated_flags`: a fact counted only once it took effect (the as-at rule of
  annual-report.md), and the per-case flags of outcomes, disposals and DBS referrals so dated.
- `as_it_stood_columns`: the case's columns as they stood on the as-at date (re-opened since).
- `FactPredicates`: the per-case facts as at the report date (outcomes, DBS, threshold met...).
- `Reference`, `Counts`: the reference data a report is laid out from, and what it counted.
- `FactPredicates.case_columns`, `required_flags`, `adapt`: what a figure's predicate reads and requires, and
  the same predicate over the columns of a subquery that carries them (repository.py counts
  figures over groups of cases and over the cases that have allegations that way).
- `working_day_number`, `within_working_days`: periods.WorkingDayCounter in SQL, so that "within
  N working days" is a predicate the counting query sums and the drill-down filters on.
- `Row`, `Table`: a figure's row (a labelled predicate) and a table of them (figures.py and
  further.py build them; repository.py and service.py count and lay them out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Column, ColumnElement, Integer, and_, case, extract, false, func, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import FromClause, Subquery, operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, ColumnClause
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import iterate, replacement_traverse

from app.cases.models import REOPENED_COLUMNS, Allegation, Case, RegulatorReferral, case_disposals
from app.reference.models import AgencyGroup, Category, Disposal, Outcome, ReferrerAgency, Sector

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


def as_it_stood_columns(history: Subquery | None) -> dict[str, ColumnElement]:
    """Each case column as a report as at D reads it: for a case re-opened after D, the value
    its first re-opening after D kept (the `history` subquery), otherwise the case's own."""
    columns: dict[str, ColumnElement] = {c.key: c for c in CASES.c}
    if history is not None:
        kept = history.c.case_id.is_not(None)
        for name in REOPENED_COLUMNS:
            columns[name] = case((kept, history.c[name]), else_=CASES.c[name])
    return columns


class FactPredicates:
    """Per-case facts as at the report date, as predicates over the case and its per-case flag
    subqueries (repository.Facts builds those and counts them)."""

    as_at: date
    outcome_codes: list[str]
    disposal_codes: list[str]
    allegations: Subquery
    disposals: Subquery
    dbs: Subquery
    #: Per predicate (by id): the predicate, the ids of its nodes, the case columns it reads.
    _walked: dict[int, tuple[ColumnElement, frozenset[int], frozenset[str]]]

    def _reads(self, predicate: ColumnElement) -> tuple[frozenset[int], frozenset[str]]:
        """The ids of every node of the predicate and the case columns it reads, walked once per
        report (the predicate is kept with them, so its id stays its own)."""
        seen = self._walked.get(id(predicate))
        if seen is None:
            nodes = list(iterate(predicate))
            names = frozenset(n.key for n in nodes if isinstance(n, Column) and n.table is CASES)
            seen = self._walked[id(predicate)] = (predicate, frozenset(map(id, nodes)), names)
        return seen[1], seen[2]

    def case_columns(self, *predicates: ColumnElement) -> set[str]:
        """The names of the case columns the predicates read."""
        return set().union(*(self._reads(p)[1] for p in predicates))

    def has_outcome(self, code: str) -> ColumnElement[bool]:
        """An allegation had the outcome and the case was concluded, both by the as-at date."""
        return and_(self.allegations.c[f"o{self.outcome_codes.index(code)}"] == 1, self.concluded_as_at)

    def has_disposal(self, code: str) -> ColumnElement[bool]:
        return self.disposals.c[f"d{self.disposal_codes.index(code)}"] == 1

    @property
    def substantiated(self) -> ColumnElement[bool]:
        if "substantiated" not in self.outcome_codes:
            return false()
        return self.has_outcome("substantiated")

    @property
    def dbs_made(self) -> ColumnElement[bool]:
        return self.dbs.c.made == 1

    @property
    def dbs_recommended_only(self) -> ColumnElement[bool]:
        """A DBS referral recommended and none made."""
        return and_(self.dbs.c.recommended == 1, func.coalesce(self.dbs.c.made, 0) == 0)

    @property
    def threshold_met(self) -> ColumnElement[bool]:
        return and_(Case.decision == "threshold_met", by_as_at(Case.decided_on, self.as_at))

    @property
    def concluded_as_at(self) -> ColumnElement[bool]:
        return and_(Case.concluded_on.is_not(None), Case.concluded_on <= self.as_at)


def by_year_counts(result, width: int) -> list[list[int]]:
    """Per measure, its count in each of the three years."""
    out = [[0, 0, 0] for _ in range(width)]
    for row in result:
        for i in range(width):
            out[i][int(row[0])] = int(row[i + 1] or 0)
    return out


#: The repeat table's rows: an earlier case within 1, 3 and 5 years.
REPEAT_YEARS = (1, 3, 5)


def repeat_flags(received_on: Any, earlier_on: Any) -> dict[str, ColumnElement[bool]]:
    """Per row of (a case's received date, an earlier case's): the earlier one was received at
    most N years (12 N calendar months, as periods.add_months counts them) before, flag `rN`."""
    return {f"r{n}": month_key(received_on) <= month_key(earlier_on) + 1200 * n for n in REPEAT_YEARS}


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


@dataclass
class Reference:
    """The reference data a report is laid out from, each list in display order."""

    sectors: list[Sector]
    categories: list[Category]
    outcomes: list[Outcome]
    agency_groups: list[AgencyGroup]
    disposals: list[Disposal]
    referrer_agencies: list[ReferrerAgency]

    def sectors_of(self, agency_group_code: str) -> list[str]:
        return [s.code for s in self.sectors if s.agency_group_code == agency_group_code]


@dataclass
class Counts:
    """Figure values by (table key, row code): one count per year, oldest first; and for rows
    with a separate usage rule, whether anything in the window uses the item."""

    values: dict[tuple[str, str], list[int]]
    used: dict[tuple[str, str], bool]


# ---- working days in SQL -------------------------------------------------------------------------

#: Day 0 of `day_number`: a Monday, before any date a case can carry.
EPOCH = date(1900, 1, 1)


class day_number(FunctionElement):
    """The days from EPOCH to the date (an integer on both databases)."""

    type = Integer()
    inherit_cache = True


@compiles(day_number)
def _day_number(element, compiler, **kw) -> str:
    return f"({compiler.process(element.clauses, **kw)} - DATE '{EPOCH.isoformat()}')"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw) -> str:
    # julianday('1900-01-01') is 2415020.5; a date's julianday is always a whole day past it.
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2415020.5 AS INTEGER)"


def working_day_number(day: Any, holidays: Sequence[date], shift: int = 0) -> ColumnElement[int]:
    """The working days from EPOCH up to and including the date `shift` days after `day`: the
    weekdays, less the `holidays` (weekday bank holidays) on or before it. Two such numbers
    differ by periods.working_days_between of their dates when `holidays` holds every bank
    holiday between them."""
    n = day_number(day) + shift if shift else day_number(day)
    weekday = n % 7  # EPOCH is a Monday: 0 to 4 are Monday to Friday
    weekdays = 5 * (n // 7) + case((weekday < 5, weekday + 1), else_=5)
    numbers = sorted((h - EPOCH).days for h in holidays if h.weekday() < 5)
    if not numbers:
        return weekdays
    passed = case(*[(n >= h, i + 1) for i, h in reversed(list(enumerate(numbers)))], else_=0)
    return weekdays - passed


def within_working_days(start: Any, end: Any, days: int, holidays: Sequence[date]) -> ColumnElement[bool]:
    """`end` is on or before the `days`-th working day after `start` (clocks.add_working_days):
    fewer than `days` working days after `start` come before `end`. True for an `end` on or
    before `start`; never true when either date is NULL."""
    return working_day_number(end, holidays, shift=-1) - working_day_number(start, holidays) < days


# ---- rows and tables ---------------------------------------------------------------------------


@dataclass
class Row:
    code: str
    label: str
    predicate: ColumnElement[bool]
    #: Shown even when nothing counts in it (active reference items, fixed rows).
    always_show: bool = True
    #: For inactive reference items: "a case in the window uses it", when that differs from
    #: the row's own predicate (a disposal recorded on a case that was not substantiated).
    usage: ColumnElement[bool] | None = None
    #: The row's value is its count as a percentage of this row's count (same table, same column).
    share_of: str | None = None
    #: (from, to) dates of each case the row counts: its value is the median working days between.
    interval: tuple[Any, Any] | None = None


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row]
    has_total: bool = False
    columns: list[str] | None = None  # one-year tables only
    note: str | None = None
    #: Row code -> the group its inactive-row rule borrows usage from (agency group -> sectors).
    usage_from_source: dict[str, list[str]] = field(default_factory=dict)

    def row(self, code: str) -> Row | None:
        if code == "total" and self.has_total:
            return Row("total", "Total", or_(*[r.predicate for r in self.rows]) if self.rows else false())
        return next((r for r in self.rows if r.code == code), None)
