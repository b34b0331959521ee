"""SQLite as a database for a team: many readers, writers that queue instead of failing.

- Every transaction begins deferred and reads from its snapshot, so page views never take the
  write lock. The first write (INSERT, UPDATE, DELETE, a savepoint, or a SELECT ... FOR UPDATE,
  which SQLite does not have) swaps the read transaction for `BEGIN IMMEDIATE`: a deferred
  transaction that has read cannot safely start writing once another connection has committed
  (SQLite answers SQLITE_BUSY_SNAPSHOT at once, whatever the busy timeout), so none ever does.
  Reads before the first write may come from an older snapshot, as under PostgreSQL's READ
  COMMITTED; version columns turn a stale edit into a conflict.
- Within one process, writers take turns in arrival order (`FairLock`) before asking SQLite for
  the lock: SQLite's own busy handler polls with growing sleeps, so under load an unlucky waiter
  could be overtaken again and again. Between processes (`lado serve --workers N`, `lado worker`)
  the busy timeout still applies. A writer that cannot get its turn within the lock timeout fails
  with "database is locked" (answered 503), never waits for ever.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

#: Connection info keys: the kind of transaction open ("read" or "write"); whether this
#: connection holds the process's turn to write.
TXN, TURN = "lado_sqlite_txn", "lado_sqlite_turn"
#: Statements that never write; anything else takes the write lock first.
READ_ONLY = ("SELECT", "WITH", "PRAGMA", "EXPLAIN", "BEGIN", "COMMIT", "END", "ROLLBACK", "RELEASE")


class FairLock:
    """A lock handed to its waiters in the order they arrived (any thread may release it)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ran out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # the lock passes straight to the next in line
            else:
                self._held = False


def sqlite_engine(url: str, lock_timeout: float) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": lock_timeout})
    turns = FairLock()

    def take_write_lock(conn: Connection) -> None:
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        conn.info[TXN] = None
        if not turns.acquire(lock_timeout):
            raise sqlite3.OperationalError("database is locked (no turn to write within the lock timeout)")
        conn.info[TURN] = True
        dbapi.execute("COMMIT")  # the read snapshot ends; nothing was written in it
        dbapi.execute("BEGIN IMMEDIATE")  # waits for other processes within the busy timeout
        conn.info[TXN] = "write"

    def end_turn(info: dict) -> None:
        info[TXN] = None
        if info.pop(TURN, False):
            turns.release()

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        cur.close()
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (savepoints work).
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        end_turn(conn.info)
        conn.exec_driver_sql("BEGIN")
        conn.info[TXN] = "read"

    @event.listens_for(engine, "before_execute")
    def _lock_for_update(conn, clauseelement, multiparams, params, execution_options):
        if conn.info.get(TXN) == "read" and getattr(clauseelement, "_for_update_arg", None) is not None:
            take_write_lock(conn)

    @event.listens_for(engine, "before_cursor_execute")
    def _lock_for_write(conn, cursor, statement, parameters, context, executemany):
        if conn.info.get(TXN) == "read" and not statement.lstrip().upper().startswith(READ_ONLY):
            take_write_lock(conn)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(conn):
        end_turn(conn.info)

    # A connection given back to the pool, invalidated or closed without either gives up its turn.
    @event.listens_for(engine, "reset")
    def _end_on_reset(dbapi_connection, connection_record, reset_state):
        end_turn(connection_record.info)

    @event.listens_for(engine, "invalidate")
    def _end_on_invalidate(dbapi_connection, connection_record, exception):
        end_turn(connection_record.info)

    @event.listens_for(engine, "close")
    def _end_on_close(dbapi_connection, connection_record):
        end_turn(connection_record.info)

    return engine
