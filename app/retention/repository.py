"""Every query of retention: the review queue (through the case scope), a case's retention row
and reviews, and the statements that destroy a case's personal data (service.destroy_case runs
them in order and counts what each removed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select, text, update
from sqlalchemy.orm import Session

from app.allocations.models import CaseAllocation
from app.areas.models import CaseAreas, CaseTransfer, LadoNotification
from app.audit.models import AuditEvent, ObjectType
from app.cases.models import (
    Allegation,
    Case,
    CaseNote,
    CaseReopening,
    Child,
    RegulatorReferral,
    refresh_sort_keys,
)
from app.cases.repository import visible_cases
from app.consultations.models import Consultation
from app.context import Actor
from app.disclosures.models import Disclosure
from app.intake.models import Intake
from app.letters.models import Letter, LetterAcknowledgement
from app.meetings.models import CaseAction, Meeting, MeetingAttendee, MeetingInvitee, MeetingPlan
from app.outbox.models import OutboxMessage
from app.people.models import Person, PersonKey
from app.retention.models import CaseRetention, RetentionReview
from app.strands.models import CaseStrand, StrandChange, Suspension


def retention_of(session: Session, case_id: int) -> CaseRetention | None:
    return session.get(CaseRetention, case_id)


def reviews_of(session: Session, case_id: int) -> list[RetentionReview]:
    return list(
        session.scalars(
            select(RetentionReview).where(RetentionReview.case_id == case_id).order_by(RetentionReview.id)
        )
    )


def due_queue(
    session: Session, actor: Actor, today: date, after: tuple[date, int] | None, limit: int
) -> list[tuple[Case, CaseRetention]]:
    """The visible cases whose review is due (on or before `today`), not held and not destroyed,
    oldest review date first; keyset paging from `after` (the last row's review date and id)."""
    stmt = (
        visible_cases(actor)
        .add_columns(CaseRetention)
        .join(CaseRetention, CaseRetention.case_id == Case.id)
        .where(
            CaseRetention.review_on <= today,
            CaseRetention.hold.is_(False),
            CaseRetention.destroyed_on.is_(None),
        )
    )
    if after is not None:
        day, case_id = after
        stmt = stmt.where(
            or_(CaseRetention.review_on > day, and_(CaseRetention.review_on == day, Case.id > case_id))
        )
    rows = session.execute(stmt.order_by(CaseRetention.review_on, Case.id).limit(limit)).all()
    return [(row[0], row[1]) for row in rows]


def closed_cases_without_date(session: Session, actor: Actor) -> list[Case]:
    """The visible concluded and NFA cases with no retention review date yet, and not destroyed
    (`lado retention schedule`, run as a manager, who sees every case)."""
    has_date = exists().where(CaseRetention.case_id == Case.id, CaseRetention.review_on.is_not(None))
    destroyed = exists().where(CaseRetention.case_id == Case.id, CaseRetention.destroyed_on.is_not(None))
    stmt = visible_cases(actor).where(Case.status.in_(("concluded", "nfa")), ~has_date, ~destroyed)
    return list(session.scalars(stmt.order_by(Case.id)))


# ---- destruction: each statement removes one kind of personal data of one case ------------------


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


def other_live_cases_of_person(session: Session, person_id: int, case_id: int) -> int:
    """How many other cases of the person are not destroyed (their records still need the name)."""
    destroyed = exists().where(CaseRetention.case_id == Case.id, CaseRetention.destroyed_on.is_not(None))
    stmt = select(Case.id).where(Case.person_id == person_id, Case.id != case_id, ~destroyed)
    return len(session.scalars(stmt).all())


def anonymise_person(session: Session, person_id: int) -> int:
    """Names blanked, date of birth gone, candidate keys gone; the row (and so the "same adult"
    link the repeat table counts) stays. Bulk SQL: the ORM's key listeners must not key it again."""
    session.execute(delete(PersonKey).where(PersonKey.person_id == person_id))
    result = session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(first_name="", last_name="", date_of_birth=None, first_key="", last_key="")
        .execution_options(synchronize_session=False)
    )
    refresh_sort_keys(session.connection(), Case.person_id == person_id)
    return _count(result)


CASE_TEXT = {
    **dict.fromkeys(("referrer_name", "referrer_organisation", "referrer_role", "referrer_phone"), ""),
    **dict.fromkeys(
        ("referrer_email", "job_title", "summary", "decision_rationale", "conclusion_reason"), ""
    ),
    # The next deadline's label can name an open action ("Action: ...").
    "next_due_label": "",
}


def blank_case(session: Session, case_id: int) -> int:
    return _count(
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(**CASE_TEXT, version=Case.version + 1)
            .execution_options(synchronize_session=False)
        )
    )


def _blank(session: Session, model: Any, where: ColumnElement[bool], **values: Any) -> int:
    return _count(
        session.execute(
            update(model).where(where).values(**values).execution_options(synchronize_session=False)
        )
    )


def _delete(session: Session, model: Any, where: ColumnElement[bool]) -> int:
    return _count(session.execute(delete(model).where(where).execution_options(synchronize_session=False)))


def blank_disclosures(session: Session, case_id: int) -> int:
    """The sharing log keeps when, to which kind of agency, how and on what basis; not what, nor
    to whom."""
    return _blank(
        session,
        Disclosure,
        Disclosure.case_id == case_id,
        **dict.fromkeys(("what", "agency_name", "recipient_name", "recipient_role", "notes"), ""),
    )


def delete_children(session: Session, case_id: int) -> int:
    return _delete(session, Child, Child.case_id == case_id)


def blank_allegations(session: Session, case_id: int) -> int:
    return _blank(session, Allegation, Allegation.case_id == case_id, description="")


def blank_referrals(session: Session, case_id: int) -> int:
    return _blank(session, RegulatorReferral, RegulatorReferral.case_id == case_id, reference="", decision="")


def delete_notes(session: Session, case_id: int) -> int:
    return _delete(session, CaseNote, CaseNote.case_id == case_id)


def blank_reopenings(session: Session, case_id: int) -> int:
    return _blank(session, CaseReopening, CaseReopening.case_id == case_id, reason="", conclusion_reason="")


def blank_kept_reviews(session: Session, case_id: int) -> int:
    """The reasons of the reviews that kept the case (the destroying review's is written after)."""
    where = and_(RetentionReview.case_id == case_id, RetentionReview.decision == "keep")
    return _blank(session, RetentionReview, where, reason="")


def blank_meetings(session: Session, case_id: int) -> dict[str, int]:
    meetings = select(Meeting.id).where(Meeting.case_id == case_id)
    plans = select(MeetingPlan.id).where(MeetingPlan.case_id == case_id)
    return {
        "meeting attendees": _delete(session, MeetingAttendee, MeetingAttendee.meeting_id.in_(meetings)),
        "meeting invitees": _delete(session, MeetingInvitee, MeetingInvitee.plan_id.in_(plans)),
        "meeting notes": _blank(
            session,
            Meeting,
            Meeting.case_id == case_id,
            minutes="",
            decisions="",
            suspension_notes="",
            delay_reason="",
        ),
        "meeting plans": _blank(
            session, MeetingPlan, MeetingPlan.case_id == case_id, location="", agenda="", cancel_reason=""
        ),
        "actions": _blank(
            session,
            CaseAction,
            CaseAction.case_id == case_id,
            description="",
            owner_name="",
            owner_organisation="",
        ),
    }


def blank_strands(session: Session, case_id: int) -> dict[str, int]:
    return {
        "strand notes": _blank(session, CaseStrand, CaseStrand.case_id == case_id, notes="")
        + _blank(session, StrandChange, StrandChange.case_id == case_id, notes=""),
        "suspension record": _blank(
            session, Suspension, Suspension.case_id == case_id, alternatives="", reasons="", decided_by=""
        ),
    }


def blank_areas(session: Session, case_id: int) -> dict[str, int]:
    return {
        "areas": _blank(
            session,
            CaseAreas,
            CaseAreas.case_id == case_id,
            work_area="",
            home_area="",
            incident_area="",
            lead_lado="",
            incident_period="",
        ),
        "transfers": _blank(
            session, CaseTransfer, CaseTransfer.case_id == case_id, reason="", other_reference=""
        ),
        "LADO notifications": _blank(
            session, LadoNotification, LadoNotification.case_id == case_id, reason=""
        ),
        "allocation reasons": _blank(session, CaseAllocation, CaseAllocation.case_id == case_id, reason=""),
    }


def blank_consultation(session: Session, case_id: int) -> int:
    return _blank(session, Consultation, Consultation.case_id == case_id, advice="")


def intake_ids(session: Session, case_id: int) -> list[int]:
    return list(session.scalars(select(Intake.id).where(Intake.case_id == case_id)))


def blank_intakes(session: Session, ids: list[int]) -> int:
    if not ids:
        return 0
    text_fields = ("referrer_name", "referrer_role", "referrer_email", "referrer_phone", "organisation_name")
    more = ("organisation_address", "adult_first_name", "adult_last_name", "adult_job_title")
    return _blank(
        session,
        Intake,
        Intake.id.in_(ids),
        **dict.fromkeys((*text_fields, *more, "what_happened", "action_taken", "closed_reason"), ""),
        adult_date_of_birth=None,
        children=[],
        ip=None,
    )


def letter_ids(session: Session, case_id: int) -> list[int]:
    return list(session.scalars(select(Letter.id).where(Letter.case_id == case_id)))


def delete_letters(session: Session, case_id: int, ids: list[int]) -> int:
    """Every letter of the case and each of its versions, their acknowledgements too."""
    if not ids:
        return 0
    _delete(session, LetterAcknowledgement, LetterAcknowledgement.letter_id.in_(ids))
    _blank(session, Letter, Letter.id.in_(ids), replaces_id=None, delivery_message_id=None)
    return _delete(session, Letter, Letter.case_id == case_id)


def delete_messages(session: Session, subject_type: str, ids: list[int]) -> int:
    """The e-mails queued or sent for these records (a letter's PDF, a referral's receipt)."""
    if not ids:
        return 0
    where = and_(
        OutboxMessage.subject_type == subject_type, OutboxMessage.subject_id.in_([str(i) for i in ids])
    )
    return _delete(session, OutboxMessage, where)


def allow_audit_scrub(session: Session, on: bool) -> None:
    """PostgreSQL's append-only trigger lets a transaction that says so rewrite `details` only
    (migration 0025); SQLite has no trigger."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT set_config('lado.retention_scrub', :v, true)"), {"v": "on" if on else "off"}
        )


def scrub_audit(
    session: Session,
    case_id: int,
    person_id: int | None,
    intakes: list[int],
    keep: tuple[str, ...],
    mark: dict[str, Any],
) -> int:
    """The content recorded in the audit about the case (its events, and those of its adult and
    its online referrals recorded before they belonged to it): each event's details become `mark`
    and the keys named in `keep` (names of steps, never typed text). Returns how many changed."""
    about = [AuditEvent.case_id == case_id]
    if person_id is not None:
        about.append(
            and_(AuditEvent.object_type == ObjectType.PERSON.value, AuditEvent.object_id == str(person_id))
        )
    if intakes:
        about.append(
            and_(
                AuditEvent.object_type == ObjectType.INTAKE.value,
                AuditEvent.object_id.in_([str(i) for i in intakes]),
            )
        )
    rows = session.execute(select(AuditEvent.id, AuditEvent.details).where(or_(*about))).all()
    for event_id, details in rows:
        kept = {k: v for k, v in (details or {}).items() if k in keep and isinstance(v, str)}
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id == event_id)
            .values(details={**kept, **mark})
            .execution_options(synchronize_session=False)
        )
    return len(rows)
