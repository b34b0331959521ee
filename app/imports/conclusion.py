"""The import's optional columns for when the initial consideration decided (`decided_date`) and
whether a threshold-met case was concluded with no further action after investigation
(`nfa_after_investigation`); checked with the rest of the row (shared/spec/case-import.md).

`decided_date` defaults to the received date; it is neither before `received_date` nor after
`concluded_date`. An NFA after investigation is a threshold-met case concluded (it needs a
`concluded_date`) without allegation outcomes (it has no `outcomes`): the outcome table's NFA
row counts it from its conclusion, the referrals table's NFA row never does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

CONCLUSION_COLUMNS = ("decided_date", "nfa_after_investigation")

Problem = tuple[int, str]
#: (line, column, message) -> a problem, as validation.problem makes it.
Report = Callable[[int, str | None, str], Problem]
#: (column, value) -> the date, or None (a problem already reported) when the cell is not one.
DateOf = Callable[[str, str], date | None]


@dataclass(slots=True)
class ConclusionCells:
    decided: date | None
    nfa_after_investigation: bool


def parse_conclusion(
    get: Callable[[str, str], str],
    line: int,
    row: Mapping[str, object],
    date_of: DateOf,
    report: Report,
) -> tuple[ConclusionCells, list[Problem]]:
    """The row's decision date and NFA-after-investigation flag, and their problems. `row` gives
    what the rest of the row said: received and concluded (date or None), decision, outcomes."""
    out: list[Problem] = []
    received, concluded = row["received"], row["concluded"]
    decided = date_of("decided_date", get("decided_date", ""))
    if decided and isinstance(received, date) and decided < received:
        out.append(
            report(
                line,
                "decided_date",
                f"{decided.isoformat()} is before the received_date {received.isoformat()}; "
                "a case cannot be decided before it is received",
            )
        )
    if decided and isinstance(concluded, date) and decided > concluded:
        out.append(
            report(
                line,
                "decided_date",
                f"{decided.isoformat()} is after the concluded_date {concluded.isoformat()}; "
                "a case is decided before it concludes",
            )
        )
    raw = get("nfa_after_investigation", "").lower()
    if raw and raw not in ("yes", "no"):
        out.append(
            report(
                line, "nfa_after_investigation", f'"{get("nfa_after_investigation", "")}" must be yes or no'
            )
        )
    after = raw == "yes"
    if after and row["decision"] == "nfa":
        out.append(
            report(
                line,
                "nfa_after_investigation",
                "only a threshold-met case is concluded as NFA after investigation; "
                "an NFA initial decision is NFA after initial consideration",
            )
        )
    if after and not get("concluded_date", ""):
        out.append(
            report(line, "concluded_date", "enter the date the case was concluded as NFA after investigation")
        )
    if after and row["outcomes"]:
        out.append(
            report(
                line,
                "outcomes",
                "a case concluded as NFA after investigation has no allegation outcomes; "
                "leave outcomes empty or set nfa_after_investigation to no",
            )
        )
    return ConclusionCells(decided=decided, nfa_after_investigation=after), out
