"""Organisations (employers and other bodies). One row per name: names that differ only in case
or spacing are the same organisation (`name_key`)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.organisations import repository
from app.organisations.models import Organisation, name_key
from app.organisations.schemas import OrganisationForm
from app.reference import repository as reference_repository
from app.reference.models import Sector
from app.reference.service import require_active

MAX_NAME = 200


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


def _check_name(name: str, field: str = "name") -> None:
    if not name:
        raise ValidationFailed({field: "Enter the organisation's name"})
    if len(name) > MAX_NAME:
        raise ValidationFailed({field: f"The organisation's name must be {MAX_NAME} characters or fewer"})


def get(session: Session, organisation_id: int) -> Organisation:
    org = repository.get(session, organisation_id)
    if org is None:
        raise NotFound("There is no such organisation")
    return org


def search(session: Session, q: str, limit: int = 20) -> list[Organisation]:
    """Organisations whose name contains q, names starting with it first."""
    return repository.search(session, (q or "")[:MAX_NAME], limit=max(1, min(limit, 100)))


def find_or_create(session: Session, actor: Actor | None, name: str, sector_code: str | None) -> Organisation:
    """The organisation of that name (ignoring case and spacing), or a new one in sector_code.
    An existing organisation keeps its own sector; only a new one is audited."""
    name = _clean_name(name)
    _check_name(name, "organisation_name")
    existing = repository.get_by_name(session, name)
    if existing is not None:
        return existing
    if sector_code:
        require_active(session, Sector, sector_code, "sector_code")
    org = Organisation(name=name, name_key=name_key(name), sector_code=sector_code or None)
    if not _insert(session, org):
        # Someone else added the same name a moment ago (two referrals at once): use theirs.
        existing = repository.get_by_name(session, name)
        if existing is None:  # pragma: no cover - the conflict was on something else
            raise ValidationFailed({"organisation_name": "The organisation could not be saved. Try again"})
        return existing
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.ORGANISATION,
        org.id,
        details={"name": org.name, "sector_code": org.sector_code},
    )
    return org


def _insert(session: Session, org: Organisation) -> bool:
    """Adds the row inside a savepoint; False when its name is taken by a row added concurrently
    (the unique name_key is the arbiter, so two requests never make two organisations)."""
    try:
        with session.begin_nested():
            session.add(org)
            session.flush()
    except IntegrityError:
        return False
    return True


def _validate(session: Session, data: OrganisationForm, current: Organisation | None) -> str:
    name = _clean_name(data.name)
    errors: dict[str, str] = {}
    try:
        _check_name(name)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    else:
        clash = repository.get_by_name(session, name)
        if clash is not None and (current is None or clash.id != current.id):
            errors["name"] = "An organisation with this name already exists"
    unchanged_sector = current is not None and current.sector_code == data.sector_code
    if not unchanged_sector:
        try:
            require_active(session, Sector, data.sector_code, "sector_code")
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return name


def create(session: Session, actor: Actor, data: OrganisationForm) -> Organisation:
    name = _validate(session, data, None)
    org = Organisation(name=name, name_key=name_key(name), sector_code=data.sector_code)
    if not _insert(session, org):
        raise ValidationFailed({"name": "An organisation with this name already exists"})
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.ORGANISATION,
        org.id,
        details={"name": org.name, "sector_code": org.sector_code},
    )
    return org


def update(session: Session, actor: Actor, organisation_id: int, data: OrganisationForm) -> dict:
    """Renames or re-sectors an organisation. Returns the changed fields (audited when any)."""
    org = get(session, organisation_id)
    name = _validate(session, data, org)
    before = {"name": org.name, "sector_code": org.sector_code}
    org.name = name
    org.name_key = name_key(name)
    if data.sector_code != org.sector_code:
        org.sector = (
            reference_repository.get_item(session, Sector, data.sector_code) if data.sector_code else None
        )
        org.sector_code = data.sector_code
    changed = changes(before, {"name": org.name, "sector_code": org.sector_code})
    if changed:
        session.flush()
        record(session, actor, Verb.UPDATED, ObjectType.ORGANISATION, org.id, details=changed)
    return changed


def page(
    session: Session, *, q: str = "", page_number: int = 1, per_page: int = 25
) -> tuple[list[Organisation], int]:
    return repository.page(session, q=q, offset=(page_number - 1) * per_page, limit=per_page)


def organisation_options(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every organisation, by name, for a form's choices."""
    return [(o.id, o.name) for o in repository.all_by_name(session)]
