"""`lado backup FILE` and `lado restore FILE`."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Back up the database (DATABASE_URL) to FILE while the service runs."""
    from app.backups.service import BackupError
    from app.backups.service import backup as make_backup
    from app.config import get_settings

    try:
        size = make_backup(get_settings().sqlalchemy_url, file)
    except BackupError as exc:
        click.echo(f"Backup failed: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Backed up to {file} ({size:,} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds data.")
def restore(file: Path, replace: bool) -> None:
    """Restore FILE into the database (DATABASE_URL); stop the service first."""
    from app.backups.service import BackupError
    from app.backups.service import restore as restore_backup
    from app.config import get_settings

    try:
        restore_backup(get_settings().sqlalchemy_url, file, replace=replace)
    except BackupError as exc:
        click.echo(f"Restore failed: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"Restored {file}. Run `lado migrate` if the backup is older than this version, then start the "
        "service."
    )


COMMANDS = [backup, restore]
