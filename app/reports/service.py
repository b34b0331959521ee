"""The annual statistics of annual-report.md, computed from the case data when asked.

Decisions the spec leaves open, made once here:
- "As at" limits every table to cases received on or before that date (a report run part-way
  through a year shows the year to date) and decides which threshold-met cases are still
  continuing and which count as concluded for timeliness. Other facts (outcomes, disposals,
  training needs) are read as they are now.
- A reference item (sector, category, outcome, agency group, disposal) gets a row when it is
  active, or when a case received in any of the three years uses it; inactive unused items
  are left out. An agency group is used when one of its sectors is.
- Timeliness describes the selected year: of its threshold-met cases concluded by the as-at
  date, how many (and what percentage) were concluded within 1, 3 and 12 calendar months of
  receipt, and the median working days from receipt to the initial-consideration decision
  among those of them with a decision date.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.clock import today
from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.reference import repository as reference_repository
from app.reference.models import AgencyGroup, Category, Disposal, Outcome, ReferrerAgency, Sector
from app.reports import repository
from app.reports.export import export
from app.reports.expressions import Reference, Row, Table
from app.reports.figures import TABLE_ORDER, build_tables
from app.reports.periods import ReportingYear, WorkingDayCounter
from app.reports.repository import Facts
from app.reports.suppression import suppressed
from app.settings import service as settings

FIRST_YEAR = 1990
LAST_YEAR = 2100
#: Cases listed on one page of a figure's drill-down (a figure can count tens of thousands).
DRILL_DOWN_PAGE = 200


def _round1(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rate_per_10000(cases: int, population: int | None) -> float | None:
    """Cases per 10,000 children, one decimal place (30 cases in 33,333 children: 9.0)."""
    if not population:
        return None
    return _round1(Decimal(cases) * 10000 / Decimal(population))


def percentage(part: int, whole: int) -> float | None:
    return None if whole == 0 else _round1(Decimal(part) * 100 / Decimal(whole))


def weighted_median(pairs: list[tuple[int, int]]) -> float | None:
    """Median of values given as (value, how many times); the mean of the middle two when even."""
    total = sum(n for _, n in pairs)
    if total == 0:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value, n in sorted(pairs):
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return _round1(Decimal(found[0] + found[1]) / 2)


def check_request(start_year: Any, as_at: date | None, start_month: int) -> tuple[list[ReportingYear], date]:
    """The three reporting years and the as-at date, or ValidationFailed saying what to fix."""
    errors: dict[str, str] = {}
    year_ok = isinstance(start_year, int) and FIRST_YEAR <= start_year <= LAST_YEAR
    if not year_ok:
        errors["start_year"] = (
            f"Reporting year must be a year between {FIRST_YEAR} and {LAST_YEAR}, like 2019 for 2019-20"
        )
        raise ValidationFailed(errors)
    as_at = as_at or today()
    selected = ReportingYear(start_year, start_month)
    if as_at < selected.start:
        errors["as_at"] = (
            f"The as-at date must be on or after the start of the reporting year "
            f"({selected.start.day} {selected.start:%B %Y})"
        )
        raise ValidationFailed(errors)
    return [selected.previous(2), selected.previous(1), selected], as_at


class _Report:
    """One report's inputs: years, reference data, predicates."""

    def __init__(self, session: Session, start_year: int, as_at: date | None) -> None:
        self.years, self.as_at = check_request(
            start_year, as_at, settings.reporting_year_start_month(session)
        )
        items = reference_repository.list_items
        self.ref = Reference(
            *(items(session, Sector), items(session, Category), items(session, Outcome)),
            *(items(session, AgencyGroup), items(session, Disposal), items(session, ReferrerAgency)),
        )
        reopened = repository.reopened_after(session, self.as_at)
        self.facts = Facts(self.ref, self.years, self.as_at, reopened)
        self.tables = build_tables(self.ref, self.facts)


def annual_report(session: Session, start_year: int, as_at: date | None = None) -> dict[str, Any]:
    """The report in the JSON shape of annual-report.md."""
    report = _Report(session, start_year, as_at)
    counts = repository.count_figures(session, report.facts, report.tables)
    selected = report.years[-1]
    population = settings.child_population_for(session, start_year)
    tables: dict[str, Any] = {}
    for key in TABLE_ORDER:
        table = report.tables[key]
        if table.columns is None:
            tables[key] = _year_table(table, counts)
        elif key == "quarterly":
            rows = []
            for row in table.rows:
                n = counts.values[(key, row.code)][2]
                rows.append(
                    {"code": row.code, "label": row.label, "values": [n, rate_per_10000(n, population)]}
                )
            tables[key] = {"title": table.title, "rows": rows, "columns": list(table.columns)}
        else:
            tables[key] = _timeliness_table(session, report, table, counts)
    return {
        "year": selected.label,
        "period": {"start": selected.start.isoformat(), "end": selected.end.isoformat()},
        "as_at": report.as_at.isoformat(),
        "columns": [y.label for y in report.years],
        "tables": tables,
    }


def _year_table(table: Table, counts: repository.Counts) -> dict[str, Any]:
    source_counts = {code: v for (t, code), v in counts.values.items() if t == "source"}
    rows = []
    for row in table.rows:
        values: list[Any] = list(counts.values[(table.key, row.code)])
        used = any(values) or counts.used.get((table.key, row.code), False)
        if row.code in table.usage_from_source:
            used = used or any(any(source_counts.get(s, [0])) for s in table.usage_from_source[row.code])
        if row.share_of is not None:
            whole = counts.values[(table.key, row.share_of)]
            values = [percentage(n, w) for n, w in zip(values, whole, strict=True)]
        if row.always_show or used:
            rows.append({"code": row.code, "label": row.label, "values": values})
    out: dict[str, Any] = {"title": table.title, "rows": rows}
    if table.has_total:
        out["total"] = [sum(r["values"][i] for r in rows) for i in range(3)]
    if table.note:
        out["note"] = table.note
    return out


def _timeliness_table(
    session: Session, report: _Report, table: Table, counts: repository.Counts
) -> dict[str, Any]:
    rows = []
    for row in table.rows:
        n = counts.values[(table.key, row.code)][2]
        value: float | None = None
        if row.share_of is not None:
            value = percentage(n, counts.values[(table.key, row.share_of)][2])
        elif row.interval is not None:
            value = _median_working_days(session, report, row)
        rows.append({"code": row.code, "label": row.label, "values": [n, value]})
    return {"title": table.title, "rows": rows, "columns": list(table.columns or [])}


def _median_working_days(session: Session, report: _Report, row: Row) -> float | None:
    """The median working days between the two dates of `row.interval` over the cases it counts."""
    assert row.interval is not None
    intervals = repository.date_intervals(session, report.facts, row.predicate, *row.interval)
    if not intervals:
        return None
    first = min(min(r, d) for r, d, _ in intervals)
    last = max(max(r, d) for r, d, _ in intervals)
    counter = WorkingDayCounter(first, last)
    pairs = [(counter.between(r, d), n) for r, d, n in intervals]
    return weighted_median(pairs)


def _figure(report: _Report, table: str, row_code: str, column_index: int):
    spec = report.tables.get(table)
    if spec is None:
        raise NotFound(f"There is no table called {table!r} in the annual report")
    row = spec.row(row_code)
    if row is None:
        raise NotFound(f"The {spec.title.lower()} table has no row {row_code!r}")
    width = 3 if spec.columns is None else len(spec.columns)
    if not isinstance(column_index, int) or not 0 <= column_index < width:
        raise ValidationFailed({"col": f"Column must be a number from 0 to {width - 1}"})
    return spec, row


def cases_for_figure(
    session: Session,
    actor: Actor,
    start_year: int,
    table: str,
    row_code: str,
    column_index: int,
    as_at: date | None = None,
) -> list[dict[str, Any]]:
    """The cases one figure counts (id, reference, received_on, concluded_on), found with the
    same predicates the counting query sums. `row_code` may be `total` for tables with a total."""
    report = _Report(session, start_year, as_at)
    spec, row = _figure(report, table, row_code, column_index)
    return repository.figure_cases(
        session, actor, report.facts, row.predicate, report.facts.column(spec, column_index)
    )


#: A figure of the report: (table key, row code, column index).
Cell = tuple[str, str, int]


def figure_members(
    session: Session, actor: Actor, start_year: int, as_at: date, cells: list[Cell]
) -> dict[Cell, list[int]]:
    """The ids of the cases each figure counts (that the actor may see), one query per figure:
    what a published report keeps so a later computation can name the cases that moved."""
    report = _Report(session, start_year, as_at)
    members: dict[Cell, list[int]] = {}
    for table, row_code, column_index in cells:
        spec, row = _figure(report, table, row_code, column_index)
        column = report.facts.column(spec, column_index)
        found = repository.figure_cases(session, actor, report.facts, row.predicate, column)
        members[(table, row_code, column_index)] = [c["id"] for c in found]
    return members


def figure_drill_down(
    session: Session,
    actor: Actor,
    start_year: int,
    table: str,
    row_code: str,
    column_index: int,
    as_at: date | None = None,
    after: tuple[date, int] | None = None,
) -> dict[str, Any]:
    """The drill-down page's content: which figure (table, row, column), how many cases it
    counts, and one page of them (DRILL_DOWN_PAGE, in the order received, from just after the
    case `after`: its received date and id), with where the next page starts."""
    report = _Report(session, start_year, as_at)
    spec, row = _figure(report, table, row_code, column_index)
    columns = (
        [y.label for y in report.years]
        if spec.columns is None
        else [report.years[-1].label] * len(spec.columns)
    )
    column = report.facts.column(spec, column_index)
    total = repository.count_figure_cases(session, actor, report.facts, row.predicate, column)
    cases = repository.figure_cases(
        session, actor, report.facts, row.predicate, column, after=after, limit=DRILL_DOWN_PAGE + 1
    )
    more = len(cases) > DRILL_DOWN_PAGE
    cases = cases[:DRILL_DOWN_PAGE]
    return {
        "table_title": spec.title,
        "row_label": row.label,
        "column": columns[column_index],
        "year": report.years[-1].label,
        "as_at": report.as_at,
        "total": total,
        "cases": cases,
        "next_after": (cases[-1]["received_on"], cases[-1]["id"]) if more else None,
        "first_page": after is None,
        "one_year_table": spec.columns is not None,
    }


# ---- the audited uses of the report -------------------------------------------------------------


def view_annual_report(
    session: Session,
    actor: Actor,
    start_year: int,
    as_at: date | None,
    *,
    via: str | None = None,
    suppress: bool = False,
) -> dict[str, Any]:
    """The report (small numbers suppressed if asked), its reading audited (page or API)."""
    report = annual_report(session, start_year, as_at)
    details: dict[str, Any] = {"start_year": start_year, "as_at": report["as_at"]}
    if via:
        details["via"] = via
    if suppress:
        report, details["suppressed"] = suppressed(report), True
    record(session, actor, Verb.VIEWED, ObjectType.ANNUAL_REPORT, report["year"], details=details)
    return report


def export_annual_report(
    session: Session,
    actor: Actor,
    start_year: int,
    as_at: date | None,
    fmt: str,
    *,
    suppress: bool = False,
    **extra: Any,
) -> tuple[bytes, str, str]:
    """The report as a file (content, media type, name; small numbers suppressed if asked), the
    export audited."""
    report = annual_report(session, start_year, as_at)
    if suppress:
        report, extra["suppressed"] = suppressed(report), True
    content, media_type, name = export(report, fmt)
    record(
        session,
        actor,
        Verb.EXPORTED,
        ObjectType.ANNUAL_REPORT,
        report["year"],
        details={
            "start_year": start_year,
            "as_at": report["as_at"],
            "format": fmt,
            **extra,
            "bytes": len(content),
        },
    )
    return content, media_type, name


def view_figure_cases(
    session: Session,
    actor: Actor,
    start_year: int,
    table: str,
    row: str,
    col: int,
    as_at: date | None,
    after: tuple[date, int] | None = None,
) -> dict[str, Any]:
    """The cases behind one figure (a page of them), the reading audited."""
    figure = figure_drill_down(session, actor, start_year, table, row, col, as_at, after)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.ANNUAL_REPORT_FIGURE,
        f"{figure['year']}:{table}:{row}:{col}",
        details={
            "start_year": start_year,
            "as_at": figure["as_at"],
            "table": table,
            "row": row,
            "col": col,
            "cases": figure["total"],
            "shown": len(figure["cases"]),
            **({"after": f"{after[0].isoformat()}.{after[1]}"} if after else {}),
        },
    )
    return figure


def earliest_received(session: Session) -> date | None:
    return repository.earliest_received(session)
