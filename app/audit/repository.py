"""Queries over the audit trail (read-only: audit rows are never updated or deleted)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditQuery:
    """Resolved filters: ids and UTC instants (from inclusive, before exclusive)."""

    actor_id: int | None = None
    case_id: int | None = None
    since: datetime | None = None
    before: datetime | None = None
    verb: str | None = None


def search(session: Session, query: AuditQuery, *, offset: int = 0, limit: int = 50) -> list[AuditEvent]:
    """Matching events, newest first. Ask for one more than a page to learn whether another follows."""
    stmt = select(AuditEvent)
    if query.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == query.actor_id)
    if query.case_id is not None:
        stmt = stmt.where(AuditEvent.case_id == query.case_id)
    if query.since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= query.since)
    if query.before is not None:
        stmt = stmt.where(AuditEvent.occurred_at < query.before)
    if query.verb is not None:
        stmt = stmt.where(AuditEvent.verb == query.verb)
    stmt = stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).offset(offset).limit(limit)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class EventPattern:
    """A kind of audit row, by what it is about: its object type(s), and optionally its verbs,
    the `step` its details name, or a key its details hold. Matched the same way in Python
    (`matches`, on rows already read) and in SQL (`first_match`, to read only those rows)."""

    object_types: tuple[str, ...]
    verbs: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    key: str | None = None

    def matches(self, event: AuditEvent) -> bool:
        details = event.details or {}
        return (
            event.object_type in self.object_types
            and (not self.verbs or event.verb in self.verbs)
            and (not self.steps or details.get("step") in self.steps)
            and (self.key is None or details.get(self.key) is not None)
        )

    def condition(self) -> ColumnElement[bool]:
        parts = [AuditEvent.object_type.in_(self.object_types)]
        if self.verbs:
            parts.append(AuditEvent.verb.in_(self.verbs))
        if self.steps:
            # coalesce: a row without a step must be false here, not NULL (NOT NULL is NULL too)
            parts.append(func.coalesce(AuditEvent.details["step"].as_string(), "").in_(self.steps))
        if self.key is not None:
            parts.append(AuditEvent.details[self.key].as_string().is_not(None))
        return and_(*parts)


def first_match(rules: Sequence[tuple[str, EventPattern]], kinds: Collection[str]) -> ColumnElement[bool]:
    """The rows whose first matching rule (in order, as `kind_of` reads them) is of one of `kinds`."""
    chosen = []
    for n, (kind, pattern) in enumerate(rules):
        if kind in kinds:
            earlier = [p.condition() for _, p in rules[:n]]
            chosen.append(and_(pattern.condition(), *(not_(c) for c in earlier)))
    return or_(*chosen) if chosen else false()


def kind_of(rules: Sequence[tuple[str, EventPattern]], event: AuditEvent, default: str = "") -> str:
    return next((kind for kind, pattern in rules if pattern.matches(event)), default)
