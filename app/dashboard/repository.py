"""The dashboard's queries. Every figure is a SQL predicate over the case scope (`visible_cases`,
narrowed to the officer's own cases for a LADO); the counts are one aggregate query and each list
reuses the same predicate, so a count and its list cannot disagree. Search looks across case
references, adults' names (spelling-tolerant), employers and referrers within the same scope;
LADO officers also find online referrals by their receipt reference or the adult's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.cases.models import Case, CaseStatus, case_officers
from app.cases.repository import visible_cases
from app.context import Actor
from app.errors import NotFound
from app.intake.models import Intake
from app.meetings.models import EVALUATION, CaseAction, Meeting
from app.organisations.models import Organisation
from app.people import repository as people_repository
from app.people.models import Person
from app.people.names import sound
from app.users.models import Role


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


def predicate(key: str, when: str, c: Cutoffs) -> ColumnElement[bool]:
    """The SQL condition behind one figure of the dashboard."""
    if key == "initial_consideration":
        base = Case.status == CaseStatus.OPEN.value
        return (
            and_(base, Case.received_on <= c.ic_before)
            if when == "overdue"
            else and_(base, Case.received_on > c.ic_before, Case.received_on <= c.ic_by)
        )
    if key == "evaluation_meeting":
        base = and_(
            Case.status == CaseStatus.THRESHOLD_MET.value,
            Case.decided_on.is_not(None),
            _no_evaluation_meeting(),
        )
        return (
            and_(base, Case.decided_on <= c.ev_before)
            if when == "overdue"
            else and_(base, Case.decided_on > c.ev_before, Case.decided_on <= c.ev_by)
        )
    if key == "conclusion":
        base = Case.status == CaseStatus.THRESHOLD_MET.value
        return (
            and_(base, Case.received_on <= c.target_before)
            if when == "overdue"
            else and_(base, Case.received_on > c.target_before, Case.received_on <= c.target_by)
        )
    if key == "no_review":
        recent = exists().where(Meeting.case_id == Case.id, Meeting.held_on >= c.review_since)
        return and_(
            Case.status.in_([CaseStatus.OPEN.value, CaseStatus.THRESHOLD_MET.value]),
            Case.received_on <= c.target_before,
            ~recent,
        )
    if key.startswith("stage:"):
        return Case.status == key.removeprefix("stage:")
    raise NotFound("There is no such list on the dashboard.")


def _action_predicate(when: str, today: date) -> ColumnElement[bool]:
    return and_(
        CaseAction.done_on.is_(None),
        CaseAction.due_on < today if when == "overdue" else CaseAction.due_on == today,
    )


def _figure(key: str, c: Cutoffs) -> ColumnElement[bool]:
    """The predicate of a figure's key: "conclusion:overdue", "no_review", "stage:open"."""
    name, _, when = key.partition(":")
    return predicate(key, "", c) if name == "stage" else predicate(name, when, c)


def count_figures(session: Session, actor: Actor, c: Cutoffs, keys: list[str]) -> dict[str, Any]:
    """Every figure in one aggregate query over the scope, plus one for the actions."""
    today = c.today
    base = scope(actor).subquery()
    columns = {key: _figure(key, c) for key in keys}
    stmt = (
        select(*(func.count().filter(cond).label(f"c{i}") for i, cond in enumerate(columns.values())))
        .select_from(Case)
        .where(Case.id.in_(select(base.c.id)))
    )
    row = session.execute(stmt).one()
    figures = dict(zip(columns, row, strict=True))
    actions = session.execute(
        select(
            func.count().filter(_action_predicate("today", today)),
            func.count().filter(_action_predicate("overdue", today)),
        )
        .select_from(CaseAction)
        .where(CaseAction.case_id.in_(select(base.c.id)))
    ).one()
    figures["actions:today"], figures["actions:overdue"] = actions
    return figures


def case_page(
    session: Session, actor: Actor, key: str, when: str, c: Cutoffs, page: int, page_size: int
) -> tuple[list[Case], int]:
    """One page of the cases behind a figure, oldest first, and how many there are."""
    stmt = scope(actor).where(predicate(key, when, c))
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Case.received_on, Case.id).offset((page - 1) * page_size).limit(page_size)
    )
    return list(rows), total


def actions_due(session: Session, actor: Actor, when: str, today: date) -> list[tuple[CaseAction, Case]]:
    """Open actions due today or overdue on the cases in scope, soonest first (at most 500)."""
    base = scope(actor).subquery()
    stmt = (
        select(CaseAction, Case)
        .join(Case, Case.id == CaseAction.case_id)
        .where(CaseAction.case_id.in_(select(base.c.id)), _action_predicate(when, today))
        .order_by(CaseAction.due_on, CaseAction.id)
        .limit(500)
    )
    return [(a, c) for a, c in session.execute(stmt).all()]


RESULT_LIMIT = 100


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _prefix(text: str) -> str:
    return _like(text)[1:]


def _person_condition(words: list[str]):
    keys = [sound(w) for w in words]
    conditions: list[ColumnElement[bool]] = []
    if len(words) == 1:
        w, k = words[0], keys[0]
        conditions += [
            func.lower(Person.last_name).like(_prefix(w), escape="\\"),
            func.lower(Person.first_name).like(_prefix(w), escape="\\"),
        ]
        if len(k) >= 2:
            conditions += [Person.last_key == k, Person.first_key == k]
    else:
        first, last = words[0], words[-1]
        kf, kl = keys[0], keys[-1]
        conditions += [
            and_(
                func.lower(Person.first_name).like(_prefix(first), escape="\\"),
                func.lower(Person.last_name).like(_prefix(last), escape="\\"),
            ),
            and_(
                func.lower(Person.last_name).like(_prefix(first), escape="\\"),
                func.lower(Person.first_name).like(_prefix(last), escape="\\"),
            ),
        ]
        if kf and kl:
            conditions += [
                and_(Person.first_key == kf, Person.last_key == kl),
                and_(Person.first_key == kl, Person.last_key == kf),
            ]
    return select(Person.id).where(or_(*conditions))


def search_cases(session: Session, actor: Actor, q: str) -> list[Case]:
    q = " ".join(q.split())
    if not q:
        return []
    people_repository.key_missing(session)
    words = q.split(" ")
    like = _like(q)
    org_match = select(Organisation.id).where(Organisation.name_key.like(like, escape="\\"))
    stmt = visible_cases(actor).where(
        or_(
            func.upper(Case.reference).like(_prefix(q).upper(), escape="\\"),
            Case.person_id.in_(_person_condition(words)),
            Case.organisation_id.in_(org_match),
            func.lower(Case.referrer_name).like(like, escape="\\"),
            func.lower(Case.referrer_organisation).like(like, escape="\\"),
        )
    )
    exact = func.upper(Case.reference) == q.upper()
    return list(
        session.scalars(
            stmt.order_by(exact.desc(), Case.received_on.desc(), Case.id.desc()).limit(RESULT_LIMIT)
        )
    )


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
    visible = or_(Intake.case_id.is_(None), Intake.case_id.in_(select(visible_cases(actor).subquery().c.id)))
    stmt = select(Intake).where(
        or_(
            func.upper(Intake.reference) == q.upper(),
            name,
            func.lower(Intake.organisation_name).like(_like(q), escape="\\"),
        ),
        visible,
    )
    return list(session.scalars(stmt.order_by(Intake.received_at.desc()).limit(RESULT_LIMIT)))
