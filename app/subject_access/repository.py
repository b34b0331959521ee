"""Every query of subject access. A request is visible to a caller who may see at least one case
of its data subject (through the case scope): a person whose only cases are restricted and not
named to the caller is, to them, as if no request existed."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, undefer

from app.cases.models import Case
from app.cases.repository import visible_cases
from app.context import Actor
from app.subject_access.models import OUTSTANDING, Redaction, Release, SubjectAccessRequest


def visible_requests(actor: Actor) -> Select[SubjectAccessRequest]:
    seen = (
        visible_cases(actor)
        .with_only_columns(Case.id)
        .where(Case.person_id == SubjectAccessRequest.person_id)
    )
    return select(SubjectAccessRequest).where(seen.exists())


def requests(session: Session, actor: Actor) -> list[SubjectAccessRequest]:
    stmt = visible_requests(actor).order_by(
        SubjectAccessRequest.received_on.desc(), SubjectAccessRequest.id.desc()
    )
    return list(session.scalars(stmt))


def outstanding(session: Session, actor: Actor) -> list[SubjectAccessRequest]:
    """Requests still to answer, the soonest due first."""
    stmt = visible_requests(actor).where(SubjectAccessRequest.status.in_(OUTSTANDING))
    return list(session.scalars(stmt.order_by(SubjectAccessRequest.due_on, SubjectAccessRequest.id)))


def get_visible(session: Session, actor: Actor, request_id: int) -> SubjectAccessRequest | None:
    return session.scalar(visible_requests(actor).where(SubjectAccessRequest.id == request_id))


def case_by_reference(session: Session, actor: Actor, reference: str) -> Case | None:
    return session.scalar(visible_cases(actor).where(Case.reference == reference))


def cases_of_person(session: Session, actor: Actor, person_id: int) -> list[Case]:
    """The person's cases (they are the adult) the actor may see, oldest first."""
    stmt = visible_cases(actor).where(Case.person_id == person_id).order_by(Case.received_on, Case.id)
    return list(session.scalars(stmt))


def visible_references(session: Session, actor: Actor, references: list[str]) -> set[str]:
    if not references:
        return set()
    stmt = visible_cases(actor).with_only_columns(Case.reference).where(Case.reference.in_(references))
    return set(session.scalars(stmt))


def redaction_of(session: Session, request_id: int, redaction_id: int) -> Redaction | None:
    return session.scalar(
        select(Redaction).where(Redaction.id == redaction_id, Redaction.request_id == request_id)
    )


def release_with_content(session: Session, request_id: int) -> Release | None:
    return session.scalar(
        select(Release).where(Release.request_id == request_id).options(undefer(Release.content))
    )
