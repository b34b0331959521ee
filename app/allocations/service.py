"""Allocating a case, its co-workers, and cover for an absent officer.

Rules:
- Every case has at most one allocated officer, who is always among the officers named on it
  (`case_officers`, which the case scope reads); co-workers are the others named on it.
- A manager allocates and reassigns any case; a LADO officer only a case allocated to them. The
  same holds for adding and removing co-workers. A reallocation needs a reason; the officer
  given the case must be an active LADO officer. The officer who had it is no longer named on
  it (unless the change is a cover's, below): add them as a co-worker to keep their access.
- A cover (managers only) moves every open case (awaiting initial consideration, or threshold
  met) allocated to the absent officer, in one step, each to the covering officer chosen for it;
  the absent officer stays on each case as a co-worker. One cover at a time per officer. If the
  officer's open cases changed since the form was shown, nothing is moved (409).
- Ending a cover hands back each case still allocated to the officer who took it under the
  cover; the covering officer stays on it only if they were a co-worker before. A case
  reallocated during the cover stays where it is.
- Every change writes a row of the allocation history and an audit event on the case (its
  chronology), in the same transaction; a cover's start and end are audited as the cover's too.
- A change of allocation bumps the case's version: a form loaded before it gets 409.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import clock
from app.allocations import repository
from app.allocations.models import AllocationKind, CaseAllocation, Cover, CoverCase, CoverOutcome
from app.allocations.schemas import CoverEnd, CoverStart, CoWorkerChange, Reallocation
from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases.models import Case
from app.cases.rules import expect_version
from app.context import Actor
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.users.models import Role, User


def may_allocate(actor: Actor, case: Case) -> bool:
    """Managers may change who works any case; an officer only a case allocated to them."""
    user = actor.user
    if user is None:
        return False
    return user.role == Role.MANAGER or (user.role == Role.LADO and case.allocated_officer_id == user.id)


def _require(actor: Actor, case: Case) -> None:
    if not may_allocate(actor, case):
        raise Forbidden("Only a manager, or the officer the case is allocated to, can change who works it.")


def _active_officer(session: Session, officer_id: int | None, field: str, noun: str = "officer") -> User:
    officer = repository.officer(session, officer_id)
    if officer is None or not officer.is_active:
        raise ValidationFailed({field: f"Select the {noun} from the list of active LADO officers"})
    return officer


def _log(
    session: Session,
    actor: Actor,
    case: Case,
    kind: AllocationKind,
    before: User | None,
    after: User | None,
    reason: str,
    cover: Cover | None = None,
) -> None:
    session.add(
        CaseAllocation(
            case_id=case.id,
            kind=kind.value,
            from_officer_id=before.id if before else None,
            to_officer_id=after.id if after else None,
            reason=reason,
            cover_id=cover.id if cover else None,
            by_id=actor.user.id if actor.user else None,
        )
    )
    details: dict[str, Any] = {"reason": reason} if reason else {}
    if cover is not None:
        details["cover_id"] = cover.id
    if kind == AllocationKind.ALLOCATED:
        change = {"from": before.id if before else None, "to": after.id if after else None}
        verb, details = Verb.UPDATED, {"allocated_officer_id": change, **details}
    else:
        officer = after or before
        verb = Verb.CREATED if kind == AllocationKind.CO_WORKER_ADDED else Verb.DELETED
        details = {"co_worker_id": officer.id if officer else None, **details}
    record(session, actor, verb, ObjectType.CASE_ALLOCATION, case.id, case_id=case.id, details=details)


def _move(
    session: Session,
    actor: Actor,
    case: Case,
    to: User,
    reason: str,
    *,
    cover: Cover | None = None,
    keep_previous: bool = False,
    drop_previous: bool = True,
) -> None:
    """Allocate `case` to `to` (named on it if not yet); the officer who had it stays named only
    with `keep_previous` (a cover), or when `drop_previous` is False (a hand-back decides)."""
    before = case.allocated_officer
    if before is not None and before.id == to.id:
        return
    if to not in case.officers:
        case.officers.append(to)
    if before is not None and drop_previous and not keep_previous:
        case.officers.remove(before)
    case.allocated_officer_id = to.id
    case.updated_at = clock.utcnow()  # the version moves on even when only the officers changed
    _log(session, actor, case, AllocationKind.ALLOCATED, before, to, reason, cover)


def reallocate(session: Session, actor: Actor, case: Case, data: Reallocation) -> Case:
    _require(actor, case)
    expect_version(case, data.version)
    officer = _active_officer(session, data.officer_id, "officer_id")
    if officer.id == case.allocated_officer_id:
        raise ValidationFailed({"officer_id": f"The case is already allocated to {officer.name}"})
    _move(session, actor, case, officer, data.reason)
    return case


def add_co_worker(session: Session, actor: Actor, case: Case, data: CoWorkerChange) -> Case:
    _require(actor, case)
    expect_version(case, data.version)
    officer = _active_officer(session, data.officer_id, "officer_id", "co-worker")
    if officer in case.officers:
        raise ValidationFailed({"officer_id": f"{officer.name} already works on this case"})
    case.officers.append(officer)
    case.updated_at = clock.utcnow()
    _log(session, actor, case, AllocationKind.CO_WORKER_ADDED, None, officer, data.reason)
    return case


def remove_co_worker(session: Session, actor: Actor, case: Case, data: CoWorkerChange) -> Case:
    _require(actor, case)
    expect_version(case, data.version)
    officer = next((u for u in case.co_workers if u.id == data.officer_id), None)
    if officer is None:
        raise NotFound("That officer is not a co-worker on this case.")
    case.officers.remove(officer)
    case.updated_at = clock.utcnow()
    _log(session, actor, case, AllocationKind.CO_WORKER_REMOVED, officer, None, data.reason)
    return case


# ---- cover --------------------------------------------------------------------------------------


def _require_manager(actor: Actor) -> None:
    if actor.user is None or actor.user.role != Role.MANAGER:
        raise Forbidden("Only a manager can arrange cover.")


def plan_cover(session: Session, actor: Actor, data: CoverStart) -> tuple[User, list[tuple[Case, User]]]:
    """The absent officer and (case, covering officer) for each of their open cases, or
    ValidationFailed / Conflict saying what is wrong with the plan."""
    _require_manager(actor)
    absent = repository.officer(session, data.absent_officer_id)
    if absent is None:
        raise ValidationFailed({"absent_officer_id": "Select the absent officer"})
    if repository.open_cover_of(session, absent.id) is not None:
        raise Conflict(f"{absent.name} is already covered: end that cover first.")
    cases = repository.open_cases_of(session, actor, absent.id)
    if data.case_ids is not None and sorted(data.case_ids) != sorted(c.id for c in cases):
        raise Conflict(
            f"{absent.name}'s open cases changed since this page was shown: check the cases below "
            "and who covers each, then start the cover again."
        )
    if not cases:
        raise ValidationFailed({"absent_officer_id": f"{absent.name} has no open cases to cover"})
    errors: dict[str, str] = {}
    away = repository.officers_away(session)
    default = None
    if data.covering_officer_id is not None:
        default = repository.officer(session, data.covering_officer_id)
        if default is None or not default.is_active or default.id == absent.id or default.id in away:
            errors["covering_officer_id"] = "Select a covering officer who is active and not away"
    known = {c.id for c in cases}
    unknown = [str(i) for i in data.assignments if i not in known]
    if unknown:
        errors["assignments"] = f"Cases {', '.join(unknown)} are not open cases of {absent.name}"
    plan: list[tuple[Case, User]] = []
    for case in cases:
        chosen = data.assignments.get(case.id)
        to = repository.officer(session, chosen) if chosen is not None else default
        if to is None or not to.is_active or to.id == absent.id or to.id in away:
            errors.setdefault(
                f"case-{case.id}", f"Select who covers {case.reference} (an active officer who is not away)"
            )
            continue
        plan.append((case, to))
    if errors:
        raise ValidationFailed(errors)
    return absent, plan


def start_cover(session: Session, actor: Actor, data: CoverStart) -> Cover:
    absent, plan = plan_cover(session, actor, data)
    cover = Cover(absent_officer=absent, reason=data.reason, started_by=actor.user)
    session.add(cover)
    session.flush()  # the cover's id, for its cases and the history
    for case, to in plan:
        session.add(
            CoverCase(
                cover_id=cover.id,
                case_id=case.id,
                covering_officer_id=to.id,
                was_co_worker=to in case.officers,
            )
        )
        _move(
            session,
            actor,
            case,
            to,
            f"Cover for {absent.name}: {data.reason}",
            cover=cover,
            keep_previous=True,
        )
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.COVER,
        cover.id,
        details={
            "absent_officer_id": absent.id,
            "reason": data.reason,
            "cases": [c.reference for c, _ in plan],
        },
    )
    return cover


def get_cover(session: Session, actor: Actor, cover_id: int) -> Cover:
    _require_manager(actor)
    cover = repository.get_cover(session, cover_id)
    if cover is None:
        raise NotFound("There is no such cover.")
    return cover


def end_cover(session: Session, actor: Actor, cover: Cover, data: CoverEnd) -> Cover:
    _require_manager(actor)
    if not cover.is_open:
        raise Conflict("This cover has already ended.")
    absent = cover.absent_officer
    if not absent.is_active:
        raise ValidationFailed(
            {"reason": f"{absent.name} is no longer an active officer: reallocate their cases"}
        )
    now = clock.utcnow()
    cases = repository.cases_by_id(session, actor, [row.case_id for row in cover.cases])
    reason = f"Cover for {absent.name} ended" + (f": {data.reason}" if data.reason else "")
    handed_back = []
    for row in cover.cases:
        case = cases.get(row.case_id)
        row.ended_at = now
        if case is None or case.allocated_officer_id != row.covering_officer_id:
            row.outcome = CoverOutcome.KEPT.value
            continue
        _move(session, actor, case, absent, reason, cover=cover, drop_previous=not row.was_co_worker)
        row.outcome = CoverOutcome.HANDED_BACK.value
        handed_back.append(case.reference)
    cover.ended_at, cover.end_reason = now, data.reason
    cover.ended_by = actor.user
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.COVER,
        cover.id,
        details={"ended": True, "reason": data.reason, "handed_back": handed_back},
    )
    return cover
