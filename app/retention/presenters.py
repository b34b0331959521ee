"""What the retention pages show: rows of the queue, the case's retention facts, its reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.retention import repository
from app.retention.models import RULE_LABELS, CaseRetention, RetentionRule, ReviewDecision
from app.users import repository as users_repository


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not set"


def rule_label(code: str) -> str:
    try:
        return RULE_LABELS[RetentionRule(code)]
    except ValueError:
        return code or "None"


@dataclass
class QueueRow:
    case_id: int
    reference: str
    adult: str
    closed_on: str
    review_on: str
    rule: str


def queue_rows(rows: list[tuple[Case, CaseRetention]]) -> list[QueueRow]:
    return [
        QueueRow(
            case_id=case.id,
            reference=case.reference,
            adult=case.person.full_name if case.person and case.person.full_name else "Not identified",
            closed_on=_day(r.closed_on),
            review_on=_day(r.review_on),
            rule=r.rule_detail or rule_label(r.rule),
        )
        for case, r in rows
    ]


def retention_rows(row: CaseRetention | None) -> list[tuple[str, str]]:
    """The summary list of a case's retention (key, value)."""
    if row is None:
        return [("Retention review", "Not set: the case is not closed")]
    if row.destroyed_on is not None:
        return [("Personal data", f"Destroyed under retention review on {_day(row.destroyed_on)}")]
    rows = [
        ("Closed on", _day(row.closed_on)),
        ("Retention review due", _day(row.review_on) if row.review_on else "Not set: the case is not closed"),
        ("Rule", row.rule_detail or rule_label(row.rule)),
        ("Held for an inquiry", f"Yes: {row.hold_reason}" if row.hold else "No"),
    ]
    return rows


@dataclass
class ReviewRow:
    reviewed_on: str
    decision: str
    reason: str
    next_review_on: str
    by: str


def review_rows(session: Session, case_id: int) -> list[ReviewRow]:
    reviews = repository.reviews_of(session, case_id)
    out = []
    for r in reviews:
        user = users_repository.get_user(session, r.by_id) if r.by_id else None
        out.append(
            ReviewRow(
                reviewed_on=_day(r.reviewed_on),
                decision="Keep" if r.decision == ReviewDecision.KEEP else "Destroy",
                reason=r.reason,
                next_review_on=_day(r.next_review_on) if r.next_review_on else "",
                by=user.name if user else "",
            )
        )
    return out
