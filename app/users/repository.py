"""Queries of user accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.users.models import Role, User, user_organisations


def users_with_organisations(session: Session) -> list[User]:
    """Every account, by name, with its organisations loaded in one more query (not one per user)."""
    return list(
        session.scalars(select(User).options(selectinload(User.organisations)).order_by(User.name, User.id))
    )


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def active_hr_liaisons_of(session: Session, organisation_id: int) -> list[User]:
    """Active HR liaison accounts that belong to the organisation, by name."""
    members = select(user_organisations.c.user_id).where(
        user_organisations.c.organisation_id == organisation_id
    )
    return list(
        session.scalars(
            select(User)
            .where(User.role == Role.HR_LIAISON, User.is_active.is_(True), User.id.in_(members))
            .order_by(User.name, User.id)
        )
    )
