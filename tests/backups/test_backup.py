"""`lado backup` under write load and `lado restore` into a fresh database: every write that was
acknowledged before the backup began is in the restored database, and the app serves it."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.backups.service import BackupError, backup, restore
from bench import load
from tests.conftest import database_url

LADO = str(Path(sys.executable).parent / "lado")


def _lado(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([LADO, *args], env=env, capture_output=True, text=True, timeout=300)


def _fresh_database(stack: ExitStack, kind: str, workdir: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / (name + '.sqlite3')}"
    admin = make_url(database_url()).render_as_string(hide_password=False)
    return stack.enter_context(load.postgresql_database(admin))


@pytest.mark.slow
@pytest.mark.committed
def test_backup_under_write_load_restores_every_acknowledged_write(engine):
    kind = "postgresql" if database_url().startswith("postgresql") else "sqlite"
    workdir = Path(tempfile.mkdtemp(prefix="lado-backup-"))
    with ExitStack() as stack:
        source = _fresh_database(stack, kind, workdir, "source")
        people = load.prepare(source, 5)
        server = load.Server(source, workdir)
        server.start()
        stack.callback(server.stop)
        before = load.run_async(load.drive(server.base, people, 4, 0.2, seed=3))
        assert before.cases and before.notes and not before.server_errors

        during: dict[str, load.Results] = {}
        writer = threading.Thread(
            target=lambda: during.update(r=load.run_async(load.drive(server.base, people, 6, 0.1, seed=4)))
        )
        writer.start()
        threading.Event().wait(1.5)  # the backup is taken while the second load writes
        made = _lado("backup", str(workdir / "backup.bin"), url=source)
        writer.join()
        assert made.returncode == 0, made.stderr
        assert during["r"].cases, "nothing was written while the backup ran"
        server.stop()

        target = _fresh_database(stack, kind, workdir, "restored")
        restored = _lado("restore", str(workdir / "backup.bin"), url=target)
        assert restored.returncode == 0, restored.stderr
        assert load.lost_writes(target, before) == []

        second = load.Server(target, workdir)
        second.start()
        stack.callback(second.stop)
        user = load.User(second.base, people[0][0], load.Results(), random.Random(1))

        async def read_back() -> int:
            assert await user.sign_in()
            page = await user.client.get(f"/cases/{min(before.cases)}")
            await user.client.aclose()
            return page.status_code

        assert load.run_async(read_back()) == 200


def test_a_restore_refuses_a_database_that_holds_data_and_a_backup_of_the_other_kind(tmp_path, engine):
    url = database_url()
    with pytest.raises(BackupError, match="already holds"):
        if url.startswith("sqlite"):
            copy = tmp_path / "copy.sqlite3"
            backup(url, copy)
            restore(url, copy)
        else:
            fake = tmp_path / "fake.dump"
            fake.write_bytes(b"PGDMP" + b"\0" * 32)
            restore(url, fake)
    other = tmp_path / "other.bin"
    other.write_bytes(
        b"SQLite format 3\x00" + b"\0" * 100 if url.startswith("postgresql") else b"PGDMP" + b"\0" * 32
    )
    with pytest.raises(BackupError, match="not a"):
        restore(url, other, replace=True)


def test_a_failed_backup_leaves_no_file(tmp_path):
    with pytest.raises(BackupError):
        backup(f"sqlite:///{tmp_path / 'missing.sqlite3'}", tmp_path / "out.bin")
    assert list(tmp_path.iterdir()) == []
