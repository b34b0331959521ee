"""What an investigation found and what followed: allegations and their outcomes, the employer's
disposals, regulator referrals, and concluding or re-opening the case. Like every service, these
validate, change and audit in the caller's transaction; they never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.cases import repository as cases_repository
from app.cases import rules
from app.cases.history import REOPENED_COLUMNS, CaseReopening, ReopenedOutcome
from app.cases.models import Allegation, Case, CaseStatus, RegulatorReferral
from app.cases.schemas import (
    AllegationCreate,
    Conclusion,
    DisposalsUpdate,
    OutcomeRecord,
    ReferralCreate,
    ReferralUpdate,
    Reopen,
)
from app.clock import today
from app.context import Actor
from app.corrections.plausibility import Questions
from app.errors import NotFound, ValidationFailed
from app.reference import repository as reference_repository
from app.reference.models import Category, Disposal, Outcome, Regulator
from app.retention import service as retention


def add_allegation(session: Session, actor: Actor, case: Case, data: AllegationCreate) -> Allegation:
    rules.require_step(case, "add_allegation")
    errors: dict[str, str] = {}
    rules.check_code(session, Category, data.category_code, "category_code", errors)
    if errors:
        raise ValidationFailed(errors)
    allegation = Allegation(description=data.description, category_code=data.category_code)
    case.allegations.append(allegation)
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.ALLEGATION,
        allegation.id,
        case_id=case.id,
        details={"description": data.description, "category_code": data.category_code},
    )
    return allegation


def get_allegation(case: Case, allegation_id: int) -> Allegation:
    for allegation in case.allegations:
        if allegation.id == allegation_id:
            return allegation
    raise NotFound("There is no such allegation on this case.")


def record_outcome(
    session: Session, actor: Actor, case: Case, allegation: Allegation, data: OutcomeRecord
) -> Allegation:
    rules.require_step(case, "record_outcome")
    rules.expect_version(case, data.version)
    errors: dict[str, str] = {}
    rules.check_code(session, Outcome, data.outcome_code, "outcome_code", errors)
    questions = Questions()
    questions.not_before_received(data.outcome_on, case.received_on, "outcome_on", "outcome")
    confirmed = questions.settle(data.confirm_implausible, errors)
    before = {"outcome_code": allegation.outcome_code, "outcome_on": allegation.outcome_on}
    allegation.outcome_code = data.outcome_code
    allegation.outcome_on = data.outcome_on
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.ALLEGATION,
        allegation.id,
        case_id=case.id,
        details={
            **changes(before, {"outcome_code": data.outcome_code, "outcome_on": data.outcome_on}),
            **confirmed,
        },
    )
    return allegation


def set_disposals(session: Session, actor: Actor, case: Case, data: DisposalsUpdate) -> Case:
    rules.require_step(case, "set_disposals")
    rules.expect_version(case, data.version)
    current = {d.code for d in case.disposals}
    errors: dict[str, str] = {}
    for code in data.disposal_codes:
        rules.check_code(
            session,
            Disposal,
            code,
            "disposal_codes",
            errors,
            allow_inactive=code if code in current else None,
        )
    if data.effective_on is not None and data.effective_on < case.received_on:
        errors["effective_on"] = (
            f"The date the disposals took effect must be on or after the date received "
            f"({case.received_on:%-d %B %Y})"
        )
    if errors:
        raise ValidationFailed(errors)
    before = sorted(current)
    case.disposals = reference_repository.get_items(session, Disposal, data.disposal_codes)
    rules.touch(case)
    session.flush()
    added = set(data.disposal_codes) - current
    if added and data.effective_on is not None:
        cases_repository.date_disposals(session, case.id, added, data.effective_on)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={"disposals": {"from": before, "to": sorted(d.code for d in case.disposals)}},
    )
    return case


def _check_referral_dates(case: Case, data: ReferralCreate | ReferralUpdate) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field in ("recommended_on", "made_on", "decision_on"):
        value: date | None = getattr(data, field, None)
        if value is not None and value < case.received_on:
            errors[field] = (
                f"The date must be on or after the date the case was received ({case.received_on:%-d %B %Y})"
            )
    return errors


def add_referral(session: Session, actor: Actor, case: Case, data: ReferralCreate) -> RegulatorReferral:
    rules.require_step(case, "add_referral")
    errors = _check_referral_dates(case, data)
    rules.check_code(session, Regulator, data.regulator_code, "regulator_code", errors)
    if errors:
        raise ValidationFailed(errors)
    referral = RegulatorReferral(
        regulator_code=data.regulator_code,
        status=data.status.value,
        recommended_on=data.recommended_on,
        made_on=data.made_on,
        reference=data.reference,
    )
    case.referrals.append(referral)
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.REGULATOR_REFERRAL,
        referral.id,
        case_id=case.id,
        details=data.model_dump(mode="json"),
    )
    return referral


def get_referral(case: Case, referral_id: int) -> RegulatorReferral:
    for referral in case.referrals:
        if referral.id == referral_id:
            return referral
    raise NotFound("There is no such referral on this case.")


def update_referral(
    session: Session, actor: Actor, case: Case, referral: RegulatorReferral, data: ReferralUpdate
) -> RegulatorReferral:
    """Status, dates, reference and later the regulator's decision; the regulator itself stays."""
    rules.require_step(case, "update_referral")
    errors = _check_referral_dates(case, data)
    if errors:
        raise ValidationFailed(errors)
    fields = ("status", "recommended_on", "made_on", "reference", "decision", "decision_on")
    before = {f: getattr(referral, f) for f in fields}
    referral.status = data.status.value
    referral.recommended_on = data.recommended_on
    referral.made_on = data.made_on
    referral.reference = data.reference
    referral.decision = data.decision
    referral.decision_on = data.decision_on
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.REGULATOR_REFERRAL,
        referral.id,
        case_id=case.id,
        details=changes(before, {f: getattr(referral, f) for f in fields}),
    )
    return referral


def conclude_case(session: Session, actor: Actor, case: Case, data: Conclusion) -> Case:
    """A case is concluded only when it has allegations and every one has an outcome, or as no
    further action after investigation (with the reason) when none has an outcome."""
    rules.require_step(case, "conclude")
    rules.expect_version(case, data.version)
    errors: dict[str, str] = {}
    if data.nfa_after_investigation:
        _check_nfa_after_investigation(case, data, errors)
    elif not case.allegations:
        errors["allegations"] = (
            "Add at least one allegation and record its outcome before concluding the case"
        )
    elif missing := [str(i) for i, a in enumerate(case.allegations, start=1) if a.outcome_code is None]:
        errors["allegations"] = (
            "Record an outcome for allegation " + ", ".join(missing) + " before concluding the case"
        )
    if data.concluded_on < case.received_on:
        errors["concluded_on"] = (
            f"The date concluded must be on or after the date received ({case.received_on:%-d %B %Y})"
        )
    if errors:
        raise ValidationFailed(errors)
    before = rules.snapshot(case)
    case.training_needs = data.training_needs
    case.concluded_on = data.concluded_on
    case.nfa_after_investigation = data.nfa_after_investigation
    case.conclusion_reason = data.reason.strip() if data.nfa_after_investigation else ""
    rules.move(case, CaseStatus.CONCLUDED)
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={"step": "conclude", **changes(before, rules.snapshot(case))},
    )
    retention.schedule(session, actor, case)
    return case


def _check_nfa_after_investigation(case: Case, data: Conclusion, errors: dict[str, str]) -> None:
    with_outcome = [str(i) for i, a in enumerate(case.allegations, start=1) if a.outcome_code is not None]
    if with_outcome:
        errors["nfa_after_investigation"] = (
            "A case concluded as no further action after investigation has no allegation outcomes: "
            "allegation " + ", ".join(with_outcome) + " has one, so conclude it with the outcomes"
        )
    if not data.reason.strip():
        errors["reason"] = "Enter why the investigation ended with no further action"


def reopen_case(session: Session, actor: Actor, case: Case, data: Reopen) -> Case:
    """Re-opening needs a reason; it clears the conclusion (an NFA case goes back to awaiting a
    decision) and keeps what it cleared, and every allegation's outcome as it stood, as the case's
    history, which earlier reports still count."""
    rules.require_step(case, "reopen")
    rules.expect_version(case, data.version)
    retention.require_not_destroyed(session, case)
    before = rules.snapshot(case)
    session.add(
        CaseReopening(
            case_id=case.id,
            reopened_on=today(),
            reason=data.reason,
            by_id=actor.user.id if actor.user else None,
            **{name: getattr(case, name) for name in REOPENED_COLUMNS},
            outcomes=[
                ReopenedOutcome(
                    case_id=case.id, allegation_id=a.id, outcome_code=a.outcome_code, outcome_on=a.outcome_on
                )
                for a in case.allegations
            ],
        )
    )
    if case.status_enum == CaseStatus.CONCLUDED:
        rules.move(case, CaseStatus.THRESHOLD_MET)
    else:
        rules.move(case, CaseStatus.OPEN)
        case.decision = None
        case.nfa_kind = None
        case.decided_on = None
    case.concluded_on = None
    case.training_needs = None
    case.nfa_after_investigation = False
    case.conclusion_reason = ""
    rules.touch(case)
    session.flush()
    record(
        session,
        actor,
        Verb.REOPENED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={"reason": data.reason, **changes(before, rules.snapshot(case))},
    )
    retention.unschedule(session, actor, case)
    return case
