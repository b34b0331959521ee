"""Queries of the administrator's pages that belong to no single domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.settings.models import ChildPopulation


def users_with_organisations(session: Session) -> list[User]:
    """Every account, by name, with its organisations loaded in one more query (not one per user)."""
    return list(session.scalars(select(User).options(selectinload(User.organisations)).order_by(User.name, User.id)))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_child_population(session: Session, from_year: int) -> ChildPopulation | None:
    return session.get(ChildPopulation, from_year)
