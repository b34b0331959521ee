"""Accounts, sign-in, passwords and server-side sessions.

Services never commit. A failed sign-in or a wrong current password is *returned* (or raised
only after its throttle count and audit row are added) and the route answers 422 normally, so
the request's transaction commits the count and the audit row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.auth import repository, throttle
from app.auth.models import UserSession
from app.auth.passwords import hash_password, password_problem, verify_password
from app.clock import utcnow
from app.config import get_settings
from app.context import Actor
from app.errors import ValidationFailed
from app.orm import at_commit
from app.users import repository as users_repository
from app.users.models import User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class NewSession:
    token: str
    user_session: UserSession


#: Why a sign-in failed, for the audit only; the person signing in always sees the same message.
UNKNOWN_USER, WRONG_PASSWORD, DISABLED, THROTTLED = "unknown_user", "wrong_password", "disabled", "throttled"


def authenticate(session: Session, email: str, password: str, ip: str | None) -> User | None:
    """The user if the e-mail and password match an active account and neither the e-mail nor
    the IP address is locked (see app/auth/throttle.py). Unknown e-mail, wrong password,
    disabled account and lock give the same answer (None) after the same work (one argon2
    verification), and are audited with the reason."""
    email = email.strip().lower()[:254]
    keys = (throttle.email_key(email), throttle.ip_key(ip))
    user = users_repository.get_user_by_email(session, email)
    if throttle.is_locked(session, *keys):
        verify_password(password, None)
        reason = THROTTLED
    else:
        ok = verify_password(password, user.password_hash if user else None)
        if user is None:
            reason = UNKNOWN_USER
        elif not ok:
            reason = WRONG_PASSWORD
        elif not user.is_active:
            reason = DISABLED
        else:
            throttle.clear(session, keys[0])
            return user
        throttle.register_failure(session, keys[0], throttle.ACCOUNT_LIMIT)
        throttle.register_failure(session, keys[1], throttle.IP_LIMIT)
    record(
        session,
        Actor(user=None, ip=ip, via="anonymous"),
        Verb.SIGN_IN_FAILED,
        ObjectType.USER,
        user.id if user else None,
        details={"email": email, "reason": reason},
    )
    return None


def start_session(
    session: Session, user: User, ip: str | None, *, second_factor: str | None = None
) -> NewSession:
    """A fresh session id at every sign-in and after the second factor (no fixation). A user
    with two-factor set up gets a session that only the code page accepts until
    `second_factor` ("totp" or "recovery_code") is given."""
    token = secrets.token_urlsafe(32)
    mfa_passed = not user.totp_enabled or second_factor is not None
    us = UserSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        ip=ip,
        mfa_passed=mfa_passed,
    )
    session.add(us)
    session.flush()
    details = {"second_factor": second_factor or ("pending" if not mfa_passed else "not_set_up")}
    record(session, Actor(user=user, ip=ip), Verb.SIGNED_IN, ObjectType.USER, user.id, details=details)
    return NewSession(token=token, user_session=us)


def load_session(session: Session, token: str) -> UserSession | None:
    """The live session for a cookie token, or None when revoked, idle or past its absolute limit."""
    us = repository.get_session_by_token_hash(session, token_hash(token))
    if us is None or us.revoked_at is not None or not us.user.is_active:
        return None
    settings = get_settings()
    now = utcnow()
    if now - us.last_seen_at > timedelta(
        minutes=settings.session_idle_minutes
    ) or now - us.created_at > timedelta(hours=settings.session_absolute_hours):
        us.revoked_at = now
        return None
    if now - us.last_seen_at > timedelta(seconds=60):
        at_commit(session, lambda: setattr(us, "last_seen_at", now))
    return us


def end_session(session: Session, us: UserSession, actor: Actor) -> None:
    us.revoked_at = utcnow()
    record(session, actor, Verb.SIGNED_OUT, ObjectType.USER, us.user_id)


def revoke_all_sessions(session: Session, user_id: int, *, keep: UserSession | None = None) -> int:
    """End every live session of the user (but `keep`); returns how many were ended."""
    now = utcnow()
    ended = 0
    for us in repository.active_sessions_of(session, user_id):
        if keep is not None and us.id == keep.id:
            continue
        us.revoked_at = now
        ended += 1
    return ended


def load_api_token(session: Session, token: str):
    t = repository.get_api_token_by_hash(session, token_hash(token))
    if t is None or t.revoked_at is not None or not t.user.is_active:
        return None
    now = utcnow()
    if t.last_used_at is None or now - t.last_used_at > timedelta(seconds=60):
        t.last_used_at = now
    return t


def reauth_key(user: User) -> str:
    return f"reauth:{user.id}"


def check_current_password(session: Session, actor: Actor, password: str, *, purpose: str) -> str | None:
    """None if `password` is the acting user's password; otherwise the message to show. Wrong
    answers count towards a lock (5 in 15 minutes), so a stolen session cannot be used to
    guess the password, and are audited."""
    user = actor.user
    assert user is not None
    key = reauth_key(user)
    if throttle.is_locked(session, key):
        verify_password(password, None)
        reason, message = THROTTLED, "Too many incorrect attempts. Wait 15 minutes, then try again"
    elif verify_password(password, user.password_hash):
        throttle.clear(session, key)
        return None
    else:
        throttle.register_failure(session, key, throttle.ACCOUNT_LIMIT)
        reason, message = WRONG_PASSWORD, "Your current password is not correct"
    record(
        session,
        actor,
        Verb.SIGN_IN_FAILED,
        ObjectType.USER,
        user.id,
        details={"reason": reason, "during": purpose},
    )
    return message


def change_password(
    session: Session,
    actor: Actor,
    current_session: UserSession | None,
    *,
    current_password: str,
    new_password: str,
    confirm_password: str,
) -> int:
    """Set a new password after checking the current one; every other session of the user
    ends. Returns the number of sessions ended. Raises ValidationFailed (after counting a wrong
    current password) and changes nothing else when anything is wrong."""
    user = actor.user
    assert user is not None
    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = "Enter your current password"
    elif message := check_current_password(session, actor, current_password, purpose="password_change"):
        errors["current_password"] = message
    if not new_password:
        errors["new_password"] = "Enter a new password"
    elif problem := password_problem(new_password, email=user.email):
        errors["new_password"] = problem
    elif new_password == current_password:
        errors["new_password"] = "Enter a new password that is different from your current one"
    if not errors.get("new_password") and new_password and confirm_password != new_password:
        errors["confirm_password"] = (
            "Enter the same new password twice" if confirm_password else "Confirm your new password"
        )
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = hash_password(new_password)
    ended = revoke_all_sessions(session, user.id, keep=current_session)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.USER,
        user.id,
        details={"changed": ["password"], "other_sessions_ended": ended},
    )
    session.flush()
    return ended
