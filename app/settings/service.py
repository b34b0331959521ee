"""Administrator settings with their defaults."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.context import Actor
from app.settings import repository
from app.settings.models import ChildPopulation
from app.settings.schemas import ChildPopulationForm

START_MONTH_KEY = "reporting_year_start_month"
DEFAULTS = {START_MONTH_KEY: 4, "conclusion_target_months": 3, "review_interval_months": 1}


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


def set_reporting_year_start_month(session: Session, actor: Actor, month: int) -> dict:
    before = reporting_year_start_month(session)
    changed = changes({"value": before}, {"value": month})
    if changed:
        repository.set_value(session, START_MONTH_KEY, month)
        session.flush()
        record(session, actor, Verb.UPDATED, ObjectType.SETTING, START_MONTH_KEY, details=changed)
    return changed


def child_populations(session: Session) -> list[ChildPopulation]:
    return repository.child_populations(session)


def set_child_population(session: Session, actor: Actor, data: ChildPopulationForm) -> str:
    """Adds the figure for a year, or replaces the one already held for it. Returns what it did."""
    row = repository.get_child_population(session, data.from_year)
    if row is None:
        session.add(ChildPopulation(from_year=data.from_year, population=data.population))
        session.flush()
        record(
            session,
            actor,
            Verb.CREATED,
            ObjectType.CHILD_POPULATION,
            data.from_year,
            details={"from_year": data.from_year, "population": data.population},
        )
        return "added"
    changed = changes({"population": row.population}, {"population": data.population})
    if changed:
        row.population = data.population
        session.flush()
        record(session, actor, Verb.UPDATED, ObjectType.CHILD_POPULATION, data.from_year, details=changed)
        return "replaced"
    return "unchanged"


def set_clock_settings(session: Session, actor: Actor, values: dict[str, int]) -> dict:
    """Save the statutory clocks' settings (conclusion target, review interval); audited with what
    changed. Returns the changes."""
    before = {key: get(session, key) for key in values}
    changed = changes(before, values)
    for key, value in values.items():
        repository.set_value(session, key, value)
    session.flush()
    record(session, actor, Verb.UPDATED, ObjectType.SETTING, "clocks", details=changed)
    return changed
