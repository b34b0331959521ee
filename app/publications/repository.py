"""Every query of published reports: storing one with the cases behind its figures, reading them
back, and the audit of the cases that moved since."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent, Verb
from app.cases.models import Case
from app.cases.repository import visible_cases
from app.context import Actor
from app.publications.models import PublishedFigureCase, PublishedReport

Cell = tuple[str, str, int]


def add_members(session: Session, report_id: int, members: dict[Cell, list[int]]) -> None:
    rows = [
        {"report_id": report_id, "table_key": t, "row_code": r, "column_index": c, "case_id": case_id}
        for (t, r, c), ids in members.items()
        for case_id in ids
    ]
    if rows:
        session.execute(insert(PublishedFigureCase), rows)


def get(session: Session, report_id: int) -> PublishedReport | None:
    return session.get(PublishedReport, report_id)


def listed(session: Session) -> list[PublishedReport]:
    """Newest first."""
    return list(session.scalars(select(PublishedReport).order_by(PublishedReport.id.desc())))


def members_of(session: Session, report_id: int, cells: list[Cell]) -> dict[Cell, set[int]]:
    """The cases each of `cells` counted when published."""
    wanted = set(cells)
    out: dict[Cell, set[int]] = defaultdict(set)
    stmt = select(
        PublishedFigureCase.table_key,
        PublishedFigureCase.row_code,
        PublishedFigureCase.column_index,
        PublishedFigureCase.case_id,
    ).where(
        PublishedFigureCase.report_id == report_id,
        PublishedFigureCase.table_key.in_({t for t, _, _ in wanted}),
    )
    for table, row, column, case_id in session.execute(stmt):
        if (table, row, column) in wanted:
            out[(table, row, column)].add(case_id)
    return out


def visible_cases_by_id(session: Session, actor: Actor, ids: set[int]) -> dict[int, Case]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(visible_cases(actor).where(Case.id.in_(ids)))}


def changes_since(session: Session, case_ids: set[int], since: datetime) -> dict[int, list[AuditEvent]]:
    """What was done to each case after `since` (its reads left out), oldest first."""
    out: dict[int, list[AuditEvent]] = defaultdict(list)
    if not case_ids:
        return out
    stmt = (
        select(AuditEvent)
        .where(
            AuditEvent.case_id.in_(case_ids),
            AuditEvent.occurred_at > since,
            AuditEvent.verb.not_in([Verb.VIEWED, Verb.EXPORTED]),
        )
        .order_by(AuditEvent.id)
    )
    for event in session.scalars(stmt):
        out[event.case_id or 0].append(event)
    return out
