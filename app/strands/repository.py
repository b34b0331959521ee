"""Every query of strands and suspension. Callers pass a case already loaded through the case
scope (app.cases.service.get_case); these queries never return another case's rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from app.cases.models import Case
from app.reference.models import Disposal
from app.strands.models import CaseStrand, StrandChange, Suspension


def strands_of(session: Session, case_id: int) -> dict[str, CaseStrand]:
    rows = session.scalars(select(CaseStrand).where(CaseStrand.case_id == case_id))
    return {row.kind: row for row in rows}


def strand_of(session: Session, case_id: int, kind: str) -> CaseStrand | None:
    return session.scalar(select(CaseStrand).where(CaseStrand.case_id == case_id, CaseStrand.kind == kind))


def changes_of(session: Session, case_id: int) -> list[StrandChange]:
    """Every change of the case's strands, in the order recorded."""
    return list(
        session.scalars(select(StrandChange).where(StrandChange.case_id == case_id).order_by(StrandChange.id))
    )


def strands_as_at(session: Session, case_id: int, day: date) -> dict[str, StrandChange]:
    """Each strand as it stood on `day`: its last change in effect by then (the latest status
    date on or before `day`, the last recorded of those)."""
    found: dict[str, StrandChange] = {}
    stmt = (
        select(StrandChange)
        .where(StrandChange.case_id == case_id, StrandChange.status_on <= day)
        .order_by(StrandChange.status_on, StrandChange.id)
    )
    for change in session.scalars(stmt):
        found[change.kind] = change
    return found


def suspension_of(session: Session, case_id: int) -> Suspension | None:
    return session.get(Suspension, case_id)


def disposal_labels(session: Session, keep: str | None = None) -> dict[str, str]:
    """The disposals an employer strand may end with: the active ones, and `keep` (the current)."""
    stmt = (
        select(Disposal)
        .where(Disposal.active.is_(True) | (Disposal.code == (keep or "")))
        .order_by(Disposal.display_order, Disposal.code)
    )
    return {d.code: d.label for d in session.scalars(stmt)}


def all_disposal_labels(session: Session) -> dict[str, str]:
    return {d.code: d.label for d in session.scalars(select(Disposal))}


# ---- predicates for the annual report (app/reports/further.py) ---------------------------------


def _in_effect(kind: str, as_at: date) -> tuple[Any, list[ColumnElement[bool]]]:
    """Each case's change of its `kind` strand in effect on `as_at` (as strands_as_at reads it:
    the latest status date on or before `as_at`, the last recorded of those), and the conditions
    that pick it out."""
    change, later = aliased(StrandChange, name="change"), aliased(StrandChange, name="later_change")
    newer = exists().where(
        later.case_id == change.case_id,
        later.kind == kind,
        later.status_on <= as_at,
        or_(
            later.status_on > change.status_on,
            and_(later.status_on == change.status_on, later.id > change.id),
        ),
    )
    return change, [change.kind == kind, change.status_on <= as_at, ~newer]


def strand_outcome_as_at(kind: str, outcome: str | None, as_at: date) -> ColumnElement[bool]:
    """The case's `kind` strand had the outcome `outcome` on `as_at` (None: no outcome then): the
    outcome of the change in effect, from its outcome date."""
    change, where = _in_effect(kind, as_at)
    dated = or_(change.outcome_on.is_(None), change.outcome_on <= as_at)
    if outcome is None:
        return Case.id.not_in(select(change.case_id).where(*where, change.outcome_code.is_not(None), dated))
    return Case.id.in_(select(change.case_id).where(*where, change.outcome_code == outcome, dated))


def suspension_as_at(decision: str | None, as_at: date) -> ColumnElement[bool]:
    """The suspension decision recorded on the case is `decision`, decided on or before `as_at`
    (None: no decision by then). The record holds the current decision only: one changed after
    `as_at` is read as it is now."""
    decided = select(Suspension.case_id).where(
        Suspension.decision.is_not(None),
        or_(Suspension.decided_on.is_(None), Suspension.decided_on <= as_at),
    )
    if decision is None:
        return Case.id.not_in(decided)
    return Case.id.in_(decided.where(Suspension.decision == decision))
