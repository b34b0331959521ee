from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import ApiToken, RecoveryCode, User, UserSession


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


def lock_user(session: Session, user_id: int) -> User | None:
    """The user row, locked until the transaction ends (PostgreSQL), so two requests cannot
    both spend the same one-time code."""
    return session.scalar(select(User).where(User.id == user_id).with_for_update()
                          .execution_options(populate_existing=True))


def unused_recovery_codes(session: Session, user_id: int, *, for_update: bool = False) -> list[RecoveryCode]:
    stmt = select(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    if for_update:
        stmt = stmt.with_for_update()
    return list(session.scalars(stmt))


def delete_recovery_codes(session: Session, user_id: int) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens, live ones first, newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def get_api_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)
