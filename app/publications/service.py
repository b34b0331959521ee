"""Publishing the annual report and reconciling it (annual-report.md, Published snapshots).

Publishing stores the figures as computed, with who published them, when and a SHA-256 of their
JSON, and the ids of the cases behind every count, so that the published report is never
recomputed in place. Opening it computes the same year as at the same date from the case data
now and lists every cell that differs; for each, the cases that moved into or out of it and what
was done to each since the report was published (who, when, what), from the audit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import AuditEvent, ObjectType, Verb
from app.audit.presenters import describe
from app.audit.service import record
from app.audit.wording import when
from app.cases.chronology import by_whom, names_for
from app.context import Actor
from app.errors import NotFound
from app.publications import repository
from app.publications.models import PublishedReport
from app.reports.export import export
from app.reports.service import annual_report, figure_members
from app.reports.suppression import suppressed

Cell = tuple[str, str, int]


def sha256_of(figures: dict[str, Any]) -> str:
    """SHA-256 (hex) of the figures as canonical JSON: sorted keys, no spaces, UTF-8."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _values(figures: dict[str, Any]) -> dict[Cell, Any]:
    """Every cell of the report: (table, row, column) -> value; totals as row `total`."""
    out: dict[Cell, Any] = {}
    for key, table in figures["tables"].items():
        for row in table["rows"]:
            for i, value in enumerate(row["values"]):
                out[(key, row["code"], i)] = value
        for i, value in enumerate(table.get("total") or []):
            out[(key, "total", i)] = value
    return out


def _counted_by(figures: dict[str, Any], cell: Cell) -> Cell:
    """The count a cell shows or is worked out from: a one-year table's first column."""
    key, row, _ = cell
    table = figures["tables"].get(key, {})
    return (key, row, 0) if "columns" in table else cell


def publish(
    session: Session, actor: Actor, start_year: int, as_at: date | None, note: str = ""
) -> PublishedReport:
    figures = annual_report(session, start_year, as_at)
    day = date.fromisoformat(figures["as_at"])
    counts = sorted(
        {
            _counted_by(figures, cell)
            for cell, value in _values(figures).items()
            if isinstance(value, int) and not isinstance(value, bool) and value > 0
        }
    )
    members = figure_members(session, actor, start_year, day, counts)
    published = PublishedReport(
        start_year=start_year,
        as_at=day,
        year_label=figures["year"],
        figures=figures,
        sha256=sha256_of(figures),
        note=note.strip(),
        published_by_id=actor.user.id if actor.user else None,
    )
    session.add(published)
    session.flush()
    repository.add_members(session, published.id, members)
    record(
        session,
        actor,
        Verb.PUBLISHED,
        ObjectType.PUBLISHED_REPORT,
        published.id,
        details={"year": published.year_label, "as_at": figures["as_at"], "sha256": published.sha256},
    )
    return published


def get_published(session: Session, report_id: int) -> PublishedReport:
    published = repository.get(session, report_id)
    if published is None:
        raise NotFound("There is no published report with that number.")
    return published


def list_published(session: Session) -> list[PublishedReport]:
    return repository.listed(session)


@dataclass
class Change:
    when: str
    who: str
    what: str


@dataclass
class Moved:
    case_id: int
    #: The case's reference; empty when the actor may not see the case (or it no longer exists).
    reference: str
    direction: str  # "in": counted now, not when published; "out": the other way
    changes: list[Change] = field(default_factory=list)


@dataclass
class Difference:
    table: str
    table_title: str
    row: str
    row_label: str
    column: int
    column_label: str
    published: Any
    now: Any
    moved: list[Moved] = field(default_factory=list)


def reconcile(
    session: Session, actor: Actor, published: PublishedReport
) -> tuple[dict[str, Any], list[Difference]]:
    """Today's figures for the same year and as-at date, and every cell that differs from the
    published one, with the cases that moved and what was done to them since publishing."""
    now = annual_report(session, published.start_year, published.as_at)
    then_values, now_values = _values(published.figures), _values(now)
    differing = [
        c for c in dict.fromkeys([*then_values, *now_values]) if then_values.get(c) != now_values.get(c)
    ]
    counts = sorted({_counted_by(now if c in now_values else published.figures, c) for c in differing})
    now_members = figure_members(session, actor, published.start_year, published.as_at, counts)
    then_members = repository.members_of(session, published.id, counts)
    moved_ids = {i for c in counts for i in set(now_members.get(c, [])) ^ then_members.get(c, set())}
    cases = repository.visible_cases_by_id(session, actor, moved_ids)
    events = repository.changes_since(session, set(cases), published.published_at)
    changes = {case_id: _changes(session, cases[case_id], events.get(case_id, [])) for case_id in cases}
    differences = []
    for cell in differing:
        counted = _counted_by(now if cell in now_values else published.figures, cell)
        now_set, then_set = set(now_members.get(counted, [])), then_members.get(counted, set())
        moved = [
            Moved(i, cases[i].reference if i in cases else "", direction, changes.get(i, []))
            for direction, ids in (("in", now_set - then_set), ("out", then_set - now_set))
            for i in sorted(ids)
        ]
        differences.append(
            Difference(
                *_labels(published.figures, now, cell),
                published=then_values.get(cell),
                now=now_values.get(cell),
                moved=moved,
            )
        )
    return now, differences


def _changes(session: Session, case, events: list[AuditEvent]) -> list[Change]:
    names = names_for(session, case, events)
    return [Change(when(e.occurred_at), by_whom(e), describe(e, names).title) for e in events]


def _labels(then: dict[str, Any], now: dict[str, Any], cell: Cell) -> tuple[str, str, str, str, int, str]:
    key, code, column = cell
    table = now["tables"].get(key) or then["tables"][key]
    rows = {
        r["code"]: r["label"] for source in (then, now) for r in source["tables"].get(key, {}).get("rows", [])
    }
    columns = table.get("columns") or now["columns"]
    label = "Total" if code == "total" else rows.get(code, code)
    return key, table["title"], code, label, column, columns[column] if column < len(columns) else str(column)


def figures_of(published: PublishedReport, *, suppress: bool = False) -> dict[str, Any]:
    """The figures as published, small numbers suppressed if asked."""
    return suppressed(published.figures) if suppress else published.figures


def export_published(
    session: Session, actor: Actor, report_id: int, fmt: str, *, suppress: bool = False
) -> tuple[bytes, str, str]:
    """The published figures as a file (content, media type, name), the download audited."""
    published = get_published(session, report_id)
    content, media_type, name = export(figures_of(published, suppress=suppress), fmt)
    details: dict[str, Any] = {"format": fmt, "bytes": len(content), "sha256": published.sha256}
    if suppress:
        details["suppressed"] = True
    record(session, actor, Verb.EXPORTED, ObjectType.PUBLISHED_REPORT, published.id, details=details)
    return content, media_type, f"published-{published.id}-{name}"


def view_published(
    session: Session, actor: Actor, report_id: int, *, via: str | None = None
) -> tuple[PublishedReport, dict[str, Any], list[Difference]]:
    """A published report, today's figures beside it and the differences, the reading audited."""
    published = get_published(session, report_id)
    now, differences = reconcile(session, actor, published)
    details: dict[str, Any] = {"year": published.year_label, "as_at": published.as_at.isoformat()}
    if via:
        details["via"] = via
    record(session, actor, Verb.VIEWED, ObjectType.PUBLISHED_REPORT, published.id, details=details)
    return published, now, differences
