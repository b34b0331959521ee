"""Queries of the incident groups (app/incidents/models.py), through the case scope."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.repository import visible_cases
from app.context import Actor


def others_of(session: Session, actor: Actor, case: Case) -> list[Case]:
    """The other cases of the case's incident that the actor may see, oldest first."""
    if case.incident_id is None:
        return []
    stmt = (
        visible_cases(actor).where(Case.incident_id == case.incident_id, Case.id != case.id).order_by(Case.id)
    )
    return list(session.scalars(stmt))


def size_of(session: Session, incident_id: int) -> int:
    """How many cases the incident has, those hidden from the reader included (the page says how
    many it does not show, never which)."""
    stmt = select(func.count()).select_from(Case).where(Case.incident_id == incident_id)
    return session.scalar(stmt) or 0
