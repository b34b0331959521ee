"""Sending one message over SMTP with the configured server (settings: LADO_SMTP_*)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from app.config import Settings
from app.outbox.models import OutboxMessage


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = (
        f"<outbox-{message.id}-{message.created_at:%Y%m%d%H%M%S}@{sender.rpartition('@')[2] or 'lado'}>"
    )
    email.set_content(message.body_text)
    if message.attachment is not None:
        email.add_attachment(
            message.attachment,
            maintype="application",
            subtype="pdf",
            filename=message.attachment_name or "attachment.pdf",
        )
    return email


def send(message: OutboxMessage, settings: Settings) -> None:
    """Deliver to the SMTP server, or raise (OSError, smtplib.SMTPException) saying why not."""
    email = build_email(message, settings.mail_from)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(email)
