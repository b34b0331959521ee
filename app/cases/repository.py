"""Every query of the cases domain. Anything that can return cases starts from `visible_cases`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app import clock
from app.audit.models import AuditEvent
from app.audit.repository import EventPattern, first_match
from app.cases.models import Case, CaseStatus, ReferenceCounter, case_officers
from app.cases.schemas import ACTIVE, CaseFilters
from app.context import Actor
from app.organisations.models import Organisation
from app.people.models import Person
from app.users.models import Role, User


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


def filtered(actor: Actor, f: CaseFilters, today: date | None = None) -> Select[Case]:
    stmt = visible_cases(actor)
    if f.status == ACTIVE:
        stmt = stmt.where(Case.status.in_([CaseStatus.OPEN.value, CaseStatus.THRESHOLD_MET.value]))
    elif f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.officer == "none":
        stmt = stmt.where(~Case.id.in_(select(case_officers.c.case_id)))
    elif f.officer:
        officer_id = actor.user.id if f.officer == "me" and actor.user else int(f.officer or 0)
        stmt = stmt.where(
            Case.id.in_(select(case_officers.c.case_id).where(case_officers.c.user_id == officer_id))
        )
    if f.overdue:
        stmt = stmt.where(Case.next_due_on < (today or clock.today()))
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


def _first_officer_name() -> ScalarSelect[str]:
    return (
        select(func.min(User.name))
        .join(case_officers, case_officers.c.user_id == User.id)
        .where(case_officers.c.case_id == Case.id)
        .scalar_subquery()
    )


#: The SQL order of each sortable column of the case list (CASE_SORTS); days open sorts by the
#: date received (the older, the longer open), and cases without a deadline come last.
SORT_COLUMNS: dict[str, Callable[[], Any]] = {
    "reference": lambda: Case.reference,
    "received": lambda: Case.received_on,
    "adult": lambda: (
        select(Person.last_name + " " + Person.first_name)
        .where(Person.id == Case.person_id)
        .scalar_subquery()
    ),
    "employer": lambda: (
        select(Organisation.name).where(Organisation.id == Case.organisation_id).scalar_subquery()
    ),
    "officer": _first_officer_name,
    "stage": lambda: Case.status,
    "deadline": lambda: Case.next_due_on,
    "days_open": lambda: Case.received_on,
}


def page_of_cases(session: Session, actor: Actor, f: CaseFilters, page_size: int) -> tuple[list[Case], int]:
    """One page of the filtered cases in the chosen order (ties broken by id), and how many."""
    stmt = filtered(actor, f)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    column = SORT_COLUMNS[f.sort]()
    descending = f.order == "descending"
    if f.sort == "days_open":
        descending = not descending
    key = column.desc() if descending else column.asc()
    tie = Case.id.desc() if descending else Case.id.asc()
    rows = session.scalars(
        stmt.order_by(key.nulls_last(), tie).offset((f.page - 1) * page_size).limit(page_size)
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
    """The case's audit events with their values, oldest first (the API's history; the page's
    chronology is `case_chronology`), and only if `actor` may read the case: audit rows carry
    case content too."""
    readable = visible_cases(actor).where(Case.id == case_id).with_only_columns(Case.id)
    stmt = select(AuditEvent).where(AuditEvent.case_id.in_(readable)).order_by(AuditEvent.id)
    return list(session.scalars(stmt))


def case_chronology(
    session: Session,
    actor: Actor,
    case_id: int,
    *,
    leave_out_verbs: Collection[str],
    rules: Sequence[tuple[str, EventPattern]],
    kinds: Collection[str] | None = None,
    newest_first: bool = False,
) -> list[AuditEvent]:
    """The case's chronology: its audit events but those with a verb left out (its readings),
    only those whose first matching rule is one of `kinds` (all when None), and only if `actor`
    may read the case."""
    readable = visible_cases(actor).where(Case.id == case_id).with_only_columns(Case.id)
    stmt = select(AuditEvent).where(
        AuditEvent.case_id.in_(readable), AuditEvent.verb.not_in(list(leave_out_verbs))
    )
    if kinds is not None:
        stmt = stmt.where(first_match(rules, kinds))
    order = AuditEvent.id.desc() if newest_first else AuditEvent.id
    return list(session.scalars(stmt.order_by(order)))


def chronology_names(
    session: Session, person_ids: Collection[int], user_ids: Collection[int]
) -> tuple[dict[int, str], dict[int, str]]:
    """The names a case's chronology shows for the people and users its events name by id
    (({person id: full name}, {user id: name})); the events were read through the case scope."""
    people = (
        {p.id: p.full_name for p in session.scalars(select(Person).where(Person.id.in_(list(person_ids))))}
        if person_ids
        else {}
    )
    users = (
        {u.id: u.name for u in session.scalars(select(User).where(User.id.in_(list(user_ids))))}
        if user_ids
        else {}
    )
    return people, users


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
