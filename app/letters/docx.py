"""Word round trip: a draft downloads as .docx to edit in Word, and an edited .docx uploads back
into the draft's body (its paragraphs; "Heading" styles become "## " headings). Uploads are
checked: size, a real .docx (a zip with a Word document inside, not too large unpacked), text only.
"""

from __future__ import annotations

import io
import zipfile

from app.errors import ValidationFailed
from app.letters.render import paragraphs

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_BODY_CHARS = 100_000
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def to_docx(body: str, title: str) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = title
    for block in paragraphs(body):
        if "heading" in block:
            document.add_heading(block["heading"], level=2)
        else:
            para = document.add_paragraph()
            for i, line in enumerate(block["lines"]):
                run = para.add_run(line)
                if i < len(block["lines"]) - 1:
                    run.add_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed({"file": message})


def _check_container(data: bytes) -> None:
    if len(data) == 0:
        raise _refuse("The selected file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if not data.startswith(b"PK"):
        raise _refuse("The selected file must be a Word document (.docx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse("The selected file must be a Word document (.docx)") from None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse("The selected file must be a Word document (.docx)")
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse("The selected file is too large once unpacked")


def from_docx(data: bytes, filename: str = "") -> str:
    """The body text of an uploaded .docx, or ValidationFailed saying what is wrong with the file."""
    if filename and not filename.lower().endswith(".docx"):
        raise _refuse("The selected file must be a Word document (.docx)")
    _check_container(data)
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a damaged package
        raise _refuse("The selected file could not be read as a Word document (.docx)") from None
    chunks: list[str] = []
    for para in document.paragraphs:
        text = para.text.replace("\r", "").replace("\t", " ").replace("\v", "\n").rstrip()
        if not text.strip():
            continue
        style = (para.style.name if para.style is not None else "") or ""
        chunks.append(f"## {text.strip()}" if style.startswith(("Heading", "Title")) else text)
    body = "\n\n".join(chunks).strip()
    if not body:
        raise _refuse("The selected document has no text")
    if len(body) > MAX_BODY_CHARS:
        raise _refuse(f"The letter must be {MAX_BODY_CHARS:,} characters or fewer")
    return body + "\n"
