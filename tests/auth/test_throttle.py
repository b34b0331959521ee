"""Throttling of failed sign-ins: the rule in app/auth/throttle.py, through the sign-in form."""

import re
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import throttle
from app.auth.throttle import email_key, ip_key
from app.clock import utcnow
from tests.auth.support import SIGN_IN_FAILED, post_sign_in, throttle_row
from tests.factories import PASSWORD

WRONG = "not the right password at all"


def fail(client, email, times):
    for _ in range(times):
        resp = post_sign_in(client, email, WRONG)
        assert resp.status_code == 422 and SIGN_IN_FAILED in resp.text


def normalised(html: str, email: str) -> str:
    """The page without what differs on every response (nonce, CSRF token) or by input (the e-mail)."""
    html = re.sub(r'nonce(=|-)"?[A-Za-z0-9_-]+', "NONCE", html)
    html = re.sub(r'(csrf-token" content="|name="csrf_token" value=")[^"]+', r"\1TOKEN", html)
    return html.replace(email, "EMAIL")


def reasons(db, email):
    db.expire_all()
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.verb == "sign_in_failed").order_by(AuditEvent.id)
    ).all()
    return [e.details["reason"] for e in events if e.details.get("email") == email]


class TestAccountLock:
    def test_five_failures_lock_the_account_even_for_the_right_password(self, client, factory, db):
        user = factory.user("hr_liaison", organisations=[factory.organisation().name])
        fail(client, user.email, 4)
        assert post_sign_in(client, user.email).status_code == 303  # 4 failures: not yet locked
        fail(client, user.email, 5)
        resp = post_sign_in(client, user.email)
        assert resp.status_code == 422
        assert SIGN_IN_FAILED in resp.text
        assert reasons(db, user.email)[-1] == "throttled"
        row = throttle_row(db, email_key(user.email))
        assert row.failures == 5
        assert timedelta(seconds=50) < row.locked_until - utcnow() <= timedelta(minutes=1)

    def test_the_lock_expires(self, client, factory, db):
        user = factory.user("manager")
        fail(client, user.email, 5)
        assert post_sign_in(client, user.email).status_code == 422
        row = throttle_row(db, email_key(user.email))
        row.locked_until = utcnow() - timedelta(seconds=1)
        db.commit()
        assert post_sign_in(client, user.email).status_code == 303
        assert throttle_row(db, email_key(user.email)) is None  # success clears the count

    def test_locks_grow_after_each_failure_but_never_past_fifteen_minutes(self, client, factory, db):
        user = factory.user("lado")
        fail(client, user.email, 5)
        lengths = []
        for _ in range(6):
            row = throttle_row(db, email_key(user.email))
            lengths.append(round((row.locked_until - row.window_started_at).total_seconds() / 60))
            row.locked_until = utcnow() - timedelta(seconds=1)  # let the lock run out
            db.commit()
            fail(client, user.email, 1)
        assert lengths == [1, 2, 4, 8, 15, 15]

    def test_attempts_while_locked_do_not_extend_the_lock(self, client, factory, db):
        user = factory.user("lado")
        fail(client, user.email, 5)
        before = throttle_row(db, email_key(user.email)).locked_until
        fail(client, user.email, 10)
        row = throttle_row(db, email_key(user.email))
        assert row.locked_until == before and row.failures == 5

    def test_quiet_window_starts_the_count_again(self, client, factory, db):
        user = factory.user("lado")
        fail(client, user.email, 4)
        row = throttle_row(db, email_key(user.email))
        row.window_started_at = utcnow() - timedelta(minutes=16)
        db.commit()
        fail(client, user.email, 1)
        assert throttle_row(db, email_key(user.email)).failures == 1
        assert post_sign_in(client, user.email).status_code == 303

    def test_a_success_resets_the_count(self, client, factory, db):
        user = factory.user("lado")
        fail(client, user.email, 4)
        assert post_sign_in(client, user.email).status_code == 303
        client.cookies.clear()
        fail(client, user.email, 4)
        assert post_sign_in(client, user.email).status_code == 303

    def test_a_lock_on_one_account_leaves_others_alone(self, client, factory):
        victim, other = factory.user("lado"), factory.user("lado")
        fail(client, victim.email, 5)
        assert post_sign_in(client, other.email).status_code == 303

    def test_unknown_addresses_lock_the_same_way(self, client, db):
        """A lock appears for an address with no account too, so it reveals nothing."""
        fail(client, "nobody@example.test", 5)
        resp = post_sign_in(client, "nobody@example.test", WRONG)
        assert resp.status_code == 422 and SIGN_IN_FAILED in resp.text
        assert reasons(db, "nobody@example.test") == ["unknown_user"] * 5 + ["throttled"]


class TestIpLock:
    def test_twenty_failures_from_one_address_lock_that_address(self, client, factory, db):
        user = factory.user("lado")
        for _ in range(throttle.IP_LIMIT - 1):  # as if 19 forms had been refused (each costs an argon2 check)
            throttle.register_failure(db, ip_key("testclient"), throttle.IP_LIMIT)
        db.commit()
        assert post_sign_in(client, "guess@example.test", WRONG).status_code == 422
        resp = post_sign_in(client, user.email)
        assert resp.status_code == 422 and SIGN_IN_FAILED in resp.text
        assert throttle_row(db, ip_key("testclient")).locked_until > utcnow()


class TestRule:
    def test_lock_duration_doubles_up_to_the_cap(self):
        assert [throttle.lock_duration(n).total_seconds() / 60 for n in range(7)] == [1, 2, 4, 8, 15, 15, 15]
        assert throttle.lock_duration(10_000) == throttle.MAX_LOCK

    def test_register_failure_ignores_an_absent_key(self, db):
        throttle.register_failure(db, None)
        assert not throttle.is_locked(db, None)


class TestSameAnswer:
    def test_unknown_user_wrong_password_and_disabled_look_the_same(self, client, factory, db):
        from app.users.service import set_active

        user = factory.user("lado")
        disabled = factory.user("lado")
        set_active(db, None, disabled, False)
        db.commit()
        answers = [
            post_sign_in(client, "nobody@example.test", WRONG),
            post_sign_in(client, user.email, WRONG),
            post_sign_in(client, disabled.email, PASSWORD),
        ]
        assert {r.status_code for r in answers} == {422}
        bodies = {
            normalised(r.text, email)
            for r, email in zip(answers, ["nobody@example.test", user.email, disabled.email], strict=True)
        }
        assert len(bodies) == 1, "the three failures must produce the same page"
        assert reasons(db, "nobody@example.test") == ["unknown_user"]
        assert reasons(db, user.email) == ["wrong_password"]
        assert reasons(db, disabled.email) == ["disabled"]

    def test_unknown_user_costs_a_password_hash_check_too(self, monkeypatch, client, factory):
        """Timing: an unknown e-mail still runs one argon2 verification (against a dummy hash)."""
        from app.auth import passwords

        calls = []
        real = passwords._hasher.verify
        monkeypatch.setattr(passwords._hasher, "verify", lambda pw, h: calls.append(h) or real(pw, h))
        user = factory.user("lado")
        post_sign_in(client, "nobody@example.test", WRONG)
        post_sign_in(client, user.email, WRONG)
        assert len(calls) == 2
        assert calls[0] == passwords._DUMMY_HASH and calls[1] == user.password_hash
