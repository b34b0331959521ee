"""Subject access requests: record, extend or refuse, redact, export and release.

Rules:
- The data subject is the adult of a case the caller may see (named by its reference); every
  later step reads only the cases of that person the caller may see (the case scope).
- Due one calendar month after receipt: the corresponding date next month, or the last day of
  next month when there is none (31 January -> 28 or 29 February; 15 March -> 15 April). An
  extension (by two further months, UK GDPR Article 12(3)) makes it three months after receipt.
- Statuses: open -> extended -> released or refused; open -> released or refused. A released or
  refused request changes no more (409). Nothing is released before the requester's identity is
  verified (recorded with the request, or later with how it was checked).
- A redaction names an item of the bundle as the caller sees it and a passage found in its text.
- Releasing keeps the zip as released (bytes, SHA-256, who, when) with its redactions; neither
  changes afterwards. Every write is audited; every download of a bundle is audited as EXPORTED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases.models import Case
from app.clock import today
from app.context import Actor
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.subject_access import bundle, repository
from app.subject_access.models import (
    RELEASED_NEVER_CHANGES,
    Redaction,
    Release,
    RequestStatus,
    SubjectAccessRequest,
)
from app.subject_access.schemas import RedactionCreate, RequestCreate, StatusChange

NOT_FOUND = "There is no such subject access request, or you do not have access to its cases."
ANSWERED = "This request has been answered (released or refused): it changes no more."
UNVERIFIED = "Verify the requester's identity before releasing anything: record how it was checked"


def due_date(received_on: date, months: int = 1) -> date:
    """`months` calendar months after `received_on` (the same day of the month, or the month's
    last day when it has no such day), as the ICO reads UK GDPR Article 12(3)."""
    return received_on + relativedelta(months=months)


def extended_due_date(received_on: date) -> date:
    return due_date(received_on, 3)


def _by(actor: Actor) -> int | None:
    return actor.user.id if actor.user else None


def list_requests(session: Session, actor: Actor) -> list[SubjectAccessRequest]:
    return repository.requests(session, actor)


def outstanding(session: Session, actor: Actor) -> list[SubjectAccessRequest]:
    """The dashboard's panel: open and extended requests, the soonest due first."""
    return repository.outstanding(session, actor)


def get_request(session: Session, actor: Actor, request_id: int) -> SubjectAccessRequest:
    found = repository.get_visible(session, actor, request_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def view_request(session: Session, actor: Actor, request_id: int) -> SubjectAccessRequest:
    found = get_request(session, actor, request_id)
    record(session, actor, Verb.VIEWED, ObjectType.SUBJECT_ACCESS_REQUEST, found.id)
    return found


def record_request(session: Session, actor: Actor, data: RequestCreate) -> SubjectAccessRequest:
    case = repository.case_by_reference(session, actor, data.case_reference.upper())
    if case is None:
        raise ValidationFailed(
            {"case_reference": "Enter the reference of a case you can see, like 2026-0001"}
        )
    if case.person_id is None:
        raise ValidationFailed(
            {"case_reference": "The adult of that case is not identified: enter another case's reference"}
        )
    row = SubjectAccessRequest(
        person_id=case.person_id,
        requester_name=data.requester_name,
        requester_relationship=data.requester_relationship,
        received_on=data.received_on,
        identity_verified=data.identity_verified,
        due_on=due_date(data.received_on),
        status=RequestStatus.OPEN.value,
        created_by_id=_by(actor),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.SUBJECT_ACCESS_REQUEST,
        row.id,
        details={
            "person_id": row.person_id,
            "received_on": row.received_on.isoformat(),
            "due_on": row.due_on.isoformat(),
            "identity_verified": row.identity_verified,
        },
    )
    return row


def _still_open(req: SubjectAccessRequest) -> None:
    if not req.outstanding:
        raise InvalidTransition(ANSWERED)


def change_status(session: Session, actor: Actor, req: SubjectAccessRequest, data: StatusChange) -> None:
    _still_open(req)
    if data.changed_on < req.received_on:
        raise ValidationFailed(
            {"changed_on": f"The date must be on or after the date received ({req.received_on:%-d %B %Y})"}
        )
    before = req.status
    if data.status == "verified":
        if req.identity_verified:
            raise InvalidTransition("The requester's identity is already verified")
        req.identity_verified = True
        session.flush()
        record(
            session,
            actor,
            Verb.UPDATED,
            ObjectType.SUBJECT_ACCESS_REQUEST,
            req.id,
            details={"identity_verified": True, "on": data.changed_on.isoformat(), "how": data.why},
        )
        return
    if data.status == "extended":
        if req.status == RequestStatus.EXTENDED:
            raise InvalidTransition("This request has already been extended")
        req.status, req.extended_on, req.extension_reason = (
            RequestStatus.EXTENDED.value,
            data.changed_on,
            data.why,
        )
        req.due_on = extended_due_date(req.received_on)
    else:
        req.status, req.refused_on, req.refusal_reason = (
            RequestStatus.REFUSED.value,
            data.changed_on,
            data.why,
        )
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.SUBJECT_ACCESS_REQUEST,
        req.id,
        details={
            "status": [before, req.status],
            "on": data.changed_on.isoformat(),
            "due_on": req.due_on.isoformat(),
        },
    )


@dataclass(frozen=True)
class Bundle:
    cases: list[Case]
    #: As the caller sees them, before redaction.
    items: list[bundle.Item]
    #: The caller's items with the request's redactions applied.
    redacted: list[bundle.Item]
    #: The request's redactions on the caller's items.
    redactions: list[Redaction]


def bundle_of(session: Session, actor: Actor, req: SubjectAccessRequest) -> Bundle:
    """The bundle as `actor` may see it: the person's visible cases only."""
    cases = repository.cases_of_person(session, actor, req.person_id)
    items = bundle.items_for(session, actor, cases)
    keys = {i.key for i in items} | {bundle.EVERY_ITEM}
    mine = [r for r in req.redactions if r.item_key in keys]
    return Bundle(cases, items, bundle.redacted(items, mine), mine)


def add_redaction(
    session: Session, actor: Actor, req: SubjectAccessRequest, data: RedactionCreate
) -> Redaction:
    if req.release is not None:
        raise InvalidTransition(RELEASED_NEVER_CHANGES)
    _still_open(req)
    items = bundle_of(session, actor, req).items
    if data.item_key == bundle.EVERY_ITEM:
        texts = [i.text for i in items]
    else:
        texts = [i.text for i in items if i.key == data.item_key]
        if not texts:
            raise ValidationFailed({"item_key": "Select the item of the bundle from the list"})
    if not any(data.passage in text for text in texts):
        raise ValidationFailed(
            {"passage": "Enter a passage as it appears in the item (copy it from the item)"}
        )
    row = Redaction(
        item_key=data.item_key, passage=data.passage, reason=data.reason, created_by_id=_by(actor)
    )
    req.redactions.append(row)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.SUBJECT_ACCESS_REDACTION,
        row.id,
        details={
            "request_id": req.id,
            "item_key": row.item_key,
            "reason": row.reason,
            "length": len(row.passage),
        },
    )
    return row


def remove_redaction(session: Session, actor: Actor, req: SubjectAccessRequest, redaction_id: int) -> None:
    if req.release is not None:
        raise InvalidTransition(RELEASED_NEVER_CHANGES)
    _still_open(req)
    row = repository.redaction_of(session, req.id, redaction_id)
    if row is None or row not in bundle_of(session, actor, req).redactions:
        raise NotFound("There is no such redaction on this request")
    req.redactions.remove(row)
    session.flush()
    record(
        session,
        actor,
        Verb.DELETED,
        ObjectType.SUBJECT_ACCESS_REDACTION,
        redaction_id,
        details={"request_id": req.id, "item_key": row.item_key, "reason": row.reason},
    )


def file_name(req: SubjectAccessRequest, released: bool) -> str:
    return f"subject-access-{req.id}-{'released' if released else 'draft'}.zip"


def export_draft(session: Session, actor: Actor, req: SubjectAccessRequest) -> tuple[str, bytes]:
    """The bundle as it would be released now (redactions applied), for the LADO to check."""
    made = bundle_of(session, actor, req)
    data, sha = bundle.bundle_zip(req.person, made.redacted, today(), released=False)
    record(
        session,
        actor,
        Verb.EXPORTED,
        ObjectType.SUBJECT_ACCESS_BUNDLE,
        req.id,
        details={
            "draft": True,
            "cases": [c.reference for c in made.cases],
            "redactions": len(made.redactions),
            "sha256": sha,
        },
    )
    return file_name(req, False), data


def release(session: Session, actor: Actor, req: SubjectAccessRequest) -> Release:
    if req.release is not None:
        raise InvalidTransition(RELEASED_NEVER_CHANGES)
    _still_open(req)
    if not req.identity_verified:
        raise InvalidTransition(UNVERIFIED)
    made = bundle_of(session, actor, req)
    on = today()
    data, sha = bundle.bundle_zip(req.person, made.redacted, on, released=True)
    references = [c.reference for c in made.cases]
    row = Release(
        released_by_id=_by(actor),
        file_name=file_name(req, True),
        sha256=sha,
        size=len(data),
        case_references=";".join(references),
        content=data,
    )
    req.release = row
    before = req.status
    req.status, req.released_on = RequestStatus.RELEASED.value, on
    session.flush()
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.SUBJECT_ACCESS_REQUEST,
        req.id,
        details={"status": [before, req.status], "on": on.isoformat()},
    )
    record(
        session,
        actor,
        Verb.EXPORTED,
        ObjectType.SUBJECT_ACCESS_BUNDLE,
        req.id,
        details={"released": True, "cases": references, "redactions": len(made.redactions), "sha256": sha},
    )
    return row


def released_bundle(session: Session, actor: Actor, req: SubjectAccessRequest) -> Release:
    """The zip as released. It may hold cases the caller cannot see (released by a manager, say):
    then it is "not found" to them, as those cases are."""
    row = repository.release_with_content(session, req.id)
    if row is None:
        raise NotFound("This request has no released bundle yet")
    references = [r for r in row.case_references.split(";") if r]
    if len(repository.visible_references(session, actor, references)) != len(references):
        raise NotFound(NOT_FOUND)
    record(
        session,
        actor,
        Verb.EXPORTED,
        ObjectType.SUBJECT_ACCESS_BUNDLE,
        req.id,
        details={"released": True, "download": True, "sha256": row.sha256},
    )
    return row
