"""Areas, the lead LADO, transfers and notifications of a case.

Rules:
- Only LADO officers record these (the routes' guard); the case is read through the case scope
  first, so a restricted case is reachable only by the officers named on it.
- The referrer's agency is an active referrer-agency code (an inactive one already on the case
  may stay); another LADO leads only with its name.
- A transfer out is a step of an open or threshold-met case: the case is closed here with the
  status `transferred` (never NFA, never concluded: the annual report counts it as transferred),
  the receiving LADO becomes the lead LADO, and the transfer is dated on or after the case was
  received. A transferred case is closed for good: if it comes back, it is a new transfer in.
- A transfer in records the LADO the case came from and its reference; a case transferred out
  cannot take one.
- Every change writes an audit event on the case (its chronology) in the same transaction, and
  bumps the case's version (a form loaded before gets 409).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.areas import repository
from app.areas.models import CaseAreas, CaseTransfer, LadoNotification, TransferDirection
from app.areas.schemas import (
    AreasFields,
    AreasUpdate,
    NewCaseAreas,
    NotificationCreate,
    TransferIn,
    TransferOut,
)
from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases import rules
from app.cases import service as cases
from app.cases.models import Case, CaseStatus
from app.cases.schemas import CaseCreate
from app.context import Actor
from app.errors import InvalidTransition, ValidationFailed
from app.reference.models import ReferrerAgency

#: The fields of `case_areas` an officer records, in the order of the form.
FIELDS = (
    "referrer_agency_code",
    "work_area",
    "home_area",
    "incident_area",
    "led_here",
    "lead_lado",
    "incident_from",
    "incident_to",
    "incident_period",
    "non_recent",
)


def snapshot(areas: CaseAreas | None) -> dict[str, Any]:
    if areas is None:
        return {}
    return {f: getattr(areas, f) for f in FIELDS}


def _check(session: Session, data: AreasFields, current: CaseAreas | None) -> None:
    errors: dict[str, str] = {}
    keep = current.referrer_agency_code if current is not None else None
    rules.check_code(
        session,
        ReferrerAgency,
        data.referrer_agency_code,
        "referrer_agency_code",
        errors,
        allow_inactive=keep,
    )
    if errors:
        raise ValidationFailed(errors)


def _apply(areas: CaseAreas, data: AreasFields) -> None:
    for name in FIELDS:
        setattr(areas, name, getattr(data, name))
    areas.referrer_agency_code = data.referrer_agency_code or None
    areas.lead_lado = "" if data.led_here else data.lead_lado


def _areas_for(session: Session, case: Case) -> CaseAreas:
    areas = repository.areas_of(session, case)
    if areas is None:
        areas = CaseAreas(case_id=case.id, led_here=True)
        session.add(areas)
    return areas


def record_areas(session: Session, actor: Actor, case: Case, data: AreasUpdate) -> dict[str, Any]:
    """Record or change the case's areas, lead LADO, incident dates and referrer's agency; returns
    the changed fields (nothing changed: nothing audited, the version stays)."""
    rules.expect_version(case, data.version)
    current = repository.areas_of(session, case)
    _check(session, data, current)
    before = snapshot(current)
    areas = _areas_for(session, case)
    _apply(areas, data)
    changed = changes(before, snapshot(areas))
    if changed:
        rules.touch(case)
        session.flush()
        record(session, actor, Verb.UPDATED, ObjectType.CASE_AREAS, case.id, case_id=case.id, details=changed)
    return changed


def open_case(
    session: Session,
    actor: Actor,
    data: CaseCreate,
    areas_data: NewCaseAreas,
    *,
    incident_id: int | None = None,
    child_keys: list[str] | None = None,
) -> Case:
    """Record a new contact or referral (cases.service.open_case) with its areas and, when it came
    from another LADO, its transfer in. The same submission twice gives the first case back."""
    _check(session, areas_data, None)
    case = cases.open_case(session, actor, data, incident_id=incident_id, child_keys=child_keys)
    if repository.areas_of(session, case) is not None:  # a replayed submission
        return case
    areas = CaseAreas(case_id=case.id)
    _apply(areas, areas_data)
    session.add(areas)
    session.flush()
    details = {k: v for k, v in changes({}, snapshot(areas)).items() if v["to"] not in ("", None, True)}
    if details:
        record(session, actor, Verb.CREATED, ObjectType.CASE_AREAS, case.id, case_id=case.id, details=details)
    if areas_data.received_from_lado:
        _add_transfer(
            session,
            actor,
            case,
            TransferDirection.IN,
            areas_data.received_from_lado,
            case.received_on,
            areas_data.received_from_reference,
            "",
        )
    return case


def _add_transfer(
    session: Session,
    actor: Actor,
    case: Case,
    direction: TransferDirection,
    other_lado: str,
    on: Any,
    reference: str,
    reason: str,
    previous_status: str | None = None,
) -> CaseTransfer:
    transfer = CaseTransfer(
        case_id=case.id,
        direction=direction.value,
        other_lado=other_lado,
        transferred_on=on,
        other_reference=reference,
        reason=reason,
        previous_status=previous_status,
        by_id=actor.user.id if actor.user else None,
    )
    session.add(transfer)
    session.flush()
    details: dict[str, Any] = {
        "direction": direction.value,
        "other_lado": other_lado,
        "transferred_on": on,
        "other_reference": reference,
        "reason": reason,
    }
    if previous_status is not None:
        details["status"] = {"from": previous_status, "to": case.status}
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.CASE_TRANSFER,
        transfer.id,
        case_id=case.id,
        details={k: v for k, v in details.items() if v not in ("", None)},
    )
    return transfer


def transfer_out(session: Session, actor: Actor, case: Case, data: TransferOut) -> CaseTransfer:
    """Close the case here as transferred to another LADO, which leads it from then on."""
    rules.require_step(case, "transfer_out")
    rules.expect_version(case, data.version)
    if data.transferred_on < case.received_on:
        raise ValidationFailed(
            {"transferred_on": "The date of the transfer must be the same as or after the date received"}
        )
    old = rules.move(case, CaseStatus.TRANSFERRED)
    areas = _areas_for(session, case)
    areas.led_here, areas.lead_lado = False, data.other_lado
    rules.touch(case)
    return _add_transfer(
        session,
        actor,
        case,
        TransferDirection.OUT,
        data.other_lado,
        data.transferred_on,
        data.other_reference,
        data.reason,
        previous_status=old.value,
    )


def transfer_in(session: Session, actor: Actor, case: Case, data: TransferIn) -> CaseTransfer:
    """Record that the case was received from another LADO, with that LADO's reference."""
    if case.status_enum == CaseStatus.TRANSFERRED:
        raise InvalidTransition("This case has been transferred to another LADO: record a new case instead.")
    rules.expect_version(case, data.version)
    rules.touch(case)
    return _add_transfer(
        session,
        actor,
        case,
        TransferDirection.IN,
        data.other_lado,
        data.transferred_on,
        data.other_reference,
        data.reason,
    )


def notify_lado(session: Session, actor: Actor, case: Case, data: NotificationCreate) -> LadoNotification:
    """Record that another LADO was told about the case."""
    notification = LadoNotification(
        case_id=case.id,
        lado=data.lado,
        notified_on=data.notified_on,
        reason=data.reason,
        by_id=actor.user.id if actor.user else None,
    )
    session.add(notification)
    session.flush()
    details = {"lado": data.lado, "notified_on": data.notified_on, "reason": data.reason}
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.LADO_NOTIFICATION,
        notification.id,
        case_id=case.id,
        details={k: v for k, v in details.items() if v},
    )
    return notification
