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

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.reference.models import AgencyGroup, Category, Disposal, Outcome, Sector

if TYPE_CHECKING:
    from app.reports.figures import Facts, Table


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

    return Reference(ordered(Sector), ordered(Category), ordered(Outcome), ordered(AgencyGroup), ordered(Disposal))


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


def decision_intervals(session: Session, facts: Facts, predicate: ColumnElement[bool]) -> list[tuple[date, date, int]]:
    """(received, decided, number of cases) for the selected year's cases matching `predicate`,
    grouped by the pair of dates so the result stays small however many cases there are."""
    stmt = (
        select(Case.received_on, Case.decided_on, func.count())
        .select_from(facts.from_for(predicate))
        .where(facts.window, facts.year_index == 2, predicate)
        .group_by(Case.received_on, Case.decided_on)
    )
    return [(r, d, int(n)) for r, d, n in session.execute(stmt)]


def figure_cases(session: Session, facts: Facts, row_predicate: ColumnElement[bool],
                 column_predicate: ColumnElement[bool]) -> list[dict]:
    """The cases one figure counts: references and dates only."""
    stmt = (
        select(Case.id, Case.reference, Case.received_on, Case.concluded_on)
        .select_from(facts.from_for(row_predicate, column_predicate))
        .where(facts.window, column_predicate, row_predicate)
        .order_by(Case.received_on, Case.id)
    )
    return [{"id": i, "reference": ref, "received_on": r, "concluded_on": c} for i, ref, r, c in session.execute(stmt)]
