"""What the case pages show from the working tools: the statutory clocks, the meetings and the
actions, and the case's progress for the summary's task list (added to a case sub-page's context
by app.cases.presenters.case_context)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import clock
from app.cases.models import Case
from app.clocks import service as clocks
from app.meetings import minutes, repository
from app.meetings.models import (
    PLAN_STATUS_LABELS,
    STRAND_LABELS,
    STRANDS,
    Meeting,
    MeetingMinutes,
    MeetingPlan,
    PlanStatus,
)


def case_progress(session: Session, case: Case) -> dict[str, Any]:
    """What the summary's task list needs: the case's progress (app.meetings.repository.Progress)
    and the clocks that need no setting (initial consideration, evaluation meeting)."""
    progress = repository.progress_of(session, case.id)
    return {
        "progress": progress,
        "clocks": clocks.first_clocks(case, evaluation_held_on=progress.evaluation_held_on),
    }


def case_tools(session: Session, case: Case) -> dict[str, Any]:
    """The case's statutory clocks, meetings and actions (the Meetings and actions tab, and the
    summary's task list)."""
    today = clock.today()
    meetings = repository.meetings_of(session, case.id)
    actions = repository.actions_of(session, case.id)
    evaluation = min((m.held_on for m in meetings if m.meeting_type_code == "evaluation"), default=None)
    last = max((m.held_on for m in meetings), default=None)
    case_clocks = clocks.case_clocks(
        case,
        evaluation_held_on=evaluation,
        last_review_on=last,
        target_months=clocks.conclusion_target_months(session),
        review_months=clocks.review_interval_months(session),
        today=today,
    )
    return {
        "clocks": case_clocks,
        "today": today,
        "meetings": meetings,
        "actions": actions,
        "overdue_actions": [a for a in actions if a.is_overdue(today)],
        "plans": repository.plans_of(session, case.id),
        "minutes_by_meeting": repository.latest_minutes_by_meeting(session, case.id),
        "strands": STRANDS,
        "strand_labels": {k.value: v for k, v in STRAND_LABELS.items()},
    }


def record_values(plan: MeetingPlan) -> dict[str, Any]:
    """The meeting form filled in from its plan: type, date, time, and the invitees as attendees."""
    return {
        "plan_id": plan.id,
        "meeting_type_code": plan.meeting_type_code,
        "held_on": plan.starts_on.isoformat(),
        "held_time": plan.starts_at.astimezone(clock.LONDON).strftime("%H:%M"),
        "attendee_rows": [[i.name, i.organisation, i.role, "yes"] for i in plan.invitees],
    }


def plan_rows(plan: MeetingPlan) -> list[tuple[str, str]]:
    """A planned meeting as a summary list."""
    start = plan.starts_at.astimezone(clock.LONDON)
    rows = [
        ("Type of meeting", plan.meeting_type.label),
        ("When", f"{start:%-d %B %Y} at {start:%H:%M}, {plan.duration_minutes} minutes"),
        ("Where", plan.location or "Not set"),
        ("Status", PLAN_STATUS_LABELS[PlanStatus(plan.status)]),
    ]
    if plan.agenda:
        rows.append(("Agenda", plan.agenda))
    if plan.cancel_reason:
        rows.append(("Reason for cancelling", plan.cancel_reason))
    return rows


def plan_values(plan: MeetingPlan) -> dict[str, Any]:
    start = plan.starts_at.astimezone(clock.LONDON)
    return {
        "version": plan.version,
        "meeting_type_code": plan.meeting_type_code,
        "starts_on": plan.starts_on.isoformat(),
        "starts_time": start.strftime("%H:%M"),
        "duration_minutes": str(plan.duration_minutes),
        "location": plan.location,
        "agenda": plan.agenda,
        "invitee_rows": [[i.name, i.organisation, i.role, i.email] for i in plan.invitees],
    }


def minutes_page(
    session: Session, case: Case, meeting: Meeting, versions: list[MeetingMinutes]
) -> dict[str, Any]:
    """The minutes page: the versions (the latest shown in full), the draft if there is one, the
    latest finalised version (the one to send), the distribution list with who else might be on
    it, and the sends."""
    finals = [m for m in versions if m.is_final]
    return {
        "case": case,
        "meeting": meeting,
        "versions": versions,
        "latest": versions[-1] if versions else None,
        "draft": next((m for m in versions if not m.is_final), None),
        "latest_final": finals[-1] if finals else None,
        "recipients": repository.recipients_of(session, case.id, meeting.id),
        "suggestions": minutes.suggestions(session, case, meeting),
        "sends": repository.sends_of(session, case.id, meeting.id),
    }


def draft_values(draft: MeetingMinutes) -> dict[str, Any]:
    return {
        "row_version": draft.row_version,
        "section_rows": [[s.heading, s.body, s.restriction] for s in draft.sections],
    }
