"""Every query of the cases domain. Anything that can return cases starts from `visible_cases`."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.cases.models import Case, CaseStatus, ReferenceCounter, case_officers
from app.cases.schemas import CaseFilters
from app.context import Actor
from app.organisations.models import Organisation
from app.people.models import Person
from app.users.models import Role


def visible_cases(actor: Actor) -> Select[Case]:
    """The one scoped base query. Managers see every case; LADO officers every case except
    restricted ones they are not named on; other roles see no case content."""
    stmt = select(Case)
    user = actor.user
    if user is None:
        return stmt.where(false())
    if user.role == Role.MANAGER:
        return stmt
    if user.role == Role.LADO:
        named = select(case_officers.c.case_id).where(case_officers.c.user_id == user.id)
        return stmt.where(or_(Case.restricted.is_(False), Case.id.in_(named)))
    return stmt.where(false())


def visibility(actor: Actor) -> ColumnElement[bool] | None:
    """The condition visible_cases applies, for a query that starts from another table's FROM
    clause (the annual statistics' drill-down); None when the actor sees every case."""
    return visible_cases(actor).whereclause


def get_visible(session: Session, actor: Actor, case_id: int) -> Case | None:
    return session.scalar(visible_cases(actor).where(Case.id == case_id))


def get_visible_by_reference(session: Session, actor: Actor, reference: str) -> Case | None:
    return session.scalar(visible_cases(actor).where(Case.reference == reference))


def filtered(actor: Actor, f: CaseFilters) -> Select[Case]:
    stmt = visible_cases(actor)
    if f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.sector:
        stmt = stmt.where(Case.sector_code == f.sector)
    if f.category:
        stmt = stmt.where(Case.primary_category_code == f.category)
    if f.received_from:
        stmt = stmt.where(Case.received_on >= f.received_from)
    if f.received_to:
        stmt = stmt.where(Case.received_on <= f.received_to)
    if f.q:
        q = f.q.strip()
        like = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        words = q.lower().split()
        person_match = select(Person.id).where(
            or_(
                func.lower(Person.last_name).like(like, escape="\\"),
                func.lower(Person.first_name).like(like, escape="\\"),
            )
        )
        if len(words) == 2:
            a, b = words
            person_match = select(Person.id).where(
                or_(
                    person_match.whereclause,  # type: ignore[arg-type]
                    and_(func.lower(Person.first_name) == a, func.lower(Person.last_name).like(b + "%")),
                    and_(func.lower(Person.last_name) == a, func.lower(Person.first_name).like(b + "%")),
                )
            )
        org_match = select(Organisation.id).where(Organisation.name_key.like("%" + like, escape="\\"))
        stmt = stmt.where(
            or_(
                func.upper(Case.reference).like(
                    q.upper().replace("%", "\\%").replace("_", "\\_") + "%", escape="\\"
                ),
                Case.person_id.in_(person_match),
                Case.organisation_id.in_(org_match),
            )
        )
    return stmt


def page_of_cases(session: Session, actor: Actor, f: CaseFilters, page_size: int) -> tuple[list[Case], int]:
    stmt = filtered(actor, f)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Case.received_on.desc(), Case.id.desc())
        .offset((f.page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), total


def reference_exists(session: Session, reference: str) -> bool:
    return session.scalar(select(Case.id).where(Case.reference == reference)) is not None


def case_id_by_submission_key(session: Session, key: str) -> int | None:
    """The id of the case a form with this submission key created (only an id: the caller loads
    the case through the scope)."""
    return session.scalar(select(Case.id).where(Case.submission_key == key))


def next_case_number(session: Session, year: int) -> int:
    """Atomically take the next number for `year` (the row lock serialises concurrent creators)."""
    dialect = session.get_bind().dialect.name
    ins = pg_insert(ReferenceCounter) if dialect == "postgresql" else sqlite_insert(ReferenceCounter)
    session.execute(ins.values(year=year, last_value=0).on_conflict_do_nothing(index_elements=["year"]))
    return session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
    ).scalar_one()


def case_history(session: Session, actor: Actor, case_id: int):
    """The case's audit events with their values, oldest first (the history page and API), and
    only if `actor` may read the case: audit rows carry case content too."""
    readable = visible_cases(actor).where(Case.id == case_id).with_only_columns(Case.id)
    stmt = select(AuditEvent).where(AuditEvent.case_id.in_(readable)).order_by(AuditEvent.id)
    return list(session.scalars(stmt))


def case_id_for(session: Session, text: str) -> int | None:
    """The id of the case the audit search names (its number, or its reference in any letter
    case): an identifier, no case content (administrators see case numbers in the audit)."""
    text = text.strip()
    if text.isdigit():
        number = int(text)
        return number if number < 2**31 else None
    return session.scalar(select(Case.id).where(func.upper(Case.reference) == text.upper()))


def first_case_of(session: Session, actor: Actor, organisation_id: int, status: CaseStatus) -> Case | None:
    """The earliest recorded case of an employer in a status that the actor may see."""
    return session.scalars(
        visible_cases(actor)
        .where(Case.organisation_id == organisation_id, Case.status == status.value)
        .order_by(Case.id)
    ).first()


def visible_ids(session: Session, actor: Actor, ids: list[int]) -> set[int]:
    """Those of `ids` that are cases the actor may see."""
    return set(session.scalars(visible_cases(actor).where(Case.id.in_(ids)).with_only_columns(Case.id)))
