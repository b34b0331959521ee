"""What each figure of the annual report counts, as SQL predicates built once per report.

A figure is "the cases in column C that satisfy row R". Every row of every table is a boolean
SQL expression over `Facts` (the cases received in the three-year window, each joined with one
row of per-case flags); every column is a predicate on the year (or, for the one-year tables,
the selected year). The counting query sums these predicates and the drill-down filters on the
very same expressions, so a figure and the list of cases behind it cannot disagree.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, not_, or_, true

from app.areas import repository as areas
from app.cases.models import Case
from app.reports.expressions import Row, Table, by_as_at, month_key
from app.reports.further import FURTHER_TABLES, further_tables, timeliness_rows
from app.reports.repository import Facts, Reference

#: Outcome rows in the order annual-report.md lists them; other outcome codes follow by display order.
OUTCOME_ORDER = ("unfounded", "unsubstantiated", "malicious", "false", "substantiated")
OUTCOME_NOTE = (
    "In some cases there is more than one outcome, which can result in the overall figures seeming inflated."
)
TIMELINESS_MONTHS = (1, 3, 12)

#: Tables whose columns are the three years (oldest first); the others describe the selected year.
#: After the six of the published example, those that partnerships publish beyond them (app/areas
#: and further.py).
YEAR_TABLES = (
    *("referrals", "source", "category", "outcome", "substantiated_by_agency", "disposal"),
    *("referrer_agency", "non_recent", "cross_border"),
    *FURTHER_TABLES,
)
TABLE_ORDER = (*YEAR_TABLES, "quarterly", "timeliness")


def build_tables(ref: Reference, facts: Facts) -> dict[str, Table]:
    """Every table of annual-report.md with its rows, in display order, inactive rows included
    (the service drops the inactive ones nothing in the window uses)."""
    selected = facts.years[-1]
    sub = facts.substantiated
    tables = [
        Table(
            "referrals",
            "Referrals received",
            [
                Row("total", "Total (including contacts and advice given)", true()),
                Row("nfa", "NFA after initial consideration", _nfa_decided(facts)),
            ],
        ),
        Table(
            "source",
            "Source of allegations by sector",
            [Row(s.code, s.label, Case.sector_code == s.code, always_show=s.active) for s in ref.sectors],
            has_total=True,
        ),
        Table(
            "category",
            "Category of allegation",
            [
                Row(c.code, c.label, Case.primary_category_code == c.code, always_show=c.active)
                for c in ref.categories
            ],
            has_total=True,
        ),
        Table(
            "outcome",
            "Overall outcomes",
            [
                Row(
                    "nfa",
                    "NFA after initial consideration/investigation",
                    or_(_nfa_decided(facts), _nfa_after_investigation(facts)),
                ),
                *[
                    Row(o.code, o.label, facts.has_outcome(o.code), always_show=o.active)
                    for o in _outcomes_in_order(ref)
                ],
                Row("training_needs", "Training needs identified", _training_needs(facts)),
                Row(
                    "continuing",
                    "Investigation continuing",
                    and_(
                        facts.threshold_met,
                        not_(facts.concluded_as_at),
                        # Transferred out: another LADO carries it on (cross_border counts it).
                        not_(areas.transferred_out_by(facts.as_at)),
                    ),
                ),
            ],
            note=OUTCOME_NOTE,
        ),
        Table(
            "substantiated_by_agency",
            "Substantiated allegations by agency",
            [
                Row(
                    g.code,
                    g.label,
                    and_(Case.sector_code.in_(ref.sectors_of(g.code)), sub)
                    if ref.sectors_of(g.code)
                    else false(),
                    always_show=g.active,
                )
                for g in ref.agency_groups
            ],
            has_total=True,
            usage_from_source={g.code: ref.sectors_of(g.code) for g in ref.agency_groups},
        ),
        Table(
            "disposal",
            "Disposal of substantiated cases",
            [
                *[
                    Row(
                        d.code,
                        d.label,
                        and_(sub, facts.has_disposal(d.code)),
                        always_show=d.active,
                        usage=None if d.active else facts.has_disposal(d.code),
                    )
                    for d in ref.disposals
                ],
                Row("dbs_made", "Referred to DBS", and_(sub, facts.dbs_made)),
                Row(
                    "dbs_recommended",
                    "Recommended to be referred to DBS",
                    and_(sub, facts.dbs_recommended_only),
                ),
            ],
        ),
        *_area_tables(ref, facts),
        *further_tables(ref, facts),
        Table(
            "quarterly",
            "Cases received by quarter",
            [
                Row(q.code, q.label, and_(Case.received_on >= q.start, Case.received_on < q.next_start))
                for q in selected.quarters()
            ],
            columns=["cases", "per 10,000 children"],
        ),
        Table(
            "timeliness",
            "Timeliness of decisions, meetings and conclusions",
            [*_timeliness_rows(facts), *timeliness_rows(facts)],
            columns=["cases", "value"],
        ),
    ]
    return {t.key: t for t in tables}


def _area_tables(ref: Reference, facts: Facts) -> list[Table]:
    """Cases by the referrer's agency, current and non-recent allegations, and cases led here,
    transferred out and transferred in (app/areas); each transfer counts from its date."""
    agencies = [
        Row(a.code, a.label, areas.referred_by(a.code), always_show=a.active) for a in ref.referrer_agencies
    ]
    return [
        Table(
            "referrer_agency",
            "Cases by the referrer agency",
            [*agencies, Row("not_recorded", "Not recorded", areas.referred_by(None))],
        ),
        Table(
            "non_recent",
            "Current and non-recent allegations",
            [
                Row("current", "Current", areas.non_recent_is(False)),
                Row("non_recent", "Non-recent", areas.non_recent_is(True)),
                Row("not_recorded", "Not recorded", areas.non_recent_is(None)),
            ],
        ),
        Table(
            "cross_border",
            "Cases led here and transferred",
            [
                Row("led_here", "Led here", areas.led_here_at(facts.as_at)),
                Row("transferred_out", "Transferred out", areas.transferred_out_by(facts.as_at)),
                Row("transferred_in", "Transferred in", areas.transferred_in_by(facts.as_at)),
            ],
        ),
    ]


def _nfa_decided(facts: Facts) -> ColumnElement[bool]:
    """Initial consideration decided no further action, by the as-at date."""
    return and_(Case.decision == "nfa", by_as_at(Case.decided_on, facts.as_at))


def _nfa_after_investigation(facts: Facts) -> ColumnElement[bool]:
    """Threshold met, then concluded with no further action, by the as-at date."""
    return and_(Case.nfa_after_investigation.is_(True), facts.concluded_as_at)


def _training_needs(facts: Facts) -> ColumnElement[bool]:
    """The conclusion, by the as-at date, recorded training needs identified."""
    return and_(Case.training_needs.is_(True), facts.concluded_as_at)


def _outcomes_in_order(ref: Reference):
    known = {o.code: o for o in ref.outcomes}
    ordered = [known[c] for c in OUTCOME_ORDER if c in known]
    return ordered + [o for o in ref.outcomes if o.code not in OUTCOME_ORDER]


def _timeliness_rows(facts: Facts) -> list[Row]:
    concluded = and_(facts.threshold_met, facts.concluded_as_at)
    rows = [Row("concluded", "Threshold-met cases concluded by the as-at date", concluded)]
    for n in TIMELINESS_MONTHS:
        unit = "month" if n == 1 else "months"
        rows.append(
            Row(
                f"within_{n}_{unit}",
                f"Concluded within {n} {unit} of receipt (% of concluded)",
                and_(concluded, month_key(Case.concluded_on) <= month_key(Case.received_on) + 100 * n),
                share_of="concluded",
            )
        )
    rows.append(
        Row(
            "median_working_days_to_decision",
            "Median working days from receipt to initial-consideration decision",
            and_(concluded, Case.decided_on.is_not(None)),
            interval=(Case.received_on, Case.decided_on),
        )
    )
    return rows
