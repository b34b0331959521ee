"""Where the bytes of documents are kept: outside the database, behind one small interface
(BlobStorage: put, get, delete by SHA-256) so that production can use another store (an
S3-compatible bucket) by writing one class. Content-addressed: the same bytes are stored once,
under their SHA-256, and a name chosen by a user never reaches a path.

LocalFolderStorage keeps each blob at ROOT/ab/cd/abcd...: written to a temporary file in ROOT/tmp,
checked against its SHA-256, synced and renamed into place, so a reader never sees half a file.

Removing a blob waits for the transaction that stopped needing it to commit (remove_at_commit),
and a blob a transaction wrote is removed again if that transaction rolls back, so the folder
and the table agree whatever happens to the transaction.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.config import get_settings

SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 64 * 1024
_REMOVE = "lado_blobs_to_remove"
_WRITTEN = "lado_blobs_written"


class BlobMissing(LookupError):
    """No blob is stored under this SHA-256."""


class BlobStorage(Protocol):
    def put(self, sha256: str, source: BinaryIO) -> bool:
        """Store what `source` holds (read from where it is) under `sha256`, which it must hash
        to; True if it was not stored before."""
        ...

    def get(self, sha256: str) -> BinaryIO:
        """The stored bytes, opened for reading (the caller closes it); BlobMissing if none."""
        ...

    def delete(self, sha256: str) -> None:
        """Forget the blob (nothing happens if there is none)."""
        ...


def _checked(sha256: str) -> str:
    if not SHA256.match(sha256):
        raise ValueError("not a SHA-256 in hexadecimal")
    return sha256


class LocalFolderStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        sha256 = _checked(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, sha256: str, source: BinaryIO) -> bool:
        target = self.path_of(sha256)
        if target.exists():
            return False
        staging = self.root / "tmp"
        staging.mkdir(parents=True, exist_ok=True, mode=0o700)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        handle, temporary = tempfile.mkstemp(dir=staging, prefix="upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha256:
                raise ValueError("the content does not hash to the SHA-256 given")
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True

    def get(self, sha256: str) -> BinaryIO:
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def delete(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)


def get_storage() -> BlobStorage:
    return LocalFolderStorage(get_settings().documents_path)


def written_in(session: Session, storage: BlobStorage, sha256: str) -> None:
    """`sha256` was newly stored by this transaction: removed again if it rolls back."""
    session.info.setdefault(_WRITTEN, []).append((storage, sha256))


def remove_at_commit(session: Session, storage: BlobStorage, sha256: str) -> None:
    """Remove the blob once this transaction commits (it no longer needs it); kept if it rolls back."""
    session.info.setdefault(_REMOVE, []).append((storage, sha256))


# Both events also fire for a savepoint (begin_nested), which the outer transaction may still
# undo or commit: only the session's own transaction ending settles the blobs.
@event.listens_for(Session, "after_commit")
def _remove_unneeded(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(_WRITTEN, None)
    for storage, sha256 in session.info.pop(_REMOVE, []):
        storage.delete(sha256)


@event.listens_for(Session, "after_rollback")
def _remove_written(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(_REMOVE, None)
    for storage, sha256 in session.info.pop(_WRITTEN, []):
        storage.delete(sha256)
