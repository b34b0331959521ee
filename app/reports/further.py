"""The tables partnerships publish beyond the published example (annual-report.md, "The tables
partnerships publish beyond these"), and the rows they add to `timeliness`. Each row is one
predicate over `Facts`, as in figures.py, so the counting query, the drill-down and the exports
read the same definition; other tables are read through the predicates their domains'
repositories give (consultations, meetings, strands). Every fact counts from the date it
took effect, on or before the as-at date.

- `conversion` (three years): a **contact** is every case received (each contact is recorded as
  a case: a consultation, a referral, an online referral closed as advice given), so `contacts`
  equals the referrals table's total. A **consultation** is a case that began as one
  (app/consultations) and had not become a referral by the as-at date; every other contact is a
  **referral** (so consultations + referrals = contacts; a consultation counts as a referral
  from the day it became one). `threshold_met`: the initial consideration decided threshold met,
  by the as-at date. `threshold_met_share`: threshold met as a percentage of contacts (one
  decimal place; its drill-down lists the threshold-met cases).
- `timeliness` adds, over the selected year: `decided` (cases with an initial-consideration
  decision dated by the as-at date) and `decision_within_1_working_day` (decided on or before
  the first working day after the clocks started: the day received, or the day a consultation
  became a referral, as app/clocks reads it), as a percentage of `decided`; `threshold_met`
  (threshold met, decision dated by the as-at date) and `meeting_within_5_working_days` (the
  first evaluation or strategy meeting held by the as-at date was held on or before the fifth
  working day after the decision), as a percentage of `threshold_met`;
  `median_working_days_to_first_meeting`: over the threshold-met cases with such a meeting, the
  median working days from the decision to the first one (periods.WorkingDayCounter).
- `harm_test` (three years): threshold-met cases (by the as-at date) by the harm-test limbs the
  initial consideration recorded, once in each limb; `not_recorded`: threshold met, no limb.
- `repeat` (three years): cases whose adult (the same person: the person check's confirmed
  match) has another case received on an earlier day, at most 1, 3 or 5 years (12, 36, 60
  calendar months, as periods.add_months counts them) before this one. The rows are nested:
  within 5 years includes within 1. The link itself carries no date: it is read as it is now.
- `strands` (three years): threshold-met cases by the police strand's outcome and the social
  care strand's section 47 outcome on the as-at date (the strand change in effect then, its
  outcome from its outcome date; `*_none`: no outcome by then, or no such strand), and by the
  suspension decision dated by the as-at date (`suspension_none`: none recorded by then). Each
  of the three groups adds up to the threshold-met cases.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, literal, true

from app.cases.models import HARM_LIMBS, Case
from app.consultations import repository as consultations
from app.meetings import repository as meetings
from app.reports.expressions import REPEAT_YEARS, Row, Table, within_working_days
from app.reports.periods import bank_holidays
from app.reports.repository import Facts, Reference
from app.strands import repository as strands
from app.strands.models import (
    DECISION_LABELS,
    POLICE_OUTCOMES,
    SOCIAL_CARE_OUTCOMES,
    StrandKind,
)

FURTHER_TABLES = ("conversion", "harm_test", "repeat", "strands")
HARM_NOTE = (
    "A case counts once in each limb recorded, so the rows can add up to more than the threshold-met cases."
)
#: Working days the statutory clocks allow (app/clocks/service.py).
DECISION_DAYS = 1
MEETING_DAYS = 5


def holidays_for(facts: Facts) -> list[date]:
    """The bank holidays a working-day figure of the report can span: from just before the window
    to a year after its last day (a date later than that is more than N working days on from any
    date in the window whichever holidays lie between, so "within N" does not depend on them)."""
    first, last = facts.years[0].start - timedelta(days=7), facts.last_day + timedelta(days=366)
    return [d for d in bank_holidays(first.year, last.year) if first <= d <= last]


def _decided(facts: Facts) -> ColumnElement[bool]:
    """An initial-consideration decision dated on or before the as-at date."""
    return and_(Case.decision.is_not(None), Case.decided_on.is_not(None), Case.decided_on <= facts.as_at)


def timeliness_rows(facts: Facts) -> list[Row]:
    holidays = holidays_for(facts)
    decided = _decided(facts)
    met = and_(facts.threshold_met, Case.decided_on.is_not(None))
    first_meeting = meetings.first_evaluation_on(facts.as_at)
    return [
        Row("decided", "Cases with an initial-consideration decision by the as-at date", decided),
        Row(
            "decision_within_1_working_day",
            "Decided within 1 working day (% of decided)",
            and_(
                decided,
                consultations.clocks_start_meets(
                    lambda start: within_working_days(start, Case.decided_on, DECISION_DAYS, holidays)
                ),
            ),
            share_of="decided",
        ),
        Row("threshold_met", "Threshold-met cases, decided by the as-at date", met),
        Row(
            "meeting_within_5_working_days",
            "Evaluation meeting within 5 working days of threshold met (% of threshold met)",
            and_(
                met,
                meetings.evaluation_held(
                    facts.as_at,
                    lambda held: within_working_days(Case.decided_on, held, MEETING_DAYS, holidays),
                ),
            ),
            share_of="threshold_met",
        ),
        Row(
            "median_working_days_to_first_meeting",
            "Median working days from threshold met to the first evaluation meeting",
            and_(met, meetings.evaluation_held(facts.as_at)),
            interval=(Case.decided_on, first_meeting),
        ),
    ]


def further_tables(ref: Reference, facts: Facts) -> list[Table]:
    return [_conversion(facts), _harm_test(facts), _repeat(facts), _strands(facts)]


def _conversion(facts: Facts) -> Table:
    consultation = consultations.consultation_as_at(facts.as_at)
    return Table(
        "conversion",
        "Contacts, referrals and threshold met",
        [
            Row("contacts", "Contacts (every case received)", true()),
            Row("consultations", "Consultations (not a referral by the as-at date)", consultation),
            Row("referrals", "Referrals", ~consultation),
            Row("threshold_met", "Threshold met", facts.threshold_met),
            Row(
                "threshold_met_share",
                "Threshold met (% of contacts)",
                facts.threshold_met,
                share_of="contacts",
            ),
        ],
    )


def _harm_test(facts: Facts) -> Table:
    limbs = literal(";") + func.coalesce(Case.harm_limbs, "") + literal(";")
    return Table(
        "harm_test",
        "Threshold-met cases by harm-test limb",
        [
            *[
                Row(key, label, and_(facts.threshold_met, limbs.contains(f";{key};", autoescape=True)))
                for key, label in HARM_LIMBS.items()
            ],
            Row(
                "not_recorded",
                "No limb recorded",
                and_(facts.threshold_met, func.coalesce(Case.harm_limbs, "") == ""),
            ),
        ],
        note=HARM_NOTE,
    )


def _repeat(facts: Facts) -> Table:
    """Counted over the cases that have an earlier case (Facts.repeat, a flag per N years)."""
    return Table(
        "repeat",
        "Cases about an adult with an earlier case",
        [
            Row(
                f"within_{n}_{'year' if n == 1 else 'years'}",
                f"Earlier case within {n} {'year' if n == 1 else 'years'}",
                facts.repeat.c[f"r{n}"] == 1,
            )
            for n in REPEAT_YEARS
        ],
    )


def _strands(facts: Facts) -> Table:
    met, as_at = facts.threshold_met, facts.as_at

    def outcomes(kind: StrandKind, prefix: str, heading: str, labels: dict[str, str]) -> list[Row]:
        return [
            *[
                Row(
                    f"{prefix}_{code}",
                    f"{heading}: {label}",
                    and_(met, strands.strand_outcome_as_at(kind.value, code, as_at)),
                )
                for code, label in labels.items()
            ],
            Row(
                f"{prefix}_none",
                f"{heading}: no outcome recorded",
                and_(met, strands.strand_outcome_as_at(kind.value, None, as_at)),
            ),
        ]

    return Table(
        "strands",
        "Threshold-met cases by police outcome, section 47 outcome and suspension",
        [
            *outcomes(StrandKind.POLICE, "police", "Police", POLICE_OUTCOMES),
            *outcomes(StrandKind.SOCIAL_CARE, "s47", "Section 47", SOCIAL_CARE_OUTCOMES),
            *[
                Row(
                    f"suspension_{decision.value}",
                    f"Suspension: {label}",
                    and_(met, strands.suspension_as_at(decision.value, as_at)),
                )
                for decision, label in DECISION_LABELS.items()
            ],
            Row(
                "suspension_none",
                "Suspension: no decision recorded",
                and_(met, strands.suspension_as_at(None, as_at)),
            ),
        ],
    )
