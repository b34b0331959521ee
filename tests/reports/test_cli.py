"""`lado report annual`: the same figures as the page, in each format, on committed data."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.cli import main
from app.reports.service import annual_report
from tests.reports import dataset

pytestmark = pytest.mark.committed


@pytest.fixture
def expected(committed_engine):
    with Session(committed_engine) as session:
        dataset.build(session)
        session.commit()
        return annual_report(session, 2019, dataset.AS_AT)


def run(*args):
    return CliRunner().invoke(main, ["report", "annual", *args], catch_exceptions=False)


def test_json_to_stdout_is_the_report(expected, committed_engine):
    result = run("2019", "--as-at", "2020-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout_bytes) == expected
    with Session(committed_engine) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.verb == "exported")).one()
    assert event.object_type == "annual_report" and event.details["via"] == "cli"


def test_csv_zip_to_stdout(expected):
    result = run("2019", "--as-at", "2020-06-30", "--format", "csv")
    assert result.exit_code == 0
    archive = zipfile.ZipFile(io.BytesIO(result.stdout_bytes))
    assert "01-referrals.csv" in archive.namelist()
    assert "Total (including contacts and advice given)" in archive.read("01-referrals.csv").decode(
        "utf-8-sig"
    )


def test_xlsx_needs_an_output_file(expected, tmp_path):
    refused = run("2019", "--as-at", "2020-06-30", "--format", "xlsx")
    assert refused.exit_code == 2 and "--output" in refused.output
    target = tmp_path / "report.xlsx"
    result = run("2019", "--as-at", "2020-06-30", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0
    sheet = load_workbook(target)["Outcomes"]
    continuing = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Investigation continuing")
    assert list(continuing[1:]) == next(
        r["values"] for r in expected["tables"]["outcome"]["rows"] if r["code"] == "continuing"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["1800"], "start_year: Reporting year must be a year between 1990 and 2100"),
        (["2019", "--as-at", "2019-02-30"], "is not a date in the form YYYY-MM-DD"),
        (
            ["2019", "--as-at", "2019-01-01"],
            "as_at: The as-at date must be on or after the start of the reporting year",
        ),
    ],
)
def test_bad_input_is_explained(committed_engine, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
