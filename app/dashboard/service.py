"""The overdue dashboard: what is due today, what is overdue, cases by stage, and cases past
the conclusion target without a review in the last month.

Every figure is a SQL predicate over the case scope (`visible_cases`, narrowed to the officer's
own cases for a LADO); the counts are one aggregate query and each list reuses the same
predicate, so a count and its list cannot disagree. Working-day deadlines become date cutoffs
computed once in Python (app.clocks), so SQL compares dates and never loops over cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.users.models import Role
from app.cases.models import STATUS_LABELS, Case, CaseStatus, case_officers
from app.cases.repository import visible_cases
from app.clocks import service as clocks
from app.context import Actor
from app.errors import NotFound
from app.meetings.models import EVALUATION, CaseAction, Meeting

WHEN = ("today", "overdue")


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str


DEADLINES = (
    Deadline("initial_consideration", "Initial consideration (1 working day after receipt)"),
    Deadline("evaluation_meeting", "Evaluation or strategy meeting (5 working days after threshold met)"),
    Deadline("conclusion", "Conclusion target"),
)


def scope(actor: Actor) -> Select[tuple[Case]]:
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

    @classmethod
    def for_day(cls, session: Session, today: date) -> "Cutoffs":
        months = clocks.conclusion_target_months(session)
        return cls(
            today=today,
            ic_before=clocks.latest_start_due_before(today, clocks.INITIAL_CONSIDERATION_DAYS),
            ic_by=clocks.latest_start_due_by(today, clocks.INITIAL_CONSIDERATION_DAYS),
            ev_before=clocks.latest_start_due_before(today, clocks.EVALUATION_MEETING_DAYS),
            ev_by=clocks.latest_start_due_by(today, clocks.EVALUATION_MEETING_DAYS),
            target_before=clocks.latest_start_past_months(today, months),
            target_by=clocks.latest_start_past_months(date.fromordinal(today.toordinal() + 1), months),
            review_since=clocks.add_months(today, -clocks.review_interval_months(session)),
        )


def _no_evaluation_meeting() -> ColumnElement[bool]:
    return ~exists().where(Meeting.case_id == Case.id, Meeting.meeting_type_code == EVALUATION)


def predicate(key: str, when: str, c: Cutoffs) -> ColumnElement[bool]:
    """The SQL condition behind one figure of the dashboard."""
    if key == "initial_consideration":
        base = Case.status == CaseStatus.OPEN.value
        return and_(base, Case.received_on <= c.ic_before) if when == "overdue" else \
            and_(base, Case.received_on > c.ic_before, Case.received_on <= c.ic_by)
    if key == "evaluation_meeting":
        base = and_(Case.status == CaseStatus.THRESHOLD_MET.value, Case.decided_on.is_not(None), _no_evaluation_meeting())
        return and_(base, Case.decided_on <= c.ev_before) if when == "overdue" else \
            and_(base, Case.decided_on > c.ev_before, Case.decided_on <= c.ev_by)
    if key == "conclusion":
        base = Case.status == CaseStatus.THRESHOLD_MET.value
        return and_(base, Case.received_on <= c.target_before) if when == "overdue" else \
            and_(base, Case.received_on > c.target_before, Case.received_on <= c.target_by)
    if key == "no_review":
        recent = exists().where(Meeting.case_id == Case.id, Meeting.held_on >= c.review_since)
        return and_(Case.status.in_([CaseStatus.OPEN.value, CaseStatus.THRESHOLD_MET.value]),
                    Case.received_on <= c.target_before, ~recent)
    if key.startswith("stage:"):
        return Case.status == key.removeprefix("stage:")
    raise NotFound("There is no such list on the dashboard.")


def _action_predicate(when: str, today: date) -> ColumnElement[bool]:
    return and_(CaseAction.done_on.is_(None), CaseAction.due_on < today if when == "overdue" else CaseAction.due_on == today)


def counts(session: Session, actor: Actor, today: date) -> dict[str, Any]:
    """Every figure in one aggregate query over the scope, plus one for the actions."""
    c = Cutoffs.for_day(session, today)
    base = scope(actor).subquery()
    columns: dict[str, Any] = {}
    for d in DEADLINES:
        for when in WHEN:
            columns[f"{d.key}:{when}"] = predicate(d.key, when, c)
    columns["no_review"] = predicate("no_review", "", c)
    for status in CaseStatus:
        columns[f"stage:{status.value}"] = predicate(f"stage:{status.value}", "", c)
    stmt = select(*(func.count().filter(cond).label(f"c{i}") for i, cond in enumerate(columns.values()))) \
        .select_from(Case).where(Case.id.in_(select(base.c.id)))
    row = session.execute(stmt).one()
    figures = dict(zip(columns, row))
    actions = session.execute(
        select(func.count().filter(_action_predicate("today", today)), func.count().filter(_action_predicate("overdue", today)))
        .select_from(CaseAction).where(CaseAction.case_id.in_(select(base.c.id)))).one()
    figures["actions:today"], figures["actions:overdue"] = actions
    return figures


def list_title(key: str, when: str) -> str:
    if key.startswith("stage:"):
        try:
            return STATUS_LABELS[CaseStatus(key.removeprefix("stage:"))]
        except ValueError:
            raise NotFound("There is no such list on the dashboard.") from None
    if key == "no_review":
        return "Over the conclusion target without a review in the last month"
    for d in DEADLINES:
        if d.key == key and when in WHEN:
            return f"{d.label}: {'due today' if when == 'today' else 'overdue'}"
    raise NotFound("There is no such list on the dashboard.")


def case_list(session: Session, actor: Actor, key: str, when: str, today: date, page: int,
              page_size: int) -> tuple[list[Case], int]:
    list_title(key, when)  # NotFound for an unknown list
    cond = predicate(key, when, Cutoffs.for_day(session, today))
    stmt = scope(actor).where(cond)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.order_by(Case.received_on, Case.id).offset((page - 1) * page_size).limit(page_size))
    return list(rows), total


def action_list(session: Session, actor: Actor, when: str, today: date) -> list[tuple[CaseAction, Case]]:
    if when not in WHEN:
        raise NotFound("There is no such list on the dashboard.")
    base = scope(actor).subquery()
    stmt = (select(CaseAction, Case).join(Case, Case.id == CaseAction.case_id)
            .where(CaseAction.case_id.in_(select(base.c.id)), _action_predicate(when, today))
            .order_by(CaseAction.due_on, CaseAction.id).limit(500))
    return [(a, c) for a, c in session.execute(stmt).all()]


def due_on(case: Case, key: str, months: int) -> date | None:
    """The deadline a list row is about, for display."""
    if key == "initial_consideration":
        return clocks.initial_consideration_due(case.received_on)
    if key == "evaluation_meeting" and case.decided_on:
        return clocks.evaluation_meeting_due(case.decided_on)
    if key in ("conclusion", "no_review"):
        return clocks.add_months(case.received_on, months)
    return None
