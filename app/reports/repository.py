"""Every query of the annual statistics.

A fixed number of queries whatever the data: small reference-data reads, one aggregate query per
flag table that counts every figure reading it for the three years at once (one `COUNT(*) FILTER
(WHERE predicate)` per figure), one for the case's own columns, and one grouped query per median.
What keeps them fast at a million cases (the window, three years of ten, is 300,000 of them):
- Cases are read only in the window, from an index holding every column a figure tests
  (`ix_cases_report`); grouped by its first columns (received, decision, sector: no sort), the
  figures that test only those are counted over the groups.
- Figures that test an outcome (and with it a disposal or a DBS referral) are counted over the
  cases that have allegations, reached from the allegations in case order (`Facts.driver`).
- On PostgreSQL, no parallel workers and no JIT (`_tune`): on two cores the workers each built
  the same hash tables, and compiling the 70 expressions took longer than running them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select, tuple_, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import FromClause, Subquery

from app.cases.history import REOPENED_COLUMNS, CaseReopening, ReopenedOutcome
from app.cases.models import Allegation, Case, RegulatorReferral, case_disposals
from app.cases.repository import visibility
from app.context import Actor
from app.orm import unindexed
from app.reports.expressions import (
    CASES,
    REPEAT_YEARS,
    Counts,
    FactPredicates,
    Reference,
    adapt,
    as_it_stood_columns,
    by_year_counts,
    dated_flags,
    repeat_flags,
    required_flags,
)

if TYPE_CHECKING:
    from app.reports.expressions import Table
    from app.reports.periods import ReportingYear

#: PostgreSQL settings of the report's transaction (the module docstring): one core, no JIT, room
#: for the per-case flags' hash tables (4 MB spilled to disk at a million cases).
_PG_SETTINGS = {"max_parallel_workers_per_gather": "0", "jit": "off", "work_mem": "32MB"}
#: The case columns the first figures are grouped by: the leading columns of ix_cases_report.
_GROUPED = ("received_on", "decision", "sector_code")


def _tune(session: Session) -> None:
    """The settings for the rest of the transaction (SET LOCAL), in one statement."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(*[func.set_config(name, value, True) for name, value in _PG_SETTINGS.items()]))


class Facts(FactPredicates):
    """The cases every figure is counted over (received in the window), and the per-case flags
    of their allegations' outcomes, disposals and DBS referrals.

    A predicate that reads an outcome flag must be false for a case without allegations (every
    outcome, disposal and DBS figure counts substantiated or other outcomes): those figures are
    counted over the cases that have allegations (`driver`). Figures that read only disposals or
    DBS referrals are counted the same way from those rows."""

    def __init__(
        self, ref: Reference, years: list[ReportingYear], as_at: date, reopened: bool = False
    ) -> None:
        self.years = years
        self.as_at = as_at
        self._walked = {}
        #: With cases re-opened after the as-at date, each counts with what it had on that date
        #: (`as_it_stood`): its columns are read through `columns`, from `cases_from`.
        self.history = _as_it_stood(as_at) if reopened else None
        self.columns = as_it_stood_columns(self.history)
        self.cases_from: FromClause = CASES
        if self.history is not None:
            self.cases_from = CASES.outerjoin(self.history, self.history.c.case_id == Case.id)
        self.last_day = min(years[-1].end, as_at)
        #: Received in the three years and on or before the as-at date.
        self.window = self.window_of(Case.received_on)
        self.year_index = self.year_of(Case.received_on)
        self.outcome_codes = [o.code for o in ref.outcomes]
        self.disposal_codes = [d.code for d in ref.disposals]
        # Each flag table: its rows, the condition they meet, and one flag per item.
        outcomes, disposals, dbs = dated_flags(as_at, self.outcome_codes, self.disposal_codes)
        alleged: Any = Allegation.__table__
        if self.history is not None:  # the outcomes kept by re-openings after the as-at date
            alleged = _outcomes_as_they_stood(as_at)
            outcomes = {name: adapt(cond, Allegation.__table__, alleged.c) for name, cond in outcomes.items()}
        self._sources: list[tuple[Any, list[ColumnElement[bool]], dict[str, ColumnElement[bool]]]] = [
            (alleged, [], outcomes),
            (case_disposals, [], disposals),
            (RegulatorReferral.__table__, [RegulatorReferral.regulator_code == "dbs"], dbs),
        ]
        # One row of flags per case that has rows in the table. The allegations are taken only
        # for the window's cases; the disposals and referrals (a tenth of their number) all at
        # once, which costs less than picking out the window's.
        in_window = select(Case.id).where(self.window)
        self.allegations = self._flags(0, "case_outcomes", alleged.c.case_id.in_(in_window))
        self.disposals = self._flags(1, "case_disposal_flags")
        self.dbs = self._flags(2, "case_dbs")
        # The window's cases whose adult (the person check's link) has an earlier case, with the
        # latest one's day ("within N years" holds for some earlier case exactly when it holds for
        # the latest; one more than the longest N before the window sets none).
        start, earlier = years[0].start, aliased(Case, name="earlier_case")
        oldest = date(start.year - max(REPEAT_YEARS), start.month, 1) - timedelta(days=1)
        pairs = (
            select(Case.id.label("case_id"), Case.received_on)
            .add_columns(func.max(earlier.received_on).label("earlier_on"))
            .join(earlier, and_(earlier.person_id == Case.person_id, earlier.received_on < Case.received_on))
            .where(self.window, earlier.received_on >= oldest)
            # Grouped (SQLite: read first, not flattened), by +id there: in id order it read each
            # adult from the table, 808 ms at a million cases (240 from ix_cases_report).
            .group_by(unindexed(Case.id), Case.received_on)
            .subquery("earlier_cases")
        )
        self._sources.append((pairs, [], repeat_flags(pairs.c.received_on, pairs.c.earlier_on)))
        self.repeat = self._flags(3, "case_repeats")
        self.flag_tables = (self.allegations, self.disposals, self.dbs, self.repeat)

    def as_it_stood(self, predicate: ColumnElement[bool]) -> ColumnElement[bool]:
        """The predicate over the case's columns as they stood on the as-at date."""
        return predicate if self.history is None else adapt(predicate, CASES, self.columns)

    def _flag_columns(self, index: int) -> list[ColumnElement]:
        """1 when a row of the table meets the flag's condition, 0 when none does, NULL without rows."""
        table, _, flags = self._sources[index]
        present = table.c.case_id.is_not(None)
        return [func.max(case((cond, 1), (present, 0))).label(name) for name, cond in flags.items()]

    def _flags(self, index: int, name: str, *where: ColumnElement[bool]) -> Subquery:
        table, conditions, _ = self._sources[index]
        return (
            select(table.c.case_id.label("case_id"), *self._flag_columns(index))
            .where(*conditions, *where)
            .group_by(table.c.case_id)
            .subquery(name)
        )

    def window_of(self, received_on) -> ColumnElement[bool]:
        return and_(received_on >= self.years[0].start, received_on <= self.last_day)

    def year_of(self, received_on) -> ColumnElement[int]:
        years = self.years
        return case((received_on < years[1].start, 0), (received_on < years[2].start, 1), else_=2)

    def in_year(self, index: int) -> ColumnElement[bool]:
        """Received in year `index` (0 oldest) of the window, as a range the index can read."""
        bounds = [Case.received_on >= self.years[index].start] if index else []
        if index < 2:
            bounds.append(Case.received_on < self.years[index + 1].start)
        return and_(*bounds)

    def flags_read(self, *predicates: ColumnElement) -> list[Subquery]:
        """The flag subqueries the predicates read, in the order of `flag_tables`."""
        used = set().union(*(self._reads(p)[0] for p in predicates))
        return [flags for flags in self.flag_tables if any(id(col) in used for col in flags.c)]

    def from_for(self, *predicates: ColumnElement) -> FromClause:
        """Cases, outer-joined with the per-case flag subqueries the predicates read. Each
        subquery has at most one row per case, so a join never multiplies or drops a case and
        leaving out an unread one changes no count; it only saves the work."""
        clause = self.cases_from
        for flags in self.flags_read(*predicates):
            clause = clause.outerjoin(flags, flags.c.case_id == Case.id)
        return clause

    def driver(self, flags: list[Subquery], preds: list[ColumnElement[bool]]) -> Subquery:
        """The window's cases that have rows in the table of `flags[0]`, one row each, with the
        flags of every table in `flags` and the case columns `preds` read (and the day received).
        Reached from the first table's rows in case order (on SQLite each then finds its case by
        id, the cheapest way there), the other tables' rows joined to them: a flag is the same
        however many rows repeat it, and NULL, as in `from_for`, for a case with none. When every
        predicate that reads one of those tables also requires a flag of the first (a disposal
        figure counts substantiated cases), its rows are joined only to the rows that set it."""
        first, *others = [self.flag_tables.index(f) for f in flags]
        table, conditions, own = self._sources[first]
        names = sorted(self.case_columns(*preds) | {"received_on"})
        stmt = (
            select(
                table.c.case_id.label("case_id"),
                *[column for index in (first, *others) for column in self._flag_columns(index)],
                *[func.max(self.columns[n]).label(f"case_{n}") for n in names],
            )
            .join(self.cases_from, Case.id == table.c.case_id)
            .where(*conditions, self.window_of(unindexed(Case.received_on)))
            .group_by(table.c.case_id)
        )
        for index in others:
            readers = [p for p in preds if self.flag_tables[index] in self.flags_read(p)]
            required = set.intersection(*[required_flags(p, flags[0]) for p in readers])
            gate = [own[min(required)]] if required else []
            other, on, _ = self._sources[index]
            stmt = stmt.outerjoin(other, and_(other.c.case_id == table.c.case_id, *on, *gate))
        return stmt.subquery("flagged")

    def column(self, table: Table, index: int) -> ColumnElement[bool]:
        """The column predicate: a year for the three-year tables, the selected year otherwise."""
        return self.in_year(index if table.columns is None else 2)


def _case_counts(session: Session, facts: Facts, preds: list[ColumnElement[bool]]) -> list[list[int]]:
    """Figures that read only the case's own columns, in one pass over the window: grouped by
    the leading columns of its index, each figure counted over the groups when it tests only
    those and over the cases otherwise."""
    grouped = [p for p in preds if facts.case_columns(p) <= set(_GROUPED)]
    each = [p for p in preds if not facts.case_columns(p) <= set(_GROUPED)]
    keys = [facts.columns[n] for n in _GROUPED]
    groups = (
        select(
            *[key.label(n) for key, n in zip(keys, _GROUPED, strict=True)],
            func.count().label("n"),
            *[func.count().filter(facts.as_it_stood(p)).label(f"e{i}") for i, p in enumerate(each)],
        )
        .select_from(facts.cases_from)
        .where(facts.window)
        .group_by(*keys)
        .subquery("case_groups")
    )
    on_groups = {n: groups.c[n] for n in _GROUPED}
    year = facts.year_of(groups.c.received_on)
    stmt = select(
        year,
        *[func.sum(groups.c.n).filter(adapt(p, CASES, on_groups)) for p in grouped],
        *[func.sum(groups.c[f"e{i}"]) for i in range(len(each))],
    ).group_by(year)
    counted = by_year_counts(session.execute(stmt), len(preds))
    order = {id(p): i for i, p in enumerate([*grouped, *each])}
    return [counted[order[id(p)]] for p in preds]


def _flag_counts(
    session: Session, facts: Facts, flags: list[Subquery], preds: list[ColumnElement[bool]]
) -> list[list[int]]:
    """Figures that read `flags` (the first is the table they are counted from), over the cases
    the `driver` finds."""
    driver = facts.driver(flags, preds)
    on_cases = {c.key.removeprefix("case_"): c for c in driver.c if c.key.startswith("case_")}
    on_flags = {c.key: c for c in driver.c}

    def adapted(pred: ColumnElement[bool]) -> ColumnElement[bool]:
        pred = adapt(pred, CASES, on_cases)
        for table in flags:
            pred = adapt(pred, table, on_flags)
        return pred

    year = facts.year_of(driver.c.case_received_on)
    stmt = select(year, *[func.count().filter(adapted(p)) for p in preds]).group_by(year)
    return by_year_counts(session.execute(stmt), len(preds))


def count_figures(session: Session, facts: Facts, tables: dict[str, Table]) -> Counts:
    """Every figure of every table: those over the case's own columns in one query, the others
    in one query per flag table they are counted from (the first they read)."""
    _tune(session)
    measures: list[tuple[str, tuple[str, str], ColumnElement[bool]]] = []
    for table in tables.values():
        for row in table.rows:
            # One-year tables count only the selected year: testing it first spares the rest.
            pred = row.predicate if table.columns is None else and_(facts.in_year(2), row.predicate)
            measures.append(("value", (table.key, row.code), pred))
            if row.usage is not None:
                measures.append(("usage", (table.key, row.code), row.usage))
    groups: dict[Subquery | None, list[int]] = defaultdict(list)
    for i, (_, _, pred) in enumerate(measures):
        read = facts.flags_read(pred)
        groups[read[0] if read else None].append(i)
    per_measure: dict[int, list[int]] = {}
    for first, indexes in groups.items():
        preds = [measures[i][2] for i in indexes]
        if first is None:
            counts = _case_counts(session, facts, preds)
        else:
            read = facts.flags_read(*preds)
            counts = _flag_counts(session, facts, read[read.index(first) :], preds)
        per_measure.update(zip(indexes, counts, strict=True))
    values: dict[tuple[str, str], list[int]] = {}
    used: dict[tuple[str, str], bool] = {}
    for i, (kind, key, _) in enumerate(measures):
        if kind == "value":
            values[key] = per_measure[i]
        elif any(per_measure[i]):
            used[key] = True
    return Counts(values, used)


def date_intervals(
    session: Session, facts: Facts, predicate: ColumnElement[bool], start: ColumnElement, end: ColumnElement
) -> list[tuple[date, date, int]]:
    """(start, end, number of cases) for the selected year's cases matching `predicate`, grouped
    by the pair of dates (two expressions over the case, as they stood on the as-at date) so the
    result stays small."""
    start, end = facts.as_it_stood(start), facts.as_it_stood(end)
    pairs = (
        select(start.label("start"), end.label("end"))
        .select_from(facts.from_for(predicate))
        .where(facts.window, facts.in_year(2), facts.as_it_stood(predicate))
        .subquery("pairs")
    )
    stmt = select(pairs.c.start, pairs.c.end, func.count()).group_by(pairs.c.start, pairs.c.end)
    return [(s, e, int(n)) for s, e, n in session.execute(stmt) if s is not None and e is not None]


def _figure_filter(facts: Facts, actor: Actor, *predicates: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    scope = visibility(actor)
    return [facts.window, *map(facts.as_it_stood, predicates), *([] if scope is None else [scope])]


def figure_cases(
    session: Session,
    actor: Actor,
    facts: Facts,
    row_predicate: ColumnElement[bool],
    column_predicate: ColumnElement[bool],
    *,
    after: tuple[date, int] | None = None,
    limit: int | None = None,
) -> list[dict]:
    """The cases one figure counts that the actor may see, in the order received: references and
    dates only; `limit` of them from just after the case `after` (received on, id)."""
    _tune(session)
    stmt = (
        select(Case.id, Case.reference, Case.received_on, Case.concluded_on)
        .select_from(facts.from_for(row_predicate, column_predicate))
        .where(*_figure_filter(facts, actor, row_predicate, column_predicate))
        .order_by(Case.received_on, Case.id)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Case.received_on, Case.id) > tuple_(*after))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        {"id": i, "reference": ref, "received_on": r, "concluded_on": c}
        for i, ref, r, c in session.execute(stmt)
    ]


def count_figure_cases(
    session: Session,
    actor: Actor,
    facts: Facts,
    row_predicate: ColumnElement[bool],
    column_predicate: ColumnElement[bool],
) -> int:
    """How many cases `figure_cases` lists in all."""
    stmt = (
        select(func.count())
        .select_from(facts.from_for(row_predicate, column_predicate))
        .where(*_figure_filter(facts, actor, row_predicate, column_predicate))
    )
    return int(session.scalar(stmt) or 0)


def reopened_after(session: Session, day: date) -> bool:
    """Whether any case was re-opened after `day` (a report as at that day then reads history)."""
    return bool(session.scalar(select(exists().where(CaseReopening.reopened_on > day))))


def _first_reopenings(day: date):
    """The id of each case's first re-opening after `day` (which kept what it had on `day`)."""
    return (
        select(func.min(CaseReopening.id))
        .where(CaseReopening.reopened_on > day)
        .group_by(CaseReopening.case_id)
    )


def _as_it_stood(day: date) -> Subquery:
    """Per case re-opened after `day`, the case's columns as they stood (REOPENED_COLUMNS, under
    the case's names, and `case_id`)."""
    kept = [getattr(CaseReopening, n) for n in REOPENED_COLUMNS]
    return (
        select(CaseReopening.case_id, *kept)
        .where(CaseReopening.id.in_(_first_reopenings(day)))
        .subquery("as_it_stood")
    )


def _outcomes_as_they_stood(day: date) -> Subquery:
    """Every allegation's outcome as a report as at `day` reads it: for a case whose first
    re-opening after `day` kept its outcomes, those; for every other case, its allegations'."""
    columns = ("case_id", "outcome_code", "outcome_on")
    kept = select(*(getattr(ReopenedOutcome, n) for n in columns)).where(
        ReopenedOutcome.reopening_id.in_(_first_reopenings(day))
    )
    now = select(*(getattr(Allegation, n) for n in columns)).where(
        Allegation.case_id.not_in(select(kept.subquery().c.case_id))
    )
    return union_all(now, kept).subquery("allegations_as_they_stood")


def earliest_received(session: Session) -> date | None:
    """The date the earliest case was received (the first year worth offering)."""
    return session.scalar(select(func.min(Case.received_on)))
