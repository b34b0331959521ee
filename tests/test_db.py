"""The database under contention: nothing waits for ever. A writer that cannot get the lock in
time fails quickly with a conflict (PostgreSQL's lock_timeout) or "busy" (SQLite), readers are
never blocked by a writer, and the request's transaction owner turns either into 409 or 503."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text, update
from sqlalchemy.orm import Session

from app import db as app_db
from app.config import get_settings
from app.errors import Busy, Conflict
from app.sqlite import FairLock
from app.users.models import User
from tests.conftest import database_url
from tests.factories import Factory

pytestmark = pytest.mark.committed


@pytest.fixture
def quick_engine(committed_engine, monkeypatch) -> Iterator[Engine]:
    """An engine of the app's own making with a one-second lock timeout."""
    monkeypatch.setattr(get_settings(), "db_lock_timeout_seconds", 1.0)
    engine = app_db.make_engine(database_url())
    yield engine
    engine.dispose()


def _user(engine: Engine) -> int:
    with Session(engine) as s:
        user = Factory(s).user("lado")
        s.commit()
        return user.id


def _hold_write(engine: Engine, user_id: int, started: threading.Event, release: threading.Event) -> None:
    with Session(engine) as s:
        s.execute(update(User).where(User.id == user_id).values(name="Holder"))
        started.set()
        release.wait(10)
        s.commit()


def test_a_writer_that_cannot_get_the_lock_fails_within_the_timeout(quick_engine):
    user_id = _user(quick_engine)
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write, args=(quick_engine, user_id, started, release))
    holder.start()
    try:
        assert started.wait(5)
        begun = time.monotonic()
        with Session(quick_engine) as s, pytest.raises(Exception) as caught:
            s.execute(update(User).where(User.id == user_id).values(name="Second"))
            s.flush()
        elapsed = time.monotonic() - begun
    finally:
        release.set()
        holder.join()
    problem = app_db.database_problem(caught.value)
    expected = Conflict if quick_engine.dialect.name == "postgresql" else Busy
    assert isinstance(problem, expected), caught.value
    assert 0.8 < elapsed < 4


def test_readers_are_not_blocked_by_a_writer(quick_engine):
    user_id = _user(quick_engine)
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write, args=(quick_engine, user_id, started, release))
    holder.start()
    try:
        assert started.wait(5)
        begun = time.monotonic()
        with Session(quick_engine) as s:
            assert s.get(User, user_id).name != "Holder"  # the committed name, at once
            s.commit()
        assert time.monotonic() - begun < 0.5
    finally:
        release.set()
        holder.join()


def test_a_read_then_write_after_another_commit_waits_its_turn_instead_of_failing(quick_engine):
    """The SQLITE_BUSY_SNAPSHOT case: B reads, A commits a write, then B writes. On SQLite B's
    write must queue and succeed (a deferred transaction would fail at once)."""
    user_id = _user(quick_engine)
    with Session(quick_engine) as b:
        assert b.get(User, user_id) is not None  # B's snapshot begins
        with Session(quick_engine) as a:
            a.execute(update(User).where(User.id == user_id).values(name="From A"))
            a.commit()
        b.execute(update(User).where(User.id == user_id).values(name="From B"))
        b.commit()
    with Session(quick_engine) as s:
        assert s.get(User, user_id).name == "From B"


def test_the_postgresql_connections_carry_their_timeouts_no_jit_and_custom_plans(quick_engine):
    if quick_engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL settings")
    with quick_engine.connect() as conn:
        shown = {
            name: conn.execute(text(f"SHOW {name}")).scalar()
            for name in (
                "lock_timeout",
                "statement_timeout",
                "idle_in_transaction_session_timeout",
                "jit",
                "plan_cache_mode",
            )
        }
    assert shown == {
        "jit": "off",
        "plan_cache_mode": "force_custom_plan",
        "lock_timeout": "1s",
        "statement_timeout": "30s",
        "idle_in_transaction_session_timeout": "1min",
    }


def test_the_fair_lock_serves_waiters_in_order_and_lets_a_late_one_give_up():
    lock = FairLock()
    assert lock.acquire(1)
    order: list[int] = []

    def wait(i: int) -> None:
        if lock.acquire(5):
            order.append(i)
            lock.release()

    threads = []
    for i in range(5):
        t = threading.Thread(target=wait, args=(i,))
        t.start()
        threads.append(t)
        time.sleep(0.05)  # arrive in order
    assert not lock.acquire(0.1)  # held, and four are in line before this one
    lock.release()
    for t in threads:
        t.join()
    assert order == [0, 1, 2, 3, 4]
    assert lock.acquire(0.1)
