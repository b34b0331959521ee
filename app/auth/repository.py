from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import ApiToken, User, UserSession


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_session_by_token_hash(session: Session, token_hash: str) -> UserSession | None:
    return session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))


def get_api_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def active_sessions_of(session: Session, user_id: int) -> list[UserSession]:
    return list(session.scalars(select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
