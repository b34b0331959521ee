"""A page view writes only its trace (the audit of the view, the session's last-seen time), and
writes it last, as the request commits: no read of the page waits behind, or holds, a write (on
SQLite the first write takes the database's one write lock until the commit, so a page that wrote
first held it through every read and its rendering; under load other writers timed out)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select

from app.audit.models import AuditEvent, Verb
from app.auth.models import UserSession
from app.clock import utcnow
from app.context import Actor
from tests.helpers import sign_in
from tests.people.support import open_case

WRITES = ("INSERT", "UPDATE", "DELETE")


class Statements:
    def __init__(self, db):
        self.connection = db.connection()
        self.seen: list[str] = []

    def __enter__(self):
        event.listen(self.connection, "before_cursor_execute", self._add)
        return self

    def __exit__(self, *exc):
        event.remove(self.connection, "before_cursor_execute", self._add)

    def _add(self, _conn, _cursor, statement, *_args) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb not in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
            self.seen.append(statement)

    def reads_after_first_write(self) -> list[str]:
        writes = [i for i, s in enumerate(self.seen) if s.lstrip().upper().startswith(WRITES)]
        if not writes:
            return []
        return [s for s in self.seen[writes[0] :] if not s.lstrip().upper().startswith(WRITES)]


def test_every_page_view_reads_first_and_writes_its_trace_at_the_commit(client, db, factory):
    officer = factory.user("lado")
    case = open_case(
        db, factory, Actor(user=officer), subject_first_name="Robin", subject_last_name="Tracewell"
    )
    sign_in(client, officer.email)
    pages = [
        "/cases",
        "/cases?sort=adult",
        f"/cases/{case.id}",
        f"/cases/{case.id}/history",
        f"/cases/{case.id}/allegations",
        "/search?q=Tracewell",
    ]
    with Statements(db) as statements:  # the dashboard is not audited; it reads and writes nothing
        assert client.get("/").status_code == 200
    assert not [s for s in statements.seen if s.lstrip().upper().startswith(WRITES)]
    for url in pages:
        db.expunge_all()
        before = db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
        with Statements(db) as statements:
            assert client.get(url).status_code == 200, url
        assert statements.reads_after_first_write() == [], url
        viewed = db.scalars(select(AuditEvent.verb).where(AuditEvent.id > before)).all()
        if "/history" not in url and "/allegations" not in url:  # the tabs are not audited again
            assert viewed == [Verb.VIEWED.value], url  # the view is still audited, once


def test_the_last_seen_time_is_written_at_the_commit_too(client, db, factory):
    officer = factory.user("lado")
    sign_in(client, officer.email)
    us = db.scalars(select(UserSession).where(UserSession.user_id == officer.id)).one()
    us.last_seen_at = utcnow() - timedelta(minutes=5)
    db.flush()
    db.expunge_all()
    with Statements(db) as statements:
        assert client.get("/cases").status_code == 200
    assert statements.reads_after_first_write() == []
    assert any(s.lstrip().upper().startswith("UPDATE USER_SESSIONS") for s in statements.seen)
    db.expire_all()
    seen = db.get(UserSession, us.id)
    assert seen is not None and utcnow() - seen.last_seen_at < timedelta(minutes=1)


def test_a_refused_view_leaves_the_refusal_and_no_view(client, db, factory):
    officer, other = factory.user("lado"), factory.user("lado")
    case = open_case(
        db,
        factory,
        Actor(user=other),
        subject_first_name="Sam",
        subject_last_name="Hiddenley",
        restricted=True,
    )
    sign_in(client, officer.email)
    before = db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    assert client.get(f"/cases/{case.id}").status_code == 404
    verbs = db.scalars(select(AuditEvent.verb).where(AuditEvent.id > before)).all()
    assert verbs == [Verb.ACCESS_DENIED.value]
