"""A real SMTP server (aiosmtpd) on 127.0.0.1, and settings that point the worker at it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from app.config import Settings, get_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port) -> Iterator[SmtpServer]:
    """A running server; tests that start with it down call .start() themselves on `smtp_down`."""
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down(smtp_port) -> Iterator[SmtpServer]:
    """Nothing listening on the port yet (start() brings the server up later in the test)."""
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def mail_settings(smtp_port) -> Settings:
    return get_settings().model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_port,
            "smtp_starttls": False,
            "smtp_username": None,
            "smtp_timeout_seconds": 5,
            "mail_from": "lado@council.example.test",
            "outbox_max_attempts": 4,
            "outbox_retry_seconds": 60,
            "outbox_retry_max_seconds": 3600,
        }
    )
