"""The letter workflow on a case: draft (from the template) -> edit, preview, Word round trip ->
finalise (PDF with SHA-256, delivery queued in the same transaction) -> acknowledged by the HR
liaison. A finalised letter never changes; a correction is a new version that names the one it
replaces. Every function takes a case the caller loaded through the case scope; services flush
at most and audit in the caller's transaction."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases.models import Case
from app.clock import today, utcnow
from app.context import Actor
from app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.letters import docx, repository
from app.letters.delivery import queue_delivery
from app.letters.fields import letter_fields, missing_facts
from app.letters.models import FINAL_LETTER_REFUSAL, Letter, LetterKind, LetterStatus
from app.letters.pdf import render_pdf
from app.letters.presenters import is_overdue
from app.letters.sandbox import render_letter
from app.letters.schemas import DraftEdit, Finalise
from app.organisations import repository as organisation_repository
from app.organisations.models import OrganisationContact

NOT_FOUND = "There is no such letter on this case."
STALE = (
    "Someone else changed this letter after you opened it. Your changes have not been saved: check the "
    "letter as it is now, then make your changes again."
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(STALE) from None


def _expect(letter: Letter, row_version: int | None) -> None:
    if row_version is not None and row_version != letter.row_version:
        raise Conflict(STALE)


def _require_draft(letter: Letter) -> None:
    if letter.is_final:
        raise InvalidTransition(FINAL_LETTER_REFUSAL)


def get_letter(session: Session, case: Case, letter_id: int, *, with_pdf: bool = False) -> Letter:
    letter = repository.letter_of_case(session, case.id, letter_id, with_pdf=with_pdf)
    if letter is None:
        raise NotFound(NOT_FOUND)
    return letter


def view_letter(session: Session, actor: Actor, case: Case, letter_id: int) -> Letter:
    letter = get_letter(session, case, letter_id)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={"kind": letter.kind, "version": letter.version, "status": letter.status},
    )
    return letter


def export_letter(session: Session, actor: Actor, case: Case, letter_id: int, fmt: str) -> Letter:
    """A letter about to be downloaded (PDF of a final letter, .docx of any), audited as an export."""
    letter = get_letter(session, case, letter_id, with_pdf=fmt == "pdf")
    if fmt == "pdf" and not letter.is_final:
        raise NotFound("A draft has no PDF yet: finalise the letter first.")
    record(
        session,
        actor,
        Verb.EXPORTED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={
            "format": fmt,
            "version": letter.version,
            "sha256": letter.pdf_sha256 if fmt == "pdf" else None,
        },
    )
    return letter


def _contact(session: Session, case: Case, contact_id: int | None) -> OrganisationContact | None:
    if contact_id is None:
        return None
    contact = organisation_repository.get_contact(session, contact_id)
    if contact is None or case.organisation_id is None or contact.organisation_id != case.organisation_id:
        raise ValidationFailed({"contact_id": "Choose a contact from the list"})
    return contact


def _render(session: Session, actor: Actor, case: Case, letter: Letter) -> str:
    template = repository.template(session, letter.kind)
    if template is None:  # seeded by the migration; an administrator cannot delete it
        raise InvalidTransition(
            "There is no template for this kind of letter. Ask an administrator to set one up."
        )
    fields = letter_fields(
        session,
        case,
        kind=letter.kind_enum,
        lado=actor.user,
        contact=letter.contact,
        on=today(),
        replaces=letter.replaces,
    )
    return render_letter(template.body, fields)


def create_draft(session: Session, actor: Actor, case: Case, kind: LetterKind) -> Letter:
    """A new draft made from the template, addressed to the organisation's primary HR liaison; if a
    draft of this kind is already open, that one (a case has one draft of each kind at a time)."""
    existing = repository.draft_of(session, case.id, kind)
    if existing is not None:
        return existing
    if kind.to_employer and case.organisation_id is None:
        raise InvalidTransition("Record the employer on the case before writing to them.")
    letter = Letter(
        case_id=case.id,
        kind=kind.value,
        version=repository.next_version(session, case.id, kind),
        status=LetterStatus.DRAFT,
        created_by_id=actor.user.id if actor.user else None,
        organisation_id=case.organisation_id if kind.to_employer else None,
        case_reference=case.reference,
    )
    if kind.to_employer and case.organisation_id is not None:
        letter.contact = organisation_repository.primary_contact(session, case.organisation_id)
    letter.body = _render(session, actor, case, letter)
    letter.generated_at = utcnow()
    try:
        with session.begin_nested():
            session.add(letter)
            session.flush()
    except IntegrityError:  # someone made the same version at the same moment: theirs stands
        existing = repository.draft_of(session, case.id, kind)
        if existing is None:
            raise Conflict("Someone else started this letter at the same moment: reload the case.") from None
        return existing
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={
            "kind": letter.kind,
            "version": letter.version,
            "contact_id": letter.contact_id,
            "body_sha256": _digest(letter.body),
        },
    )
    return letter


def update_draft(session: Session, actor: Actor, case: Case, letter: Letter, data: DraftEdit) -> bool:
    """Save the edited body and the chosen recipient; True if anything changed."""
    _require_draft(letter)
    _expect(letter, data.row_version)
    body = data.body.replace("\r\n", "\n").strip() + "\n"
    contact = _contact(session, case, data.contact_id) if letter.kind_enum.to_employer else None
    changed: dict[str, object] = {}
    if body != letter.body:
        changed["body_sha256"] = {"from": _digest(letter.body), "to": _digest(body)}
        letter.body = body
    if letter.kind_enum.to_employer and (contact.id if contact else None) != letter.contact_id:
        changed["contact_id"] = {"from": letter.contact_id, "to": contact.id if contact else None}
        letter.contact = contact
    if not changed:
        return False
    _flush(session)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={"changes": changed},
    )
    return True


def regenerate(session: Session, actor: Actor, case: Case, letter: Letter, row_version: int | None) -> None:
    """Start the draft's text again from the template and the case as it is now."""
    _require_draft(letter)
    _expect(letter, row_version)
    before = letter.body
    letter.body = _render(session, actor, case, letter)
    letter.generated_at = utcnow()
    _flush(session)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={
            "source": "template",
            "changes": {"body_sha256": {"from": _digest(before), "to": _digest(letter.body)}},
        },
    )


def upload_docx(
    session: Session, actor: Actor, case: Case, letter: Letter, data: bytes, filename: str
) -> None:
    """Replace the draft's text with the paragraphs of an edited Word document."""
    _require_draft(letter)
    body = docx.from_docx(data, filename)
    before = letter.body
    letter.body = body
    _flush(session)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={
            "source": "docx",
            "filename": filename[:200],
            "size": len(data),
            "changes": {"body_sha256": {"from": _digest(before), "to": _digest(body)}},
        },
    )


def is_stale(case: Case, letter: Letter) -> bool:
    """The case changed after the draft's text was made from the template."""
    return not letter.is_final and case.updated_at is not None and case.updated_at > letter.generated_at


def finalise(session: Session, actor: Actor, case: Case, letter: Letter, data: Finalise) -> Letter:
    """Fix the letter for good: PDF and SHA-256 stored, the recipient recorded, and (for a letter
    to the employer) its delivery queued in this same transaction. Refused, with everything that
    is missing listed, while the case lacks a fact the letter states."""
    _require_draft(letter)
    _expect(letter, data.row_version)
    missing = missing_facts(case, letter)
    if is_stale(case, letter) and not data.checked_against_case:
        missing["checked_against_case"] = (
            "The case has changed since this letter's text was made: check the letter "
            "against the case (or start again from the template), then confirm"
        )
    if missing:
        raise ValidationFailed(missing, "The letter cannot be finalised yet")
    if letter.kind_enum.to_employer:
        contact = letter.contact
        assert contact is not None  # missing_facts
        letter.organisation_id = case.organisation_id
        letter.recipient_name, letter.recipient_role, letter.recipient_email = (
            contact.name,
            contact.role,
            contact.email,
        )
    else:
        letter.recipient_name = case.person.full_name if case.person else ""
    letter.case_reference = case.reference
    letter.finalised_at = utcnow()
    letter.finalised_by_id = actor.user.id if actor.user else None
    letter.pdf, letter.pdf_sha256 = render_pdf(session, letter)
    # Queued while still a draft (enqueue flushes); the one flush below makes it final.
    message = queue_delivery(session, letter) if letter.kind_enum.to_employer else None
    letter.delivery = message
    letter.status = LetterStatus.FINAL
    _flush(session)
    record(
        session,
        actor,
        Verb.STATUS_CHANGED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={
            "status": {"from": "draft", "to": "final"},
            "kind": letter.kind,
            "version": letter.version,
            "sha256": letter.pdf_sha256,
            "recipient_email": letter.recipient_email or None,
            "replaces_id": letter.replaces_id,
            "outbox_message_id": message.id if message else None,
        },
    )
    return letter


def start_correction(session: Session, actor: Actor, case: Case, letter: Letter) -> Letter:
    """A new draft version that replaces a finalised letter (made from the template and the case
    as they are now; the letter it replaces is untouched)."""
    if not letter.is_final:
        raise InvalidTransition("Only a finalised letter can be corrected; change the draft instead.")
    draft = repository.draft_of(session, case.id, letter.kind)
    if draft is not None:
        if draft.replaces_id == letter.id:
            return draft
        raise InvalidTransition(
            f"Version {draft.version} of this letter is already a draft: finalise or discard it "
            "before starting a correction."
        )
    later = repository.replacement_of(session, letter.id)
    if later is not None:
        raise InvalidTransition(
            f"Version {later.version} already replaces this letter: correct that one instead."
        )
    correction = Letter(
        case_id=case.id,
        kind=letter.kind,
        version=repository.next_version(session, case.id, letter.kind),
        status=LetterStatus.DRAFT,
        created_by_id=actor.user.id if actor.user else None,
        organisation_id=letter.organisation_id,
        contact=letter.contact,
        replaces=letter,
        case_reference=case.reference,
    )
    correction.body = _render(session, actor, case, correction)
    correction.generated_at = utcnow()
    session.add(correction)
    _flush(session)
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.LETTER,
        correction.id,
        case_id=case.id,
        details={
            "kind": correction.kind,
            "version": correction.version,
            "replaces_id": letter.id,
            "replaces_version": letter.version,
        },
    )
    return correction


def discard_draft(session: Session, actor: Actor, case: Case, letter: Letter) -> None:
    _require_draft(letter)
    record(
        session,
        actor,
        Verb.DELETED,
        ObjectType.LETTER,
        letter.id,
        case_id=case.id,
        details={"kind": letter.kind, "version": letter.version, "body_sha256": _digest(letter.body)},
    )
    session.delete(letter)
    _flush(session)


def unacknowledged(session: Session, actor: Actor, today: date) -> tuple[list[Letter], list[Letter]]:
    """The finalised letters still to be acknowledged, and those of them past the deadline; the
    list shown (the overdue ones) is audited."""
    waiting = repository.awaiting_acknowledgement(session, actor)
    overdue = [letter for letter in waiting if is_overdue(letter, today)]
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.LETTER_LIST,
        None,
        details={"list": "unacknowledged", "shown": [letter.id for letter in overdue]},
    )
    return waiting, overdue
