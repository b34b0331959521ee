"""What the allocation and cover pages show."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.allocations import repository
from app.allocations.models import AllocationKind, CaseAllocation, Cover, CoverOutcome
from app.allocations.service import may_allocate
from app.cases.models import Case
from app.context import Actor
from app.users.models import User

KIND_LABELS = {
    AllocationKind.ALLOCATED.value: "Allocated",
    AllocationKind.CO_WORKER_ADDED.value: "Co-worker added",
    AllocationKind.CO_WORKER_REMOVED.value: "Co-worker removed",
}
OUTCOME_LABELS = {
    None: "With the covering officer",
    CoverOutcome.HANDED_BACK.value: "Handed back",
    CoverOutcome.KEPT.value: "Reallocated during the cover: left where it is",
}


def _name(user: User | None, blank: str = "Not allocated") -> str:
    return user.name if user is not None else blank


def history_rows(rows: list[CaseAllocation]) -> list[dict[str, Any]]:
    return [
        {
            "at": row.at,
            "change": KIND_LABELS.get(row.kind, row.kind),
            "officer": (
                f"{_name(row.from_officer)} to {_name(row.to_officer)}"
                if row.kind == AllocationKind.ALLOCATED.value
                else _name(row.to_officer or row.from_officer, "")
            ),
            "reason": row.reason,
            "by": _name(row.by, "The system (carried across)"),
        }
        for row in rows
    ]


def allocation_context(session: Session, case: Case, actor: Actor) -> dict[str, Any]:
    """The allocation tab: who works the case, the history of it, and the forms (for those who may)."""
    team = repository.officers(session)
    named = {u.id for u in case.officers}
    cover = repository.open_covers_of_cases(session, [case.id]).get(case.id)
    return {
        "may_allocate": may_allocate(actor, case),
        "officer_options": [(str(u.id), u.name) for u in team if u.id != case.allocated_officer_id],
        "co_worker_options": [(str(u.id), u.name) for u in team if u.id not in named],
        "history": history_rows(repository.history_of(session, case)),
        "cover": cover,
    }


def cover_rows(session: Session, actor: Actor, cover: Cover) -> list[dict[str, Any]]:
    cases = repository.cases_by_id(session, actor, [row.case_id for row in cover.cases])
    return [
        {
            "case": cases.get(row.case_id),
            "case_id": row.case_id,
            "covering": row.covering_officer.name,
            "outcome": OUTCOME_LABELS.get(row.outcome, row.outcome),
            "now_with": _name(cases[row.case_id].allocated_officer) if row.case_id in cases else "",
        }
        for row in cover.cases
    ]
