"""Every query of areas, transfers and notifications. Each takes a case the caller has already
read through the case scope (`cases.service.get_case`), so none of them reads cases itself."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, not_, select
from sqlalchemy.orm import Session

from app.areas.models import CaseAreas, CaseTransfer, LadoNotification, TransferDirection
from app.cases.models import Case


def areas_of(session: Session, case: Case) -> CaseAreas | None:
    return session.get(CaseAreas, case.id)


def transfers_of(session: Session, case: Case) -> list[CaseTransfer]:
    """The case's transfers, oldest first."""
    stmt = select(CaseTransfer).where(CaseTransfer.case_id == case.id).order_by(CaseTransfer.id)
    return list(session.scalars(stmt))


def notifications_of(session: Session, case: Case) -> list[LadoNotification]:
    """The other LADOs told about the case, oldest first."""
    stmt = select(LadoNotification).where(LadoNotification.case_id == case.id).order_by(LadoNotification.id)
    return list(session.scalars(stmt))


# ---- predicates for the annual report (app/reports/figures.py) ---------------------------------


def transferred_out_by(as_at: date) -> ColumnElement[bool]:
    """The case was transferred to another LADO on or before `as_at`."""
    out = select(CaseTransfer.case_id).where(
        CaseTransfer.direction == TransferDirection.OUT.value, CaseTransfer.transferred_on <= as_at
    )
    return Case.id.in_(out)


def transferred_in_by(as_at: date) -> ColumnElement[bool]:
    """The case was received from another LADO on or before `as_at`."""
    received = select(CaseTransfer.case_id).where(
        CaseTransfer.direction == TransferDirection.IN.value, CaseTransfer.transferred_on <= as_at
    )
    return Case.id.in_(received)


def led_here_at(as_at: date) -> ColumnElement[bool]:
    """This LADO led the case on `as_at`: not transferred out by then, and not recorded as led by
    another LADO (other than through a transfer out after `as_at`)."""
    ever_out = select(CaseTransfer.case_id).where(CaseTransfer.direction == TransferDirection.OUT.value)
    led_elsewhere = select(CaseAreas.case_id).where(
        CaseAreas.led_here.is_(False), CaseAreas.case_id.not_in(ever_out)
    )
    return and_(not_(transferred_out_by(as_at)), Case.id.not_in(led_elsewhere))


def referred_by(agency_code: str | None) -> ColumnElement[bool]:
    """The referrer's agency is `agency_code` (None: not recorded, or no areas row at all)."""
    if agency_code is None:
        recorded = select(CaseAreas.case_id).where(CaseAreas.referrer_agency_code.is_not(None))
        return Case.id.not_in(recorded)
    return Case.id.in_(select(CaseAreas.case_id).where(CaseAreas.referrer_agency_code == agency_code))


def non_recent_is(value: bool | None) -> ColumnElement[bool]:
    """Whether the allegation is non-recent is `value` (None: not recorded)."""
    if value is None:
        recorded = select(CaseAreas.case_id).where(CaseAreas.non_recent.is_not(None))
        return Case.id.not_in(recorded)
    return Case.id.in_(select(CaseAreas.case_id).where(CaseAreas.non_recent.is_(value)))
