"""Queueing e-mail. Delivery (the worker, SMTP, retries) reads the queue later."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.outbox.models import OutboxMessage


def enqueue(
    session: Session,
    *,
    kind: str,
    to_address: str,
    subject: str,
    body_text: str,
    attachment_name: str | None = None,
    attachment: bytes | None = None,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
) -> OutboxMessage:
    """Queue a message in the caller's transaction: it exists only if the change that caused it commits."""
    message = OutboxMessage(
        kind=kind,
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        attachment_name=attachment_name,
        attachment=attachment,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
    )
    session.add(message)
    session.flush()
    return message
