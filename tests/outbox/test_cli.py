"""`lado worker --once` delivers what is due through the configured SMTP server (LADO_SMTP_*)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from app.cli import main
from app.config import get_settings
from app.outbox.models import MessageStatus, OutboxMessage
from app.outbox.service import enqueue


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
        message = enqueue(session, kind="letter_ready", to_address="hr@school.example.test", subject="Ready",
                          body_text="Sign in.")
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
