"""What the case page shows from the working tools: the person check, the statutory clocks,
the meetings and the actions (added to the case page's context by app.cases.views)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import clock
from app.cases.models import Case
from app.clocks import service as clocks
from app.context import Actor
from app.meetings import repository
from app.meetings.models import STRAND_LABELS, STRANDS
from app.people import service as people


def case_tools(session: Session, case: Case, actor: Actor) -> dict[str, Any]:
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
        "person_check": people.check_case(session, actor, case),
        "clocks": case_clocks,
        "today": today,
        "meetings": meetings,
        "actions": actions,
        "overdue_actions": [a for a in actions if a.is_overdue(today)],
        "strands": STRANDS,
        "strand_labels": {k.value: v for k, v in STRAND_LABELS.items()},
    }
