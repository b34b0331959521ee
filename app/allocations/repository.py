"""Every query of allocation and cover. Cases are read through the case scope (`visible_cases`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.allocations.models import CaseAllocation, Cover, CoverCase
from app.cases.models import Case, CaseStatus
from app.cases.repository import visible_cases
from app.context import Actor
from app.orm import unindexed
from app.users.models import Role, User

#: The stages still being worked: the cases a cover moves, and a caseload counts.
OPEN_STAGES = (CaseStatus.OPEN.value, CaseStatus.THRESHOLD_MET.value)


def officer(session: Session, user_id: int | None) -> User | None:
    """A LADO officer (active or not) by id."""
    if user_id is None:
        return None
    return session.scalar(select(User).where(User.id == user_id, User.role == Role.LADO))


def officers(session: Session) -> list[User]:
    """The active LADO officers, by name: those a case can be allocated to."""
    stmt = select(User).where(User.role == Role.LADO, User.is_active.is_(True)).order_by(User.name, User.id)
    return list(session.scalars(stmt))


def officer_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the active LADO officers, by name: columns only (loading a User decrypts its
    second-factor secret, about 1.4 ms each)."""
    stmt = (
        select(User.id, User.name)
        .where(User.role == Role.LADO, User.is_active.is_(True))
        .order_by(User.name, User.id)
    )
    return [(user_id, name) for user_id, name in session.execute(stmt)]


def names_of(session: Session, ids: Collection[int]) -> dict[int, str]:
    """id -> name of these users (columns only)."""
    if not ids:
        return {}
    stmt = select(User.id, User.name).where(User.id.in_(list(ids)))
    return {row.id: row.name for row in session.execute(stmt)}


def history_of(session: Session, case: Case) -> list[CaseAllocation]:
    """The allocation history of a case the caller has read through the scope, oldest first."""
    stmt = select(CaseAllocation).where(CaseAllocation.case_id == case.id).order_by(CaseAllocation.id)
    return list(session.scalars(stmt))


def open_cases_of(session: Session, actor: Actor, officer_id: int) -> list[Case]:
    """The open cases allocated to an officer that `actor` may see, oldest received first (read
    from the (status, allocated officer) index)."""
    stmt = (
        visible_cases(actor)
        .where(Case.status.in_(OPEN_STAGES), Case.allocated_officer_id == officer_id)
        .options(selectinload(Case.officers))
        .order_by(Case.received_on, Case.id)
    )
    return list(session.scalars(stmt))


def cases_by_id(session: Session, actor: Actor, ids: Collection[int]) -> dict[int, Case]:
    if not ids:
        return {}
    stmt = visible_cases(actor).where(Case.id.in_(list(ids))).options(selectinload(Case.officers))
    return {c.id: c for c in session.scalars(stmt)}


def open_cover_of(session: Session, officer_id: int) -> Cover | None:
    return session.scalar(
        select(Cover).where(Cover.absent_officer_id == officer_id, Cover.ended_at.is_(None))
    )


def officers_away(session: Session) -> set[int]:
    """The officers with a cover in place."""
    return set(session.scalars(select(Cover.absent_officer_id).where(Cover.ended_at.is_(None))))


def get_cover(session: Session, cover_id: int) -> Cover | None:
    stmt = select(Cover).where(Cover.id == cover_id).options(selectinload(Cover.cases))
    return session.scalar(stmt)


def covers(session: Session, limit: int = 200) -> list[Cover]:
    """Covers in place first, then those ended, newest first."""
    stmt = (
        select(Cover)
        .options(selectinload(Cover.cases))
        .order_by(Cover.ended_at.is_not(None), Cover.started_at.desc(), Cover.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def open_covers_of_cases(session: Session, case_ids: Collection[int]) -> dict[int, CoverCase]:
    """The cases of `case_ids` that a cover in place moved, with how."""
    if not case_ids:
        return {}
    stmt = (
        select(CoverCase)
        .join(Cover, Cover.id == CoverCase.cover_id)
        .where(CoverCase.case_id.in_(list(case_ids)), Cover.ended_at.is_(None))
    )
    return {row.case_id: row for row in session.scalars(stmt)}


def caseloads(session: Session, actor: Actor, today: date) -> list[tuple[int | None, int, int]]:
    """(allocated officer id or None, open cases, overdue cases) of every officer holding open
    cases that `actor` may see: counted from the (status, allocated officer, next due, restricted)
    index alone. On SQLite the group is `+allocated_officer_id`: grouped by the column itself,
    it walked the officer index in its order through all the cases (1.1 s at a million)."""
    overdue = func.count().filter(Case.next_due_on < today)
    stmt = (
        visible_cases(actor)
        .where(Case.status.in_(OPEN_STAGES))
        .with_only_columns(Case.allocated_officer_id, func.count(), overdue)
        .group_by(unindexed(Case.allocated_officer_id))
    )
    return [(officer_id, int(n), int(late or 0)) for officer_id, n, late in session.execute(stmt)]
