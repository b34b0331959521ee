"""The online referral form and the intake queue.

Rules:
- Anyone may submit the form (no sign-in); it creates an intake, never a case, and queues a
  receipt e-mail that carries the receipt reference and nothing the sender typed (the form
  cannot be used to relay text to an address).
- Abuse: every attempt from an IP address is logged in the database (so the limit holds across
  app instances); more than ATTEMPTS_PER_HOUR attempts or ACCEPTED_PER_HOUR accepted referrals
  in the last hour are refused. A filled honeypot field is refused. Every field has a size limit.
- A LADO turns an intake into a case (app.cases.service.open_case, idempotent per intake) or
  closes it as advice given with the advice recorded, which records it as a consultation
  (app.consultations.service, linked by `case_id`) so that it is counted; both are audited and final.
- An intake turned into a case is shown only to those who may see that case.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases import repository as cases_repository
from app.cases import service as cases
from app.cases.models import Case, ContactMethod
from app.cases.schemas import CaseCreate
from app.clock import LONDON, utcnow
from app.consultations import service as consultations
from app.consultations.schemas import ConsultationCreate
from app.context import Actor
from app.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from app.forms import validate
from app.intake import repository
from app.intake.models import Intake, IntakeAttempt, IntakeStatus
from app.intake.schemas import CloseIntake, ReferralForm
from app.outbox.service import enqueue
from app.people import service as people
from app.reference import repository as reference_repository
from app.reference.models import Sector

ATTEMPTS_PER_HOUR = 30
ACCEPTED_PER_HOUR = 5
HONEYPOT_FIELD = "website"
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


class TooManyAttempts(DomainError):
    status_code = 429
    title = "Too many referrals from this connection"


class LooksAutomated(DomainError):
    status_code = 400
    title = "This form could not be accepted"


def new_reference(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        reference = f"ONL-{code[:4]}-{code[4:]}"
        if not repository.reference_exists(session, reference):
            return reference


def _log_attempt(session: Session, ip: str) -> IntakeAttempt:
    now = utcnow()
    repository.prune_attempts(session, now - timedelta(days=1))
    attempts, accepted = repository.attempts_since(session, ip, now - timedelta(hours=1))
    attempt = IntakeAttempt(ip=ip, attempted_at=now, accepted=False)
    session.add(attempt)
    session.flush()
    if attempts >= ATTEMPTS_PER_HOUR or accepted >= ACCEPTED_PER_HOUR:
        raise TooManyAttempts(
            "Too many referrals have been sent from this connection in the last hour. "
            "Try again later, or telephone the LADO team."
        )
    return attempt


RECEIPT = """Thank you. The LADO team has received your referral.

Your reference: {reference}

Quote this reference if you contact the team about the referral. A LADO officer will contact you,
usually within one working day. If a child is in immediate danger, call the police on 999.

This e-mail does not contain the details you sent. If you did not send a referral, tell the LADO
team: someone may have typed your address by mistake.
"""


def submit(session: Session, ip: str | None, data: dict[str, Any]) -> Intake:
    """Record a referral from the public form. The caller must commit even when this raises
    (the attempt is logged first, so refused attempts count towards the limit)."""
    attempt = _log_attempt(session, ip or "unknown")
    if str(data.get(HONEYPOT_FIELD) or "").strip():
        raise LooksAutomated(
            "This form could not be accepted. If you are trying to make a referral, telephone the LADO team."
        )
    form = validate(ReferralForm, data)
    if form.sector_code:
        sector = reference_repository.get_item(session, Sector, form.sector_code)
        if sector is None or not sector.active:
            raise ValidationFailed({"sector_code": "Choose the type of organisation from the list"})
    existing = repository.by_submission_key(session, form.submission_key)
    if existing is not None:
        return existing  # the same form sent twice (a double click, a refresh)
    intake = Intake(
        reference=new_reference(session),
        submission_key=form.submission_key,
        ip=(ip or "")[:64] or None,
        status=IntakeStatus.NEW.value,
        children=[c.model_dump() for c in form.children],
        sector_code=form.sector_code or None,
        **form.model_dump(exclude={"submission_key", "children", "sector_code"}),
    )
    try:
        with session.begin_nested():
            session.add(intake)
            session.flush()
    except IntegrityError:
        existing = repository.by_submission_key(session, form.submission_key)
        if existing is None:
            raise
        return existing
    attempt.accepted = True
    enqueue(
        session,
        kind="referral_receipt",
        to_address=form.referrer_email,
        subject=f"Referral received: {intake.reference}",
        body_text=RECEIPT.format(reference=intake.reference),
        subject_type="intake",
        subject_id=intake.id,
    )
    record(
        session,
        Actor(user=None, ip=ip, via="anonymous"),
        Verb.CREATED,
        ObjectType.INTAKE,
        intake.id,
        details={"reference": intake.reference},
    )
    return intake


# ---- the LADO's queue ------------------------------------------------------------------------------


def _visible(session: Session, actor: Actor, intake: Intake) -> bool:
    if intake.case_id is None:
        return True
    return cases_repository.get_visible(session, actor, intake.case_id) is not None


def get_intake(session: Session, actor: Actor, intake_id: int) -> Intake:
    intake = repository.get(session, intake_id)
    if intake is None or not _visible(session, actor, intake):
        raise NotFound("There is no such online referral, or you do not have access to it.")
    return intake


def view_intake(session: Session, actor: Actor, intake_id: int) -> Intake:
    intake = get_intake(session, actor, intake_id)
    record(session, actor, Verb.VIEWED, ObjectType.INTAKE, intake.id, case_id=intake.case_id)
    return intake


def queue(session: Session, actor: Actor, status: str) -> list[Intake]:
    if status not in {s.value for s in IntakeStatus}:
        raise NotFound("There is no such list of online referrals.")
    items = repository.queue(session, status)
    if status == IntakeStatus.CONVERTED.value:
        ids = [i.case_id for i in items if i.case_id]
        seen = cases_repository.visible_ids(session, actor, ids)
        items = [i for i in items if i.case_id in seen]
    return items


def require_new(intake: Intake) -> None:
    if intake.status != IntakeStatus.NEW.value:
        raise InvalidTransition(
            f"This online referral has already been dealt with ({intake.status_label.lower()})."
        )


def case_values(intake: Intake) -> dict[str, Any]:
    """The new-case form prefilled from an intake (the LADO completes and checks it)."""
    summary = [intake.what_happened]
    if intake.happened_on:
        summary.append(f"When: {intake.happened_on:%-d %B %Y}.")
    if intake.action_taken:
        summary.append(f"Done so far by the referrer: {intake.action_taken}")
    summary.append(
        "Suspended: " + {"yes": "yes", "no": "no", "not_yet": "being considered"}.get(intake.suspended, "")
    )
    return {
        "received_on": intake.received_at.astimezone(LONDON).date().isoformat(),
        "contact_method": "online",
        "referrer_name": intake.referrer_name,
        "referrer_organisation": intake.organisation_name,
        "referrer_role": intake.referrer_role,
        "referrer_phone": intake.referrer_phone,
        "referrer_email": intake.referrer_email,
        "organisation_name": intake.organisation_name,
        "sector_code": intake.sector_code or "",
        "subject_first_name": intake.adult_first_name,
        "subject_last_name": intake.adult_last_name,
        "subject_date_of_birth": intake.adult_date_of_birth.isoformat()
        if intake.adult_date_of_birth
        else None,
        "job_title": intake.adult_job_title,
        "summary": "\n\n".join(summary),
        "child_initials": [c.get("initials", "") for c in intake.children],
        "child_age": [str(c["age"]) if c.get("age") is not None else "" for c in intake.children],
        "child_gender": ["" for _ in intake.children],
    }


def case_key(intake: Intake) -> str:
    """The idempotency key of the case made from an intake: the same intake twice gives one case,
    and no client can guess it in advance to have its own case handed back."""
    digest = hashlib.sha256(f"intake:{intake.id}:{intake.submission_key}".encode()).hexdigest()
    return f"intake-{digest[:40]}"


def open_case_from(
    session: Session, actor: Actor, intake: Intake, data: dict[str, Any], link_case_id: int | None = None
) -> Case:
    """Turn the intake into a case with what the LADO confirmed; optionally link the adult to an
    earlier case the person check found (people.service.confirm_match, audited there)."""
    require_new(intake)
    case = cases.open_case(session, actor, validate(CaseCreate, {**data, "submission_key": case_key(intake)}))
    if link_case_id is not None:
        people.confirm_match(session, actor, case, link_case_id)
    intake.status = IntakeStatus.CONVERTED.value
    intake.case_id = case.id
    intake.handled_by_id = actor.user.id if actor.user else None
    intake.handled_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.INTAKE,
        intake.id,
        case_id=case.id,
        details={
            "reference": intake.reference,
            "status": {"from": "new", "to": "converted"},
            "case": case.reference,
        },
    )
    return case


def close_as_advice(session: Session, actor: Actor, intake: Intake, data: dict[str, Any]) -> Intake:
    require_new(intake)
    form = validate(CloseIntake, data)
    question = intake.what_happened
    if intake.happened_on:
        question += f"\n\nWhen: {intake.happened_on:%-d %B %Y}."
    consultation = consultations.record_consultation(
        session,
        actor,
        ConsultationCreate(
            received_on=intake.received_at.astimezone(LONDON).date(),
            contact_method=ContactMethod.ONLINE,
            referrer_name=intake.referrer_name,
            referrer_organisation=intake.organisation_name,
            organisation_name=intake.organisation_name,
            sector_code=form.sector_code or intake.sector_code or "",
            primary_category_code=form.primary_category_code,
            question=question,
            advice=form.reason,
            subject_first_name=intake.adult_first_name,
            subject_last_name=intake.adult_last_name,
            job_title=intake.adult_job_title,
            submission_key=case_key(intake),
        ),
        intake_id=intake.id,
    )
    intake.case_id = consultation.id
    intake.status = IntakeStatus.CLOSED.value
    intake.closed_reason = form.reason
    intake.handled_by_id = actor.user.id if actor.user else None
    intake.handled_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.INTAKE,
        intake.id,
        case_id=consultation.id,
        details={
            "reference": intake.reference,
            "status": {"from": "new", "to": "closed"},
            "advice": form.reason,
            "consultation": consultation.reference,
        },
    )
    return intake
