"""What each figure of the annual report counts, as SQL predicates built once per report.

A figure is "the cases in column C that satisfy row R". Every row of every table is a boolean
SQL expression over `Facts` (the cases received in the three-year window, each joined with one
row of per-case flags); every column is a predicate on the year (or, for the one-year tables,
the selected year). The counting query sums these predicates and the drill-down filters on the
very same expressions, so a figure and the list of cases behind it cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, case, extract, false, func, or_, select
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.visitors import iterate

from app.cases.models import Allegation, Case, RegulatorReferral, case_disposals
from app.reports.periods import ReportingYear
from app.reports.repository import Reference

#: Outcome rows in the order annual-report.md lists them; other outcome codes follow by display order.
OUTCOME_ORDER = ("unfounded", "unsubstantiated", "malicious", "false", "substantiated")
OUTCOME_NOTE = "In some cases there is more than one outcome, which can result in the overall figures seeming inflated."
TIMELINESS_MONTHS = (1, 3, 12)

#: Tables whose columns are the three years (oldest first); the others describe the selected year.
YEAR_TABLES = ("referrals", "source", "category", "outcome", "substantiated_by_agency", "disposal")
TABLE_ORDER = YEAR_TABLES + ("quarterly", "timeliness")


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


def _month_key(column) -> ColumnElement:
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
        self.year_index = case((Case.received_on < years[1].start, 0),
                               (Case.received_on < years[2].start, 1), else_=2)
        self.outcome_codes = [o.code for o in ref.outcomes]
        self.disposal_codes = [d.code for d in ref.disposals]

        # One row of flags per case. Not restricted to the window: the outer join does that, and
        # a semi-join on the window costs a scan of cases per subquery (measured: the report at
        # 1M cases took 1.7x longer on PostgreSQL with it, and no less time on SQLite).
        self.allegations = (
            select(Allegation.case_id.label("case_id"),
                   *[func.max(case((Allegation.outcome_code == code, 1), else_=0)).label(f"o{i}")
                     for i, code in enumerate(self.outcome_codes)])
            .group_by(Allegation.case_id)
            .subquery("case_outcomes")
        )
        self.disposals = (
            select(case_disposals.c.case_id.label("case_id"),
                   *[func.max(case((case_disposals.c.disposal_code == code, 1), else_=0)).label(f"d{i}")
                     for i, code in enumerate(self.disposal_codes)])
            .group_by(case_disposals.c.case_id)
            .subquery("case_disposal_flags")
        )
        self.dbs = (
            select(RegulatorReferral.case_id.label("case_id"),
                   func.max(case((RegulatorReferral.status == "made", 1), else_=0)).label("made"),
                   func.max(case((RegulatorReferral.status == "recommended", 1), else_=0)).label("recommended"))
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


def build_tables(ref: Reference, facts: Facts) -> dict[str, Table]:
    """Every table of annual-report.md with its rows, in display order, inactive rows included
    (the service drops the inactive ones nothing in the window uses)."""
    selected = facts.years[-1]
    sub = facts.substantiated
    tables = [
        Table("referrals", "Referrals received", [
            Row("total", "Total (including contacts and advice given)", Case.id.is_not(None)),
            Row("nfa", "NFA after initial consideration", Case.decision == "nfa"),
        ]),
        Table("source", "Source of allegations by sector", [
            Row(s.code, s.label, Case.sector_code == s.code, always_show=s.active) for s in ref.sectors
        ], has_total=True),
        Table("category", "Category of allegation", [
            Row(c.code, c.label, Case.primary_category_code == c.code, always_show=c.active) for c in ref.categories
        ], has_total=True),
        Table("outcome", "Overall outcomes", [
            Row("nfa", "NFA after initial consideration/investigation", Case.decision == "nfa"),
            *[Row(o.code, o.label, facts.has_outcome(o.code), always_show=o.active) for o in _outcomes_in_order(ref)],
            Row("training_needs", "Training needs identified", Case.training_needs.is_(True)),
            Row("continuing", "Investigation continuing",
                and_(facts.threshold_met, or_(Case.concluded_on.is_(None), Case.concluded_on > facts.as_at))),
        ], note=OUTCOME_NOTE),
        Table("substantiated_by_agency", "Substantiated allegations by agency", [
            Row(g.code, g.label, and_(Case.sector_code.in_(ref.sectors_of(g.code)), sub) if ref.sectors_of(g.code) else false(),
                always_show=g.active)
            for g in ref.agency_groups
        ], has_total=True, usage_from_source={g.code: ref.sectors_of(g.code) for g in ref.agency_groups}),
        Table("disposal", "Disposal of substantiated cases", [
            *[Row(d.code, d.label, and_(sub, facts.has_disposal(d.code)), always_show=d.active,
                  usage=None if d.active else facts.has_disposal(d.code)) for d in ref.disposals],
            Row("dbs_made", "Referred to DBS", and_(sub, facts.dbs.c.made == 1)),
            Row("dbs_recommended", "Recommended to be referred to DBS",
                and_(sub, facts.dbs.c.recommended == 1, func.coalesce(facts.dbs.c.made, 0) == 0)),
        ]),
        Table("quarterly", "Cases received by quarter", [
            Row(q.code, q.label, and_(Case.received_on >= q.start, Case.received_on < q.next_start))
            for q in selected.quarters()
        ], columns=["cases", "per 10,000 children"]),
        Table("timeliness", "Timeliness of threshold-met cases", _timeliness_rows(facts),
              columns=["cases", "value"]),
    ]
    return {t.key: t for t in tables}


def _outcomes_in_order(ref: Reference):
    known = {o.code: o for o in ref.outcomes}
    ordered = [known[c] for c in OUTCOME_ORDER if c in known]
    return ordered + [o for o in ref.outcomes if o.code not in OUTCOME_ORDER]


def _timeliness_rows(facts: Facts) -> list[Row]:
    concluded = and_(facts.threshold_met, facts.concluded_as_at)
    rows = [Row("concluded", "Threshold-met cases concluded by the as-at date", concluded)]
    for n in TIMELINESS_MONTHS:
        unit = "month" if n == 1 else "months"
        rows.append(Row(f"within_{n}_{unit}", f"Concluded within {n} {unit} of receipt (% of concluded)",
                        and_(concluded, _month_key(Case.concluded_on) <= _month_key(Case.received_on) + 100 * n)))
    rows.append(Row("median_working_days_to_decision",
                    "Median working days from receipt to initial-consideration decision",
                    and_(concluded, Case.decided_on.is_not(None))))
    return rows
