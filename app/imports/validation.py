"""Checking the import file: the header, then each row against the contract's rules.

Every message names where the problem is and what to do, in the contract's form
`line N, column C: what is wrong`. The row parser is shared by both passes, so the writer
stores exactly what the validator accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.imports.areas import parse_areas
from app.imports.conclusion import parse_conclusion
from app.imports.csvfile import Record
from app.imports.schemas import (
    COLUMNS,
    DBS_VALUES,
    DECISIONS,
    FORMULA_PREFIXES,
    REQUIRED_COLUMNS,
    TEXT_LIMITS,
    YES_NO,
    ImportRow,
)
from app.organisations.models import name_key

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
#: Codes are listed in a message when the list is short enough to read.
_LIST_CODES_UP_TO = 400

Problem = tuple[int, str]


@dataclass
class ReferenceCodes:
    """code -> active, per kind of reference data the file may name."""

    sectors: dict[str, bool]
    categories: dict[str, bool]
    outcomes: dict[str, bool]
    disposals: dict[str, bool]
    referrer_agencies: dict[str, bool]


def problem(line: int, column: str | None, message: str) -> Problem:
    where = f"line {line}, column {column}" if column else f"line {line}"
    return line, f"{where}: {message}"


def _quote(value: str, limit: int = 60) -> str:
    return '"' + (value if len(value) <= limit else value[:limit] + "...") + '"'


class RowParser:
    """Built from the header record; `parse(record)` turns a row into an ImportRow or problems."""

    def __init__(self, header: Record, codes: ReferenceCodes, today: date) -> None:
        self.codes = codes
        self.today = today
        self.header_problems: list[Problem] = []
        self.index: dict[str, int] = {}
        self.width = len(header.cells)
        self._dates: dict[str, date | None] = {}
        self._code_messages = {
            kind: self._valid_codes_text(getattr(codes, kind))
            for kind in ("sectors", "categories", "outcomes", "disposals")
        }
        self._read_header(header)

    # -- header ---------------------------------------------------------------------------
    def _read_header(self, header: Record) -> None:
        add = self.header_problems.append
        line = header.line
        if header.bad_bytes:
            add(_encoding_problem(header, None, "the header row"))
        first_seen: dict[str, int] = {}
        for position, raw in enumerate(header.cells, 1):
            name = raw.strip().lower()
            if not name:
                add(problem(line, str(position), "the column has no name; remove it or name it"))
                continue
            if name not in COLUMNS:
                add(
                    problem(
                        line, _quote(raw.strip()), "unknown column; the columns are " + ", ".join(COLUMNS)
                    )
                )
                continue
            if name in first_seen:
                add(
                    problem(
                        line, name, f"the column appears twice (columns {first_seen[name]} and {position})"
                    )
                )
                continue
            first_seen[name] = position
            self.index[name] = position - 1
        for name in REQUIRED_COLUMNS:
            if name not in self.index:
                add(problem(line, name, "the required column is missing"))

    @staticmethod
    def _valid_codes_text(codes: dict[str, bool]) -> str:
        active = [c for c, is_active in codes.items() if is_active]
        text = ", ".join(active)
        if len(text) <= _LIST_CODES_UP_TO:
            return f"use one of: {text}"
        return "see Reference data for the codes in use"

    # -- cells ----------------------------------------------------------------------------
    def _date(self, value: str) -> date | None:
        if value in self._dates:
            return self._dates[value]
        parsed = None
        if _ISO_DATE.match(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
        if len(self._dates) < 100_000:
            self._dates[value] = parsed
        return parsed

    def _code(self, out: list[Problem], line: int, column: str, value: str, kind: str, noun: str) -> None:
        known = getattr(self.codes, kind)
        active = known.get(value)
        if active is None:
            out.append(problem(line, column, f"{_quote(value)} is not {noun}; {self._code_messages[kind]}"))
        elif not active:
            out.append(
                problem(
                    line,
                    column,
                    f"{_quote(value)} is {noun} that is no longer in use; "
                    f"{self._code_messages[kind]} (an administrator can make it active again)",
                )
            )

    def parse(self, record: Record) -> tuple[ImportRow | None, list[Problem]]:
        line, cells = record.line, record.cells
        out: list[Problem] = []
        if record.bad_bytes:
            out.append(_encoding_problem(record, self._column_with_bad_text(cells), "this line"))
        if len(cells) != self.width:
            out.append(
                problem(
                    line,
                    None,
                    f"the row has {len(cells)} cells but the header has {self.width} "
                    "columns; check for a missing or extra comma",
                )
            )
            return None, out
        idx = self.index
        get = {name: cells[i].strip() for name, i in idx.items()}.get

        def required(name: str, what: str) -> str:
            value = get(name, "")
            if not value and name in idx:
                out.append(problem(line, name, f"enter {what}; the column is required"))
            return value

        reference = required("reference", "the case reference")
        received_raw = required("received_date", "the date the case was received, as YYYY-MM-DD")
        sector = required("sector", "the sector code").lower()
        category = required("category", "the primary category code").lower()
        decision = required("initial_decision", "the initial decision: nfa or threshold_met").lower()

        text: dict[str, str] = {}
        for name, limit in TEXT_LIMITS.items():
            value = get(name, "")
            text[name] = value
            if not value:
                continue
            if value.startswith(FORMULA_PREFIXES):
                first = "a tab" if value[0] == "\t" else _quote(value[0])
                out.append(
                    problem(
                        line,
                        name,
                        f"the text starts with {first}, so a spreadsheet would run it as "
                        "a formula; such cells are refused because importing them is unsafe. Remove "
                        "the character or start the text with a letter, then import again",
                    )
                )
            if len(value) > limit:
                out.append(
                    problem(
                        line,
                        name,
                        f"the text is {len(value):,} characters long; the most allowed is {limit:,}",
                    )
                )
        if text["employer"] and len(name_key(text["employer"])) > TEXT_LIMITS["employer"]:
            out.append(
                problem(
                    line, "employer", f"the name is too long; the most allowed is {TEXT_LIMITS['employer']}"
                )
            )

        received = self._checked_date(out, line, "received_date", received_raw)
        concluded = self._checked_date(out, line, "concluded_date", get("concluded_date", ""))
        dob = self._checked_date(out, line, "subject_date_of_birth", get("subject_date_of_birth", ""))
        if received and concluded and concluded < received:
            out.append(
                problem(
                    line,
                    "concluded_date",
                    f"{concluded.isoformat()} is before the received_date "
                    f"{received.isoformat()}; a case cannot conclude before "
                    "it is received",
                )
            )
        if received and dob and dob >= received:
            out.append(
                problem(
                    line,
                    "subject_date_of_birth",
                    f"{dob.isoformat()} is not before the received_date {received.isoformat()}",
                )
            )
        if dob and not (text["subject_first_name"] or text["subject_last_name"]):
            out.append(
                problem(
                    line,
                    "subject_date_of_birth",
                    "a date of birth is given without the subject's "
                    "name; fill in subject_first_name or subject_last_name",
                )
            )

        if sector:
            self._code(out, line, "sector", sector, "sectors", "a sector code")
        if category:
            self._code(out, line, "category", category, "categories", "a category code")
        if decision and decision not in DECISIONS:
            out.append(problem(line, "initial_decision", f"{_quote(decision)} must be nfa or threshold_met"))

        outcomes = self._code_list(out, line, "outcomes", get("outcomes", ""), "outcomes", "an outcome code")
        disposals = tuple(
            dict.fromkeys(
                self._code_list(out, line, "disposals", get("disposals", ""), "disposals", "a disposal code")
            )
        )
        if outcomes and decision == "nfa":
            out.append(
                problem(
                    line,
                    "outcomes",
                    "an NFA case has no outcomes; leave outcomes empty when initial_decision is nfa",
                )
            )
        if outcomes and decision == "threshold_met" and not get("concluded_date", ""):
            out.append(
                problem(
                    line,
                    "concluded_date",
                    "enter the date the outcome was decided; a threshold-met "
                    "case with outcomes must have a concluded_date",
                )
            )

        training_raw = get("training_needs", "").lower()
        if training_raw and training_raw not in YES_NO:
            out.append(
                problem(line, "training_needs", f"{_quote(get('training_needs', ''))} must be yes or no")
            )
        dbs = get("dbs_referral", "").lower() or "none"
        if dbs not in DBS_VALUES:
            out.append(
                problem(
                    line,
                    "dbs_referral",
                    f"{_quote(get('dbs_referral', ''))} must be none, recommended or made",
                )
            )
        facts = {"received": received, "decision": decision, "concluded": concluded, "outcomes": outcomes}
        areas, area_problems = parse_areas(
            get,
            line,
            facts,
            self.codes.referrer_agencies,
            lambda c, v: self._checked_date(out, line, c, v),
            problem,
        )
        out += area_problems
        conclusion, conclusion_problems = parse_conclusion(
            get, line, facts, lambda c, v: self._checked_date(out, line, c, v), problem
        )
        out += conclusion_problems
        if out or received is None:  # received is None only when its column is missing (a header problem)
            return None, out
        return ImportRow(
            line=line,
            reference=reference,
            received=received,
            sector=sector,
            category=category,
            decision=decision,
            outcomes=outcomes,
            training_needs=YES_NO.get(training_raw, False),
            disposals=disposals,
            dbs_referral=dbs,
            concluded=concluded,
            first_name=text["subject_first_name"],
            last_name=text["subject_last_name"],
            date_of_birth=dob,
            job_title=text["job_title"],
            employer=text["employer"],
            summary=text["summary"],
            areas=None if areas.is_empty else areas,
            incident=text["incident"],
            decided=conclusion.decided,
            nfa_after_investigation=conclusion.nfa_after_investigation,
        ), out

    def _checked_date(self, out: list[Problem], line: int, column: str, value: str) -> date | None:
        if not value:
            return None
        parsed = self._date(value)
        if parsed is None:
            out.append(
                problem(
                    line,
                    column,
                    f"{_quote(value)} is not a real date in the form YYYY-MM-DD, like 2019-04-01",
                )
            )
        elif parsed > self.today:
            out.append(problem(line, column, f"{value} is in the future"))
            return None
        return parsed

    def _code_list(
        self, out: list[Problem], line: int, column: str, value: str, kind: str, noun: str
    ) -> tuple[str, ...]:
        if not value:
            return ()
        items = tuple(item.strip().lower() for item in value.split(";") if item.strip())
        for item in items:
            self._code(out, line, column, item, kind, noun)
        return items

    def _column_with_bad_text(self, cells: list[str]) -> str | None:
        names = {i: name for name, i in self.index.items()}
        for i, cell in enumerate(cells):
            if "\ufffd" in cell:
                return names.get(i, str(i + 1))
        return None


def _encoding_problem(record: Record, column: str | None, where: str) -> Problem:
    bad = record.bad_bytes[0]
    return problem(
        bad.line,
        column,
        f"the file is not UTF-8 text: byte 0x{bad.byte:02X} at byte position "
        f"{bad.position:,} of the file cannot be read ({where}). Save the "
        'spreadsheet as "CSV UTF-8 (Comma delimited)" and import it again',
    )
