"""What an uploaded file is, from its content: the media type it is stored and served with, and
a refusal when its name says something else ("a type that lies about itself": a program renamed
.pdf, a photograph named .docx). And the file's name made harmless, for display and for the
Content-Disposition header of a download.

Binary formats are recognised by their magic numbers (the `filetype` library). Plain text and
e-mail (.eml) have none: they are recognised here, by decoding the whole file as UTF-8 with no
control characters but tab, line feed, form feed and carriage return (TextCheck), and for an
e-mail by RFC 5322 header lines at its start. Outlook's .msg is an OLE2 compound file (the
container of Word 97-2003 too) that `filetype` does not name: an OLE2 file is taken as a .msg
only when it is called .msg and is not a Word or other Office file.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

import filetype

#: How much of the start of a file type detection reads (Word .docx names its parts within it).
HEAD_BYTES = 64 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MSG = "application/vnd.ms-outlook"
EML = "message/rfc822"
TEXT = "text/plain"


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]


#: What may be attached: media type -> what it is called and the extensions its name may have.
ALLOWED: dict[str, Kind] = {
    "application/pdf": Kind("a PDF", (".pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Kind(
        "a Word document", (".docx",)
    ),
    "application/msword": Kind("a Word 97-2003 document", (".doc",)),
    "image/png": Kind("a PNG image", (".png",)),
    "image/jpeg": Kind("a JPEG image", (".jpg", ".jpeg")),
    "image/gif": Kind("a GIF image", (".gif",)),
    "image/webp": Kind("a WebP image", (".webp",)),
    "image/heic": Kind("a HEIC image", (".heic", ".heif")),
    MSG: Kind("an Outlook message", (".msg",)),
    EML: Kind("an e-mail", (".eml",)),
    TEXT: Kind("a plain text file", (".txt",)),
}
KIND_BY_EXTENSION = {ext: kind for kind in ALLOWED.values() for ext in kind.extensions}
WHAT_CAN_BE_ATTACHED = (
    "PDF, Word (.docx, .doc), images (PNG, JPEG, GIF, WebP, HEIC), e-mails (.eml, .msg) or plain text"
)
_HEADER = re.compile(rb"^[!-9;-~]+:[ \t]?")  # an RFC 5322 field name (printable ASCII but ':')
_EMAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"received", b"mime-version"}
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


class TextCheck:
    """Fed the file chunk by chunk: whether all of it is UTF-8 text without control characters."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.is_text = True

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if not self.is_text:
            return
        try:
            text = self._decoder.decode(chunk, final)
        except UnicodeDecodeError:
            self.is_text = False
            return
        if any(unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS for ch in text):
            self.is_text = False


def looks_like_email(head: bytes) -> bool:
    """Header lines from the first line to the first blank one, among them one an e-mail has."""
    names = set()
    for line in head.lstrip(b"\xef\xbb\xbf").splitlines()[:200]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):  # a folded header's continuation
            continue
        match = _HEADER.match(line)
        if match is None:
            return False
        names.add(match.group(0).split(b":")[0].lower())
    return bool(names & _EMAIL_HEADERS)


class Refusal(ValueError):
    """Why the file cannot be attached, in words for the person who chose it."""


def media_type_of(head: bytes, is_text: bool, file_name: str, size: int) -> str:
    """The media type the content shows, if one that may be attached and the name does not say
    otherwise; else Refusal. `head`: the first HEAD_BYTES; `is_text`: TextCheck's verdict."""
    extension = PurePosixPath(file_name).suffix.lower()
    claimed = KIND_BY_EXTENSION.get(extension)
    if size == 0:
        raise Refusal("The file is empty")
    guessed = filetype.guess(head)
    media: str | None = None
    if guessed is not None:
        media = "image/heic" if guessed.mime == "image/heif" else guessed.mime
        if media not in ALLOWED:
            found = f"a .{guessed.extension} file"
            if claimed is not None:
                raise Refusal(f"The file is called {extension} but it is not {claimed.label}: it is {found}")
            raise Refusal(f"Files like this ({found}) cannot be attached. Attach {WHAT_CAN_BE_ATTACHED}")
    elif head.startswith(OLE2):
        media = MSG if extension == ".msg" else None
    elif is_text:
        media = EML if extension == ".eml" or (not extension and looks_like_email(head)) else TEXT
        if media == EML and not looks_like_email(head):
            raise Refusal("The file is called .eml but it is not an e-mail: it has no e-mail headers")
    if media is None:
        if claimed is not None:
            raise Refusal(f"The file is called {extension} but its content is not {claimed.label}")
        raise Refusal(
            f"The content of this file is not a kind that can be attached. Attach {WHAT_CAN_BE_ATTACHED}"
        )
    if extension and extension not in ALLOWED[media].extensions:
        kind = ALLOWED[media].label
        if claimed is not None:
            raise Refusal(f"The file is called {extension} but it is not {claimed.label}: it is {kind}")
        raise Refusal(
            f"The file's name ends in {extension}, which does not match its content ({kind}). "
            f"Rename it to end in {ALLOWED[media].extensions[0]}"
        )
    return media


#: The longest file name kept (the extension is kept whole).
NAME_LENGTH = 200


def clean_file_name(raw: str | None) -> str:
    """The uploader's file name made harmless: the last part of any path (so "../../etc/passwd"
    is "passwd"), without control or format characters (line breaks, a right-to-left override
    that would show "exe.pdf" for "fdp.exe", zero-width characters), whitespace collapsed, no
    leading or trailing dots or spaces, at most NAME_LENGTH characters. It is only ever shown
    (escaped) and sent in a header; it never names a file on disk."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = " ".join(name.split()).strip(" .")
    if len(name) > NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: NAME_LENGTH - len(suffix)] + suffix
    return name or "document"


def content_disposition(file_name: str) -> str:
    """`attachment` with the name twice (RFC 6266): an ASCII fallback without quotes, backslashes
    or anything but letters, digits and . _ - and spaces, and the UTF-8 name percent-encoded."""
    ascii_name = unicodedata.normalize("NFKD", file_name).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip(" .") or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
