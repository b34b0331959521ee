"""CSV (zip), XLSX and JSON downloads agree with the service output, and cannot carry formulas."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from app.reference.models import Category, Sector
from app.reports.export import export, neutralise
from app.reports.service import annual_report
from tests.reports import dataset

AS_AT = dataset.AS_AT
ORDER = [
    "referrals",
    "source",
    "category",
    "outcome",
    "substantiated_by_agency",
    "disposal",
    "referrer_agency",
    "non_recent",
    "cross_border",
    "conversion",
    "harm_test",
    "repeat",
    "strands",
    "quarterly",
    "timeliness",
]


@pytest.fixture
def report(db):
    dataset.build(db)
    return annual_report(db, 2019, AS_AT)


def expected_lines(report, key):
    """The table as the spreadsheet formats should print it, built from the JSON independently:
    heading row, body rows, total row (as text and numbers)."""
    table = report["tables"][key]
    if key == "referrals":
        body = [[year] + [r["values"][i] for r in table["rows"]] for i, year in enumerate(report["columns"])]
        return [r["label"] for r in table["rows"]], body
    if "columns" in table:
        return table["columns"], [[r["label"], *r["values"]] for r in table["rows"]]
    body = [[r["label"], *r["values"]] for r in table["rows"]]
    if "total" in table:
        body.append(["Total", *table["total"]])
    return report["columns"], body


def as_text(value):
    return "" if value is None else str(value)


class TestJson:
    def test_is_the_report(self, report):
        content, media_type, name = export(report, "json")
        assert json.loads(content) == report
        assert media_type == "application/json"
        assert name == "lado-annual-statistics-2019-20-as-at-2020-06-30.json"


class TestCsvZip:
    def test_one_csv_per_table_agreeing_with_the_report(self, report):
        content, media_type, name = export(report, "csv")
        assert media_type == "application/zip" and name.endswith(".csv.zip")
        archive = zipfile.ZipFile(io.BytesIO(content))
        assert archive.namelist() == ["00-about.csv"] + [
            f"{i:02d}-{k}.csv" for i, k in enumerate(ORDER, start=1)
        ]
        for i, key in enumerate(ORDER, start=1):
            raw = archive.read(f"{i:02d}-{key}.csv")
            assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
            lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
            columns, body = expected_lines(report, key)
            assert [c.lower() for c in lines[0][1:]] == [c.lower() for c in columns], key
            assert lines[1 : 1 + len(body)] == [[as_text(v) for v in row] for row in body], key
        outcome = list(csv.reader(io.StringIO(archive.read("04-outcome.csv").decode("utf-8-sig"))))
        assert outcome[-1] == [report["tables"]["outcome"]["note"]]
        about = dict(csv.reader(io.StringIO(archive.read("00-about.csv").decode("utf-8-sig"))))
        assert about["As at"] == "2020-06-30" and about["Year"] == "2019-20"


class TestXlsx:
    def test_one_sheet_per_table_agreeing_with_the_report(self, report):
        content, media_type, name = export(report, "xlsx")
        assert media_type.endswith("spreadsheetml.sheet") and name.endswith(".xlsx")
        workbook = load_workbook(io.BytesIO(content))
        assert workbook.sheetnames == [
            "Referrals",
            "Source",
            "Category",
            "Outcomes",
            "Substantiated by agency",
            "Disposal",
            "Referrer agency",
            "Non-recent",
            "Cross-border",
            "Conversion",
            "Harm test",
            "Repeat",
            "Strands",
            "Quarterly",
            "Timeliness",
        ]
        for sheet_name, key in zip(workbook.sheetnames, ORDER, strict=True):
            sheet = workbook[sheet_name]
            assert sheet["A1"].value == report["tables"][key]["title"] and sheet["A1"].font.bold
            assert "as at 30 June 2020" in sheet["A2"].value
            rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
            columns, body = expected_lines(report, key)
            assert [c.lower() for c in rows[0][1:]] == [c.lower() for c in columns], key
            assert all(cell.font.bold for cell in sheet[4])  # heading row
            assert rows[1 : 1 + len(body)] == body, key
            if "total" in report["tables"][key]:
                assert all(cell.font.bold for cell in sheet[4 + len(body)])  # total row
        notes = [r[0] for r in workbook["Outcomes"].iter_rows(values_only=True) if r[0]]
        assert notes[-1] == report["tables"]["outcome"]["note"]

    def test_rates_keep_one_decimal_place(self, report):
        workbook = load_workbook(io.BytesIO(export(report, "xlsx")[0]))
        assert workbook["Quarterly"]["C5"].value == 1.0
        assert workbook["Quarterly"]["C5"].number_format == "0.0"


class TestFormulaNeutralisation:
    @pytest.mark.parametrize("text", ["=1+2", "+44 1632", "-3", "@SUM(A1)", "\t=x", "\r=x"])
    def test_cells_that_would_be_formulas(self, text):
        assert neutralise(text) == "'" + text

    @pytest.mark.parametrize("value", ["Physical", "a=b", 12, 1.5, None, ""])
    def test_other_cells_untouched(self, value):
        assert neutralise(value) == value

    def test_labels_from_reference_data_are_neutralised_in_both_formats(self, db):
        db.execute(
            update(Sector).where(Sector.code == "police").values(label='=HYPERLINK("http://x.test","a")')
        )
        db.execute(update(Category).where(Category.code == "other").values(label="@SUM(1,2)"))
        report = annual_report(db, 2019, AS_AT)
        archive = zipfile.ZipFile(io.BytesIO(export(report, "csv")[0]))
        source = archive.read("02-source.csv").decode("utf-8-sig")
        assert "'=HYPERLINK" in source and "\n=HYPERLINK" not in source
        assert "'@SUM(1,2)" in archive.read("03-category.csv").decode("utf-8-sig")
        workbook = load_workbook(io.BytesIO(export(report, "xlsx")[0]))
        labels = [c.value for c in workbook["Source"]["A"]]
        assert '\'=HYPERLINK("http://x.test","a")' in labels
        cell = next(c for c in workbook["Source"]["A"] if c.value and "HYPERLINK" in c.value)
        assert cell.data_type == "s"  # text, not a formula
