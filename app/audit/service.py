"""Recording what happened. `record` adds the row to the caller's transaction, so a change and
its audit row are committed, or rolled back, together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from app.audit import repository
from app.audit.models import AuditEvent, ObjectType, Verb
from app.audit.schemas import AuditFilterForm
from app.cases import repository as cases_repository
from app.clock import LONDON, utcnow
from app.context import Actor
from app.errors import ValidationFailed
from app.orm import at_commit
from app.users import repository as users_repository
from app.users.models import User

AUDIT_PAGE_SIZE = 50
#: The verbs that record a read, not a change.
READS = frozenset({Verb.VIEWED, Verb.EXPORTED})


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def event_values(
    actor: Actor | None,
    verb: Verb,
    object_type: ObjectType,
    object_id: Any = None,
    *,
    case_id: int | None = None,
    details: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> dict[str, Any]:
    """The columns of one audit row: every event is made here, one at a time (record) or many at
    once (the importer's bulk insert)."""
    user: User | None = actor.user if actor else None
    return {
        "occurred_at": occurred_at or utcnow(),
        "actor_id": user.id if user else None,
        "actor_label": actor.label if actor else "anonymous",
        "ip": actor.ip if actor else None,
        "verb": Verb(verb).value,
        "object_type": ObjectType(object_type).value,
        "object_id": None if object_id is None else str(object_id),
        "case_id": case_id,
        "details": _jsonable(details or {}),
    }


def record(
    session: Session,
    actor: Actor | None,
    verb: Verb,
    object_type: ObjectType,
    object_id: Any = None,
    *,
    case_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the caller's transaction. A view or an export (a read) is added as
    the transaction commits (see `at_commit`), so the reads after it never wait behind a write."""
    event = AuditEvent(**event_values(actor, verb, object_type, object_id, case_id=case_id, details=details))
    if Verb(verb) in READS:
        at_commit(session, lambda: session.add(event))
    else:
        session.add(event)
    return event


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field -> {"from": old, "to": new} for the fields that differ."""
    return {
        k: {"from": _jsonable(before.get(k)), "to": _jsonable(after.get(k))}
        for k in after
        if before.get(k) != after.get(k)
    }


@dataclass
class AuditPage:
    events: list[AuditEvent]
    page: int
    has_next: bool


def _london_midnight(day) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def resolve_audit_filters(session: Session, form: AuditFilterForm) -> repository.AuditQuery:
    """Turns what the administrator typed into ids and UTC instants; days are London days."""
    errors: dict[str, str] = {}
    actor_id = case_id = None
    if form.user:
        user = users_repository.get_user_by_email(session, form.user)
        actor_id = user.id if user else None
        if actor_id is None:
            errors["user"] = "No user has this e-mail address"
    if form.case:
        case_id = cases_repository.case_id_for(session, form.case)
        if case_id is None:
            errors["case"] = "No case has this reference or number"
    if form.date_from and form.date_to and form.date_to < form.date_from:
        errors["date_to"] = "The to date must be the same as or after the from date"
    if errors:
        raise ValidationFailed(errors)
    since = _london_midnight(form.date_from) if form.date_from else None
    before = _london_midnight(form.date_to + timedelta(days=1)) if form.date_to else None
    return repository.AuditQuery(
        actor_id=actor_id,
        case_id=case_id,
        since=since,
        before=before,
        verb=form.verb.value if form.verb else None,
    )


def search_audit(session: Session, query: repository.AuditQuery, page: int) -> AuditPage:
    rows = repository.search(session, query, offset=(page - 1) * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE + 1)
    return AuditPage(events=rows[:AUDIT_PAGE_SIZE], page=page, has_next=len(rows) > AUDIT_PAGE_SIZE)
