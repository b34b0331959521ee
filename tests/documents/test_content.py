"""What a file is, from its content, and its name made harmless."""

from __future__ import annotations

import pytest

from app.documents.content import (
    EML,
    MSG,
    OLE2,
    TEXT,
    Refusal,
    TextCheck,
    clean_file_name,
    content_disposition,
    media_type_of,
)
from tests.documents.conftest import EMAIL, EXE, PDF, PNG, docx_bytes
from tests.documents.conftest import TEXT as TEXT_BYTES


def kind(content: bytes, name: str) -> str:
    check = TextCheck()
    check.feed(content, final=True)
    return media_type_of(content, check.is_text, name, len(content))


class TestMediaTypeOf:
    @pytest.mark.parametrize(
        ("content", "name", "expected"),
        [
            (PDF, "referral.pdf", "application/pdf"),
            (PNG, "photo.PNG", "image/png"),
            (TEXT_BYTES, "call.txt", TEXT),
            (EMAIL, "referral.eml", EML),
            (EMAIL, "referral.txt", TEXT),
            (OLE2 + bytes(600), "message.msg", MSG),
            (PDF, "no-extension", "application/pdf"),
        ],
    )
    def test_a_file_is_what_its_content_shows(self, content, name, expected):
        assert kind(content, name) == expected

    def test_a_word_document_is_found_inside_its_zip(self):
        assert kind(docx_bytes(), "report.docx").endswith("wordprocessingml.document")

    def test_a_program_renamed_pdf_is_refused_for_what_it_is(self):
        with pytest.raises(Refusal, match=r"called \.pdf but it is not a PDF: it is a \.exe file"):
            kind(EXE, "minutes.pdf")

    def test_an_image_named_as_a_pdf_is_refused(self):
        with pytest.raises(Refusal, match=r"called \.pdf but it is not a PDF: it is a PNG image"):
            kind(PNG, "minutes.pdf")

    def test_a_pdf_with_a_program_extension_is_refused(self):
        with pytest.raises(Refusal, match=r"ends in \.exe, which does not match its content \(a PDF\)"):
            kind(PDF, "report.pdf.exe")

    def test_text_called_a_pdf_is_refused(self):
        with pytest.raises(Refusal, match=r"called \.pdf but it is not a PDF: it is a plain text file"):
            kind(TEXT_BYTES, "scan.pdf")

    def test_an_eml_without_headers_is_refused(self):
        with pytest.raises(Refusal, match="not an e-mail"):
            kind(TEXT_BYTES, "mail.eml")

    def test_a_program_is_refused_whatever_its_name(self):
        with pytest.raises(Refusal, match="cannot be attached"):
            kind(EXE, "tool.exe")

    def test_binary_rubbish_and_empty_files_are_refused(self):
        with pytest.raises(Refusal, match="not a kind that can be attached"):
            kind(b"\x00\x01\x02\x03" * 100, "data.bin")
        with pytest.raises(Refusal, match="empty"):
            kind(b"", "empty.txt")

    def test_text_with_control_characters_is_not_text(self):
        check = TextCheck()
        check.feed(b"hello\x1b[31m red")
        assert not check.is_text

    def test_a_character_split_between_chunks_is_still_text(self):
        check = TextCheck()
        encoded = "café".encode()
        check.feed(encoded[:4])
        check.feed(encoded[4:], final=True)
        assert check.is_text


class TestFileNames:
    @pytest.mark.parametrize(
        ("raw", "clean"),
        [
            ("../../etc/passwd", "passwd"),
            ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
            ('minutes"\r\nX-Injected: 1.pdf', 'minutes"X-Injected: 1.pdf'),
            ("invoice\u202efdp.exe", "invoicefdp.exe"),
            ("zero\u200bwidth.txt", "zerowidth.txt"),
            ("  ...  ", "document"),
            ("", "document"),
            (None, "document"),
        ],
    )
    def test_names_are_made_harmless(self, raw, clean):
        assert clean_file_name(raw) == clean

    def test_a_long_name_keeps_its_extension(self):
        name = clean_file_name("a" * 500 + ".pdf")
        assert len(name) == 200 and name.endswith(".pdf")

    def test_the_header_has_an_ascii_fallback_and_the_name_encoded(self):
        header = content_disposition('Zoë "report"; x.pdf')
        assert header == (
            'attachment; filename="Zoe _report__ x.pdf"; '
            "filename*=UTF-8''Zo%C3%AB%20%22report%22%3B%20x.pdf"
        )
        assert "\r" not in content_disposition(clean_file_name("a\r\nb.pdf"))
