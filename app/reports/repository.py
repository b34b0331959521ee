"""Every query of the annual statistics.

A report runs a fixed number of queries whatever the data: five small reference-data reads,
one aggregate query that counts every figure of every table for the three years at once
(GROUP BY the year, one `COUNT(*) FILTER (WHERE predicate)` per figure: SQLite 3.30+ and
PostgreSQL, and faster than SUM(CASE ...) on both), and one grouped query for the median
decision time. No query per row, no loop over cases in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, case, extract, false, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.visitors import iterate

from app.cases.models import Allegation, Case, RegulatorReferral, case_disposals
from app.cases.repository import visibility
from app.context import Actor
from app.reference.models import AgencyGroup, Category, Disposal, Outcome, Sector

if TYPE_CHECKING:
    from app.reports.figures import Table
    from app.reports.periods import ReportingYear


def month_key(column) -> ColumnElement:
    """SQL twin of periods.month_key: (year * 12 + month) * 100 + day."""
    return (extract("year", column) * 12 + extract("month", column)) * 100 + extract("day", column)


class Facts:
    """The FROM clause every figure is counted over, and the year of each case."""

    def __init__(self, ref: Reference, years: list[ReportingYear], as_at: date) -> None:
        self.years = years
        self.as_at = as_at
        self.last_day = min(years[-1].end, as_at)
        #: Received in the three years and on or before the as-at date.
        self.window = and_(Case.received_on >= years[0].start, Case.received_on <= self.last_day)
        self.year_index = case(
            (Case.received_on < years[1].start, 0), (Case.received_on < years[2].start, 1), else_=2
        )
        self.outcome_codes = [o.code for o in ref.outcomes]
        self.disposal_codes = [d.code for d in ref.disposals]

        # One row of flags per case. Not restricted to the window: the outer join does that, and
        # a semi-join on the window costs a scan of cases per subquery (measured: the report at
        # 1M cases took 1.7x longer on PostgreSQL with it, and no less time on SQLite).
        self.allegations = (
            select(
                Allegation.case_id.label("case_id"),
                *[
                    func.max(case((Allegation.outcome_code == code, 1), else_=0)).label(f"o{i}")
                    for i, code in enumerate(self.outcome_codes)
                ],
            )
            .group_by(Allegation.case_id)
            .subquery("case_outcomes")
        )
        self.disposals = (
            select(
                case_disposals.c.case_id.label("case_id"),
                *[
                    func.max(case((case_disposals.c.disposal_code == code, 1), else_=0)).label(f"d{i}")
                    for i, code in enumerate(self.disposal_codes)
                ],
            )
            .group_by(case_disposals.c.case_id)
            .subquery("case_disposal_flags")
        )
        self.dbs = (
            select(
                RegulatorReferral.case_id.label("case_id"),
                func.max(case((RegulatorReferral.status == "made", 1), else_=0)).label("made"),
                func.max(case((RegulatorReferral.status == "recommended", 1), else_=0)).label("recommended"),
            )
            .where(RegulatorReferral.regulator_code == "dbs")
            .group_by(RegulatorReferral.case_id)
            .subquery("case_dbs")
        )
        self.flag_tables = (self.allegations, self.disposals, self.dbs)

    def from_for(self, *predicates: ColumnElement) -> FromClause:
        """Cases, outer-joined with the per-case flag subqueries the predicates read. Each
        subquery has at most one row per case, so a join never multiplies or drops a case and
        leaving out an unread one changes no count; it only saves the work."""
        used = {id(node) for p in predicates for node in iterate(p)}
        clause: FromClause = Case.__table__
        for flags in self.flag_tables:
            if any(id(col) in used for col in flags.c):
                clause = clause.outerjoin(flags, flags.c.case_id == Case.id)
        return clause

    # Per-case facts, as predicates.
    def has_outcome(self, code: str) -> ColumnElement[bool]:
        return self.allegations.c[f"o{self.outcome_codes.index(code)}"] == 1

    def has_disposal(self, code: str) -> ColumnElement[bool]:
        return self.disposals.c[f"d{self.disposal_codes.index(code)}"] == 1

    @property
    def substantiated(self) -> ColumnElement[bool]:
        if "substantiated" not in self.outcome_codes:
            return false()
        return self.has_outcome("substantiated")

    @property
    def threshold_met(self) -> ColumnElement[bool]:
        return Case.decision == "threshold_met"

    @property
    def concluded_as_at(self) -> ColumnElement[bool]:
        return and_(Case.concluded_on.is_not(None), Case.concluded_on <= self.as_at)

    def column(self, table: Table, index: int) -> ColumnElement[bool]:
        """The column predicate: a year for the three-year tables, the selected year otherwise."""
        return self.year_index == (index if table.columns is None else 2)


@dataclass
class Reference:
    """The reference data a report is laid out from, each list in display order."""

    sectors: list[Sector]
    categories: list[Category]
    outcomes: list[Outcome]
    agency_groups: list[AgencyGroup]
    disposals: list[Disposal]

    def sectors_of(self, agency_group_code: str) -> list[str]:
        return [s.code for s in self.sectors if s.agency_group_code == agency_group_code]


def load_reference(session: Session) -> Reference:
    def ordered(model):
        return list(session.scalars(select(model).order_by(model.display_order, model.code)))

    return Reference(
        ordered(Sector), ordered(Category), ordered(Outcome), ordered(AgencyGroup), ordered(Disposal)
    )


@dataclass
class Counts:
    """Figure values by (table key, row code): one count per year, oldest first; and for rows
    with a separate usage rule, whether anything in the window uses the item."""

    values: dict[tuple[str, str], list[int]]
    used: dict[tuple[str, str], bool]


def count_figures(session: Session, facts: Facts, tables: dict[str, Table]) -> Counts:
    """Every figure of every table, in one aggregate query grouped by year."""
    measures: list[tuple[str, tuple[str, str], ColumnElement[bool]]] = []
    for table in tables.values():
        for row in table.rows:
            measures.append(("value", (table.key, row.code), row.predicate))
            if row.usage is not None:
                measures.append(("usage", (table.key, row.code), row.usage))
    year = facts.year_index.label("year")
    stmt = (
        select(year, *[func.count().filter(pred).label(f"m{i}") for i, (_, _, pred) in enumerate(measures)])
        .select_from(facts.from_for(*[pred for _, _, pred in measures]))
        .where(facts.window)
        .group_by(facts.year_index)
    )
    values: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    used: dict[tuple[str, str], bool] = defaultdict(bool)
    for kind, key, _ in measures:
        if kind == "value":
            values[key] = [0, 0, 0]
    for result in session.execute(stmt):
        y = int(result[0])
        for i, (kind, key, _) in enumerate(measures):
            n = int(result[i + 1] or 0)
            if kind == "value":
                values[key][y] = n
            elif n:
                used[key] = True
    return Counts(dict(values), dict(used))


def decision_intervals(
    session: Session, facts: Facts, predicate: ColumnElement[bool]
) -> list[tuple[date, date, int]]:
    """(received, decided, number of cases) for the selected year's cases matching `predicate`,
    grouped by the pair of dates so the result stays small however many cases there are."""
    stmt = (
        select(Case.received_on, Case.decided_on, func.count())
        .select_from(facts.from_for(predicate))
        .where(facts.window, facts.year_index == 2, predicate)
        .group_by(Case.received_on, Case.decided_on)
    )
    return [(r, d, int(n)) for r, d, n in session.execute(stmt) if d is not None]


def figure_cases(
    session: Session,
    actor: Actor,
    facts: Facts,
    row_predicate: ColumnElement[bool],
    column_predicate: ColumnElement[bool],
) -> list[dict]:
    """The cases one figure counts that the actor may see: references and dates only."""
    stmt = (
        select(Case.id, Case.reference, Case.received_on, Case.concluded_on)
        .select_from(facts.from_for(row_predicate, column_predicate))
        .where(facts.window, column_predicate, row_predicate)
        .order_by(Case.received_on, Case.id)
    )
    if (scope := visibility(actor)) is not None:
        stmt = stmt.where(scope)
    return [
        {"id": i, "reference": ref, "received_on": r, "concluded_on": c}
        for i, ref, r, c in session.execute(stmt)
    ]


def earliest_received(session: Session) -> date | None:
    """The date the earliest case was received (the first year worth offering)."""
    return session.scalar(select(func.min(Case.received_on)))
