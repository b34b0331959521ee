"""Fixtures of documents: sample files of each kind (synthetic), and, as the strands tests have
them, a restricted threshold-met case recorded by an officer (so only that officer and managers
see it) and signed-in browsers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as WordDocument

from app.config import get_settings
from app.documents.service import Upload
from tests.strands.conftest import browser, case, officer  # noqa: F401 (the same fixtures)

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
