"""Fixtures of documents: a restricted threshold-met case recorded by an officer (so only that
officer and managers see it), sample files of each kind (synthetic), and signed-in browsers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document as WordDocument
from fastapi.testclient import TestClient

from app.config import get_settings
from app.context import Actor
from app.documents.service import Upload
from tests.helpers import sign_in
from tests.people.support import open_case, threshold_met

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
TEXT = b"Phone call with the headteacher, 12 May: notes (synthetic).\n"
EMAIL = (
    b"From: Dana Referrer <dsl@example.test>\r\nTo: lado@example.test\r\n"
    b"Subject: Referral (synthetic)\r\nDate: Tue, 12 May 2026 09:00:00 +0100\r\n\r\nBody text.\r\n"
)


def docx_bytes() -> bytes:
    doc = WordDocument()
    doc.add_paragraph("Employer investigation report (synthetic).")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> Upload:
    return Upload(name, io.BytesIO(content))


@pytest.fixture(autouse=True)
def documents_dir(monkeypatch, tmp_path) -> Path:
    """Each test of documents has a blob store of its own (the suite's is shared)."""
    root = tmp_path / "documents"
    monkeypatch.setattr(get_settings(), "documents_dir", root)
    return root


@pytest.fixture
def officer(factory) -> Actor:
    return Actor(user=factory.user("lado", name="Ann Officer"), ip="127.0.0.1")


@pytest.fixture
def case(db, factory, officer):
    c = open_case(db, factory, officer, received_on="2026-05-11", restricted=True)
    threshold_met(db, officer, c, date(2026, 5, 12))
    db.flush()
    return c


@pytest.fixture
def browser(app) -> Iterator:
    """browser(user) -> (client signed in as user, its CSRF token)."""
    opened: list[TestClient] = []

    def sign_in_as(user):
        client = TestClient(app, base_url="http://testserver", follow_redirects=False)
        client.__enter__()
        opened.append(client)
        return client, sign_in(client, user.email)

    yield sign_in_as
    for client in opened:
        client.__exit__(None, None, None)
