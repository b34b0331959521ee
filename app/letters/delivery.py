"""The e-mail that tells an HR liaison a letter is ready. It carries no case detail (no reference,
no names, no outcome): only that a letter is waiting and the link to the HR portal, behind a
sign-in. The PDF is attached only where the organisation has chosen that."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.config import get_settings
from app.letters.models import Letter
from app.outbox.models import OutboxMessage
from app.outbox.service import enqueue

KIND = "letter_ready"
SUBJECT = "A letter from the LADO service is ready for you"
ATTACHMENT_NAME = "letter-from-the-LADO-service.pdf"


def portal_url() -> str:
    return get_settings().public_base_url.rstrip("/") + "/portal/letters"


def email_text(letter: Letter, *, attached: bool) -> str:
    settings = get_settings()
    lines = [
        f"Dear {letter.recipient_name}," if letter.recipient_name else "Hello,",
        "",
        f"The Local Authority Designated Officer (LADO) service at {settings.council_name} has sent a letter "
        "to your organisation.",
        "",
        "Sign in to the HR portal to read it, download it and acknowledge that you have received it:",
        portal_url(),
        "",
    ]
    if attached:
        lines += ["The letter is also attached to this e-mail as a PDF. Please store it securely.", ""]
    lines += [
        "For your security this e-mail contains no details of the matter.",
        "Please do not reply to this e-mail; contact the LADO service if you have questions.",
    ]
    return "\n".join(lines) + "\n"


def queue_delivery(session: Session, letter: Letter) -> OutboxMessage:
    """Queue the e-mail in the caller's transaction: it exists only if the finalisation commits."""
    attach = bool(letter.organisation is not None and letter.organisation.email_attach_pdf)
    return enqueue(
        session,
        kind=KIND,
        to_address=letter.recipient_email,
        subject=SUBJECT,
        body_text=email_text(letter, attached=attach),
        attachment_name=ATTACHMENT_NAME if attach else None,
        attachment=letter.pdf if attach else None,
        subject_type="letter",
        subject_id=letter.id,
    )
