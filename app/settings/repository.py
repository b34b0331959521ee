from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.settings.models import ChildPopulation, Setting


def get_value(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    return None if row is None else row.value


def set_value(session: Session, key: str, value: Any) -> Setting:
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
        session.add(row)
    else:
        row.value = value
    return row


def child_populations(session: Session) -> list[ChildPopulation]:
    return list(session.scalars(select(ChildPopulation).order_by(ChildPopulation.from_year)))


def get_child_population(session: Session, from_year: int) -> ChildPopulation | None:
    return session.get(ChildPopulation, from_year)
