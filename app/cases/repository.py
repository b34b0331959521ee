"""Every query of the cases domain. Anything that can return cases starts from `visible_cases`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    exists,
    false,
    func,
    null,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from app import clock
from app.audit.models import AuditEvent
from app.audit.repository import EventPattern, first_match
from app.cases.models import Case, CaseStatus, ReferenceCounter, case_disposals, case_officers
from app.cases.schemas import ACTIVE, CaseFilters, CaseRow
from app.context import Actor
from app.organisations.models import Organisation
from app.people.models import Person
from app.reference.models import Category, Sector
from app.search.repository import searched
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
        # A test on each restricted case (its officer row, by key), never the set of every case
        # the officer is named on: the planner can then read cases by index around it.
        named = exists().where(case_officers.c.case_id == Case.id, case_officers.c.user_id == user.id)
        return stmt.where(or_(Case.restricted.is_(False), named))
    return stmt.where(false())


def scope_key(actor: Actor) -> tuple[int | None, str | None]:
    """Everything visible_cases(actor) depends on: a statement built on it can be kept and used
    again for the same key (the user and their role)."""
    user = actor.user
    return (None, None) if user is None else (user.id, user.role)


def visibility(actor: Actor) -> ColumnElement[bool] | None:
    """The condition visible_cases applies, for a query that starts from another table's FROM
    clause (the annual statistics' drill-down); None when the actor sees every case."""
    return visible_cases(actor).whereclause


def get_visible(session: Session, actor: Actor, case_id: int) -> Case | None:
    return session.scalar(visible_cases(actor).where(Case.id == case_id))


def get_visible_by_reference(session: Session, actor: Actor, reference: str) -> Case | None:
    return session.scalar(visible_cases(actor).where(Case.reference == reference))


def filtered(actor: Actor, f: CaseFilters, today: date | None = None) -> Select[Case]:
    """The cases the list's filters select, but for the search text (`searched`). The allocated
    officer is a condition on the case's own column: with a stage, the index on (status,
    allocated_officer_id, next_due_on) reads just that officer's cases of the stage."""
    stmt = visible_cases(actor)
    if f.status == ACTIVE:
        stmt = stmt.where(Case.status.in_([CaseStatus.OPEN.value, CaseStatus.THRESHOLD_MET.value]))
    elif f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.officer == "none":
        stmt = stmt.where(Case.allocated_officer_id.is_(None))
    elif f.officer:
        stmt = stmt.where(Case.allocated_officer_id == _officer_id(actor, f))
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
    return stmt


#: The column each sortable column of the case list (CASE_SORTS) sorts by, every one indexed
#: with the id that breaks ties; days open sorts by the date received (the older, the longer
#: open). Cases with no value (no deadline, no adult named, nobody allocated) always come last.
SORT_COLUMNS: dict[str, Any] = {
    "reference": Case.reference,
    "received": Case.received_on,
    "adult": Case.adult_sort,
    "employer": Case.employer_sort,
    "officer": Case.officer_sort,
    "stage": Case.status,
    "deadline": Case.next_due_on,
    "days_open": Case.received_on,
}
NULLABLE_SORTS = {"adult", "employer", "officer", "deadline"}

#: The case list counts matching cases up to this many and then says "more than": an exact
#: count of a million would cost more than the page it describes.
TOTAL_LIMIT = 1_000


Listed = TypeVar("Listed")


@dataclass
class CaseListPage(Generic[Listed]):
    cases: list[Listed]  # CaseRow for the list page, Case for the API
    total: int  # how many cases match, counted up to TOTAL_LIMIT
    total_is_lower_bound: bool  # there are at least `total` (TOTAL_LIMIT reached)
    after: int | None  # the id to ask for the next page after (None: this is the last page)
    before: int | None  # the id to ask for the previous page before (None: this is the first)


def _segments(f: CaseFilters, by_key: bool) -> list[tuple[ColumnElement[bool] | None, list[Any], bool]]:
    """The list in order as segments, each (condition, order columns, descending): the cases with
    a value of the sort column in its order, then (for a column that may be empty) those without
    one by id; each segment is one range of one index. `by_key`: the cases are one officer's, read
    through the officer's index, so the segment's test is written so that no other index is
    chosen for it (PostgreSQL would otherwise combine it with that index, as if the two were
    independent)."""
    column = SORT_COLUMNS[f.sort]
    descending = (f.order == "descending") != (f.sort == "days_open")
    if f.sort not in NULLABLE_SORTS:
        return [(None, [column, Case.id], descending)]
    tested = func.coalesce(column, null()) if by_key else column
    return [(tested.is_not(None), [column, Case.id], descending), (tested.is_(None), [Case.id], descending)]


def _walk(
    session: Session,
    stmt: Select[Any],
    segments: list[tuple[ColumnElement[bool] | None, list[Any], bool]],
    start: tuple[int, list[Any]] | None,
    backwards: bool,
    limit: int,
    skip: int = 0,
) -> list[int]:
    """Up to `limit` ids in list order (reversed when `backwards`), from just past `start` (the
    segment number and the sort values of the case the cursor names) or from the beginning, past
    the first `skip` (a page by number: the database skips them, as OFFSET, without sending them)."""
    order = range(len(segments) - 1, -1, -1) if backwards else range(len(segments))
    ids: list[int] = []
    for n in order:
        if start is not None and (n > start[0] if backwards else n < start[0]):
            continue
        condition, columns, descending = segments[n]
        down = descending != backwards
        query = stmt if condition is None else stmt.where(condition)
        if start is not None and n == start[0]:
            values = start[1][-len(columns) :]
            key, bound = tuple_(*columns), tuple_(*values)
            query = query.where(key < bound if down else key > bound)
        query = query.order_by(*(c.desc() if down else c.asc() for c in columns))
        found = session.scalars(query.offset(skip or None).limit(limit - len(ids))).all()
        if skip and not found:  # the whole segment is skipped: on past it into the next
            in_segment = query.order_by(None).limit(skip).subquery()
            skip -= session.scalar(select(func.count()).select_from(in_segment)) or 0
            continue
        skip = 0
        ids += found
        if len(ids) >= limit:
            break
    return ids


def _officer_id(actor: Actor, f: CaseFilters) -> int:
    """The officer the filter names ("me": the actor)."""
    return actor.user.id if f.officer == "me" and actor.user else int(f.officer or 0)


def page_of_cases(
    session: Session,
    actor: Actor,
    f: CaseFilters,
    page_size: int,
    load: Callable[[Session, Actor, list[int]], list[Listed]],
) -> CaseListPage[Listed]:
    """One page of the filtered cases in the chosen order (ties broken by id): the first page, the
    page after case `f.after` or before case `f.before` (keyset paging: every page costs the same,
    however deep), or without a cursor page number `f.page` (whose cost grows with the number)."""
    stmt = filtered(actor, f)
    search = searched(session, f.q) if f.q.strip() else None
    if search is not None:
        stmt = stmt.where(search.condition)
    segments = _segments(f, by_key=f.officer not in ("", "none"))
    ids_only = stmt.with_only_columns(Case.id)
    cursor_id = f.before or f.after
    start = None
    if cursor_id:
        row = session.execute(
            stmt.with_only_columns(SORT_COLUMNS[f.sort]).where(Case.id == cursor_id)
        ).first()
        if row is not None:  # a cursor to a case not in the list starts it again
            segment = 1 if len(segments) > 1 and row[0] is None else 0
            start = (segment, [row[0], cursor_id])
    backwards = start is not None and bool(f.before)
    if start is None and f.page > 1:  # a page by number (bookmarks, the API): its ids are skipped over
        skip = (f.page - 1) * page_size
        ids = _walk(session, ids_only, segments, None, False, page_size + 1, skip)
        has_previous = True
    else:
        ids = _walk(session, ids_only, segments, start, backwards, page_size + 1)
        has_previous = start is not None and not backwards
    more = len(ids) > page_size
    if search is not None and search.many:  # more than a search reads by id: not counted
        total, at_least = TOTAL_LIMIT, True
    elif start is None and f.page == 1 and not more:  # the whole list is on this page
        total, at_least = len(ids), False
    else:
        capped = stmt.with_only_columns(Case.id).order_by(None).limit(TOTAL_LIMIT)
        total = session.scalar(select(func.count()).select_from(capped.subquery())) or 0
        at_least = total >= TOTAL_LIMIT
    ids = ids[:page_size]
    if backwards:
        ids.reverse()
        has_previous, more = more, True
    return CaseListPage(
        cases=load(session, actor, ids),
        total=total,
        total_is_lower_bound=at_least,
        after=ids[-1] if ids and more else None,
        before=ids[0] if ids and has_previous else None,
    )


_ROW_COLUMNS = (
    *(Case.id, Case.reference, Case.restricted, Case.received_on, Case.concluded_on, Case.status),
    *(Case.decided_on, Case.next_due_on, Case.next_due_label, Case.person_id),
    *(Person.first_name, Person.last_name, Organisation.name, Sector.label, Category.label, User.name),
)


def cases_in_order(session: Session, actor: Actor, ids: list[int]) -> list[Case]:
    """The cases of `ids` in that order, with their officers (the API's list)."""
    if not ids:
        return []
    stmt = visible_cases(actor).where(Case.id.in_(ids)).options(selectinload(Case.officers))
    found = {c.id: c for c in session.scalars(stmt)}
    return [found[i] for i in ids if i in found]


def case_rows(session: Session, actor: Actor, ids: list[int]) -> list[CaseRow]:
    """The rows of the cases of `ids` in that order (one statement, columns only)."""
    if not ids:
        return []
    stmt = (
        visible_cases(actor)
        .with_only_columns(*_ROW_COLUMNS)
        .outerjoin(Person, Person.id == Case.person_id)
        .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        .join(Sector, Sector.code == Case.sector_code)
        .join(Category, Category.code == Case.primary_category_code)
        .outerjoin(User, User.id == Case.allocated_officer_id)
        .where(Case.id.in_(ids))
    )
    found = {}
    for r in session.execute(stmt):
        adult = None if r.person_id is None else f"{r.first_name} {r.last_name}".strip()
        found[r.id] = CaseRow(
            *(r.id, r.reference, r.restricted, r.received_on, r.concluded_on, r.status, r.decided_on),
            *(r.next_due_on, r.next_due_label, r.person_id, adult, r[12], r[13], r[14], r[15]),
        )
    return [found[i] for i in ids if i in found]


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


def date_disposals(session: Session, case_id: int, codes: Collection[str], effective_on: date) -> None:
    """The date the case's disposals `codes` took effect (the report as at a date counts them from then)."""
    session.execute(
        update(case_disposals)
        .where(case_disposals.c.case_id == case_id, case_disposals.c.disposal_code.in_(codes))
        .values(effective_on=effective_on)
    )
