"""The dashboard's queries. Every figure is a SQL predicate over the case scope (`visible_cases`,
narrowed to the officer's own cases for a LADO); the figures are one aggregate query and each list
reuses the same predicate, so a count and its list cannot disagree. Search looks across case
references, adults' names (spelling-tolerant), employers and referrers within the same scope;
LADO officers also find online referrals by their receipt reference or the adult's name.

What they read grows with the work in hand, not with the years of cases held: the figures are
counted over the open and threshold-met cases alone, through the index on (status, received_on,
id, decided_on, restricted), which answers them without reading the cases' rows ("without a
review" is those past the target less those with a meeting in the last month, read from that
month's meetings); a closed stage (no further action, concluded: nearly every case of a service
that has run for years) is not counted on the dashboard, and its list counts up to COUNT_LIMIT and
then says "or more"; a list is read a page at a time after or before a case (keyset paging in the
same index's order), never by skipping rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ScalarSelect, Select, and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.cases.models import Case, CaseStatus, case_officers
from app.cases.repository import case_rows, scope_key, visible_cases
from app.cases.schemas import CaseRow
from app.consultations.models import Consultation
from app.context import Actor
from app.errors import NotFound
from app.intake.models import Intake
from app.meetings.models import EVALUATION, CaseAction, Meeting
from app.orm import Kept
from app.people import repository as people_repository
from app.search.repository import searched
from app.users.models import Role

#: The stages still being worked: every figure but a closed stage's counts only these.
ACTIVE = (CaseStatus.OPEN.value, CaseStatus.THRESHOLD_MET.value)
#: A closed stage's list counts its cases up to this many ("1000 or more").
COUNT_LIMIT = 1000


def scope(actor: Actor) -> Select[Case]:
    """A LADO's own cases (named as an officer); a manager's: every case they may see."""
    stmt = visible_cases(actor)
    if actor.user is not None and actor.user.role == Role.LADO:
        mine = select(case_officers.c.case_id).where(case_officers.c.user_id == actor.user.id)
        stmt = stmt.where(Case.id.in_(mine))
    return stmt


@dataclass(frozen=True)
class Cutoffs:
    today: date
    ic_before: date  # received on or before: initial consideration overdue
    ic_by: date  # ... due on or before today
    ev_before: date
    ev_by: date
    target_before: date  # received on or before: past the conclusion target
    target_by: date  # ... target reached on or before today
    review_since: date  # a meeting on or after this date counts as a review "in the last month"


def _no_evaluation_meeting() -> ColumnElement[bool]:
    return ~exists().where(Meeting.case_id == Case.id, Meeting.meeting_type_code == EVALUATION)


def statuses(key: str) -> tuple[str, ...]:
    """The stages whose cases a figure or list is about (NotFound for an unknown one)."""
    if key == "initial_consideration":
        return (CaseStatus.OPEN.value,)
    if key in ("evaluation_meeting", "conclusion"):
        return (CaseStatus.THRESHOLD_MET.value,)
    if key == "no_review":
        return ACTIVE
    if key.startswith("stage:") and key.removeprefix("stage:") in {s.value for s in CaseStatus}:
        return (key.removeprefix("stage:"),)
    raise NotFound("There is no such list on the dashboard.")


def is_closed(key: str) -> bool:
    """A list or figure ("stage:nfa", "conclusion:overdue") of a closed stage only: counted up to
    COUNT_LIMIT."""
    name = key if key.startswith("stage:") else key.partition(":")[0]
    return not set(statuses(name)) & set(ACTIVE)


def _converted_after(day: date, hashed: bool = False) -> ColumnElement[bool]:
    """A consultation that became a referral after `day` (app/consultations): its clocks start
    on the day it did, not on its received date. `hashed` for a FILTER count: an IN of the few
    such consultations, read once and hashed, where an EXISTS would be a subquery run for every
    open case (49 -> 22 ms for the dashboard's figures at a million cases); in a WHERE the
    EXISTS is an anti-join."""
    if hashed:
        return Case.id.in_(select(Consultation.case_id).where(Consultation.converted_on > day))
    return exists().where(Consultation.case_id == Case.id, Consultation.converted_on > day)


def _clocks_started_by(day: date, hashed: bool = False) -> ColumnElement[bool]:
    """The case's clocks started on or before `day` (app.clocks.service.clocks_start in SQL)."""
    return and_(Case.received_on <= day, ~_converted_after(day, hashed))


def _clocks_started_in(after: date, by: date, hashed: bool = False) -> ColumnElement[bool]:
    return and_(
        _clocks_started_by(by, hashed), or_(Case.received_on > after, _converted_after(after, hashed))
    )


def _past_target(c: Cutoffs, hashed: bool = False) -> ColumnElement[bool]:
    return and_(Case.status.in_(ACTIVE), _clocks_started_by(c.target_before, hashed))


def _reviewed(c: Cutoffs) -> ColumnElement[bool]:
    return exists().where(Meeting.case_id == Case.id, Meeting.held_on >= c.review_since)


def predicate(key: str, when: str, c: Cutoffs, hashed: bool = False) -> ColumnElement[bool]:
    """The SQL condition behind one figure of the dashboard (what it asks of the case's own
    columns first, then of its meetings: a count tests the meetings only of the cases left);
    `hashed` for a FILTER count (`_converted_after`)."""
    if key == "initial_consideration":
        base = Case.status == CaseStatus.OPEN.value
        return (
            and_(base, _clocks_started_by(c.ic_before, hashed))
            if when == "overdue"
            else and_(base, _clocks_started_in(c.ic_before, c.ic_by, hashed))
        )
    if key == "evaluation_meeting":
        base = and_(Case.status == CaseStatus.THRESHOLD_MET.value, Case.decided_on.is_not(None))
        due = (
            Case.decided_on <= c.ev_before
            if when == "overdue"
            else and_(Case.decided_on > c.ev_before, Case.decided_on <= c.ev_by)
        )
        return and_(base, due, _no_evaluation_meeting())
    if key == "conclusion":
        base = Case.status == CaseStatus.THRESHOLD_MET.value
        return (
            and_(base, _clocks_started_by(c.target_before, hashed))
            if when == "overdue"
            else and_(base, _clocks_started_in(c.target_before, c.target_by, hashed))
        )
    if key == "no_review":
        return and_(_past_target(c, hashed), ~_reviewed(c))
    if key.startswith("stage:"):
        return Case.status == statuses(key)[0]
    raise NotFound("There is no such list on the dashboard.")


def _action_predicate(when: str, today: date) -> ColumnElement[bool]:
    return and_(
        CaseAction.done_on.is_(None),
        CaseAction.due_on < today if when == "overdue" else CaseAction.due_on == today,
    )


def _figure(key: str, c: Cutoffs, hashed: bool = False) -> ColumnElement[bool]:
    """The predicate of a figure's key: "conclusion:overdue", "no_review", "stage:open"."""
    name, _, when = key.partition(":")
    return predicate(key, "", c) if name == "stage" else predicate(name, when, c, hashed)


def _count_of(stmt: Select[Any], limit: int | None = None) -> ScalarSelect[int]:
    """How many cases `stmt` selects (at most `limit`), as a subquery of its own."""
    ids = stmt.with_only_columns(Case.id).order_by(None).correlate(None)
    if limit is not None:
        ids = ids.limit(limit)
    return select(func.count()).select_from(ids.subquery()).scalar_subquery()


def _actions_count(actor: Actor, when: str, today: date) -> ScalarSelect[int]:
    stmt = (
        scope(actor)
        .join(CaseAction, CaseAction.case_id == Case.id)
        .where(_action_predicate(when, today))
        .with_only_columns(func.count())
        .correlate(None)
    )
    return stmt.scalar_subquery()


def _reviewed_count(actor: Actor, c: Cutoffs) -> ScalarSelect[int]:
    """How many cases past the conclusion target had a meeting since `review_since`: read from
    the meetings of that month (the figure "without a review" is those past the target less
    these), not by looking for a meeting of every case past the target."""
    stmt = (
        scope(actor)
        .join(Meeting, Meeting.case_id == Case.id)
        .where(Meeting.held_on >= c.review_since, _past_target(c))
        .with_only_columns(func.count(Case.id.distinct()))
        .correlate(None)
    )
    return stmt.scalar_subquery()


def count_figures(session: Session, actor: Actor, c: Cutoffs, keys: list[str]) -> dict[str, int]:
    """Every figure (of the stages being worked) in one statement: FILTER counts over the open and
    threshold-met cases in scope, read from the stage index, with the actions due today and
    overdue ("actions:today", "actions:overdue")."""
    if any(is_closed(k) for k in keys):
        raise ValueError("a closed stage is not counted on the dashboard")
    key = (scope_key(actor), c, tuple(keys))
    stmt, names = _figures_statements.get(key, lambda: _figures_statement(actor, c, keys))
    values = [int(n or 0) for n in session.execute(stmt).one()]
    figures = dict(zip(names, values, strict=True))
    figures["no_review"] = figures.pop("past_target") - figures.pop("reviewed")
    return figures


#: Built figure statements kept, by scope, cutoffs and keys: building one (about 80 expressions)
#: cost more than running it on a day's caseload, and each officer asks for the same all day.
_figures_statements: Kept[tuple[Select[Any], list[str]]] = Kept()


def _figures_statement(actor: Actor, c: Cutoffs, keys: list[str]) -> tuple[Select[Any], list[str]]:
    # A figure that looks for a meeting is a count of its own, so that the database can look
    # for the meetings of the cases as a join (one index probe each) rather than run a
    # subquery for every case the FILTER counts pass over.
    probed = [k for k in keys if k.startswith("evaluation_meeting:")]
    filtered = [k for k in keys if k != "no_review" and k not in probed]
    columns: list[Any] = [func.count().filter(_figure(k, c, hashed=True)) for k in filtered]
    columns += [_count_of(scope(actor).where(_figure(k, c))) for k in probed]
    columns += [func.count().filter(_past_target(c, hashed=True)), _reviewed_count(actor, c)]
    columns += [_actions_count(actor, w, c.today) for w in ("today", "overdue")]
    stmt = scope(actor).where(Case.status.in_(ACTIVE)).with_only_columns(*columns)
    return stmt, [*filtered, *probed, "past_target", "reviewed", "actions:today", "actions:overdue"]


@dataclass(frozen=True)
class CasePage:
    """One page of the cases behind a figure, oldest first."""

    cases: list[CaseRow]
    total: int  # how many cases the list holds (a closed stage's: up to COUNT_LIMIT)
    total_is_lower_bound: bool  # there are at least `total`
    after: int | None  # the case to ask for the next page after (None: this is the last page)
    before: int | None  # the case to ask for the previous page before (None: the first page)


def _segment(
    session: Session, stmt: Select[Case], start: tuple[date, int] | None, backwards: bool, limit: int
) -> list[tuple[date, int]]:
    """Up to `limit` (date received, id) of one stage's cases in list order (reversed when
    `backwards`) from just past `start` (those of the case a cursor names): one range of the stage
    index, read before any case is loaded (with its adult, employer and categories joined, the
    database would join them for every case it passes over on the way)."""
    key = tuple_(Case.received_on, Case.id)
    if start is not None:
        stmt = stmt.where(key < tuple_(*start) if backwards else key > tuple_(*start))
    order = (Case.received_on.desc(), Case.id.desc()) if backwards else (Case.received_on, Case.id)
    rows = session.execute(stmt.with_only_columns(Case.received_on, Case.id).order_by(*order).limit(limit))
    return [(received_on, case_id) for received_on, case_id in rows]


def case_page(
    session: Session,
    actor: Actor,
    key: str,
    when: str,
    c: Cutoffs,
    page_size: int,
    *,
    after: int | None = None,
    before: int | None = None,
) -> CasePage:
    """The page of a figure's list after case `after` or before case `before` (the first page
    without either; a cursor to a case not in the list starts it again), and how many there are.
    A list of several stages is read stage by stage, each in index order, and merged; then the
    page's cases are loaded."""
    stmt = scope(actor).where(predicate(key, when, c))
    closed = is_closed(key)
    if key == "no_review":  # as on the dashboard: those past the target less those reviewed
        past = _count_of(scope(actor).where(_past_target(c)))
        total = session.scalar(select(past - _reviewed_count(actor, c))) or 0
    else:
        total = session.scalar(select(_count_of(stmt, COUNT_LIMIT if closed else None))) or 0
    cursor = before or after
    start = None
    if cursor:
        row = session.execute(stmt.with_only_columns(Case.received_on).where(Case.id == cursor)).first()
        start = (row[0], cursor) if row is not None else None
    backwards = start is not None and before is not None
    found: list[tuple[date, int]] = []
    for status in statuses(key):
        found += _segment(session, stmt.where(Case.status == status), start, backwards, page_size + 1)
    found.sort(reverse=backwards)
    more = len(found) > page_size
    ids = [case_id for _, case_id in found[:page_size]]
    has_previous = start is not None and not backwards
    if backwards:
        ids.reverse()
        has_previous, more = more, True
    rows = case_rows(session, actor, ids)
    return CasePage(
        cases=rows,
        total=total,
        total_is_lower_bound=closed and total >= COUNT_LIMIT,
        after=rows[-1].id if rows and more else None,
        before=rows[0].id if rows and has_previous else None,
    )


def actions_due(session: Session, actor: Actor, when: str, today: date) -> list[tuple[CaseAction, Case]]:
    """Open actions due today or overdue on the cases in scope, soonest first (at most 500)."""
    stmt = (
        scope(actor)
        .join(CaseAction, CaseAction.case_id == Case.id)
        .add_columns(CaseAction)
        .where(_action_predicate(when, today))
        .order_by(CaseAction.due_on, CaseAction.id)
        .limit(500)
    )
    return [(a, c) for c, a in session.execute(stmt).all()]


RESULT_LIMIT = 100


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _prefix(text: str) -> str:
    return _like(text)[1:]


def search_cases(session: Session, actor: Actor, q: str) -> list[CaseRow]:
    """The cases `q` finds (cases.repository.search_matches, referrers included), an exact
    reference first, then the most recently received."""
    q = " ".join(q.split())
    if not q:
        return []
    people_repository.key_missing(session)
    ids = visible_cases(actor).with_only_columns(Case.id)
    exact = list(session.scalars(ids.where(func.upper(Case.reference) == q.upper())))
    rest = session.scalars(
        ids.where(searched(session, q, referrers=True).condition, Case.id.not_in(exact))
        .order_by(Case.received_on.desc(), Case.id.desc())
        .limit(RESULT_LIMIT - len(exact))
    )
    return case_rows(session, actor, [*exact, *rest])


def search_intakes(session: Session, actor: Actor, q: str) -> list[Intake]:
    """Online referrals (LADO officers only; an intake turned into a case the actor may not see
    is left out, like the case itself)."""
    q = " ".join(q.split())
    if not q or actor.user is None or actor.user.role != Role.LADO:
        return []
    words = q.split(" ")
    name = or_(
        *[
            or_(
                func.lower(Intake.adult_last_name).like(_prefix(w), escape="\\"),
                func.lower(Intake.adult_first_name).like(_prefix(w), escape="\\"),
            )
            for w in words
        ]
    )
    # Tested per referral found (the case it became, by its key): `IN (visible cases)` had SQLite
    # list every visible case first, 5.7 s at a million cases, with no referral to test.
    became_visible = visible_cases(actor).with_only_columns(Case.id).where(Case.id == Intake.case_id).exists()
    visible = or_(Intake.case_id.is_(None), became_visible)
    stmt = select(Intake).where(
        or_(
            func.upper(Intake.reference) == q.upper(),
            name,
            func.lower(Intake.organisation_name).like(_like(q), escape="\\"),
        ),
        visible,
    )
    return list(session.scalars(stmt.order_by(Intake.received_at.desc()).limit(RESULT_LIMIT)))
