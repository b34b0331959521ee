"""What the cases of one incident share: the summary and the children.

A change to them on one case is made, in the same transaction, to every other case of its
incident that the officer may see, each audited on its own case with the case it was made on
(`shared_from`). A case the officer may not see (restricted, and not theirs) is left as it is:
no write ever reaches a case outside the writer's scope. The copies of one child are found by
their `shared_key`.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases import rules
from app.cases.models import Case, Child
from app.context import Actor
from app.incidents import repository

CHILD_FIELDS = ("initials", "age", "gender")


def new_key() -> str:
    return uuid.uuid4().hex


def _audit(session: Session, actor: Actor, other: Case, source: Case, details: dict[str, Any]) -> None:
    rules.touch(other)
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE,
        other.id,
        case_id=other.id,
        details={**details, "shared_from": source.reference},
    )


def share_summary(session: Session, actor: Actor, case: Case) -> list[Case]:
    """The case's summary on every other case of its incident; the cases changed."""
    changed = []
    for other in repository.others_of(session, actor, case):
        if other.summary != case.summary:
            before, other.summary = other.summary, case.summary
            _audit(session, actor, other, case, {"summary": {"from": before, "to": case.summary}})
            changed.append(other)
    return changed


def _copies(other: Case, key: str | None) -> list[Child]:
    return [c for c in other.children if key is not None and c.shared_key == key]


def share_child_added(session: Session, actor: Actor, case: Case, child: Child, reason: str) -> None:
    """A child added to one case of an incident is added to the others."""
    if case.incident_id is None:
        return
    child.shared_key = child.shared_key or new_key()
    facts = {f: getattr(child, f) for f in CHILD_FIELDS}
    for other in repository.others_of(session, actor, case):
        if _copies(other, child.shared_key):
            continue
        copy = Child(**facts, shared_key=child.shared_key)
        other.children.append(copy)
        session.flush()
        _audit(
            session,
            actor,
            other,
            case,
            {"step": "child_added", "reason": reason, "child_id": copy.id, **facts},
        )


def share_child_corrected(
    session: Session, actor: Actor, case: Case, child: Child, details: dict[str, Any], reason: str
) -> None:
    """A child corrected on one case of an incident is corrected on the others."""
    if case.incident_id is None or child.shared_key is None:
        return
    for other in repository.others_of(session, actor, case):
        for copy in _copies(other, child.shared_key):
            if all(getattr(copy, f) == getattr(child, f) for f in CHILD_FIELDS):
                continue
            step = {"step": "child_corrected", "reason": reason, "child_id": copy.id}
            facts = {f: {"from": getattr(copy, f), "to": getattr(child, f)} for f in details}
            for f in CHILD_FIELDS:
                setattr(copy, f, getattr(child, f))
            _audit(session, actor, other, case, {**step, **facts})


def share_child_removed(
    session: Session, actor: Actor, case: Case, key: str | None, facts: dict[str, Any], reason: str
) -> None:
    """A child removed from one case of an incident is removed from the others."""
    if case.incident_id is None or key is None:
        return
    for other in repository.others_of(session, actor, case):
        for copy in _copies(other, key):
            copy_id = copy.id
            other.children.remove(copy)
            _audit(
                session,
                actor,
                other,
                case,
                {"step": "child_removed", "reason": reason, "child_id": copy_id, **facts},
            )
