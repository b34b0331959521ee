from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.helpers import csrf_from, sign_in


class TestSignIn:
    def test_pages_redirect_to_sign_in_without_a_session(self, client):
        resp = client.get("/")
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/sign-in")

    def test_sign_in_then_home(self, client, factory):
        user = factory.user("lado")
        sign_in(client, user.email)
        resp = client.get("/")
        assert resp.status_code == 200
        assert user.name in resp.text

    def test_wrong_password_is_refused_and_audited(self, client, factory, db):
        user = factory.user("lado")
        token = csrf_from(client.get("/sign-in").text)
        resp = client.post(
            "/sign-in", data={"email": user.email, "password": "wrong password here", "csrf_token": token}
        )
        assert resp.status_code == 422
        assert "Enter a correct e-mail address and password" in resp.text
        verbs = db.scalars(select(AuditEvent.verb).where(AuditEvent.verb == "sign_in_failed")).all()
        assert verbs

    def test_unknown_user_gets_the_same_answer(self, client):
        token = csrf_from(client.get("/sign-in").text)
        resp = client.post(
            "/sign-in",
            data={"email": "nobody@example.test", "password": "whatever password", "csrf_token": token},
        )
        assert resp.status_code == 422
        assert "Enter a correct e-mail address and password" in resp.text

    def test_sign_in_without_csrf_is_refused(self, client, factory):
        user = factory.user("lado")
        client.get("/sign-in")
        resp = client.post("/sign-in", data={"email": user.email, "password": "correct horse battery staple"})
        assert resp.status_code == 403

    def test_sign_out_ends_the_session(self, client, factory):
        user = factory.user("manager")
        csrf = sign_in(client, user.email)
        resp = client.post("/sign-out", data={"csrf_token": csrf})
        assert resp.status_code == 303
        # the old cookie no longer works even if replayed
        assert client.get("/").status_code == 303


class TestAccessDenials:
    def test_forbidden_page_is_refused_and_audited(self, client, factory, db):
        user = factory.user("hr_liaison", organisations=[factory.organisation().name])
        sign_in(client, user.email)
        assert client.get("/cases").status_code == 403
        event = db.scalar(
            select(AuditEvent).where(AuditEvent.verb == "access_denied", AuditEvent.actor_id == user.id)
        )
        assert event is not None and event.object_id == "GET /cases"
