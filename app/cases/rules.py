"""The case's status machine: which moves are allowed, and which steps each status accepts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, object_session

from app.cases.models import Case, CaseStatus
from app.clock import utcnow
from app.clocks.service import refresh_next_deadline
from app.errors import Conflict, InvalidTransition, ValidationFailed
from app.reference.service import require_active

S = CaseStatus

#: Allowed status moves. Anything else is refused.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.CONSULTATION: frozenset({S.OPEN}),  # became a referral (app/consultations)
    S.OPEN: frozenset({S.NFA, S.THRESHOLD_MET, S.TRANSFERRED}),
    S.NFA: frozenset({S.OPEN}),  # re-opened with a reason
    S.THRESHOLD_MET: frozenset({S.CONCLUDED, S.TRANSFERRED}),
    S.CONCLUDED: frozenset({S.THRESHOLD_MET}),  # re-opened with a reason
    S.TRANSFERRED: frozenset(),  # closed here for good: a return is a new transfer in
}

#: Journey steps and the statuses in which each may be taken.
STEPS: dict[str, frozenset[CaseStatus]] = {
    "edit_details": frozenset(S),
    "add_note": frozenset(S),
    "record_initial_consideration": frozenset({S.OPEN}),
    "convert_consultation": frozenset({S.CONSULTATION}),
    "add_allegation": frozenset({S.THRESHOLD_MET}),
    "record_outcome": frozenset({S.THRESHOLD_MET}),
    "set_disposals": frozenset({S.THRESHOLD_MET, S.CONCLUDED}),
    "add_referral": frozenset({S.THRESHOLD_MET, S.CONCLUDED}),
    "update_referral": frozenset({S.THRESHOLD_MET, S.CONCLUDED}),
    "conclude": frozenset({S.THRESHOLD_MET}),
    "reopen": frozenset({S.CONCLUDED, S.NFA}),
    "transfer_out": frozenset({S.OPEN, S.THRESHOLD_MET}),
}

_REFUSALS: dict[tuple[str, CaseStatus], str] = {
    (
        "record_outcome",
        S.CONCLUDED,
    ): "This case is concluded: it cannot receive a new outcome. Re-open it with a reason first.",
    (
        "add_allegation",
        S.CONCLUDED,
    ): "This case is concluded: re-open it with a reason before adding an allegation.",
    ("conclude", S.CONCLUDED): "This case is already concluded.",
    (
        "record_initial_consideration",
        S.THRESHOLD_MET,
    ): "The initial consideration has already been recorded for this case.",
    (
        "record_initial_consideration",
        S.CONCLUDED,
    ): "The initial consideration has already been recorded and the case is concluded.",
    (
        "record_initial_consideration",
        S.NFA,
    ): "This case was closed with no further action. Re-open it with a reason to record a new decision.",
    ("reopen", S.OPEN): "This case is already open.",
    ("reopen", S.CONSULTATION): "This is a consultation: make it a referral to take it further.",
    (
        "record_initial_consideration",
        S.CONSULTATION,
    ): "This is a consultation: make it a referral first, then record the initial consideration.",
    ("reopen", S.THRESHOLD_MET): "This case is already open.",
    ("transfer_out", S.TRANSFERRED): "This case has already been transferred to another LADO.",
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
        message = (
            f"This cannot be done while the case is {status.label.lower()}; "
            f"it needs the case to be: {allowed}."
        )
    raise InvalidTransition(message)


def move(case: Case, to: CaseStatus) -> CaseStatus:
    """Change status along an allowed transition; returns the old status."""
    old = case.status_enum
    if to not in TRANSITIONS[old]:
        raise InvalidTransition(f"A case cannot move from {old.label.lower()} to {to.label.lower()}.")
    case.status = to.value
    return old


AUDITED_FIELDS = (
    "reference",
    "status",
    "restricted",
    "received_on",
    "contact_method",
    "referrer_name",
    "referrer_organisation",
    "referrer_role",
    "referrer_phone",
    "referrer_email",
    "organisation_id",
    "sector_code",
    "person_id",
    "job_title",
    "primary_category_code",
    "summary",
    "harm_limbs",
    "decision",
    "nfa_kind",
    "decision_rationale",
    "decided_on",
    "training_needs",
    "concluded_on",
    "nfa_after_investigation",
    "conclusion_reason",
)


def snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in AUDITED_FIELDS}


def check_code(
    session: Session,
    model,
    code: str,
    field: str,
    errors: dict[str, str],
    *,
    allow_inactive: str | None = None,
) -> None:
    """Collect the reference-data problem of one field (unknown or inactive code) into `errors`;
    an inactive code already on the record may stay."""
    if not code or (allow_inactive is not None and code == allow_inactive):
        return
    try:
        require_active(session, model, code, field)
    except ValidationFailed as exc:
        errors.setdefault(field, exc.errors[field])


def expect_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise Conflict(
            "Someone else saved this case after you opened it. Your changes have not been saved: "
            "check the case as it is now, then enter your changes again (what you typed is shown below)."
        )


def touch(case: Case) -> None:
    """Every journey step bumps the case version, so concurrent steps cannot both win, and keeps
    the case's next deadline (the caseload's sort) in step with what was just recorded."""
    case.updated_at = utcnow()
    session = object_session(case)
    if session is not None:
        refresh_next_deadline(session, case)
