"""Every query of strands and suspension. Callers pass a case already loaded through the case
scope (app.cases.service.get_case); these queries never return another case's rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

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
