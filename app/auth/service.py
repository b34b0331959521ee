"""Accounts, sign-in and server-side sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from app.audit.models import Verb
from app.audit.service import record
from app.auth import repository
from app.auth.models import Role, User, UserSession
from app.auth.passwords import hash_password, password_problem, verify_password
from app.config import get_settings
from app.context import Actor
from app.errors import ValidationFailed
from app.organisations.models import Organisation, name_key
from app.types import utcnow


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    actor: Actor | None,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    organisation_names: list[str] | None = None,
) -> User:
    errors: dict[str, str] = {}
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        errors["email"] = "Enter an e-mail address in the correct format, like name@example.org"
    elif repository.get_user_by_email(session, email):
        errors["email"] = "A user with this e-mail address already exists"
    if not name.strip():
        errors["name"] = "Enter the user's name"
    if role not in {r.value for r in Role}:
        errors["role"] = "Choose a role: " + ", ".join(r.value for r in Role)
    if problem := password_problem(password):
        errors["password"] = problem
    organisations: list[Organisation] = []
    for org_name in organisation_names or []:
        from sqlalchemy import select

        org = session.scalar(select(Organisation).where(Organisation.name_key == name_key(org_name)))
        if org is None:
            errors["organisation"] = f"No organisation called {org_name!r}"
        else:
            organisations.append(org)
    if role == Role.HR_LIAISON and not organisation_names and "role" not in errors:
        errors["organisation"] = "An HR liaison must belong to an organisation"
    if errors:
        raise ValidationFailed(errors)
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password))
    user.organisations = organisations
    session.add(user)
    session.flush()
    record(session, actor, Verb.CREATED, "user", user.id,
           details={"email": email, "name": user.name, "role": role, "organisations": [o.name for o in organisations]})
    return user


@dataclass
class NewSession:
    token: str
    user_session: UserSession


def authenticate(session: Session, email: str, password: str, ip: str | None) -> User | None:
    """The user if the e-mail and password match an active account. Unknown e-mail and wrong
    password take the same time and give the same answer."""
    user = repository.get_user_by_email(session, email)
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        record(session, Actor(user=None, ip=ip), Verb.SIGN_IN_FAILED, "user", user.id if user else None,
               details={"email": email.strip().lower()[:254]})
        return None
    return user


def start_session(session: Session, user: User, ip: str | None) -> NewSession:
    """A fresh session id at every sign-in (no fixation)."""
    token = secrets.token_urlsafe(32)
    us = UserSession(token_hash=token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                     ip=ip, mfa_passed=not user.totp_enabled)
    session.add(us)
    session.flush()
    record(session, Actor(user=user, ip=ip), Verb.SIGNED_IN, "user", user.id)
    return NewSession(token=token, user_session=us)


def load_session(session: Session, token: str) -> UserSession | None:
    """The live session for a cookie token, or None when revoked, idle or past its absolute limit."""
    us = repository.get_session_by_token_hash(session, token_hash(token))
    if us is None or us.revoked_at is not None or not us.user.is_active:
        return None
    settings = get_settings()
    now = utcnow()
    if now - us.last_seen_at > timedelta(minutes=settings.session_idle_minutes) or now - us.created_at > timedelta(
        hours=settings.session_absolute_hours
    ):
        us.revoked_at = now
        return None
    if now - us.last_seen_at > timedelta(seconds=60):
        us.last_seen_at = now
    return us


def end_session(session: Session, us: UserSession, actor: Actor) -> None:
    us.revoked_at = utcnow()
    record(session, actor, Verb.SIGNED_OUT, "user", us.user_id)


def revoke_all_sessions(session: Session, user_id: int) -> None:
    now = utcnow()
    for us in repository.active_sessions_of(session, user_id):
        us.revoked_at = now


def load_api_token(session: Session, token: str):
    t = repository.get_api_token_by_hash(session, token_hash(token))
    if t is None or t.revoked_at is not None or not t.user.is_active:
        return None
    now = utcnow()
    if t.last_used_at is None or now - t.last_used_at > timedelta(seconds=60):
        t.last_used_at = now
    return t
