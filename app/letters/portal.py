"""The HR liaison's side: the letters addressed to their organisation(s), and acknowledging
receipt. Every read starts from `repository.visible_letters`; a letter outside it is "not found",
exactly like one that does not exist. Every read and the acknowledgement are audited."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.context import Actor
from app.errors import NotFound
from app.letters import repository
from app.letters.models import Letter, LetterAcknowledgement

NOT_FOUND = "There is no letter with this number, or it is not addressed to your organisation."


def list_letters(session: Session, actor: Actor) -> list[Letter]:
    letters = repository.portal_list(session, actor)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.LETTER_LIST,
        None,
        details={"shown": [letter.id for letter in letters]},
    )
    return letters


def organisation_names(actor: Actor) -> list[str]:
    """The organisations the HR liaison's letters are addressed to."""
    return [o.name for o in actor.user.organisations] if actor.user else []


def _get(session: Session, actor: Actor, letter_id: int, *, with_pdf: bool = False) -> Letter:
    letter = repository.visible_letter(session, actor, letter_id, with_pdf=with_pdf)
    if letter is None:
        raise NotFound(NOT_FOUND)
    return letter


def open_letter(session: Session, actor: Actor, letter_id: int) -> Letter:
    letter = _get(session, actor, letter_id)
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.LETTER,
        letter.id,
        case_id=letter.case_id,
        details={"via": "hr_portal", "version": letter.version},
    )
    return letter


def download_letter(session: Session, actor: Actor, letter_id: int) -> Letter:
    letter = _get(session, actor, letter_id, with_pdf=True)
    record(
        session,
        actor,
        Verb.EXPORTED,
        ObjectType.LETTER,
        letter.id,
        case_id=letter.case_id,
        details={"via": "hr_portal", "format": "pdf", "sha256": letter.pdf_sha256},
    )
    return letter


def acknowledge(session: Session, actor: Actor, letter_id: int) -> tuple[Letter, bool]:
    """Record receipt (time, user, IP) once; (letter, False) if it was already acknowledged."""
    letter = _get(session, actor, letter_id)
    if letter.acknowledgement is not None:
        return letter, False
    assert actor.user is not None  # the route's guard
    ack = LetterAcknowledgement(letter_id=letter.id, user_id=actor.user.id, ip=actor.ip)
    try:
        with session.begin_nested():
            session.add(ack)
            session.flush()
    except IntegrityError:  # a colleague acknowledged it at the same moment: theirs stands
        session.expire(letter, ["acknowledgement"])
        return letter, False
    session.refresh(letter, ["acknowledgement"])
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.LETTER_ACKNOWLEDGEMENT,
        letter.id,
        case_id=letter.case_id,
        details={"via": "hr_portal", "version": letter.version, "acknowledged_at": ack.acknowledged_at},
    )
    return letter, True
