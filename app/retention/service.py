"""Retention of closed cases (domain.md stage 10; issue 16, "Retention and destruction").

- The policy: review `years_after_closure` years after the case closed (concluded, or no
  further action after initial consideration), but not before the adult reaches the normal
  pension age where their date of birth is known, and later still for a category given a longer
  period (sexual abuse: 25 years by default). The latest of those dates is the review date, and
  the rule that produced it is kept with it. Pension age is one setting (67 by default): a
  simplification of the State Pension age, which depends on the date of birth.
- A held case (an inquiry may ask for it) is never due and cannot be destroyed.
- A review keeps the case until a new date (with the reason) or destroys its personal data.
- Destruction (`destroy_case`) runs DESTRUCTION_STEPS in order, each removing one kind of
  personal data and counting what it removed, then scrubs the audit of the case's content and
  records the destruction certificate. Every structured fact the annual report counts is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases.models import Case, CaseStatus
from app.clock import today, utcnow
from app.context import Actor
from app.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from app.reference import repository as reference_repository
from app.reference.models import Category
from app.reports.periods import add_months
from app.retention import repository
from app.retention.models import CaseRetention, RetentionReview, RetentionRule, ReviewDecision
from app.retention.schemas import HoldForm, KeepForm, RetentionSettingsForm
from app.settings import repository as settings_repository
from app.users.models import Role

YEARS_KEY = "retention_years_after_closure"
PENSION_KEY = "retention_pension_age"
CATEGORY_KEY = "retention_category_years"
DEFAULT_YEARS = 10
DEFAULT_PENSION_AGE = 67
DEFAULT_CATEGORY_YEARS: dict[str, int] = {"sexual": 25}
QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class Policy:
    years_after_closure: int
    pension_age: int
    category_years: dict[str, int]


def policy(session: Session) -> Policy:
    years = settings_repository.get_value(session, YEARS_KEY)
    age = settings_repository.get_value(session, PENSION_KEY)
    categories = settings_repository.get_value(session, CATEGORY_KEY)
    return Policy(
        years_after_closure=DEFAULT_YEARS if years is None else int(years),
        pension_age=DEFAULT_PENSION_AGE if age is None else int(age),
        category_years=dict(DEFAULT_CATEGORY_YEARS if categories is None else categories),
    )


def save_policy(session: Session, actor: Actor, data: RetentionSettingsForm) -> dict[str, Any]:
    """Store the policy (audited with what changed). Dates already set stay as they are: the
    policy applies to cases as they close."""
    before = policy(session)
    after = {
        YEARS_KEY: data.years_after_closure,
        PENSION_KEY: data.pension_age,
        CATEGORY_KEY: {k: v for k, v in sorted(data.category_years.items()) if v is not None},
    }
    changed = changes(
        {
            YEARS_KEY: before.years_after_closure,
            PENSION_KEY: before.pension_age,
            CATEGORY_KEY: before.category_years,
        },
        after,
    )
    if changed:
        for key, value in after.items():
            settings_repository.set_value(session, key, value)
        session.flush()
        record(session, actor, Verb.UPDATED, ObjectType.SETTING, "retention", details=changed)
    return changed


def closed_on(case: Case) -> date | None:
    """The day the case closed here: its conclusion, or its NFA decision."""
    if case.status_enum == CaseStatus.CONCLUDED:
        return case.concluded_on
    if case.status_enum == CaseStatus.NFA:
        return case.decided_on
    return None


def _years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def review_date(session: Session, case: Case, rules: Policy | None = None) -> tuple[date, str, str] | None:
    """(review date, rule, how it was applied) for a closed case; None for an open one. The
    latest date wins; on a tie the earlier rule in this order names it: years after closure,
    pension age, category."""
    closed = closed_on(case)
    if closed is None:
        return None
    p = rules or policy(session)
    options: list[tuple[date, str, str]] = [
        (
            _years(closed, p.years_after_closure),
            RetentionRule.YEARS_AFTER_CLOSURE,
            f"{p.years_after_closure} years after closure on {closed:%-d %B %Y}",
        )
    ]
    dob = case.person.date_of_birth if case.person is not None else None
    if dob is not None:
        options.append(
            (
                _years(dob, p.pension_age),
                RetentionRule.PENSION_AGE,
                f"The adult's pension age ({p.pension_age})",
            )
        )
    codes = {case.primary_category_code, *(c.code for c in case.secondary_categories)}
    codes |= {a.category_code for a in case.allegations}
    labels = {c.code: c.label for c in reference_repository.get_items(session, Category, sorted(codes))}
    for code in sorted(codes):
        if (years := p.category_years.get(code)) is not None:
            options.append(
                (
                    _years(closed, years),
                    RetentionRule.CATEGORY,
                    f"{years} years after closure ({labels.get(code, code)})",
                )
            )
    best = options[0]
    for option in options[1:]:
        if option[0] > best[0]:
            best = option
    return best


def _retention(session: Session, case: Case) -> CaseRetention:
    row = repository.retention_of(session, case.id)
    if row is None:
        row = CaseRetention(case_id=case.id, rule="", rule_detail="", hold=False, hold_reason="")
        session.add(row)
    return row


def schedule(session: Session, actor: Actor | None, case: Case) -> CaseRetention | None:
    """Give a case that has just closed its review date (called by the conclude and NFA steps,
    and by `lado retention schedule` for cases closed before retention existed)."""
    found = review_date(session, case)
    if found is None:
        return None
    row = _retention(session, case)
    before = {"review_on": row.review_on, "rule": row.rule}
    row.closed_on = closed_on(case)
    row.review_on, row.rule, row.rule_detail = found
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE_RETENTION,
        case.id,
        case_id=case.id,
        details={"step": "scheduled", **changes(before, {"review_on": row.review_on, "rule": row.rule})},
    )
    return row


def unschedule(session: Session, actor: Actor | None, case: Case) -> None:
    """Re-opening clears the review date (the case is live again); re-closing sets a new one."""
    require_not_destroyed(session, case)
    row = repository.retention_of(session, case.id)
    if row is None or row.review_on is None:
        return
    before = {"review_on": row.review_on, "rule": row.rule}
    row.review_on, row.rule, row.rule_detail, row.closed_on = None, "", "", None
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE_RETENTION,
        case.id,
        case_id=case.id,
        details={"step": "cleared", **changes(before, {"review_on": None, "rule": ""})},
    )


def require_not_destroyed(session: Session, case: Case) -> None:
    row = repository.retention_of(session, case.id)
    if row is not None and row.destroyed_on is not None:
        raise InvalidTransition(
            "This case's personal data was destroyed under a retention review on "
            f"{row.destroyed_on:%-d %B %Y}."
        )


def schedule_closed_cases(session: Session, actor: Actor) -> int:
    """A review date for every closed case that has none (cases closed before retention existed,
    or imported as concluded). Run as a manager: the cases are read through the case scope."""
    if actor.role != Role.MANAGER:
        raise Forbidden("Only a manager may schedule the retention reviews of every closed case.")
    rules = policy(session)
    cases = repository.closed_cases_without_date(session, actor)
    for case in cases:
        found = review_date(session, case, rules)
        if found is None:
            continue
        row = _retention(session, case)
        row.closed_on = closed_on(case)
        row.review_on, row.rule, row.rule_detail = found
    session.flush()
    if cases:
        record(
            session, actor, Verb.UPDATED, ObjectType.CASE_RETENTION, None, details={"scheduled": len(cases)}
        )
    return len(cases)


def set_hold(session: Session, actor: Actor, case: Case, data: HoldForm) -> CaseRetention:
    """Hold a case for an inquiry (it is then never due), or end the hold; either with a reason."""
    require_not_destroyed(session, case)
    row = _retention(session, case)
    before = {"hold": row.hold}
    row.hold = data.hold
    row.hold_reason = data.hold_reason if data.hold else ""
    row.hold_by_id = actor.user.id if actor.user and data.hold else None
    row.hold_at = utcnow() if data.hold else None
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE_RETENTION,
        case.id,
        case_id=case.id,
        details={
            "step": "hold" if data.hold else "hold_ended",
            "reason": data.hold_reason,
            **changes(before, {"hold": data.hold}),
        },
    )
    return row


def due_retention(session: Session, case: Case) -> CaseRetention:
    """The case's retention row, when a review may be recorded now."""
    require_not_destroyed(session, case)
    row = repository.retention_of(session, case.id)
    if row is None or row.review_on is None:
        raise Conflict("This case has no retention review date: it is not closed.")
    if row.hold:
        raise Conflict(
            "This case is held for an inquiry: it cannot be reviewed for destruction until the hold ends."
        )
    if row.review_on > today():
        raise Conflict(f"This case's retention review is not due until {row.review_on:%-d %B %Y}.")
    return row


def keep(session: Session, actor: Actor, case: Case, data: KeepForm) -> RetentionReview:
    """A review that keeps the case until a new, later review date."""
    if data.next_review_on <= today():
        raise ValidationFailed({"next_review_on": "The next review date must be in the future"})
    row = due_retention(session, case)
    review = RetentionReview(
        case_id=case.id,
        decision=ReviewDecision.KEEP.value,
        reason=data.keep_reason,
        next_review_on=data.next_review_on,
        reviewed_on=today(),
        due_on=row.review_on,
        rule=row.rule,
        by_id=actor.user.id if actor.user else None,
    )
    session.add(review)
    row.review_on, row.rule = data.next_review_on, RetentionRule.KEPT.value
    row.rule_detail = f"Kept at the review on {today():%-d %B %Y}"
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.RETENTION_REVIEW,
        review.id,
        case_id=case.id,
        details={"decision": "keep", "reason": data.keep_reason, "next_review_on": data.next_review_on},
    )
    return review


def retention_of(session: Session, case_id: int) -> CaseRetention | None:
    return repository.retention_of(session, case_id)


def is_due(row: CaseRetention | None) -> bool:
    """A review may be recorded: closed, the date reached, not held, not destroyed."""
    return (
        row is not None
        and row.review_on is not None
        and row.review_on <= today()
        and not row.hold
        and row.destroyed_on is None
    )


@dataclass
class QueuePage:
    rows: list[tuple[Case, CaseRetention]]
    #: The keyset of the next page's start (its previous row's review date and case id).
    next_key: tuple[date, int] | None


def review_queue(session: Session, actor: Actor, after: tuple[date, int] | None) -> QueuePage:
    """The cases the actor may see whose retention review is due, a page at a time; the reading
    is audited like every case list."""
    rows = repository.due_queue(session, actor, today(), after, QUEUE_PAGE_SIZE + 1)
    more = len(rows) > QUEUE_PAGE_SIZE
    rows = rows[:QUEUE_PAGE_SIZE]
    last = rows[-1] if rows and more else None
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.CASE_LIST,
        None,
        details={"list": "retention_due", "references": [c.reference for c, _ in rows]},
    )
    return QueuePage(
        rows=rows, next_key=(last[1].review_on, last[0].id) if last and last[1].review_on else None
    )
