"""Destroying a case's personal data under a retention review (service.py has the policy, the
dates and the reviews that keep a case). `destroy_case` runs DESTRUCTION_STEPS in order, each
removing one kind of personal data and counting what it removed, then scrubs the audit of the
case's content and records the destruction certificate (what kinds of record and how many,
when, by whom, under which rule and review), itself without any of the destroyed content.

What stays, and why: the annual report (app/reports) reads only the case's codes, flags and
dates (received, decided, concluded, re-opened), its allegations' categories and outcomes with
their dates, its disposals and regulator referrals with their statuses and dates, its
consultation's conversion date, meetings' types and dates, strands' statuses and outcomes,
the suspension decision, the areas' codes and flags, transfers, and the adult's person id (the
repeat table's "same adult"). All of those rows stay with those columns; only their free text is
blanked. So every figure, for every year and as-at date, is the same after a destruction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases.models import Case
from app.clock import today
from app.context import Actor
from app.documents import service as documents
from app.errors import Forbidden
from app.meetings import minutes
from app.retention import repository
from app.retention.models import RULE_LABELS, RetentionReview, RetentionRule, ReviewDecision
from app.retention.schemas import DestroyForm
from app.retention.service import due_retention
from app.users.models import Role


@dataclass
class Destruction:
    """What one destruction works on: the case, its adult (anonymised only when none of their
    other cases is still held: those still need the name), its online referrals and letters."""

    actor: Actor
    case: Case
    person_id: int | None
    anonymise_person: bool
    intakes: list[int]
    letters: list[int]


Step = Callable[[Session, Destruction], dict[str, int]]


def _person(session: Session, d: Destruction) -> dict[str, int]:
    if d.person_id is None or not d.anonymise_person:
        return {"adult": 0}
    return {"adult": repository.anonymise_person(session, d.person_id)}


def _case_text(session: Session, d: Destruction) -> dict[str, int]:
    cid = d.case.id
    return {
        "referrer and case text": repository.blank_case(session, cid),
        "children": repository.delete_children(session, cid),
        "allegation descriptions": repository.blank_allegations(session, cid),
        "referral references and decisions": repository.blank_referrals(session, cid),
        "notes": repository.delete_notes(session, cid),
        "re-opening reasons": repository.blank_reopenings(session, cid),
        "consultation advice": repository.blank_consultation(session, cid),
        "retention review reasons": repository.blank_kept_reviews(session, cid),
    }


def _meetings(session: Session, d: Destruction) -> dict[str, int]:
    return repository.blank_meetings(session, d.case.id)


def _strands(session: Session, d: Destruction) -> dict[str, int]:
    return repository.blank_strands(session, d.case.id)


def _areas(session: Session, d: Destruction) -> dict[str, int]:
    return repository.blank_areas(session, d.case.id)


def _intakes(session: Session, d: Destruction) -> dict[str, int]:
    return {
        "online referrals": repository.blank_intakes(session, d.intakes),
        "online referral e-mails": repository.delete_messages(session, "intake", d.intakes),
    }


def _letters(session: Session, d: Destruction) -> dict[str, int]:
    # Every letter and version first (they point at their e-mails), then the e-mails: they
    # carry the letter's text and its PDF.
    deleted = repository.delete_letters(session, d.case.id, d.letters)
    return {"letters": deleted, "letter e-mails": repository.delete_messages(session, "letter", d.letters)}


def _documents(session: Session, d: Destruction) -> dict[str, int]:
    # The rows now; the stored files no other live document holds once the transaction commits.
    return {"documents": documents.destroy_case_documents(session, d.actor, d.case.id)}


def _minutes(session: Session, d: Destruction) -> dict[str, int]:
    counts = minutes.destroy_case_minutes(session, d.actor, d.case.id)
    return {f"minutes: {kind.replace('_', ' ')}": n for kind, n in counts.items()}


def _sharing_log(session: Session, d: Destruction) -> dict[str, int]:
    return {"sharing log entries": repository.blank_disclosures(session, d.case.id)}


#: The steps of a destruction, in order. Each removes one kind of personal data of the case and
#: returns how many records of each kind it changed or removed (the certificate lists them).
DESTRUCTION_STEPS: list[tuple[str, Step]] = [
    ("adult", _person),
    ("case", _case_text),
    ("meetings", _meetings),
    ("strands", _strands),
    ("areas", _areas),
    ("online referrals", _intakes),
    ("letters", _letters),
    ("documents", _documents),
    ("minutes", _minutes),
    ("sharing log", _sharing_log),
]

#: What a scrubbed audit event keeps of its details: the step it names (so the chronology can
#: still say "Case concluded"), nothing typed.
KEPT_DETAIL_KEYS = ("step",)


def destroy_case(session: Session, actor: Actor, case: Case, data: DestroyForm) -> RetentionReview:
    """Destroy the personal data of a case whose review is due (managers only): the case,
    allegation, outcome, disposal and referral rows stay with their codes and dates (the annual
    report reads nothing else), free text is blanked, children, notes and letters deleted, the
    adult anonymised (the person row and so the "same adult" link stay), the audit's content of
    the case scrubbed, and a destruction certificate recorded in the audit."""
    if actor.role != Role.MANAGER:
        raise Forbidden("Only a manager may destroy a case's personal data.")
    row = due_retention(session, case)
    person_id = case.person_id
    others = repository.other_live_cases_of_person(session, person_id, case.id) if person_id else 0
    work = Destruction(
        actor=actor,
        case=case,
        person_id=person_id,
        anonymise_person=person_id is not None and others == 0,
        intakes=repository.intake_ids(session, case.id),
        letters=repository.letter_ids(session, case.id),
    )
    session.flush()
    counts: dict[str, int] = {}
    for _name, step in DESTRUCTION_STEPS:
        counts.update(step(session, work))
    review = RetentionReview(
        case_id=case.id,
        decision=ReviewDecision.DESTROY.value,
        reason=data.reason,
        reviewed_on=today(),
        due_on=row.review_on,
        rule=row.rule,
        by_id=actor.user.id if actor.user else None,
    )
    session.add(review)
    row.destroyed_on = today()
    row.destroyed_by_id = actor.user.id if actor.user else None
    row.hold_reason = ""
    session.flush()
    repository.allow_audit_scrub(session, True)
    scrubbed = repository.scrub_audit(
        session,
        case.id,
        person_id if work.anonymise_person else None,
        work.intakes,
        KEPT_DETAIL_KEYS,
        {"destroyed": "under retention review", "review_id": review.id},
    )
    repository.allow_audit_scrub(session, False)
    session.expire_all()
    record(
        session,
        actor,
        Verb.DESTROYED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={
            "certificate": {
                "destroyed_on": today(),
                "review_id": review.id,
                "review_due_on": row.review_on,
                "rule": row.rule,
                "rule_label": RULE_LABELS.get(RetentionRule(row.rule), row.rule) if row.rule else "",
                "adult_anonymised": work.anonymise_person,
                "adult_kept_for_other_cases": others,
                "records": {**counts, "audit events scrubbed": scrubbed},
            }
        },
    )
    return review
