"""The case-import CSV format (shared/spec/case-import.md) and what an import returns.

The column names, which are required, and the text limits are the contract: the validator,
the writer, the upload page's help text and the tests all read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.errors import ValidationFailed
from app.imports.areas import AREA_COLUMNS, AreaCells
from app.imports.conclusion import CONCLUSION_COLUMNS

REQUIRED_COLUMNS = ("reference", "received_date", "sector", "category", "initial_decision")
OPTIONAL_COLUMNS = (
    *CONCLUSION_COLUMNS,
    "outcomes",
    "training_needs",
    "disposals",
    "dbs_referral",
    "concluded_date",
    "subject_first_name",
    "subject_last_name",
    "subject_date_of_birth",
    "job_title",
    "employer",
    "summary",
    "incident",
    *AREA_COLUMNS,
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: Longest value each free-text column may hold (the database column sizes; summary is Text,
#: limited so one runaway cell cannot swallow a spreadsheet).
TEXT_LIMITS = {
    "reference": 40,
    "subject_first_name": 100,
    "subject_last_name": 100,
    "job_title": 200,
    "employer": 200,
    "summary": 10_000,
    "incident": 100,
}

#: A cell starting with one of these would run as a formula when the data is next opened in a
#: spreadsheet (CSV injection). Such cells are refused rather than imported: rewriting them would
#: change what the LADO recorded, and keeping them would arm every later export.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DECISIONS = ("nfa", "threshold_met")
YES_NO = {"yes": True, "no": False}
DBS_VALUES = ("none", "recommended", "made")

#: Stored problems are capped so a wholly wrong million-row file cannot exhaust memory; the
#: count of the rest is still reported.
MAX_PROBLEMS = 100_000


@dataclass(slots=True)
class ImportRow:
    """One valid line of the file, parsed."""

    line: int
    reference: str
    received: date
    sector: str
    category: str
    decision: str
    outcomes: tuple[str, ...]
    training_needs: bool
    disposals: tuple[str, ...]
    dbs_referral: str
    concluded: date | None
    first_name: str
    last_name: str
    date_of_birth: date | None
    job_title: str
    employer: str
    summary: str
    #: The referrer's agency, areas, incident dates and transfers (app/imports/areas.py).
    areas: AreaCells | None = None
    #: The rows of one file with the same `incident` are one incident's cases (app/incidents).
    incident: str = ""
    #: When the initial consideration decided (None: the received date), and whether a
    #: threshold-met case was concluded as NFA after investigation (app/imports/conclusion.py).
    decided: date | None = None
    nfa_after_investigation: bool = False

    @property
    def decided_on(self) -> date:
        return self.decided or self.received

    @property
    def status(self) -> str:
        if self.areas is not None and self.areas.out_to:
            return "transferred"
        if self.decision == "nfa":
            return "nfa"
        return "concluded" if self.concluded else "threshold_met"

    @property
    def concluded_on(self) -> date | None:
        """An NFA case is concluded on its received date unless concluded_date says otherwise."""
        if self.decision == "nfa":
            return self.concluded or self.received
        return self.concluded

    @property
    def has_person(self) -> bool:
        return bool(self.first_name or self.last_name)


@dataclass
class ImportResult:
    """What a clean import wrote. `by_year` counts cases by the reporting year they were
    received in (label like "2019-20"); `by_calendar_year` by calendar year of receipt."""

    imported: int = 0
    by_year: dict[str, int] = field(default_factory=dict)
    by_calendar_year: dict[str, int] = field(default_factory=dict)
    year_start_month: int = 4
    audit_event_id: int | None = None


class ImportRejected(ValidationFailed):
    """The file had problems, so nothing was written. `problems` lists every one, each as
    "line N, column C: what is wrong" (or "line N: ..." when no one column is at fault)."""

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        noun = "problem" if self.total == 1 else "problems"
        super().__init__(
            {"file": f"The file has {self.total:,} {noun}; no cases were imported"},
            f"The file has {self.total:,} {noun}; no cases were imported",
        )


def reporting_year_label(day: date, start_month: int) -> str:
    """ "2019-20" for the year starting in `start_month` 2019 ("2019" when years are calendar years)."""
    start = day.year if day.month >= start_month else day.year - 1
    if start_month == 1:
        return str(start)
    return f"{start}-{(start + 1) % 100:02d}"
