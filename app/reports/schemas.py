"""The annual report's JSON shape (the contract of annual-report.md) for OpenAPI, and reading the
report page's query string (reporting year, optional as-at date) with GOV.UK-style errors."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from app.errors import ValidationFailed
from app.reports.service import FIRST_YEAR, LAST_YEAR


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class ReportRow(BaseModel):
    code: str = Field(
        description="Reference-data code (sector, category, outcome, agency group, disposal) "
        "or a fixed code: total, nfa, training_needs, continuing, dbs_made, "
        "dbs_recommended, Q1..Q4, concluded, within_N_months, median_working_days_to_decision, "
        "and the fixed rows of the further tables (app/reports/further.py)"
    )
    label: str
    values: list[int | float | str | None] = Field(
        description="Aligned with the report's `columns` (oldest year first), or with the table's own "
        "`columns` in `quarterly` and `timeliness`; a share (conversion's threshold_met_share) is a "
        "percentage; null where a rate or share cannot be computed; with small numbers suppressed, "
        '"<5" for a count from 1 to 4 and "[c]" for a figure withheld so that a total, share or rate '
        "does not reveal one"
    )


class ReportTable(BaseModel):
    title: str
    rows: list[ReportRow]
    total: list[int | str] | None = Field(
        default=None, description="Column totals (source, category, substantiated_by_agency only)"
    )
    columns: list[str] | None = Field(default=None, description="Own columns of the one-year tables")
    note: str | None = Field(default=None, description="Printed under the table (outcome, harm_test)")


class ReportTables(BaseModel):
    referrals: ReportTable
    source: ReportTable
    category: ReportTable
    outcome: ReportTable
    substantiated_by_agency: ReportTable
    disposal: ReportTable
    referrer_agency: ReportTable
    non_recent: ReportTable
    cross_border: ReportTable
    conversion: ReportTable
    harm_test: ReportTable
    repeat: ReportTable
    strands: ReportTable
    quarterly: ReportTable
    timeliness: ReportTable


class Period(BaseModel):
    start: date
    end: date


class AnnualReport(BaseModel):
    """The annual statistics of one reporting year, with the two years before it."""

    year: str = Field(examples=["2019-20"])
    period: Period
    as_at: date
    columns: list[str] = Field(examples=[["2017-18", "2018-19", "2019-20"]])
    tables: ReportTables
    disclosure_control: str | None = Field(
        default=None,
        description="Present when small numbers are suppressed (`suppress=true`): what the marks mean",
    )


def parse_page_query(
    params: dict[str, str],
) -> tuple[dict[str, Any], dict[str, str], int | None, date | None]:
    """(values to show back, errors, start year, as-at date) from the page's query string. The
    as-at date comes as GOV.UK date parts as_at-day, as_at-month, as_at-year, or as as_at=YYYY-MM-DD."""
    values: dict[str, Any] = {k: (v or "").strip() for k, v in params.items()}
    errors: dict[str, str] = {}
    start_year: int | None = None
    raw_year = values.get("start_year", "")
    if raw_year:
        if raw_year.isdigit() and FIRST_YEAR <= int(raw_year) <= LAST_YEAR:
            start_year = int(raw_year)
        else:
            errors["start_year"] = f"Reporting year must be a year between {FIRST_YEAR} and {LAST_YEAR}"
    as_at: date | None = None
    parts = [values.get(f"as_at-{p}", "") for p in ("day", "month", "year")]
    if any(parts):
        d, m, y = parts
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            errors["as_at"] = f"As-at date must include a {' and '.join(missing)}"
        else:
            try:
                if not (d.isdigit() and m.isdigit() and y.isdigit() and len(y) == 4):
                    raise ValueError
                as_at = date(int(y), int(m), int(d))
            except ValueError:
                errors["as_at"] = "As-at date must be a real date, like 31 3 2020"
    elif values.get("as_at"):
        try:
            as_at = date.fromisoformat(values["as_at"])
            y, m, d = values["as_at"].split("-")
            values.update({"as_at-day": d, "as_at-month": m, "as_at-year": y})
        except ValueError:
            errors["as_at"] = "As-at date must be a real date, like 31 3 2020"
    return values, errors, start_year, as_at


def parse_after(value: str | None) -> tuple[date, int] | None:
    """Where a drill-down page starts: `YYYY-MM-DD.ID`, the received date and id of the last
    case of the page before; ValidationFailed when it is not one."""
    if value is None:
        return None
    day, _, case_id = value.partition(".")
    try:
        return date.fromisoformat(day), int(case_id)
    except ValueError:
        raise ValidationFailed({"after": "The page to start from must look like 2020-05-01.123"}) from None
