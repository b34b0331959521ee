"""The report laid out as tables for people (page, CSV, XLSX) and written as downloads.

One layout (`table_grids`) feeds the page and both spreadsheet formats, so they agree cell for
cell; JSON is the contract shape itself. Layout choices:
- Every table is rows of items by columns of years (oldest first), except `referrals`, which is
  printed as the published example prints it: one row per year, columns Total and NFA.
- CSV: a zip with one UTF-8 (with BOM, for Excel) CSV per table, named `NN-<table>.csv` in report
  order, plus `00-about.csv` (year, period, as-at date). Each CSV is a heading row, one row per
  item, a `Total` row where the table has one, then, for the outcome table, a blank row and the
  note.
- XLSX: one sheet per table: title (row 1), year and as-at date (row 2), bold heading row (row 4),
  the rows, a bold total row, and the outcome note in italics.
- Cells that would start with = + - @ (or a tab or carriage return) are prefixed with a single
  quote so that no spreadsheet reads them as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter

from app.reports.figures import TABLE_ORDER

ROW_HEADINGS = {
    "referrals": "Referral year",
    "source": "Sector",
    "category": "Category",
    "outcome": "Outcome",
    "substantiated_by_agency": "Agency",
    "disposal": "Disposal",
    "referrer_agency": "Referrer's agency",
    "non_recent": "Allegation",
    "cross_border": "Lead",
    "conversion": "Contacts",
    "harm_test": "Harm-test limb",
    "repeat": "Earlier case",
    "strands": "Strand outcome or suspension",
    "quarterly": "Quarter",
    "timeliness": "Measure",
}
SHEET_NAMES = {
    "referrals": "Referrals",
    "source": "Source",
    "category": "Category",
    "outcome": "Outcomes",
    "substantiated_by_agency": "Substantiated by agency",
    "disposal": "Disposal",
    "referrer_agency": "Referrer agency",
    "non_recent": "Non-recent",
    "cross_border": "Cross-border",
    "conversion": "Conversion",
    "harm_test": "Harm test",
    "repeat": "Repeat",
    "strands": "Strands",
    "quarterly": "Quarterly",
    "timeliness": "Timeliness",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any, row: str | None = None, col: int | None = None) -> dict[str, Any]:
    return {"value": value, "row": row, "col": col}


def table_grids(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each table as heading + rows of cells; a cell names the figure (row code, column index)
    it shows when it is a count that can be traced to cases."""
    grids = []
    for key in TABLE_ORDER:
        table = report["tables"][key]
        grid: dict[str, Any] = {"key": key, "title": table["title"], "note": table.get("note"), "total": None}
        if key == "referrals":
            grid["heading"] = [ROW_HEADINGS[key], *[r["label"] for r in table["rows"]]]
            grid["rows"] = [
                {"label": year, "cells": [_cell(r["values"][i], r["code"], i) for r in table["rows"]]}
                for i, year in enumerate(report["columns"])
            ]
        elif "columns" in table:
            grid["heading"] = [ROW_HEADINGS[key], *[c[:1].upper() + c[1:] for c in table["columns"]]]
            grid["rows"] = [
                {"label": r["label"], "cells": [_cell(r["values"][0], r["code"], 0), _cell(r["values"][1])]}
                for r in table["rows"]
            ]
        else:
            grid["heading"] = [ROW_HEADINGS[key], *report["columns"]]
            grid["rows"] = [
                {"label": r["label"], "cells": [_cell(v, r["code"], i) for i, v in enumerate(r["values"])]}
                for r in table["rows"]
            ]
            if "total" in table:
                grid["total"] = {
                    "label": "Total",
                    "cells": [_cell(v, "total", i) for i, v in enumerate(table["total"])],
                }
        grids.append(grid)
    return grids


def _lines(grid: dict[str, Any]) -> list[list[Any]]:
    lines = [list(grid["heading"])]
    for row in grid["rows"] + ([grid["total"]] if grid["total"] else []):
        lines.append([row["label"], *[c["value"] for c in row["cells"]]])
    return lines


def filename(report: dict[str, Any], extension: str) -> str:
    return f"lado-annual-statistics-{report['year']}-as-at-{report['as_at']}.{extension}"


def _describe(report: dict[str, Any]) -> str:
    first, last, at = (
        date.fromisoformat(v) for v in (report["period"]["start"], report["period"]["end"], report["as_at"])
    )
    return f"{report['year']} ({first:%-d %B %Y} to {last:%-d %B %Y}), as at {at:%-d %B %Y}"


def to_json(report: dict[str, Any]) -> bytes:
    return json.dumps(report, indent=2, ensure_ascii=False).encode("utf-8")


def _csv_bytes(lines: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in lines:
        writer.writerow(["" if v is None else neutralise(v) for v in line])
    return buffer.getvalue().encode("utf-8-sig")


def to_csv_zip(report: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        about = [
            ["Report", "LADO annual statistics"],
            ["Year", report["year"]],
            ["Period start", report["period"]["start"]],
            ["Period end", report["period"]["end"]],
            ["As at", report["as_at"]],
        ]
        archive.writestr("00-about.csv", _csv_bytes(about))
        for i, grid in enumerate(table_grids(report), start=1):
            lines = _lines(grid)
            if grid["note"]:
                lines += [[], [grid["note"]]]
            archive.writestr(f"{i:02d}-{grid['key']}.csv", _csv_bytes(lines))
    return buffer.getvalue()


def to_xlsx(report: dict[str, Any]) -> bytes:
    workbook = Workbook()
    for sheet in list(workbook.worksheets):  # the default empty sheet
        workbook.remove(sheet)
    workbook.properties.title = f"LADO annual statistics {report['year']}"
    workbook.properties.creator = "LADO case manager"
    bold = Font(bold=True)
    rule = Border(bottom=Side(style="thin"))
    over = Border(top=Side(style="thin"))
    for grid in table_grids(report):
        sheet = workbook.create_sheet(SHEET_NAMES[grid["key"]])
        sheet["A1"] = neutralise(grid["title"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = _describe(report)
        lines = _lines(grid)
        first = 4
        for r, line in enumerate(lines):
            for c, value in enumerate(line, start=1):
                cell = sheet.cell(row=first + r, column=c, value=neutralise(value))
                if isinstance(value, float):
                    cell.number_format = "0.0"
                if r == 0:
                    cell.font, cell.border = bold, rule
                elif grid["total"] and r == len(lines) - 1:
                    cell.font, cell.border = bold, over
        if grid["note"]:
            note = sheet.cell(row=first + len(lines) + 1, column=1, value=neutralise(grid["note"]))
            note.font = Font(italic=True)
        sheet.column_dimensions["A"].width = 48
        for c in range(2, len(grid["heading"]) + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 16
        sheet.freeze_panes = sheet.cell(row=first + 1, column=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MEDIA_TYPES = {
    "json": "application/json",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"json": "json", "csv": "csv.zip", "xlsx": "xlsx"}
WRITERS = {"json": to_json, "csv": to_csv_zip, "xlsx": to_xlsx}


def export(report: dict[str, Any], fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the report in `fmt` (json, csv or xlsx)."""
    return WRITERS[fmt](report), MEDIA_TYPES[fmt], filename(report, EXTENSIONS[fmt])
