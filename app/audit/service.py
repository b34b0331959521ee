"""Recording what happened. `record` adds the row to the caller's transaction, so a change and
its audit row are committed, or rolled back, together."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import AuditEvent, Verb
from app.auth.models import User
from app.context import Actor


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


def record(
    session: Session,
    actor: Actor | None,
    verb: Verb,
    object_type: str,
    object_id: Any = None,
    *,
    case_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    user: User | None = actor.user if actor else None
    event = AuditEvent(
        actor_id=user.id if user else None,
        actor_label=actor.label if actor else "anonymous",
        ip=actor.ip if actor else None,
        verb=verb.value,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        case_id=case_id,
        details=_jsonable(details or {}),
    )
    session.add(event)
    return event


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field -> {"from": old, "to": new} for the fields that differ."""
    return {
        k: {"from": _jsonable(before.get(k)), "to": _jsonable(after.get(k))}
        for k in after
        if before.get(k) != after.get(k)
    }
