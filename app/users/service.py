"""Accounts: creating, changing, enabling and disabling users, and clearing sign-in locks.

Rules: an administrator cannot disable or demote their own account (so an active administrator
always remains); disabling an account or changing its role ends its sessions at once; only an
HR liaison belongs to organisations; every change is audited with the fields it changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.auth import throttle
from app.auth.passwords import hash_password, password_problem
from app.auth.service import revoke_all_sessions
from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.organisations import repository as org_repository
from app.organisations.models import Organisation
from app.users import repository
from app.users.models import Role, User
from app.users.schemas import UserCreateForm, UserUpdateForm


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
    if problem := password_problem(password, email=email):
        errors["password"] = problem
    organisations: list[Organisation] = []
    for org_name in organisation_names or []:
        org = org_repository.by_name(session, org_name)
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
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.USER,
        user.id,
        details={
            "email": email,
            "name": user.name,
            "role": role,
            "organisations": [o.name for o in organisations],
        },
    )
    return user


def get_user(session: Session, user_id: int) -> User:
    user = repository.get_user(session, user_id)
    if user is None:
        raise NotFound("There is no such user")
    return user


def _organisations(
    session: Session, role: Role, ids: list[int], errors: dict[str, str]
) -> list[Organisation]:
    """The chosen organisations of an HR liaison (others belong to none)."""
    if role != Role.HR_LIAISON:
        return []
    found = org_repository.get_many(session, set(ids))
    if len(found) != len(set(ids)):
        errors["organisations"] = "Choose organisations from the list"
    elif not found:
        errors["organisations"] = "Choose at least one organisation for an HR liaison"
    return found


def account_problems(session: Session, email: str | None, password: str | None) -> dict[str, str]:
    """What is wrong with a new account's e-mail address and password (checked even when the
    rest of the form is not valid, so every problem is shown at once)."""
    errors: dict[str, str] = {}
    email = (email or "").strip().lower()
    if email:
        if "@" not in email.strip("@") or " " in email:
            errors["email"] = "Enter an e-mail address in the correct format, like name@example.org"
        elif repository.get_user_by_email(session, email):
            errors["email"] = "A user with this e-mail address already exists"
    if password and (problem := password_problem(password)):
        errors["password"] = problem
    return errors


def create_user_from_form(session: Session, actor: Actor, data: UserCreateForm) -> User:
    """A new account; every problem is reported at once, nothing is written unless all are fixed."""
    email = data.email.strip().lower()
    errors = account_problems(session, email, data.password)
    organisations = _organisations(session, data.role, data.organisations, errors)
    if errors:
        raise ValidationFailed(errors)
    try:
        return create_user(
            session,
            actor,
            email=email,
            name=data.name,
            role=data.role.value,
            password=data.password,
            organisation_names=[o.name for o in organisations],
        )
    except ValidationFailed as exc:
        raise ValidationFailed(
            {("organisations" if k == "organisation" else k): v for k, v in exc.errors.items()}
        ) from None


def _user_snapshot(user: User) -> dict:
    return {
        "name": user.name,
        "role": str(user.role),
        "organisations": sorted(o.name for o in user.organisations),
    }


def update_user(session: Session, actor: Actor, user_id: int, data: UserUpdateForm) -> dict:
    """Renames, re-roles, re-assigns or (de)activates an account. Returns the changed fields.

    Name, role and organisations are audited in one row; enabling or disabling goes through
    `app.auth.service.set_active`, which ends the sessions and audits it in a row of its own."""
    user = get_user(session, user_id)
    errors: dict[str, str] = {}
    is_self = actor.user is not None and actor.user.id == user.id
    if is_self and data.role != Role.ADMIN:
        errors["role"] = "You cannot remove your own administrator role. Ask another administrator to do it"
    if is_self and not data.active:
        errors["active"] = "You cannot disable your own account. Ask another administrator to do it"
    organisations = _organisations(session, data.role, data.organisations, errors)
    if errors:
        raise ValidationFailed(errors)
    before = _user_snapshot(user)
    user.name = data.name
    user.role = data.role
    user.organisations = organisations
    changed = changes(before, _user_snapshot(user))
    if changed:
        session.flush()
        details: dict = dict(changed)
        if "role" in changed:
            # New permissions take effect at the next sign-in, not half-way through a session.
            details["sessions_ended"] = revoke_all_sessions(session, user.id)
        record(session, actor, Verb.UPDATED, ObjectType.USER, user.id, details=details)
    if user.is_active != data.active:
        changed["active"] = {"from": user.is_active, "to": data.active}
        set_active(session, actor, user, data.active)
    return changed


def sign_in_locked_until(session: Session, user: User) -> datetime | None:
    """When the lock on the account's sign-in (after repeated failures) runs out, if locked now."""
    return throttle.locked_until(session, [throttle.email_key(user.email)])


def unlock_sign_in(session: Session, actor: Actor, user_id: int) -> None:
    """Clear the sign-in lock on an account (an administrator, after checking with the user)."""
    user = get_user(session, user_id)
    throttle.clear(session, throttle.email_key(user.email))
    record(session, actor, Verb.UPDATED, ObjectType.SIGN_IN_THROTTLE, None, details={"unlocked": user.email})


def list_users(session: Session) -> list[User]:
    return repository.users_with_organisations(session)


def set_active(session: Session, actor: Actor | None, user: User, active: bool) -> None:
    """Enable or disable an account. Disabling ends the user's sessions at once (and their API
    tokens are refused while the account is disabled)."""
    if user.is_active == active:
        return
    user.is_active = active
    ended = 0 if active else revoke_all_sessions(session, user.id)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.USER,
        user.id,
        details={"is_active": {"from": not active, "to": active}, "sessions_ended": ended},
    )
    session.flush()
