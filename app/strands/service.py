"""Strands and suspension of a case. Services validate, change and audit in the caller's
transaction; the case has already been loaded through the case scope.

Rules:
- Each strand (police, children's social care, employer) has a status and, once under way or
  concluded, may have an outcome; each carries the date it took effect, not in the future nor
  before the case was received. A concluded strand has an outcome other than "ongoing".
- The police and social care outcomes are fixed vocabularies; the employer's outcome is one of
  the disposals (an inactive one only if the strand already has it). The police outcome is not an
  employer's disposal: nothing here changes the case's disposals.
- Every change of a strand is appended to its history (effective date, by whom, when recorded)
  and audited on the case; a form loaded before another change of the same strand gets 409.
- Suspension is never automatic: once considered, the decision, its reasons, who decided and when
  are required, and a decision to suspend names the alternatives considered. Only a suspension
  has dates of start, review and end (review and end on or after the start). Not considered: no
  decision nor dates. Each change is audited with what changed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases.models import Case
from app.context import Actor
from app.errors import Conflict, ValidationFailed
from app.strands import repository
from app.strands.models import FIXED_OUTCOMES, CaseStrand, StrandChange, StrandKind, Suspension
from app.strands.schemas import StrandUpdate, SuspensionUpdate, suspension_problems

STRAND_FIELDS = ("status", "status_on", "outcome_code", "outcome_on", "notes")
SUSPENSION_FIELDS = (
    "considered",
    "considered_on",
    "alternatives",
    "decision",
    "reasons",
    "decided_by",
    "decided_on",
    "started_on",
    "reviewed_on",
    "ended_on",
)
STALE = (
    "Someone else changed this after you opened it. Your changes have not been saved: check it as "
    "it is now, then enter your changes again (what you typed is shown below)."
)


def outcome_labels(session: Session, kind: StrandKind, keep: str | None = None) -> dict[str, str]:
    """The outcomes a strand of `kind` may have (the employer's: the disposals)."""
    if kind in FIXED_OUTCOMES:
        return FIXED_OUTCOMES[kind]
    return repository.disposal_labels(session, keep)


def _not_before_received(case: Case, values: dict[str, Any], labels: dict[str, str]) -> dict[str, str]:
    return {
        field: f"The {label} must be on or after the date received ({case.received_on:%-d %B %Y})"
        for field, label in labels.items()
        if values.get(field) is not None and values[field] < case.received_on
    }


def _snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: (v.value if hasattr(v, "value") else v) for f in fields if (v := getattr(row, f)) is not None}


def update_strand(
    session: Session, actor: Actor, case: Case, kind: StrandKind, data: StrandUpdate
) -> CaseStrand:
    strand = repository.strand_of(session, case.id, kind.value)
    if data.version is not None and (strand is None or data.version != strand.version):
        raise Conflict(STALE)
    values = data.model_dump()
    errors = _not_before_received(
        case, values, {"status_on": "date of the status", "outcome_on": "date of the outcome"}
    )
    keep = strand.outcome_code if strand is not None else None
    if data.outcome_code is not None and data.outcome_code not in outcome_labels(session, kind, keep):
        errors["outcome_code"] = "Select the outcome from the list"
    if errors:
        raise ValidationFailed(errors)
    before = {f: getattr(strand, f) for f in STRAND_FIELDS} if strand is not None else {}
    by_id = actor.user.id if actor.user else None
    if strand is None:
        strand = CaseStrand(case_id=case.id, kind=kind.value)
        session.add(strand)
    for field in STRAND_FIELDS:
        setattr(strand, field, getattr(data, field).value if field == "status" else getattr(data, field))
    strand.updated_by_id = by_id
    after = {f: getattr(strand, f) for f in STRAND_FIELDS}
    if before == after:
        return strand  # nothing changed: no history row, no audit
    session.add(StrandChange(case_id=case.id, kind=kind.value, by_id=by_id, **after))
    session.flush()
    details = {
        "strand": kind.value,
        **(changes(before, after) if before else _snapshot(strand, STRAND_FIELDS)),
    }
    if kind == StrandKind.EMPLOYER and "outcome_code" in details:  # the disposals' labels name it
        details["disposal_code"] = details.pop("outcome_code")
    record(
        session,
        actor,
        Verb.UPDATED if before else Verb.CREATED,
        ObjectType.CASE_STRAND,
        strand.id,
        case_id=case.id,
        details=details,
    )
    return strand


def update_suspension(session: Session, actor: Actor, case: Case, data: SuspensionUpdate) -> Suspension:
    suspension = repository.suspension_of(session, case.id)
    if data.version is not None and (suspension is None or data.version != suspension.version):
        raise Conflict(STALE)
    errors = suspension_problems(data)
    for field, message in _not_before_received(
        case, data.model_dump(), {"considered_on": "date suspension was considered"}
    ).items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationFailed(errors)
    before = {f: getattr(suspension, f) for f in SUSPENSION_FIELDS} if suspension is not None else {}
    if suspension is None:
        suspension = Suspension(case_id=case.id)
        session.add(suspension)
    for field in SUSPENSION_FIELDS:
        value = getattr(data, field)
        setattr(suspension, field, value.value if hasattr(value, "value") else value)
    suspension.updated_by_id = actor.user.id if actor.user else None
    after = {f: getattr(suspension, f) for f in SUSPENSION_FIELDS}
    if before == after:
        return suspension
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED if before else Verb.CREATED,
        ObjectType.SUSPENSION,
        case.id,
        case_id=case.id,
        details=changes(before, after) if before else _snapshot(suspension, SUSPENSION_FIELDS),
    )
    return suspension
