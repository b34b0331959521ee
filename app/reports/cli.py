"""`lado report annual START_YEAR [--as-at DATE] --format json|csv|xlsx [--output FILE]`.

The same figures as the page and the API (the same service function). JSON goes to standard
output unless --output is given; CSV is a zip of one CSV per table (as the download is), written
to --output or to standard output when that is not a terminal; XLSX needs --output. Each run is
audited as an export by the command line.
"""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path

import click
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from app.reports.service import export_annual_report


def export_annual(session: Session, start_year: int, as_at: date | None, fmt: str) -> tuple[bytes, str]:
    """The report as `fmt` bytes and its suggested file name; audited in the caller's transaction."""
    content, _, name = export_annual_report(
        session, Actor(user=None, via="cli"), start_year, as_at, fmt, via="cli", os_user=getpass.getuser()
    )
    return content, name


def _parse_date(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD, like 2020-05-01") from None


@click.group()
def report() -> None:
    """Statistics reports."""


@report.command("annual")
@click.argument("start_year", type=int)
@click.option(
    "--as-at",
    "as_at",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Count as at this date (default: today).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx"]),
    default="json",
    show_default=True,
    help="json: the contract shape; csv: a zip with one CSV per table; xlsx: one sheet per table.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (required for xlsx).",
)
def annual(start_year: int, as_at: date | None, fmt: str, output: Path | None) -> None:
    """Annual statistics for the reporting year starting in START_YEAR (2019 for 2019-20)."""
    from app.db import session_scope

    stdout = sys.stdout.buffer
    if output is None and fmt == "xlsx":
        raise click.UsageError("XLSX is a binary file: give --output FILE.xlsx")
    if output is None and fmt == "csv" and stdout.isatty():
        raise click.UsageError(
            "CSV comes as a zip of one file per table: give --output FILE.zip or redirect the output"
        )
    try:
        with session_scope() as session:
            content, _ = export_annual(session, start_year, as_at, fmt)
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            click.echo(f"{field}: {message}", err=True)
        sys.exit(2)
    if output is None:
        stdout.write(content if fmt != "json" else content + b"\n")
        stdout.flush()
    else:
        output.write_bytes(content)
        click.echo(f"Wrote {output} ({len(content):,} bytes)", err=True)


COMMANDS = [report]
