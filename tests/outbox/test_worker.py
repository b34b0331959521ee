"""Delivering the outbox through a real SMTP server: sent, retried with backoff while the server is
down (nothing lost), given up after the maximum number of attempts, each attempt recorded."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.outbox.models import DeliveryAttempt, MessageStatus, OutboxMessage
from app.outbox.repository import due_messages
from app.outbox.service import enqueue
from app.outbox.worker import backoff, deliver_due, run

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def queue(db: Session, **kwargs) -> OutboxMessage:
    values = {
        "kind": "letter_ready",
        "to_address": "hr@school.example.test",
        "subject": "A letter is ready",
        "body_text": "Sign in to read it.",
        **kwargs,
    }
    message = enqueue(db, **values)
    message.next_attempt_at = NOW
    db.flush()
    return message


def attempts(db: Session, message: OutboxMessage) -> list[DeliveryAttempt]:
    return list(
        db.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.message_id == message.id)
            .order_by(DeliveryAttempt.id)
        )
    )


class TestDeliverDue:
    def test_sends_a_due_message_and_records_the_attempt(self, db, smtp_server, mail_settings):
        message = queue(db)
        report = deliver_due(db, NOW, settings=mail_settings)
        assert report.sent == [message.id]
        assert message.status == MessageStatus.SENT and message.sent_at == NOW and message.attempts == 1
        [got] = smtp_server.inbox.messages
        assert got["To"] == "hr@school.example.test"
        assert got["From"] == "lado@council.example.test"
        assert got["Subject"] == "A letter is ready"
        assert got.get_body(("plain",)).get_content().strip() == "Sign in to read it."
        assert [(a.succeeded, a.error) for a in attempts(db, message)] == [(True, "")]
        event = db.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "outbox_message", AuditEvent.object_id == str(message.id)
            )
        ).one()
        assert event.details["status"] == "sent"

    def test_a_message_not_yet_due_waits(self, db, smtp_server, mail_settings):
        message = queue(db)
        message.next_attempt_at = NOW + timedelta(seconds=1)
        assert deliver_due(db, NOW, settings=mail_settings).tried == 0
        assert smtp_server.inbox.messages == [] and message.status == MessageStatus.QUEUED

    def test_sent_messages_are_not_sent_again(self, db, smtp_server, mail_settings):
        queue(db)
        deliver_due(db, NOW, settings=mail_settings)
        assert deliver_due(db, NOW + timedelta(hours=1), settings=mail_settings).tried == 0
        assert len(smtp_server.inbox.messages) == 1

    def test_the_attachment_travels_with_the_message(self, db, smtp_server, mail_settings):
        queue(db, attachment_name="letter.pdf", attachment=b"%PDF-1.7 synthetic")
        deliver_due(db, NOW, settings=mail_settings)
        [got] = smtp_server.inbox.messages
        [part] = list(got.iter_attachments())
        assert part.get_filename() == "letter.pdf" and part.get_content_type() == "application/pdf"
        assert part.get_content() == b"%PDF-1.7 synthetic"


class TestServerDown:
    def test_retries_with_backoff_and_delivers_once_the_server_is_up(self, db, smtp_down, mail_settings):
        message = queue(db)
        first = deliver_due(db, NOW, settings=mail_settings)
        assert first.retrying == [message.id]
        assert message.status == MessageStatus.QUEUED and message.attempts == 1
        assert message.next_attempt_at == NOW + timedelta(seconds=60)
        assert "Connection refused" in message.last_error or "ConnectionRefused" in message.last_error

        # Not due again before the backoff has passed.
        assert deliver_due(db, NOW + timedelta(seconds=59), settings=mail_settings).tried == 0
        second = deliver_due(db, NOW + timedelta(seconds=60), settings=mail_settings)
        assert second.retrying == [message.id] and message.attempts == 2
        assert message.next_attempt_at == NOW + timedelta(seconds=60 + 120)  # the wait doubled

        smtp_down.start()
        third = deliver_due(db, NOW + timedelta(seconds=180), settings=mail_settings)
        assert third.sent == [message.id]
        assert message.status == MessageStatus.SENT and message.last_error == ""
        assert len(smtp_down.inbox.messages) == 1
        assert [a.succeeded for a in attempts(db, message)] == [False, False, True]
        assert all("refused" in a.error.lower() for a in attempts(db, message)[:2])

    def test_marked_failed_with_the_reason_after_the_last_attempt(self, db, smtp_down, mail_settings):
        message = queue(db)
        when = NOW
        for _attempt in range(1, mail_settings.outbox_max_attempts + 1):
            report = deliver_due(db, when, settings=mail_settings)
            assert report.tried == 1
            when = message.next_attempt_at
        assert message.status == MessageStatus.FAILED
        assert message.attempts == mail_settings.outbox_max_attempts == len(attempts(db, message))
        assert "refused" in message.last_error.lower()
        # A failed message is never picked up again, even if the server comes back.
        smtp_down.start()
        assert deliver_due(db, when + timedelta(days=1), settings=mail_settings).tried == 0
        assert smtp_down.inbox.messages == []
        event = db.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "outbox_message", AuditEvent.object_id == str(message.id)
            )
        ).one()
        assert event.details["status"] == "failed" and "refused" in event.details["error"].lower()

    def test_a_server_that_refuses_the_message_is_retried_too(self, db, mail_settings):
        def refusing(message, settings):
            import smtplib

            raise smtplib.SMTPRecipientsRefused({message.to_address: (550, b"No such user")})

        message = queue(db)
        report = deliver_due(db, NOW, settings=mail_settings, sender=refusing)
        assert report.retrying == [message.id] and "SMTPRecipientsRefused" in message.last_error


def test_backoff_doubles_up_to_the_cap(mail_settings):
    waits = [backoff(n, mail_settings).total_seconds() for n in range(1, 9)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]


@pytest.mark.committed
def test_the_worker_loop_delivers_and_stops(committed_engine, smtp_server, mail_settings):
    with Session(committed_engine) as session:
        message = queue(session)
        session.commit()
        message_id = message.id
    stop = threading.Event()
    settings = mail_settings.model_copy(update={"worker_poll_seconds": 0.05})
    thread = threading.Thread(target=run, args=(stop,), kwargs={"settings": settings, "clock": lambda: NOW})
    thread.start()
    try:
        for _ in range(200):
            if smtp_server.inbox.messages:
                break
            threading.Event().wait(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(smtp_server.inbox.messages) == 1
    with Session(committed_engine) as session:
        assert session.get(OutboxMessage, message_id).status == MessageStatus.SENT


@pytest.mark.committed
def test_two_workers_never_take_the_same_message_on_postgresql(committed_engine, smtp_server, mail_settings):
    if committed_engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time")
    with Session(committed_engine) as session:
        queue(session)
        session.commit()
    first, second = Session(committed_engine), Session(committed_engine)
    try:
        held = due_messages(first, NOW)  # worker one holds the row (its transaction is open)
        assert len(held) == 1
        assert deliver_due(second, NOW, settings=mail_settings).tried == 0  # worker two skips it
        second.commit()
        assert smtp_server.inbox.messages == []
        first.rollback()
        assert deliver_due(second, NOW, settings=mail_settings).sent  # released: now it is taken
        second.commit()
        assert len(smtp_server.inbox.messages) == 1
    finally:
        first.close()
        second.close()
    with committed_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM delivery_attempts")).scalar() == 1
