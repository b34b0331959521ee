"""`lado import-cases FILE.csv [--as USER]`: the bulk import from the command line."""

from __future__ import annotations

import calendar
import sys
from pathlib import Path

import click

from app.imports.schemas import ImportResult


def summary_lines(result: ImportResult) -> list[str]:
    month = calendar.month_name[result.year_start_month]
    noun = "case" if result.imported == 1 else "cases"
    lines = [
        f"Imported {result.imported:,} {noun}.",
        f"By reporting year (the year each case was received; years start in {month}):",
    ]
    width = max((len(label) for label in result.by_year), default=0)
    lines += [f"  {label:<{width}}  {count:>9,}" for label, count in result.by_year.items()]
    return lines


@click.command("import-cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "as_user",
    default="import",
    show_default=True,
    help="E-mail address or name of the user the cases are recorded as imported by. The default "
    'system user "import" is created (disabled, unable to sign in) when missing.',
)
def import_cases(file: Path, as_user: str) -> None:
    """Import cases from a CSV file in the case-import format: every row is checked first, and
    nothing is written unless the whole file is clean."""
    from app.db import session_scope
    from app.errors import ValidationFailed
    from app.imports.schemas import ImportRejected
    from app.imports.service import import_csv, importing_actor

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase == "checked":
            click.echo(
                f"checked {done:,} rows" + (" - no problems found" if total is not None else ""), err=True
            )
        else:
            click.echo(f"imported {done:,} of {total:,}", err=True)

    try:
        with session_scope() as session:
            actor = importing_actor(session, as_user)
            result = import_csv(session, actor, file, progress)
    except ImportRejected as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(f"{exc.total:,} {'problem' if exc.total == 1 else 'problems'} found.", err=True)
        click.echo("No cases were imported.", err=True)
        sys.exit(1)
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            click.echo(f"--{field}: {message}", err=True)
        click.echo("No cases were imported.", err=True)
        sys.exit(2)
    for line in summary_lines(result):
        click.echo(line)


COMMANDS = [import_cases]
