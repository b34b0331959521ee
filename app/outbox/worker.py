"""Delivering the outbox: every due message is tried, every try is recorded, a failure waits
longer each time (exponential backoff), and after the configured number of tries the message is
marked failed with the last reason. Nothing is lost while the mail server is down: a message
stays queued until it is sent or given up.

Delivery is at-least-once, with a stable Message-ID. The worker loop (`run`) takes one message
at a time in three steps: it *claims* the message in a short transaction (taken with SELECT ...
FOR UPDATE SKIP LOCKED on PostgreSQL, under the write lock on SQLite, and leased: its next attempt
moves to the end of the lease, so no other worker takes it meanwhile), *sends* it with no
transaction open (SMTP can be slow; nothing waits on a lock for it), then *records* the attempt
in another short transaction. A worker killed mid-send leaves the lease to run out, and the
message is tried again: the recipient may get it twice, with the same Message-ID, never zero
times.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.clock import utcnow
from app.config import Settings, get_settings
from app.context import Actor
from app.db import session_scope
from app.outbox import repository, smtp
from app.outbox.models import DeliveryAttempt, MessageStatus, OutboxMessage

log = logging.getLogger("lado.worker")

Sender = Callable[[OutboxMessage, Settings], None]
WORKER = Actor(user=None, via="worker")


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def backoff(attempts: int, settings: Settings) -> timedelta:
    """The wait after the `attempts`-th failed try: base, 2 x base, 4 x base, ... up to the cap."""
    seconds = settings.outbox_retry_seconds * (2 ** max(0, attempts - 1))
    return timedelta(seconds=min(seconds, settings.outbox_retry_max_seconds))


def claim(session: Session, now: datetime, settings: Settings) -> OutboxMessage | None:
    """The next due message, leased to this worker until now + outbox_lease_seconds (loaded in
    full, so it can be sent after the transaction ends)."""
    taken = repository.due_messages(session, now, limit=1)
    if not taken:
        return None
    message = taken[0]
    message.next_attempt_at = now + timedelta(seconds=settings.outbox_lease_seconds)
    session.flush()
    _ = message.attachment  # loaded now: the message is sent after this session has ended
    return message


def attempt(message: OutboxMessage, settings: Settings, sender: Sender) -> str:
    """Hand the message to the mail server; the reason it failed, or "" when it was taken."""
    try:
        sender(message, settings)
    except Exception as exc:  # any failure to hand over is recorded and retried
        return f"{type(exc).__name__}: {exc}"[:2000] or type(exc).__name__
    return ""


def _try(session: Session, message: OutboxMessage, now: datetime, settings: Settings, sender: Sender) -> str:
    return record_attempt(session, message, now, settings, attempt(message, settings, sender))


def record_attempt(
    session: Session, message: OutboxMessage, now: datetime, settings: Settings, error: str
) -> str:
    """Record one try: sent, or retried after the backoff, or failed after the last attempt."""
    message.attempts += 1
    session.add(DeliveryAttempt(message_id=message.id, attempted_at=now, succeeded=not error, error=error))
    details = {
        "kind": message.kind,
        "subject_type": message.subject_type,
        "subject_id": message.subject_id,
        "attempts": message.attempts,
    }
    if not error:
        message.status = MessageStatus.SENT
        message.sent_at = now
        message.last_error = ""
        record(
            session,
            WORKER,
            Verb.UPDATED,
            ObjectType.OUTBOX_MESSAGE,
            message.id,
            details={**details, "status": "sent"},
        )
        return "sent"
    message.last_error = error
    if message.attempts >= settings.outbox_max_attempts:
        message.status = MessageStatus.FAILED
        record(
            session,
            WORKER,
            Verb.UPDATED,
            ObjectType.OUTBOX_MESSAGE,
            message.id,
            details={**details, "status": "failed", "error": error},
        )
        log.error("message %s failed after %s attempts: %s", message.id, message.attempts, error)
        return "failed"
    message.next_attempt_at = now + backoff(message.attempts, settings)
    log.warning(
        "message %s not sent (attempt %s), next try at %s: %s",
        message.id,
        message.attempts,
        message.next_attempt_at.isoformat(),
        error,
    )
    return "retrying"


def deliver_due(
    session: Session,
    now: datetime | None = None,
    *,
    settings: Settings | None = None,
    sender: Sender = smtp.send,
    limit: int | None = None,
) -> DeliveryReport:
    """Try every message due at `now` once, in the caller's transaction (the caller commits)."""
    now = now or utcnow()
    settings = settings or get_settings()
    report = DeliveryReport()
    for message in repository.due_messages(session, now, limit):
        getattr(report, _try(session, message, now, settings, sender)).append(message.id)
    session.flush()
    return report


def deliver_next(
    settings: Settings, sender: Sender = smtp.send, clock: Callable[[], datetime] = utcnow
) -> tuple[str, int] | None:
    """Claim, send and record one due message (three steps, see the module's docstring): its
    outcome ("sent", "retrying" or "failed") and id, or None when nothing is due."""
    with session_scope() as session:
        message = claim(session, clock(), settings)
    if message is None:
        return None
    error = attempt(message, settings, sender)
    with session_scope() as session:
        current = repository.get_message(session, message.id)
        if current is None or current.status != MessageStatus.QUEUED:
            return "settled elsewhere", message.id
        return record_attempt(session, current, clock(), settings, error), message.id


def deliver_all_due(
    settings: Settings, sender: Sender = smtp.send, clock: Callable[[], datetime] = utcnow
) -> DeliveryReport:
    """Try every message due now once (`lado worker --once`), one claim at a time."""
    report = DeliveryReport()
    while (done := deliver_next(settings, sender, clock)) is not None:
        outcome, message_id = done
        if outcome in ("sent", "retrying", "failed"):
            getattr(report, outcome).append(message_id)
    return report


def run(
    stop: threading.Event,
    *,
    settings: Settings | None = None,
    sender: Sender = smtp.send,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """The worker loop: one message at a time while any are due, then wait for the next poll."""
    settings = settings or get_settings()
    log.info("outbox worker started (SMTP %s:%s)", settings.smtp_host, settings.smtp_port)
    while not stop.is_set():
        tried = 0
        try:
            while not stop.is_set():
                done = deliver_next(settings, sender, clock)
                tried += done is not None
                if done is None or done[0] != "sent":  # nothing due, or a failure: wait for the next poll
                    break
        except Exception:  # a database hiccup must not end the worker: log it and poll again
            log.exception("outbox worker: delivery round failed")
        if tried:
            log.info("outbox worker: %s message(s) tried", tried)
        stop.wait(settings.worker_poll_seconds)


def start_in_thread(settings: Settings | None = None) -> tuple[threading.Thread, threading.Event]:
    """For `lado serve` in the embedded setup: the worker beside the web server."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run, args=(stop,), kwargs={"settings": settings}, name="outbox-worker", daemon=True
    )
    thread.start()
    return thread, stop
