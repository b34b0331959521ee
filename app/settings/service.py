"""Administrator settings with their defaults."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.settings import repository

DEFAULTS = {"reporting_year_start_month": 4}


def get(session: Session, key: str):
    value = repository.get_value(session, key)
    return DEFAULTS.get(key) if value is None else value


def reporting_year_start_month(session: Session) -> int:
    return int(get(session, "reporting_year_start_month"))


def child_population_for(session: Session, start_year: int) -> int | None:
    """The child population (0-17) that applies to the reporting year starting in start_year:
    the latest figure whose from_year is not after it."""
    best = None
    for row in repository.child_populations(session):
        if row.from_year <= start_year:
            best = row.population
    return best
