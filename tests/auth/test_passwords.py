"""The password policy and the password change page."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.passwords import common_passwords, password_problem, verify_password
from tests.auth.support import page_csrf, post_sign_in, session_row
from tests.factories import PASSWORD
from tests.helpers import sign_in

NEW = "violet kettle harbour 42"


class TestPolicy:
    @pytest.mark.parametrize(
        "common", ["password1234", "qwertyuiopas", "123456789012", "iloveyou1234", "Password1234"]
    )
    def test_common_passwords_are_refused_whatever_their_case(self, common):
        assert password_problem(common) == "This password is too common; choose one that is harder to guess"

    def test_the_shipped_list_is_large_and_lowercase(self):
        words = common_passwords()
        assert len(words) > 5000
        assert all(w == w.casefold() for w in words)

    def test_length_not_composition(self):
        assert password_problem("short pass") == "Enter a password of at least 12 characters"
        assert password_problem("x" * 257) == "Enter a password of at most 256 characters"
        assert password_problem("all lower case words") is None  # no digits or symbols needed

    def test_own_email_is_refused(self):
        assert password_problem("someone.long@example.test", email="Someone.Long@example.test") is not None

    def test_creating_a_user_with_a_common_password_is_refused(self, factory):
        from app.errors import ValidationFailed

        with pytest.raises(ValidationFailed) as exc:
            factory.user("lado", password="password1234")
        assert "too common" in exc.value.errors["password"]


def change(client, csrf, current=PASSWORD, new=NEW, confirm=None):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
            "csrf_token": csrf,
        },
    )


class TestChangePassword:
    def test_any_role_can_change_it_and_other_sessions_end(self, client, app, factory, db):
        from fastapi.testclient import TestClient

        user = factory.user("hr_liaison", organisations=[factory.organisation().name])
        with TestClient(app, follow_redirects=False) as other_browser:
            sign_in(other_browser, user.email)
            sign_in(client, user.email)
            csrf = page_csrf(client, "/account/password")
            resp = change(client, csrf)
            assert resp.status_code == 303 and resp.headers["location"] == "/account"
            assert client.get("/account").status_code == 200  # this session stays
            assert other_browser.get("/").status_code == 303  # the other one has ended
        db.refresh(user)
        assert verify_password(NEW, user.password_hash)
        event = db.scalar(
            select(AuditEvent).where(AuditEvent.verb == "updated", AuditEvent.object_id == str(user.id))
        )
        assert event.details == {"changed": ["password"], "other_sessions_ended": 1}
        assert PASSWORD not in str(event.details) and NEW not in str(event.details)
        assert post_sign_in(client, user.email, NEW).status_code == 303

    @pytest.mark.parametrize(
        ("current", "new", "confirm", "field", "message"),
        [
            ("wrong current password", NEW, None, "current_password", "Your current password is not correct"),
            (PASSWORD, "iloveyou1234", None, "new_password", "too common"),
            (PASSWORD, "short", None, "new_password", "at least 12 characters"),
            (
                PASSWORD,
                NEW,
                "something else entirely",
                "confirm_password",
                "Enter the same new password twice",
            ),
            (PASSWORD, PASSWORD, None, "new_password", "different from your current one"),
            ("", NEW, None, "current_password", "Enter your current password"),
        ],
    )
    def test_bad_input_is_refused_and_changes_nothing(
        self, client, factory, db, current, new, confirm, field, message
    ):
        user = factory.user("lado")
        sign_in(client, user.email)
        before = user.password_hash
        resp = change(client, page_csrf(client, "/account/password"), current, new, confirm)
        assert resp.status_code == 422
        assert message in resp.text
        assert f'href="#{field}"' in resp.text  # the error summary links to the field
        db.refresh(user)
        assert user.password_hash == before
        assert session_row(db, client).revoked_at is None

    def test_wrong_current_passwords_are_throttled(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        csrf = page_csrf(client, "/account/password")
        for _ in range(5):
            assert change(client, csrf, current="wrong current password").status_code == 422
        resp = change(client, csrf)  # the right one, now refused
        assert resp.status_code == 422 and "Too many incorrect attempts" in resp.text
        db.refresh(user)
        assert verify_password(PASSWORD, user.password_hash)

    def test_needs_a_session(self, client):
        assert client.get("/account/password").status_code == 303
        assert client.post("/account/password", data={}).status_code == 403  # no CSRF token either
