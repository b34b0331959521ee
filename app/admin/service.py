"""The administrator's workflows: accounts, settings, the audit search.

Rules: an administrator cannot disable or demote their own account (so an active administrator
always remains); disabling an account or changing its role ends its sessions at once; only an
HR liaison belongs to organisations; every change is audited with the fields it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from app.admin import repository
from app.admin.schemas import AuditFilterForm, ChildPopulationForm, UserCreateForm, UserUpdateForm
from app.audit import repository as audit_repository
from app.audit.models import AuditEvent, Verb
from app.audit.service import changes, record
from app.auth import repository as auth_repository
from app.auth.models import Role, User
from app.auth.passwords import password_problem
from app.auth.service import create_user as auth_create_user
from app.auth import throttle
from app.auth.service import revoke_all_sessions, set_active
from app.auth.service import unlock_sign_in as auth_unlock_sign_in
from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.organisations import repository as org_repository
from app.organisations.models import Organisation
from app.settings import repository as settings_repository
from app.settings import service as settings_service
from app.settings.models import ChildPopulation
from app.web import LONDON

AUDIT_PAGE_SIZE = 50
START_MONTH_KEY = "reporting_year_start_month"


# ---------------------------------------------------------------------------------------------
# Accounts


def get_user(session: Session, user_id: int) -> User:
    user = repository.get_user(session, user_id)
    if user is None:
        raise NotFound("There is no such user")
    return user


def _organisations(session: Session, role: Role, ids: list[int], errors: dict[str, str]) -> list[Organisation]:
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
        elif auth_repository.get_user_by_email(session, email):
            errors["email"] = "A user with this e-mail address already exists"
    if password and (problem := password_problem(password)):
        errors["password"] = problem
    return errors


def create_user(session: Session, actor: Actor, data: UserCreateForm) -> User:
    """A new account; every problem is reported at once, nothing is written unless all are fixed."""
    email = data.email.strip().lower()
    errors = account_problems(session, email, data.password)
    organisations = _organisations(session, data.role, data.organisations, errors)
    if errors:
        raise ValidationFailed(errors)
    try:
        return auth_create_user(session, actor, email=email, name=data.name, role=data.role.value,
                                password=data.password, organisation_names=[o.name for o in organisations])
    except ValidationFailed as exc:
        raise ValidationFailed({("organisations" if k == "organisation" else k): v for k, v in exc.errors.items()}) from None


def _user_snapshot(user: User) -> dict:
    return {"name": user.name, "role": str(user.role), "organisations": sorted(o.name for o in user.organisations)}


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
    user.role = data.role.value
    user.organisations = organisations
    changed = changes(before, _user_snapshot(user))
    if changed:
        session.flush()
        details: dict = dict(changed)
        if "role" in changed:
            # New permissions take effect at the next sign-in, not half-way through a session.
            details["sessions_ended"] = revoke_all_sessions(session, user.id)
        record(session, actor, Verb.UPDATED, "user", user.id, details=details)
    if user.is_active != data.active:
        changed["active"] = {"from": user.is_active, "to": data.active}
        set_active(session, actor, user, data.active)
    return changed


def sign_in_locked_until(session: Session, user: User) -> datetime | None:
    """When the lock on the account's sign-in (after repeated failures) runs out, if locked now."""
    return throttle.locked_until(session, [throttle.email_key(user.email)])


def unlock_sign_in(session: Session, actor: Actor, user_id: int) -> None:
    user = get_user(session, user_id)
    auth_unlock_sign_in(session, actor, user.email)


def list_users(session: Session) -> list[User]:
    return repository.users_with_organisations(session)


def organisation_options(session: Session) -> list[tuple[int, str]]:
    return [(o.id, o.name) for o in org_repository.all_by_name(session)]


# ---------------------------------------------------------------------------------------------
# Settings


def reporting_year_start_month(session: Session) -> int:
    return settings_service.reporting_year_start_month(session)


def set_reporting_year_start_month(session: Session, actor: Actor, month: int) -> dict:
    before = settings_service.reporting_year_start_month(session)
    changed = changes({"value": before}, {"value": month})
    if changed:
        settings_repository.set_value(session, START_MONTH_KEY, month)
        session.flush()
        record(session, actor, Verb.UPDATED, "setting", START_MONTH_KEY, details=changed)
    return changed


def child_populations(session: Session) -> list[ChildPopulation]:
    return settings_repository.child_populations(session)


def set_child_population(session: Session, actor: Actor, data: ChildPopulationForm) -> str:
    """Adds the figure for a year, or replaces the one already held for it. Returns what it did."""
    row = repository.get_child_population(session, data.from_year)
    if row is None:
        session.add(ChildPopulation(from_year=data.from_year, population=data.population))
        session.flush()
        record(session, actor, Verb.CREATED, "child_population", data.from_year,
               details={"from_year": data.from_year, "population": data.population})
        return "added"
    changed = changes({"population": row.population}, {"population": data.population})
    if changed:
        row.population = data.population
        session.flush()
        record(session, actor, Verb.UPDATED, "child_population", data.from_year, details=changed)
        return "replaced"
    return "unchanged"


# ---------------------------------------------------------------------------------------------
# Audit search (reading the audit is not itself audited)


@dataclass
class AuditPage:
    events: list[AuditEvent]
    page: int
    has_next: bool


def _london_midnight(day) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def resolve_audit_filters(session: Session, form: AuditFilterForm) -> audit_repository.AuditQuery:
    """Turns what the administrator typed into ids and UTC instants; days are London days."""
    errors: dict[str, str] = {}
    actor_id = case_id = None
    if form.user:
        actor_id = audit_repository.user_id_for(session, form.user)
        if actor_id is None:
            errors["user"] = "No user has this e-mail address"
    if form.case:
        case_id = audit_repository.case_id_for(session, form.case)
        if case_id is None:
            errors["case"] = "No case has this reference or number"
    if form.date_from and form.date_to and form.date_to < form.date_from:
        errors["date_to"] = "The to date must be the same as or after the from date"
    if errors:
        raise ValidationFailed(errors)
    since = _london_midnight(form.date_from) if form.date_from else None
    before = _london_midnight(form.date_to + timedelta(days=1)) if form.date_to else None
    return audit_repository.AuditQuery(actor_id=actor_id, case_id=case_id, since=since, before=before,
                                       verb=form.verb.value if form.verb else None)


def search_audit(session: Session, query: audit_repository.AuditQuery, page: int) -> AuditPage:
    rows = audit_repository.search(session, query, offset=(page - 1) * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE + 1)
    return AuditPage(events=rows[:AUDIT_PAGE_SIZE], page=page, has_next=len(rows) > AUDIT_PAGE_SIZE)
