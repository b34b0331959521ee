"""The queries of the corrections."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases.models import Case


def cases_of_person_count(session: Session, person_id: int) -> int:
    """How many cases point at the person, whoever may see them (a count: no case content)."""
    return session.scalar(select(func.count(Case.id)).where(Case.person_id == person_id)) or 0
