"""Every query of consultations; cases are read through the case scope (`visible_cases`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from app.cases.models import Case, CaseStatus
from app.cases.repository import visible_cases
from app.consultations.models import Consultation
from app.context import Actor


def get_visible(session: Session, actor: Actor, case_id: int) -> tuple[Case, Consultation] | None:
    """The case and its consultation row, if the case began as a consultation and the actor may
    see it (an HR liaison sees none: the scope gives them no case)."""
    row = session.execute(
        visible_cases(actor)
        .add_columns(Consultation)
        .join(Consultation, Consultation.case_id == Case.id)
        .where(Case.id == case_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


def of_case(session: Session, case_id: int) -> Consultation | None:
    """The consultation row of a case already read through the scope."""
    return session.get(Consultation, case_id)


def recent(session: Session, actor: Actor, limit: int, *, pending_only: bool = True) -> Sequence[Case]:
    """The latest consultations the actor may see, newest first (those still consultations, or
    every one that began as a consultation)."""
    stmt = visible_cases(actor).join(Consultation, Consultation.case_id == Case.id)
    if pending_only:
        stmt = stmt.where(Case.status == CaseStatus.CONSULTATION.value)
    return session.scalars(stmt.order_by(Case.received_on.desc(), Case.id.desc()).limit(limit)).all()


# ---- predicates for the annual report (app/reports/further.py) ---------------------------------


def consultation_as_at(as_at: date) -> ColumnElement[bool]:
    """The case began as a consultation and had not become a referral by `as_at`."""
    pending = select(Consultation.case_id).where(
        or_(Consultation.converted_on.is_(None), Consultation.converted_on > as_at)
    )
    return Case.id.in_(pending)


def clocks_start_meets(condition: Callable[[Any], ColumnElement[bool]]) -> ColumnElement[bool]:
    """`condition` holds for the day the case's statutory clocks started (clocks_start in
    app/clocks/service.py): the day it became a referral, for a consultation that did; the day
    it was received, for any other case."""
    converted = select(Consultation.case_id).where(Consultation.converted_on.is_not(None))
    return or_(
        and_(Case.id.not_in(converted), condition(Case.received_on)),
        exists().where(
            Consultation.case_id == Case.id,
            Consultation.converted_on.is_not(None),
            condition(Consultation.converted_on),
        ),
    )
