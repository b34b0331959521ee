"""Bulk import of cases from the CSV format of shared/spec/case-import.md.

All or nothing, in two passes over the file:
0. the header row first: a missing, unknown or repeated column is refused before any data row is
   read (a wrong header would otherwise cost a read of the whole file);
1. validate every row and collect every problem (the file is streamed; references are checked
   against the database a thousand at a time);
2. only when the file is clean, read it again and write it in batches inside the caller's
   transaction: organisations, people, cases, allegations, disposals, DBS referrals and one
   audit event per case, plus one summary event for the import.

A file with problems raises `ImportRejected` (a `ValidationFailed`) whose `problems` lists them
all, as `line N, column C: what is wrong`; nothing has been written when it is raised. The
service never commits: the web request or the CLI's `session_scope()` owns the transaction.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import clock
from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.context import Actor
from app.errors import ValidationFailed
from app.imports import repository
from app.imports.csvfile import CsvSource
from app.imports.schemas import MAX_PROBLEMS, ImportRejected, ImportResult, ImportRow
from app.imports.validation import Problem, RowParser, problem
from app.imports.writer import Writer
from app.settings.service import reporting_year_start_month
from app.users.models import Role, User

#: progress(phase, rows_done, rows_total): phase "checked" (total unknown: None) or "imported".
Progress = Callable[[str, int, "int | None"], None]

BATCH_SIZE = 2_000
PROGRESS_EVERY = 10_000


def import_csv(
    session: Session, actor: Actor, path: Path, progress: Progress | None = None, *, today: date | None = None
) -> ImportResult:
    """Import the CSV file at `path`; raises ImportRejected (nothing written) if it has problems."""
    with open(path, "rb") as stream:
        return import_stream(session, actor, stream, progress, source_name=Path(path).name, today=today)


def import_bytes(
    session: Session,
    actor: Actor,
    data: bytes,
    progress: Progress | None = None,
    *,
    source_name: str = "upload",
    today: date | None = None,
) -> ImportResult:
    return import_stream(session, actor, io.BytesIO(data), progress, source_name=source_name, today=today)


def import_stream(
    session: Session,
    actor: Actor,
    stream: BinaryIO,
    progress: Progress | None = None,
    *,
    source_name: str = "upload",
    today: date | None = None,
) -> ImportResult:
    """Import from a seekable binary stream (a file, an upload's spooled file)."""
    today = today or clock.today()
    source = CsvSource(stream)
    parser, total = _validate(session, source, today, progress)
    source.rewind()
    try:
        with session.begin_nested():  # a failure while writing leaves the caller's transaction as it was
            return _write(session, actor, source, parser, total, progress, source_name)
    except Exception as exc:
        if _is_integrity_error(exc):
            raise ImportRejected(
                [
                    "a case reference or an organisation in the file was created by someone else while "
                    "the file was being imported; nothing was imported. Import the file again to see "
                    "which rows clash"
                ]
            ) from exc
        raise


def _is_integrity_error(exc: Exception) -> bool:
    """A unique constraint broken between the passes: SQLAlchemy's wrapper, or psycopg's own
    error from COPY (which runs on the driver's cursor)."""
    if isinstance(exc, IntegrityError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(exc, psycopg.IntegrityError)


SYSTEM_IMPORT_NAME = "import"
SYSTEM_IMPORT_EMAIL = "import@system.invalid"


def importing_actor(session: Session, who: str = SYSTEM_IMPORT_NAME) -> Actor:
    """The actor the CLI imports as: the user whose e-mail (or else name) is `who`. The default
    system user "import" is created when missing, disabled and with an unusable password, so
    nobody can ever sign in as it; it exists only to be named in the audit trail."""
    users = repository.find_users(session, who)
    if len(users) > 1:
        raise ValidationFailed(
            {"as": f'more than one user is called "{who}"; give their e-mail address instead'}
        )
    if users:
        return Actor(user=users[0], via="cli")
    if who.strip().lower() != SYSTEM_IMPORT_NAME:
        raise ValidationFailed({"as": f'there is no user with the e-mail address or name "{who}"'})
    user = User(
        email=SYSTEM_IMPORT_EMAIL,
        name=SYSTEM_IMPORT_NAME,
        role=Role.ADMIN,
        is_active=False,
        password_hash="!unusable!" + secrets.token_hex(32),
    )
    session.add(user)
    session.flush()
    record(
        session,
        Actor(user=None, via="cli"),
        Verb.CREATED,
        ObjectType.USER,
        user.id,
        details={
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "system": True,
            "reason": "system account that bulk case imports are recorded as; it cannot sign in",
        },
    )
    return Actor(user=user, via="cli")


# -- pass 1 ----------------------------------------------------------------------------------
def _validate(
    session: Session, source: CsvSource, today: date, progress: Progress | None
) -> tuple[RowParser, int]:
    if whole_file := source.encoding_problem():
        _reject([problem(1, None, whole_file)])
    codes = repository.reference_codes(session)
    records = source.records()
    header = next(records, None)
    if header is None:
        _reject(
            [
                problem(
                    1,
                    None,
                    "the file is empty; it needs a header row naming the columns, then one row per case",
                ),
                *_source_errors(source),
            ]
        )
    assert header is not None
    parser = RowParser(header, codes, today)
    if parser.header_problems:  # reported at once: no row can be read against a wrong header
        _reject(parser.header_problems + _source_errors(source))
    problems = _Problems()
    seen: dict[str, int] = {}
    pending: list[tuple[str, int]] = []
    ref_index = parser.index.get("reference")
    count = 0
    for rec in records:
        count += 1
        _, row_problems = parser.parse(rec)
        problems.extend(row_problems)
        if ref_index is not None and len(rec.cells) == parser.width:
            reference = rec.cells[ref_index].strip()
            if reference:
                first = seen.setdefault(reference, rec.line)
                if first != rec.line:
                    problems.add(
                        problem(
                            rec.line,
                            "reference",
                            f'"{reference}" is also on line {first}; each '
                            "reference must appear once in the file",
                        )
                    )
                else:
                    pending.append((reference, rec.line))
                    if len(pending) >= repository.REFERENCE_CHECK_BATCH:
                        problems.extend(_in_database(session, pending))
                        pending = []
        if progress and count % PROGRESS_EVERY == 0:
            progress("checked", count, None)
    problems.extend(_in_database(session, pending))
    seen.clear()
    problems.extend(_source_errors(source))
    if count == 0 and not source.errors:
        problems.add(problem(header.line + 1, None, "there are no cases in the file, only the header row"))
    if problems:
        _reject(problems.items, problems.total)
    if progress:
        progress("checked", count, count)
    return parser, count


def _source_errors(source: CsvSource) -> list[Problem]:
    return [problem(line, None, message) for line, message in source.errors]


def _in_database(session: Session, pending: list[tuple[str, int]]) -> list[Problem]:
    if not pending:
        return []
    existing = repository.existing_references(session, [ref for ref, _ in pending])
    return [
        problem(
            line,
            "reference",
            f'a case with reference "{ref}" already exists; an import never '
            "updates a case, so remove this row or change its reference",
        )
        for ref, line in pending
        if ref in existing
    ]


class _Problems:
    """Problems sorted by line at the end; stored up to MAX_PROBLEMS, counted beyond."""

    def __init__(self, initial: list[Problem] | None = None) -> None:
        self.items: list[Problem] = []
        self.total = 0
        self.extend(initial or [])

    def add(self, item: Problem) -> None:
        self.total += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(item)

    def extend(self, items: list[Problem]) -> None:
        for item in items:
            self.add(item)

    def __bool__(self) -> bool:
        return self.total > 0


def _reject(items: list[Problem], total: int | None = None) -> None:
    ordered = [message for _, message in sorted(items, key=lambda p: p[0])]
    total = total if total is not None else len(ordered)
    if total > len(ordered):
        ordered.append(f"... and {total - len(ordered):,} more problems not listed")
    raise ImportRejected(ordered, total)


# -- pass 2 ----------------------------------------------------------------------------------
def _write(
    session: Session,
    actor: Actor,
    source: CsvSource,
    parser: RowParser,
    total: int,
    progress: Progress | None,
    source_name: str,
) -> ImportResult:
    writer = Writer(session, actor, reporting_year_start_month(session))
    records = source.records()
    next(records)  # the header, read in pass 1
    batch: list[ImportRow] = []
    reported = 0
    for rec in records:
        row, problems = parser.parse(rec)
        if row is None:  # the file changed between the passes
            raise ImportRejected(
                [m for _, m in problems]
                or [f"line {rec.line}: the file changed while it was being imported; nothing was imported"]
            )
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            writer.write(batch)
            batch = []
            if progress and writer.written - reported >= PROGRESS_EVERY:
                reported = writer.written
                progress("imported", writer.written, total)
    if batch:
        writer.write(batch)
    if writer.written != total:
        raise ImportRejected(
            [
                f"the file changed while it was being imported ({total:,} rows checked, "
                f"{writer.written:,} read); nothing was imported"
            ]
        )
    result = writer.result()
    event = record(
        session,
        actor,
        Verb.IMPORTED,
        ObjectType.IMPORT,
        writer.import_id,
        details={
            "source": source_name,
            "cases": result.imported,
            "by_year": result.by_year,
            "year_start_month": result.year_start_month,
            "by_calendar_year": result.by_calendar_year,
        },
    )
    session.flush()
    result.audit_event_id = event.id
    if progress and reported != writer.written:
        progress("imported", writer.written, total)
    return result
