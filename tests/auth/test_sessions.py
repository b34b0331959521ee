"""Sessions: a new id at every sign-in, idle and absolute timeouts, and sign-out or disabling
a user ending them at once (the old cookie, replayed, gets the sign-in page)."""

from datetime import timedelta

from app.auth.dependencies import SESSION_COOKIE
from app.clock import utcnow
from app.users.service import set_active
from tests.auth.support import post_sign_in, session_row
from tests.helpers import sign_in


def replay(client, cookie_value, url="/account"):
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie_value)
    return client.get(url)


def assert_sent_to_sign_in(resp):
    assert resp.status_code == 303
    assert resp.headers["location"].startswith("/sign-in")


class TestSessionId:
    def test_every_sign_in_gets_a_new_id_and_ends_the_old_session(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        first = client.cookies[SESSION_COOKIE]
        first_row = session_row(db, client)
        resp = client.post(
            "/sign-in",
            data={
                "email": user.email,
                "password": "correct horse battery staple",
                "csrf_token": first_row.csrf_token,
            },
        )
        assert resp.status_code == 303
        second = client.cookies[SESSION_COOKIE]
        assert second != first
        db.refresh(first_row)
        assert first_row.revoked_at is not None
        assert_sent_to_sign_in(replay(client, first))

    def test_cookie_attributes(self, client, factory):
        user = factory.user("lado")
        resp = post_sign_in(client, user.email)
        cookie = resp.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # development; see tests/security for production

    def test_only_a_hash_of_the_session_id_is_stored(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        row = session_row(db, client)
        assert client.cookies[SESSION_COOKIE] not in (row.token_hash, row.csrf_token)


class TestTimeouts:
    def test_idle_for_thirty_minutes_ends_the_session(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        row = session_row(db, client)
        row.last_seen_at = utcnow() - timedelta(minutes=29)
        db.commit()
        assert client.get("/account").status_code == 200
        row = session_row(db, client)
        row.last_seen_at = utcnow() - timedelta(minutes=31)
        db.commit()
        assert_sent_to_sign_in(client.get("/account"))
        assert_sent_to_sign_in(client.get("/"))  # and stays ended

    def test_activity_keeps_it_alive(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        row = session_row(db, client)
        row.last_seen_at = utcnow() - timedelta(minutes=20)
        db.commit()
        assert client.get("/account").status_code == 200
        assert utcnow() - session_row(db, client).last_seen_at < timedelta(minutes=1)

    def test_ten_hours_end_it_however_busy(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        row = session_row(db, client)
        row.created_at = utcnow() - timedelta(hours=9, minutes=59)
        db.commit()
        assert client.get("/account").status_code == 200
        row = session_row(db, client)
        row.created_at = utcnow() - timedelta(hours=10, minutes=1)
        row.last_seen_at = utcnow()
        db.commit()
        assert_sent_to_sign_in(client.get("/account"))

    def test_expired_session_on_the_api_gets_401(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        assert client.get("/api/v1/me").status_code == 200
        row = session_row(db, client)
        row.created_at = utcnow() - timedelta(hours=11)
        db.commit()
        resp = client.get("/api/v1/me")
        assert resp.status_code == 401 and resp.headers["content-type"] == "application/problem+json"


class TestEnding:
    def test_sign_out_then_replaying_the_old_cookie_gets_the_sign_in_page(self, client, factory, db):
        user = factory.user("manager")
        csrf = sign_in(client, user.email)
        cookie = client.cookies[SESSION_COOKIE]
        resp = client.post("/sign-out", data={"csrf_token": csrf})
        assert resp.status_code == 303 and resp.headers["location"] == "/sign-in"
        assert 'lado_session=""' in resp.headers["set-cookie"] or "Max-Age=0" in resp.headers["set-cookie"]
        assert_sent_to_sign_in(replay(client, cookie))
        assert_sent_to_sign_in(replay(client, cookie, "/"))

    def test_sign_out_is_post_only(self, client, factory):
        user = factory.user("manager")
        sign_in(client, user.email)
        assert client.get("/sign-out").status_code == 405
        assert client.get("/account").status_code == 200

    def test_disabling_a_user_ends_their_sessions_at_once(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        cookie = client.cookies[SESSION_COOKIE]
        set_active(db, None, user, False)
        db.commit()
        assert session_row(db, client).revoked_at is not None
        assert_sent_to_sign_in(replay(client, cookie))
        set_active(db, None, user, True)  # re-enabling does not bring the old session back
        db.commit()
        assert_sent_to_sign_in(replay(client, cookie))
