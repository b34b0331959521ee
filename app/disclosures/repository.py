"""Every query of the sharing log. Callers pass a case already loaded through the case scope
(app.cases.service.get_case); these queries never return another case's rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.disclosures.models import Disclosure
from app.letters.models import Letter, LetterStatus
from app.outbox.models import MessageStatus, OutboxMessage
from app.reference.models import LawfulBasis


def disclosures_of(session: Session, case_id: int) -> list[Disclosure]:
    stmt = (
        select(Disclosure).where(Disclosure.case_id == case_id).order_by(Disclosure.shared_on, Disclosure.id)
    )
    return list(session.scalars(stmt))


def letters_sent(session: Session, case_id: int) -> list[Letter]:
    """The case's finalised letters whose delivery e-mail was sent, in the order sent."""
    stmt = (
        select(Letter)
        .join(OutboxMessage, OutboxMessage.id == Letter.delivery_message_id)
        .where(
            Letter.case_id == case_id,
            Letter.status == LetterStatus.FINAL,
            OutboxMessage.status == MessageStatus.SENT,
        )
        .order_by(OutboxMessage.sent_at, Letter.id)
    )
    return list(session.scalars(stmt).unique())


def lawful_basis_label(session: Session, code: str) -> str:
    item = session.get(LawfulBasis, code)
    return item.label if item is not None else code
