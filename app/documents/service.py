"""Documents of a case: attaching, downloading, deleting and destroying them. Services check,
change and audit in the caller's transaction; the case is loaded through the case scope (a
restricted case the actor is not named on is "not found", and so are its documents).

Rules:
- A file is read once to measure and hash it: over LADO_MAX_UPLOAD_MB it is refused (413) as
  soon as the limit is passed. Its type comes from its content (app/documents/content.py); a
  name that says otherwise is refused, so is an empty file or a kind that cannot be attached.
- With LADO_CLAMAV_SOCKET set, the bytes are scanned before anything is stored. Infected: refused
  and the refusal audited (committed: the route does not roll it back), nothing stored. clamd
  unreachable: refused (503), never stored unscanned.
- The bytes are stored once per SHA-256; each attachment is a row of its own. A document may be
  attached to one meeting or one allegation of the same case.
- Deleting is a soft delete with a reason; the bytes are removed once no live document holds
  them, after the transaction commits. Destroying a case's documents (retention) removes their
  rows and unneeded bytes, and audits how many, not what they were.
- Every upload, download, deletion and destruction is audited on the case.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases import service as cases
from app.cases.models import Case
from app.clock import utcnow
from app.config import get_settings
from app.context import Actor
from app.documents import repository
from app.documents.content import HEAD_BYTES, Refusal, TextCheck, clean_file_name, media_type_of
from app.documents.limits import too_large
from app.documents.models import Document
from app.documents.scanning import ScannerUnavailable, scan
from app.documents.schemas import DocumentCreate, DocumentDelete
from app.documents.storage import CHUNK, BlobMissing, get_storage, remove_at_commit, written_in
from app.errors import Conflict, NotFound, Unavailable, ValidationFailed
from app.meetings import repository as meetings_repository

log = logging.getLogger("lado.documents")

NO_FILE = "Choose a file to attach"
NO_DOCUMENT = "There is no such document on this case, or it has been deleted."
SCANNING_UNAVAILABLE = (
    "Virus scanning is unavailable at the moment, so the file was not attached. Try again in a few "
    "minutes; if it keeps happening, tell your administrator."
)


@dataclass(frozen=True)
class Upload:
    """A file as the browser or API client sent it: its name as given, and its bytes (seekable)."""

    file_name: str | None
    stream: BinaryIO


@dataclass(frozen=True)
class Infected:
    """The scanner found a virus: nothing was stored, and the refusal is audited."""

    signature: str

    @property
    def message(self) -> str:
        return f"The file contains a virus ({self.signature}), so it was not attached. Delete the file."


@dataclass(frozen=True)
class Measured:
    sha256: str
    size: int
    head: bytes
    is_text: bool


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        yield chunk


def measure(stream: BinaryIO, limit: int) -> Measured:
    """Hash and size the file, reading it once; TooLarge as soon as it passes `limit` bytes."""
    digest, size, head, text = hashlib.sha256(), 0, b"", TextCheck()
    for chunk in _chunks(stream):
        size += len(chunk)
        if size > limit:
            raise too_large(limit // (1024 * 1024))
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        text.feed(chunk)
    text.feed(b"", final=True)
    return Measured(digest.hexdigest(), size, head, text.is_text)


def _check_links(session: Session, case: Case, data: DocumentCreate) -> None:
    if (
        data.meeting_id is not None
        and meetings_repository.meeting_of_case(session, case.id, data.meeting_id) is None
    ):
        raise ValidationFailed({"attached_to": "Choose a meeting of this case"})
    if data.allegation_id is not None and data.allegation_id not in {a.id for a in case.allegations}:
        raise ValidationFailed({"attached_to": "Choose an allegation of this case"})


def attach_document(
    session: Session, actor: Actor, case: Case, data: DocumentCreate, upload: Upload | None
) -> Document | Infected:
    if upload is None:
        raise ValidationFailed({"file": NO_FILE})
    settings = get_settings()
    name = clean_file_name(upload.file_name)
    measured = measure(upload.stream, settings.max_upload_bytes)
    try:
        media_type = media_type_of(measured.head, measured.is_text, name, measured.size)
    except Refusal as exc:
        raise ValidationFailed({"file": str(exc)}) from None
    _check_links(session, case, data)
    described = {"file_name": name, "media_type": media_type, "size": measured.size}
    if settings.clamav_socket is not None:
        try:
            signature = scan(settings.clamav_socket, _chunks(upload.stream), settings.clamav_timeout_seconds)
        except ScannerUnavailable as exc:
            log.warning("upload refused, scanning unavailable: %s", exc)
            raise Unavailable(SCANNING_UNAVAILABLE) from None
        if signature is not None:
            record(
                session,
                actor,
                Verb.UPLOAD_REFUSED,
                ObjectType.DOCUMENT,
                case_id=case.id,
                details={**described, "virus": signature},
            )
            return Infected(signature)
    storage = get_storage()
    upload.stream.seek(0)
    if storage.put(measured.sha256, upload.stream):
        written_in(session, storage, measured.sha256)
    document = Document(
        case_id=case.id,
        meeting_id=data.meeting_id,
        allegation_id=data.allegation_id,
        title=data.title or name,
        description=data.description,
        file_name=name,
        media_type=media_type,
        size=measured.size,
        sha256=measured.sha256,
        uploaded_by_id=actor.user.id if actor.user else None,
        uploaded_at=utcnow(),
    )
    session.add(document)
    session.flush()
    links = {k: v for k in ("meeting_id", "allegation_id") if (v := getattr(data, k)) is not None}
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.DOCUMENT,
        document.id,
        case_id=case.id,
        details={"title": document.title, **described, **links},
    )
    return document


def _live(session: Session, case: Case, document_id: int) -> Document:
    document = repository.document_of_case(session, case.id, document_id)
    if document is None or document.is_deleted:
        raise NotFound(NO_DOCUMENT)
    return document


def get_document(session: Session, case: Case, document_id: int, *, deleted_too: bool = False) -> Document:
    """A live document of the case (already loaded through the scope), or a deleted one too with
    `deleted_too`; NotFound otherwise."""
    document = repository.document_of_case(session, case.id, document_id)
    if document is None or (document.is_deleted and not deleted_too):
        raise NotFound(NO_DOCUMENT)
    return document


def open_document(session: Session, actor: Actor, case: Case, document_id: int) -> tuple[Document, BinaryIO]:
    """The document and its bytes opened for reading (the caller closes them); the download is
    audited."""
    document = _live(session, case, document_id)
    try:
        stream = get_storage().get(document.sha256)
    except BlobMissing:
        log.error("document %s: no stored bytes for %s", document.id, document.sha256)
        raise NotFound("The file of this document cannot be found. Tell your administrator.") from None
    record(
        session,
        actor,
        Verb.EXPORTED,
        ObjectType.DOCUMENT,
        document.id,
        case_id=case.id,
        details={"title": document.title},
    )
    return document, stream


def delete_document(
    session: Session, actor: Actor, case: Case, document_id: int, data: DocumentDelete
) -> Document:
    document = repository.document_of_case(session, case.id, document_id)
    if document is None:
        raise NotFound(NO_DOCUMENT)
    if document.is_deleted:
        raise Conflict("This document has already been deleted.")
    document.deleted_at = utcnow()
    document.deleted_by_id = actor.user.id if actor.user else None
    document.deleted_reason = data.reason
    session.flush()
    if repository.live_references(session, document.sha256) == 0:
        remove_at_commit(session, get_storage(), document.sha256)
    record(
        session,
        actor,
        Verb.DELETED,
        ObjectType.DOCUMENT,
        document.id,
        case_id=case.id,
        details={"title": document.title, "reason": data.reason},
    )
    return document


# ---- for the other parts of the record: subject access, retention ------------------------------


def list_case_documents(session: Session, actor: Actor, case_id: int) -> list[Document]:
    """The live documents of a case the actor may read (NotFound otherwise), newest first."""
    case = cases.get_case(session, actor, case_id)
    return repository.documents_of(session, case.id)


def read_document(session: Session, actor: Actor, case_id: int, document_id: int) -> bytes:
    """A live document's bytes (for a subject-access bundle); audited as a download."""
    case = cases.get_case(session, actor, case_id)
    _document, stream = open_document(session, actor, case, document_id)
    with stream:
        return stream.read()


def destroy_case_documents(session: Session, actor: Actor, case_id: int) -> int:
    """Remove every document of the case (deleted ones too) and the bytes no other live
    document holds, once the transaction commits; audited with the count only. How many."""
    case = cases.get_case(session, actor, case_id)
    hashes = repository.hashes_of_case(session, case.id)
    count = repository.remove_case_documents(session, case.id)
    storage = get_storage()
    for sha256 in sorted(hashes):
        if repository.live_references(session, sha256) == 0:
            remove_at_commit(session, storage, sha256)
    record(
        session,
        actor,
        Verb.DELETED,
        ObjectType.DOCUMENT_LIST,
        case.id,
        case_id=case.id,
        details={"destroyed": count},
    )
    return count
