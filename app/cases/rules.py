"""The case's status machine: which moves are allowed, and which steps each status accepts."""

from __future__ import annotations

from app.cases.models import Case, CaseStatus
from app.errors import InvalidTransition

S = CaseStatus

#: Allowed status moves. Anything else is refused.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.OPEN: frozenset({S.NFA, S.THRESHOLD_MET}),
    S.NFA: frozenset({S.OPEN}),  # re-opened with a reason
    S.THRESHOLD_MET: frozenset({S.CONCLUDED}),
    S.CONCLUDED: frozenset({S.THRESHOLD_MET}),  # re-opened with a reason
}

#: Journey steps and the statuses in which each may be taken.
STEPS: dict[str, frozenset[CaseStatus]] = {
    "edit_details": frozenset(S),
    "add_note": frozenset(S),
    "record_initial_consideration": frozenset({S.OPEN}),
    "add_allegation": frozenset({S.THRESHOLD_MET}),
    "record_outcome": frozenset({S.THRESHOLD_MET}),
    "set_disposals": frozenset({S.THRESHOLD_MET, S.CONCLUDED}),
    "add_referral": frozenset({S.THRESHOLD_MET, S.CONCLUDED}),
    "update_referral": frozenset({S.THRESHOLD_MET, S.CONCLUDED}),
    "conclude": frozenset({S.THRESHOLD_MET}),
    "reopen": frozenset({S.CONCLUDED, S.NFA}),
}

_REFUSALS: dict[tuple[str, CaseStatus], str] = {
    ("record_outcome", S.CONCLUDED): "This case is concluded: it cannot receive a new outcome. Re-open it with a reason first.",
    ("add_allegation", S.CONCLUDED): "This case is concluded: re-open it with a reason before adding an allegation.",
    ("conclude", S.CONCLUDED): "This case is already concluded.",
    ("record_initial_consideration", S.THRESHOLD_MET): "The initial consideration has already been recorded for this case.",
    ("record_initial_consideration", S.CONCLUDED): "The initial consideration has already been recorded and the case is concluded.",
    ("record_initial_consideration", S.NFA): "This case was closed with no further action. Re-open it with a reason to record a new decision.",
    ("reopen", S.OPEN): "This case is already open.",
    ("reopen", S.THRESHOLD_MET): "This case is already open.",
}


def can(case: Case, step: str) -> bool:
    return case.status_enum in STEPS[step]


def require_step(case: Case, step: str) -> None:
    status = case.status_enum
    if status in STEPS[step]:
        return
    message = _REFUSALS.get((step, status))
    if message is None:
        allowed = ", ".join(s.label.lower() for s in STEPS[step])
        message = f"This cannot be done while the case is {status.label.lower()}; it needs the case to be: {allowed}."
    raise InvalidTransition(message)


def move(case: Case, to: CaseStatus) -> CaseStatus:
    """Change status along an allowed transition; returns the old status."""
    old = case.status_enum
    if to not in TRANSITIONS[old]:
        raise InvalidTransition(f"A case cannot move from {old.label.lower()} to {to.label.lower()}.")
    case.status = to.value
    return old
