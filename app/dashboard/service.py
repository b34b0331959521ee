"""The overdue dashboard: what is due today, what is overdue, cases by stage, and cases past
the conclusion target without a review in the last month; and the search. Working-day deadlines
become date cutoffs computed once in Python (app.clocks), so SQL compares dates and never loops
over cases (the queries are in app/dashboard/repository.py). Every list shown is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.allocations import repository as allocations
from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases.models import STATUS_LABELS, Case, CaseStatus
from app.cases.schemas import CaseRow
from app.clocks import service as clocks
from app.context import Actor
from app.dashboard import repository
from app.dashboard.repository import CasePage, Cutoffs
from app.errors import NotFound
from app.intake.models import Intake
from app.meetings.models import CaseAction

WHEN = ("today", "overdue")
#: At most this many cases (and as many online referrals) answer a search.
RESULT_LIMIT = repository.RESULT_LIMIT


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str


DEADLINES = (
    Deadline("initial_consideration", "Initial consideration (1 working day after receipt)"),
    Deadline("evaluation_meeting", "Evaluation or strategy meeting (5 working days after threshold met)"),
    Deadline("conclusion", "Conclusion target"),
)
#: The stages still being worked, counted on the dashboard. The closed stages (no further
#: action, concluded) are listed but not counted there: they hold nearly every case of a service
#: that has run for years, and counting them would read the whole history on every view.
OPEN_STAGES = (CaseStatus.OPEN, CaseStatus.THRESHOLD_MET)
#: The figures of the dashboard, each the key of a list.
FIGURES = (
    [f"{d.key}:{w}" for d in DEADLINES for w in WHEN]
    + ["no_review"]
    + [f"stage:{s.value}" for s in OPEN_STAGES]
)


def cutoffs_for(session: Session, today: date, months: int | None = None) -> Cutoffs:
    """The date cutoffs of every deadline on `today` (working days and months counted once), for
    a conclusion target of `months` (the setting when not given)."""
    months = clocks.conclusion_target_months(session) if months is None else months
    return Cutoffs(
        today=today,
        ic_before=clocks.latest_start_due_before(today, clocks.INITIAL_CONSIDERATION_DAYS),
        ic_by=clocks.latest_start_due_by(today, clocks.INITIAL_CONSIDERATION_DAYS),
        ev_before=clocks.latest_start_due_before(today, clocks.EVALUATION_MEETING_DAYS),
        ev_by=clocks.latest_start_due_by(today, clocks.EVALUATION_MEETING_DAYS),
        target_before=clocks.latest_start_past_months(today, months),
        target_by=clocks.latest_start_past_months(date.fromordinal(today.toordinal() + 1), months),
        review_since=clocks.add_months(today, -clocks.review_interval_months(session)),
    )


def counts(session: Session, actor: Actor, today: date, months: int | None = None) -> dict[str, Any]:
    """Every figure of the dashboard, and the actions due today and overdue."""
    return repository.count_figures(session, actor, cutoffs_for(session, today, months), FIGURES)


@dataclass(frozen=True)
class Caseload:
    officer_id: int | None  # None: the cases not allocated
    name: str
    open: int  # awaiting initial consideration or threshold met
    overdue: int  # of those, with a deadline (statutory or an action) past


def caseloads(session: Session, actor: Actor, today: date) -> list[Caseload]:
    """Each active officer's open and overdue cases (none too), then any other holder of open
    cases (an officer no longer active), then the open cases not allocated."""
    counts = {officer_id: (n, late) for officer_id, n, late in allocations.caseloads(session, actor, today)}
    team = allocations.officer_names(session)
    others = allocations.names_of(
        session, [i for i in counts if i is not None and i not in {i for i, _ in team}]
    )
    rows = [Caseload(user_id, name, *counts.get(user_id, (0, 0))) for user_id, name in team]
    rows += [
        Caseload(user_id, f"{name} (no longer active)", *counts[user_id]) for user_id, name in others.items()
    ]
    if None in counts:
        rows.append(Caseload(None, "Not allocated", *counts[None]))
    return rows


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


def case_list(
    session: Session,
    actor: Actor,
    key: str,
    when: str,
    today: date,
    page_size: int,
    *,
    after: int | None = None,
    before: int | None = None,
    months: int | None = None,
) -> CasePage:
    """One page of the cases behind a figure (after or before a case shown on the page it was
    asked from); the view is audited with the references shown."""
    list_title(key, when)  # NotFound for an unknown list
    page = repository.case_page(
        session, actor, key, when, cutoffs_for(session, today, months), page_size, after=after, before=before
    )
    cursor = {"after": after} if after else {"before": before} if before else {}
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.CASE_LIST,
        None,
        details={"dashboard": key, "when": when, **cursor, "shown": [c.reference for c in page.cases]},
    )
    return page


def action_list(session: Session, actor: Actor, when: str, today: date) -> list[tuple[CaseAction, Case]]:
    if when not in WHEN:
        raise NotFound("There is no such list on the dashboard.")
    rows = repository.actions_due(session, actor, when, today)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.CASE_ACTION_LIST,
        None,
        details={"dashboard": "actions", "when": when, "shown": sorted({c.reference for _, c in rows})},
    )
    return rows


def search(session: Session, actor: Actor, q: str) -> tuple[list[CaseRow], list[Intake]]:
    """Cases and online referrals matching `q`; a search is audited with what it showed."""
    if not q.strip():
        return [], []
    found = repository.search_cases(session, actor, q)
    intakes = repository.search_intakes(session, actor, q)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.SEARCH,
        None,
        details={"q": q, "shown": [c.reference for c in found], "intakes": [i.reference for i in intakes]},
    )
    return found, intakes


def due_on(case: Case | CaseRow, key: str, months: int) -> date | None:
    """The deadline a list row is about, for display."""
    if key == "initial_consideration":
        return clocks.initial_consideration_due(case.received_on)
    if key == "evaluation_meeting" and case.decided_on:
        return clocks.evaluation_meeting_due(case.decided_on)
    if key in ("conclusion", "no_review"):
        return clocks.add_months(case.received_on, months)
    return None
