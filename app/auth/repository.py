from __future__ import annotations

from sqlalchemy import Integer, Text, delete, select, update
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.orm import Session

from app.auth.models import ApiToken, RecoveryCode, SignInThrottle, UserSession
from app.users.models import User


def get_session_by_token_hash(session: Session, token_hash: str) -> UserSession | None:
    return session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))


def get_api_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def active_sessions_of(session: Session, user_id: int) -> list[UserSession]:
    return list(
        session.scalars(
            select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        )
    )


def lock_user(session: Session, user_id: int) -> User | None:
    """The user row, locked until the transaction ends (PostgreSQL), so two requests cannot
    both spend the same one-time code."""
    return session.scalar(
        select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    )


def unused_recovery_codes(session: Session, user_id: int, *, for_update: bool = False) -> list[RecoveryCode]:
    stmt = select(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    if for_update:
        stmt = stmt.with_for_update()
    return list(session.scalars(stmt))


def delete_recovery_codes(session: Session, user_id: int) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens, live ones first, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def get_api_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


_STORED_SECRETS = sa_table("users", sa_column("id", Integer), sa_column("totp_secret", Text))


def stored_totp_secrets(session: Session) -> list[tuple[int, str]]:
    """(user id, the encrypted token as stored) for every user with a TOTP secret: past the
    column's decryption, for re-encrypting with a new key."""
    stmt = (
        select(_STORED_SECRETS.c.id, _STORED_SECRETS.c.totp_secret)
        .where(_STORED_SECRETS.c.totp_secret.is_not(None))
        .order_by(_STORED_SECRETS.c.id)
    )
    return [(row.id, row.totp_secret) for row in session.execute(stmt)]


def store_totp_secret_token(session: Session, user_id: int, token: str) -> None:
    session.execute(update(_STORED_SECRETS).where(_STORED_SECRETS.c.id == user_id).values(totp_secret=token))


def throttle_row(session: Session, key: str, *, for_update: bool = False) -> SignInThrottle | None:
    """The failure count of a throttle key; `for_update` locks it (PostgreSQL) or takes the write
    lock (SQLite) so two failures at once both count."""
    stmt = select(SignInThrottle).where(SignInThrottle.key == key)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def delete_throttles(session: Session, keys: list[str]) -> None:
    session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_(keys)))
