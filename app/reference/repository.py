"""Every query of reference data. Codes are primary keys; order is display_order, then label."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, joinedload

from app.reference.models import ReferenceItem, Sector

R = TypeVar("R", bound=ReferenceItem)


def list_items(session: Session, model: type[R]) -> list[R]:
    """Every item of a kind, active or not, in display order (sectors with their agency group)."""
    stmt = select(model).order_by(model.display_order, model.label, model.code)
    if model is Sector:
        stmt = stmt.options(joinedload(Sector.agency_group))
    return list(session.scalars(stmt))


def code_labels(session: Session, model: type[R]) -> list[tuple[str, str]]:
    """(code, label) of every item of a kind, active or not, in display order: columns only, for
    the choices of a filter on every list page."""
    stmt = select(model.code, model.label).order_by(model.display_order, model.label, model.code)
    return [(code, label) for code, label in session.execute(stmt)]


def active_items(session: Session, model: type[R], include_codes: Iterable[str] = ()) -> list[R]:
    """Active items, plus the inactive ones named in include_codes, in display order."""
    codes = [c for c in include_codes if c]
    condition: ColumnElement[bool] = model.active.is_(True)
    if codes:
        condition = or_(condition, model.code.in_(codes))
    stmt = select(model).where(condition).order_by(model.display_order, model.label, model.code)
    return list(session.scalars(stmt))


def get_item(session: Session, model: type[R], code: str) -> R | None:
    return session.get(model, code)


def get_items(session: Session, model: type[R], codes: Iterable[str]) -> list[R]:
    """The items with these codes, each once, in the order given (codes that do not exist are left out)."""
    found = (session.get(model, code) for code in dict.fromkeys(codes))
    return [item for item in found if item is not None]


def next_display_order(session: Session, model: type[R]) -> int:
    """One step (10) after the last item, so a new item lands at the end unless told otherwise."""
    current = session.scalar(select(func.max(model.display_order)))
    return 10 if current is None else int(current) + 10
