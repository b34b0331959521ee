"""Virus scanning against a real clamd (Debian's clamav-daemon), started by the test with its own
configuration: a socket in a temporary folder and, instead of the downloaded signature databases,
one line of a hash signature (.hdb: md5:size:name) that detects the EICAR test file. Skipped only
when clamd is not installed (scripts/test installs it when run as root)."""

from __future__ import annotations

import hashlib
import io
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import get_settings
from app.documents import repository, service
from app.documents.scanning import ScannerUnavailable, scan
from app.documents.schemas import DocumentCreate
from app.documents.storage import LocalFolderStorage
from app.errors import Unavailable
from tests.documents.conftest import PDF, upload
from tests.helpers import audit_events, post_form

CLAMD = Path("/usr/sbin/clamd")
#: The EICAR anti-virus test file: harmless, and detected as a virus by design.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

pytestmark = pytest.mark.skipif(
    not CLAMD.exists(), reason="clamd is not installed (apt-get install clamav-daemon)"
)


def _answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect(str(path))
            conn.sendall(b"zPING\0")
            return conn.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def clamd(tmp_path_factory) -> Iterator[Path]:
    """A clamd of this test's own, on a socket in a temporary folder; stopped afterwards."""
    root = tmp_path_factory.mktemp("clamd")
    (root / "db").mkdir()
    (root / "db" / "eicar.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test\n")
    sock = root / "clamd.sock"
    config = root / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {sock}",
                "Foreground yes",
                f"DatabaseDirectory {root / 'db'}",
                f"TemporaryDirectory {root}",
                f"LogFile {root / 'clamd.log'}",
                "StreamMaxLength 30M",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [str(CLAMD), f"--config-file={config}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while not _answers(sock):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "clamd.log").read_text() if (root / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start:\n{log[-2000:]}")
            time.sleep(0.2)
        yield sock
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class TestScan:
    def test_eicar_is_found_and_a_clean_file_passes(self, clamd):
        assert scan(clamd, [EICAR]) == "Eicar-Test.UNOFFICIAL"
        assert scan(clamd, [PDF[:10], PDF[10:]]) is None

    def test_an_unreachable_socket_is_unavailable(self, tmp_path):
        with pytest.raises(ScannerUnavailable):
            scan(tmp_path / "no-such.sock", [PDF], timeout=2)


class TestUploadsAreScanned:
    def test_an_infected_file_is_refused_audited_and_not_stored(
        self, db, officer, case, clamd, monkeypatch, documents_dir
    ):
        monkeypatch.setattr(get_settings(), "clamav_socket", clamd)
        outcome = service.attach_document(db, officer, case, DocumentCreate(), upload("notes.txt", EICAR))
        assert isinstance(outcome, service.Infected) and "virus (Eicar-Test.UNOFFICIAL)" in outcome.message
        assert repository.documents_of(db, case.id) == []
        assert not LocalFolderStorage(documents_dir).path_of(hashlib.sha256(EICAR).hexdigest()).exists()
        [event] = audit_events(db, "document", "upload_refused")
        assert event.case_id == case.id and event.details["virus"] == "Eicar-Test.UNOFFICIAL"
        clean = service.attach_document(db, officer, case, DocumentCreate(), upload("r.pdf", PDF))
        assert not isinstance(clean, service.Infected) and clean.media_type == "application/pdf"

    def test_scanning_configured_but_unreachable_stores_nothing(
        self, db, officer, case, monkeypatch, tmp_path
    ):
        monkeypatch.setattr(get_settings(), "clamav_socket", tmp_path / "gone.sock")
        with pytest.raises(Unavailable, match="Virus scanning is unavailable"):
            service.attach_document(db, officer, case, DocumentCreate(), upload("r.pdf", PDF))
        assert repository.documents_of(db, case.id) == []

    @pytest.mark.usefixtures("password_only")
    def test_the_page_and_the_api_refuse_eicar_and_keep_the_audit(
        self, db, officer, case, clamd, monkeypatch, browser
    ):
        monkeypatch.setattr(get_settings(), "clamav_socket", clamd)
        client, csrf = browser(officer.user)
        page = post_form(
            client,
            f"/cases/{case.id}/documents",
            {"title": "Call notes"},
            csrf,
            files={"file": ("call.txt", io.BytesIO(EICAR), "text/plain")},
        )
        assert (
            page.status_code == 422 and "contains a virus" in page.text and 'value="Call notes"' in page.text
        )
        api = client.post(
            f"/api/v1/cases/{case.id}/documents",
            files={"file": ("call.txt", io.BytesIO(EICAR), "text/plain")},
            headers={"X-CSRF-Token": csrf},
        )
        assert api.status_code == 422 and api.headers["content-type"].startswith("application/problem+json")
        assert api.json()["errors"][0]["field"] == "file"
        assert len(audit_events(db, "document", "upload_refused")) == 2
        assert repository.documents_of(db, case.id) == []
