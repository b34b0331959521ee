"""Every query of meetings and actions. Callers pass a case already loaded through the case
scope (app.cases.service.get_case); these queries never return another case's rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, delete, exists, func, select
from sqlalchemy.orm import Session

from app.cases.models import Allegation, Case, RegulatorReferral, case_disposals
from app.letters.models import Letter, LetterStatus
from app.meetings.models import (
    EVALUATION,
    CaseAction,
    Meeting,
    MeetingInvitee,
    MeetingMinutes,
    MeetingPlan,
    MinutesRecipient,
    MinutesSection,
    MinutesSend,
    minutes_send_withheld,
)
from app.reference.models import MeetingType
from app.users.models import Role, User


def meetings_of(session: Session, case_id: int) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting).where(Meeting.case_id == case_id).order_by(Meeting.held_at, Meeting.id)
        )
    )


def meeting_of_case(session: Session, case_id: int, meeting_id: int) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.id == meeting_id, Meeting.case_id == case_id))


def actions_of(session: Session, case_id: int) -> list[CaseAction]:
    return list(
        session.scalars(
            select(CaseAction)
            .where(CaseAction.case_id == case_id)
            .order_by(CaseAction.done_on.is_not(None), CaseAction.due_on, CaseAction.id)
        )
    )


def action_of_case(session: Session, case_id: int, action_id: int) -> CaseAction | None:
    return session.scalar(select(CaseAction).where(CaseAction.id == action_id, CaseAction.case_id == case_id))


def meeting_type_options(session: Session, keep: str | None = None) -> list[tuple[str, str]]:
    stmt = (
        select(MeetingType)
        .where((MeetingType.active.is_(True)) | (MeetingType.code == (keep or "")))
        .order_by(MeetingType.display_order, MeetingType.code)
    )
    return [(t.code, t.label) for t in session.scalars(stmt)]


def team_options(session: Session) -> list[tuple[str, str]]:
    """Active LADO officers, who may own an action."""
    stmt = (
        select(User.id, User.name).where(User.role == Role.LADO, User.is_active.is_(True)).order_by(User.name)
    )
    return [(str(user_id), name) for user_id, name in session.execute(stmt)]


def team_member(session: Session, user_id: int) -> User | None:
    return session.scalar(
        select(User).where(User.id == user_id, User.role == Role.LADO, User.is_active.is_(True))
    )


def deadline_inputs(session: Session, case_id: int) -> tuple[date | None, list[tuple[date, str]]]:
    """What the case's next deadline depends on besides the case: the date of its first evaluation
    or strategy meeting and its open actions (due date, description). Flushes pending changes
    first (autoflush), so a meeting or action added in this transaction counts."""
    evaluation = session.scalar(
        select(func.min(Meeting.held_on)).where(
            Meeting.case_id == case_id, Meeting.meeting_type_code == EVALUATION
        )
    )
    actions = session.execute(
        select(CaseAction.due_on, CaseAction.description).where(
            CaseAction.case_id == case_id, CaseAction.done_on.is_(None)
        )
    ).all()
    return evaluation, [(d, text) for d, text in actions]


@dataclass(frozen=True)
class Progress:
    """How far a case's journey has gone, as the summary's task list says it."""

    allegations: int
    outcomes: int  # allegations with an outcome recorded
    disposals: int
    referrals: int
    final_letters: int
    evaluation_held_on: date | None  # the first evaluation or strategy meeting


def progress_of(session: Session, case_id: int) -> Progress:
    """The case's progress in one statement of counts (each from an index on the case id),
    instead of loading its allegations, disposals, referrals, meetings and letters."""

    def count(table: Any, *where: ColumnElement[bool]) -> ScalarSelect[int]:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    row = session.execute(
        select(
            count(Allegation, Allegation.case_id == case_id),
            count(Allegation, Allegation.case_id == case_id, Allegation.outcome_code.is_not(None)),
            count(case_disposals, case_disposals.c.case_id == case_id),
            count(RegulatorReferral, RegulatorReferral.case_id == case_id),
            count(Letter, Letter.case_id == case_id, Letter.status == LetterStatus.FINAL),
            select(func.min(Meeting.held_on))
            .where(Meeting.case_id == case_id, Meeting.meeting_type_code == EVALUATION)
            .scalar_subquery(),
        )
    ).one()
    return Progress(*row)


def plans_of(session: Session, case_id: int) -> list[MeetingPlan]:
    """The case's planned meetings, soonest first."""
    return list(
        session.scalars(
            select(MeetingPlan)
            .where(MeetingPlan.case_id == case_id)
            .order_by(MeetingPlan.starts_at, MeetingPlan.id)
        )
    )


def plan_of_case(session: Session, case_id: int, plan_id: int) -> MeetingPlan | None:
    return session.scalar(
        select(MeetingPlan).where(MeetingPlan.id == plan_id, MeetingPlan.case_id == case_id)
    )


# ---- minutes and their distribution -------------------------------------------------------------


def minutes_versions(session: Session, case_id: int, meeting_id: int) -> list[MeetingMinutes]:
    return list(
        session.scalars(
            select(MeetingMinutes)
            .where(MeetingMinutes.case_id == case_id, MeetingMinutes.meeting_id == meeting_id)
            .order_by(MeetingMinutes.version)
        )
    )


def minutes_of_case(session: Session, case_id: int, minutes_id: int) -> MeetingMinutes | None:
    return session.scalar(
        select(MeetingMinutes).where(MeetingMinutes.id == minutes_id, MeetingMinutes.case_id == case_id)
    )


def next_minutes_version(session: Session, meeting_id: int) -> int:
    last = session.scalar(
        select(func.max(MeetingMinutes.version)).where(MeetingMinutes.meeting_id == meeting_id)
    )
    return (last or 0) + 1


def invitees_of_meeting(session: Session, case_id: int, meeting_id: int) -> list[MeetingInvitee]:
    """Who was invited to the meeting, when it was planned ahead and recorded from its plan."""
    return list(
        session.scalars(
            select(MeetingInvitee)
            .join(MeetingPlan)
            .where(MeetingPlan.case_id == case_id, MeetingPlan.meeting_id == meeting_id)
            .order_by(MeetingInvitee.id)
        )
    )


def recipients_of(session: Session, case_id: int, meeting_id: int) -> list[MinutesRecipient]:
    return list(
        session.scalars(
            select(MinutesRecipient)
            .where(MinutesRecipient.case_id == case_id, MinutesRecipient.meeting_id == meeting_id)
            .order_by(MinutesRecipient.id)
        )
    )


def recipient_of(
    session: Session, case_id: int, meeting_id: int, recipient_id: int
) -> MinutesRecipient | None:
    return session.scalar(
        select(MinutesRecipient).where(
            MinutesRecipient.id == recipient_id,
            MinutesRecipient.case_id == case_id,
            MinutesRecipient.meeting_id == meeting_id,
        )
    )


def sends_of(session: Session, case_id: int, meeting_id: int | None = None) -> list[MinutesSend]:
    """The sends of a case's minutes (of one meeting when given), in the order recorded."""
    stmt = select(MinutesSend).join(MeetingMinutes).where(MinutesSend.case_id == case_id)
    if meeting_id is not None:
        stmt = stmt.where(MeetingMinutes.meeting_id == meeting_id)
    return list(session.scalars(stmt.order_by(MinutesSend.sent_on, MinutesSend.id)))


def send_of_case(session: Session, case_id: int, send_id: int) -> MinutesSend | None:
    return session.scalar(
        select(MinutesSend).where(MinutesSend.id == send_id, MinutesSend.case_id == case_id)
    )


def latest_minutes_by_meeting(session: Session, case_id: int) -> dict[int, tuple[int, str]]:
    """Each meeting's latest version of its minutes: meeting id -> (version, status)."""
    latest = (
        select(MeetingMinutes.meeting_id, func.max(MeetingMinutes.version).label("version"))
        .where(MeetingMinutes.case_id == case_id)
        .group_by(MeetingMinutes.meeting_id)
        .subquery()
    )
    rows = session.execute(
        select(MeetingMinutes.meeting_id, MeetingMinutes.version, MeetingMinutes.status).join(
            latest,
            (latest.c.meeting_id == MeetingMinutes.meeting_id) & (latest.c.version == MeetingMinutes.version),
        )
    )
    return {meeting_id: (version, status) for meeting_id, version, status in rows}


def case_minutes(session: Session, case_id: int) -> list[MeetingMinutes]:
    """Every version of every meeting's minutes on the case."""
    return list(
        session.scalars(
            select(MeetingMinutes)
            .where(MeetingMinutes.case_id == case_id)
            .order_by(MeetingMinutes.meeting_id, MeetingMinutes.version)
        )
    )


def delete_case_minutes(session: Session, case_id: int) -> dict[str, int]:
    """Hard-delete the case's minutes, their sections, distribution lists and sends, by statement
    (the ORM's guard on finalised minutes is for edits, not for retention's destruction).
    Returns how many rows of each went."""
    minutes_ids = select(MeetingMinutes.id).where(MeetingMinutes.case_id == case_id).scalar_subquery()
    send_ids = select(MinutesSend.id).where(MinutesSend.case_id == case_id).scalar_subquery()
    counts = {}
    steps = (
        ("withheld", delete(minutes_send_withheld).where(minutes_send_withheld.c.send_id.in_(send_ids))),
        ("sends", delete(MinutesSend).where(MinutesSend.case_id == case_id)),
        ("recipients", delete(MinutesRecipient).where(MinutesRecipient.case_id == case_id)),
        ("sections", delete(MinutesSection).where(MinutesSection.minutes_id.in_(minutes_ids))),
        ("versions", delete(MeetingMinutes).where(MeetingMinutes.case_id == case_id)),
    )
    for name, stmt in steps:
        result = session.execute(stmt.execution_options(synchronize_session=False))
        counts[name] = int(getattr(result, "rowcount", 0) or 0)
    return counts


# ---- predicates for the annual report (app/reports/further.py) ---------------------------------


def first_evaluation_on(as_at: date) -> ScalarSelect[date]:
    """The date of the case's first evaluation or strategy meeting held by `as_at` (the one the
    statutory clock reads: deadline_inputs), or NULL."""
    return (
        select(func.min(Meeting.held_on))
        .where(Meeting.case_id == Case.id, Meeting.meeting_type_code == EVALUATION, Meeting.held_on <= as_at)
        .scalar_subquery()
    )


def evaluation_held(
    as_at: date, condition: Callable[[Any], ColumnElement[bool]] | None = None
) -> ColumnElement[bool]:
    """The case had an evaluation or strategy meeting held by `as_at` (whose date meets
    `condition`, when given)."""
    where = [Meeting.case_id == Case.id, Meeting.meeting_type_code == EVALUATION, Meeting.held_on <= as_at]
    if condition is not None:
        where.append(condition(Meeting.held_on))
    return exists().where(*where)
