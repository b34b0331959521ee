"""Backing up and restoring the database while the service runs.

- SQLite: SQLite's online backup API copies a consistent snapshot of the database, write-ahead
  log included, while the app goes on writing (a plain `cp` of the file in WAL mode silently
  drops the last commits). The copy is written beside the target and renamed into place, so a
  failed backup never leaves half a file.
- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too), restored with `pg_restore`.

A restore goes into an empty database (or replaces one with `replace=True`); the service must be
stopped while it runs. Afterwards `lado migrate` brings an older backup's schema up to date.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Why a backup or restore could not be made, in words for the operator."""


def _kind(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {url.get_backend_name()}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("DATABASE_URL names no SQLite file")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries it (never on the
    command line, where other users of the machine could read it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs (Debian: postgresql-client)"
        )
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup(database_url: str, target: Path) -> int:
    """Write a backup of the database to `target`; returns its size in bytes."""
    url = make_url(database_url)
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if _kind(url) == "sqlite":
            source = _sqlite_path(url)
            if not source.exists():
                raise BackupError(f"There is no database at {source}")
            with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
                src.backup(dst)
                if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupError("The copy failed SQLite's integrity check")
            dst.close()
        else:
            conninfo, env = _libpq(url)
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    f"--file={partial}",
                    f"--dbname={conninfo}",
                ],
                env,
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def _has_tables(database_url: str) -> bool:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def restore(database_url: str, source: Path, *, replace: bool = False) -> None:
    """Restore the backup `source` into the database; refused when the database already holds
    tables, unless `replace`."""
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}")
    with source.open("rb") as fh:
        head = fh.read(16)
    kind = _kind(url)
    if kind == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(
            f"{source} is not a SQLite backup"
            + (" (it is PostgreSQL's)" if head.startswith(PG_MAGIC) else "")
        )
    if kind == "postgresql" and not head.startswith(PG_MAGIC):
        raise BackupError(
            f"{source} is not a PostgreSQL backup (pg_dump --format=custom)"
            + (" (it is SQLite's)" if head.startswith(SQLITE_MAGIC) else "")
        )
    if kind == "sqlite":
        target = _sqlite_path(url)
        if target.exists() and _has_tables(database_url) and not replace:
            raise BackupError(
                f"{target} already holds a database: restore into a new file, or pass --replace"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        dst.close()
        return
    if _has_tables(database_url) and not replace:
        raise BackupError(
            "The database already holds tables: restore into an empty database, or pass --replace"
        )
    conninfo, env = _libpq(url)
    args = [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={conninfo}"]
    if replace:
        args += ["--clean", "--if-exists"]
    _run([*args, str(source)], env)
