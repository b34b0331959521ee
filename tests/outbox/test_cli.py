"""`lado worker --once` delivers what is due through the configured SMTP server (LADO_SMTP_*)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from sqlalchemy.orm import Session

from app.cli import main
from app.config import get_settings
from app.outbox.models import MessageStatus, OutboxMessage
from app.outbox.service import enqueue
from tests.conftest import database_url
from tests.outbox.conftest import Inbox


@pytest.fixture
def smtp_env(monkeypatch, smtp_port):
    monkeypatch.setenv("LADO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LADO_SMTP_PORT", str(smtp_port))
    monkeypatch.setenv("LADO_MAIL_FROM", "lado@council.example.test")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.committed
def test_worker_once_sends_what_is_due(committed_engine, smtp_server, smtp_env):
    with Session(committed_engine) as session:
        message = enqueue(
            session,
            kind="letter_ready",
            to_address="hr@school.example.test",
            subject="Ready",
            body_text="Sign in.",
        )
        session.commit()
        message_id = message.id
    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, to retry 0, failed 0." in result.output
    [email] = smtp_server.inbox.messages
    assert email["From"] == "lado@council.example.test" and email["To"] == "hr@school.example.test"
    with Session(committed_engine) as session:
        assert session.get(OutboxMessage, message_id).status == MessageStatus.SENT


def test_worker_is_a_lado_command_and_serve_can_run_it():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "--worker / --no-worker" in result.output
    assert "worker" in CliRunner().invoke(main, ["--help"]).output


class StallingInbox(Inbox):
    """Keeps each message, but answers the first one only when released: the sending worker is
    left waiting mid-send, where the test kills it."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == 1:
            await self.release.wait()
        return answer


@pytest.mark.committed
@pytest.mark.slow
def test_a_worker_killed_mid_send_sends_that_message_again_with_the_same_id(committed_engine, smtp_port):
    """At-least-once: `lado worker` is killed (SIGKILL) while the mail server holds its message;
    once the lease runs out, the next worker sends it again, with the same Message-ID."""
    with Session(committed_engine) as session:
        message = enqueue(
            session,
            kind="letter_ready",
            to_address="hr@school.example.test",
            subject="Ready",
            body_text="Sign in.",
        )
        session.commit()
        message_id = message.id
    inbox = StallingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LADO_SMTP_HOST": "127.0.0.1",
        "LADO_SMTP_PORT": str(smtp_port),
        "LADO_MAIL_FROM": "lado@council.example.test",
        "LADO_OUTBOX_LEASE_SECONDS": "2",
        "LADO_WORKER_POLL_SECONDS": "0.2",
    }
    lado = str(Path(sys.executable).parent / "lado")
    try:
        first = subprocess.Popen(
            [lado, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 30
            while not inbox.messages and time.monotonic() < deadline:
                time.sleep(0.05)
            assert inbox.messages, "the worker never reached the mail server"
        finally:
            first.kill()
            first.wait()
        with Session(committed_engine) as session:
            assert (
                session.get(OutboxMessage, message_id).status == MessageStatus.QUEUED
            )  # not recorded as sent
        time.sleep(2.2)  # the killed worker's lease runs out
        second = subprocess.run(
            [lado, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 0, second.stderr
        assert "Sent 1," in second.stdout
    finally:
        controller.loop.call_soon_threadsafe(inbox.release.set)
        controller.stop()
    assert len(inbox.messages) == 2
    assert inbox.messages[0]["Message-ID"] == inbox.messages[1]["Message-ID"]
    with Session(committed_engine) as session:
        assert session.get(OutboxMessage, message_id).status == MessageStatus.SENT
