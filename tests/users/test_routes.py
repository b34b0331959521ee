"""User accounts: list, add, change, disable; an administrator cannot lock themselves out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import UserSession
from app.users.models import User
from tests.helpers import audit_events, post_form, sign_in

pytestmark = pytest.mark.usefixtures("password_only")

NEW_PASSWORD = "plum orchard lantern evening"


def _new(**overrides) -> dict:
    data = {
        "name": "Sam Newstarter",
        "email": "sam.newstarter@example.test",
        "role": "lado",
        "password": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def _edit(user: User, **overrides) -> dict:
    data = {
        "name": user.name,
        "role": str(user.role),
        "active": "yes" if user.is_active else "no",
        "organisations": [str(o.id) for o in user.organisations],
    }
    data.update(overrides)
    return data


def _user(db, email: str) -> User | None:
    db.expire_all()
    return db.scalar(select(User).where(User.email == email))


class TestList:
    def test_shows_name_email_role_organisations_status_and_two_factor(self, client, admin_csrf, factory, db):
        org = factory.organisation("Listed Primary School")
        hr = factory.user("hr_liaison", name="Harriet Liaison", organisations=[org.name])
        hr.totp_enabled = True
        factory.user("manager", name="Morgan Manager").is_active = False
        db.commit()
        html = client.get("/admin/users").text
        row = html[html.index("Harriet Liaison") :]
        row = row[: row.index("</tr>")]
        for text in (hr.email, "HR liaison", "Listed Primary School", "Active", "Yes"):
            assert text in row
        row = html[html.index("Morgan Manager") :]
        assert "Disabled" in row[: row.index("</tr>")]

    def test_html_in_a_name_is_shown_as_text(self, client, admin_csrf, factory):
        factory.user("lado", name="<script>alert(1)</script>")
        html = client.get("/admin/users").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert" not in html


class TestAdd:
    def test_a_lado_officer_is_added_and_audited(self, client, admin_csrf, db):
        resp = post_form(client, "/admin/users/new", _new(), admin_csrf)
        assert resp.status_code == 303
        user = _user(db, "sam.newstarter@example.test")
        assert (user.name, user.role, user.is_active) == ("Sam Newstarter", "lado", True)
        [event] = [e for e in audit_events(db, "user", "created") if e.object_id == str(user.id)]
        assert event.details["role"] == "lado"
        assert event.actor_label.startswith("Ada Admin")

    def test_the_new_user_can_sign_in_with_the_initial_password(self, client, other_client, admin_csrf, db):
        post_form(client, "/admin/users/new", _new(), admin_csrf)
        db.commit()
        sign_in(other_client, "sam.newstarter@example.test", NEW_PASSWORD)

    def test_an_hr_liaison_gets_the_chosen_organisations(self, client, admin_csrf, factory, db):
        a, b = factory.organisation("Alder Academy"), factory.organisation("Birch College")
        resp = post_form(
            client,
            "/admin/users/new",
            _new(role="hr_liaison", organisations=[str(a.id), str(b.id)]),
            admin_csrf,
        )
        assert resp.status_code == 303
        assert sorted(o.name for o in _user(db, "sam.newstarter@example.test").organisations) == [
            "Alder Academy",
            "Birch College",
        ]

    def test_an_hr_liaison_needs_an_organisation(self, client, admin_csrf, factory, db):
        factory.organisation("Cedar School")
        resp = post_form(client, "/admin/users/new", _new(role="hr_liaison"), admin_csrf)
        assert resp.status_code == 422
        assert "Choose at least one organisation for an HR liaison" in resp.text
        assert _user(db, "sam.newstarter@example.test") is None

    def test_an_unknown_organisation_is_refused(self, client, admin_csrf, factory, db):
        factory.organisation("Cedar School")
        resp = post_form(
            client, "/admin/users/new", _new(role="hr_liaison", organisations=["999999"]), admin_csrf
        )
        assert resp.status_code == 422
        assert "Choose organisations from the list" in resp.text
        assert _user(db, "sam.newstarter@example.test") is None

    def test_other_roles_belong_to_no_organisation(self, client, admin_csrf, factory, db):
        org = factory.organisation("Dogwood School")
        post_form(client, "/admin/users/new", _new(role="manager", organisations=[str(org.id)]), admin_csrf)
        assert _user(db, "sam.newstarter@example.test").organisations == []

    def test_every_problem_is_shown_at_once_the_input_kept_and_the_password_not_echoed(
        self, client, admin_csrf, factory, db
    ):
        taken = factory.user("lado")
        resp = post_form(
            client,
            "/admin/users/new",
            _new(name="", email=taken.email, role="", password="short"),
            admin_csrf,
        )
        assert resp.status_code == 422
        for message in (
            "Enter the user&#39;s name",
            "A user with this e-mail address already exists",
            "Select the user&#39;s role",
            "at least 12 characters",
        ):
            assert message in resp.text
        assert f'value="{taken.email}"' in resp.text
        assert 'value="short"' not in resp.text
        assert (
            _user(db, "") is None and len(audit_events(db, "user", "created")) == 2
        )  # the two factory users

    def test_a_malformed_email_and_a_common_password_are_refused(self, client, admin_csrf, db):
        resp = post_form(
            client, "/admin/users/new", _new(email="not-an-email", password="password1234"), admin_csrf
        )
        assert resp.status_code == 422
        assert "Enter an e-mail address in the correct format" in resp.text

    def test_posted_fields_the_form_does_not_have_are_not_stored(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/users/new",
            _new(is_active="no", active="no", totp_enabled="yes", password_hash="x", id="1"),
            admin_csrf,
        )
        assert resp.status_code == 303
        user = _user(db, "sam.newstarter@example.test")
        assert user.is_active and not user.totp_enabled and user.password_hash != "x"


class TestEdit:
    def test_name_role_and_organisations_change_and_are_audited(self, client, admin_csrf, factory, db):
        org = factory.organisation("Elm Nursery")
        user = factory.user("lado", name="Lee Officer")
        db.commit()
        resp = post_form(
            client,
            f"/admin/users/{user.id}/edit",
            _edit(user, name="Lee Liaison", role="hr_liaison", organisations=[str(org.id)]),
            admin_csrf,
        )
        assert resp.status_code == 303
        user = _user(db, user.email)
        assert (user.name, user.role, [o.name for o in user.organisations]) == (
            "Lee Liaison",
            "hr_liaison",
            ["Elm Nursery"],
        )
        [event] = audit_events(db, "user", "updated")
        assert event.details["name"] == {"from": "Lee Officer", "to": "Lee Liaison"}
        assert event.details["role"] == {"from": "lado", "to": "hr_liaison"}
        assert event.details["organisations"] == {"from": [], "to": ["Elm Nursery"]}

    def test_the_email_and_password_cannot_be_changed_here(self, client, admin_csrf, factory, db):
        user = factory.user("lado")
        email, password_hash = user.email, user.password_hash
        db.commit()
        resp = post_form(
            client,
            f"/admin/users/{user.id}/edit",
            _edit(
                user,
                email="changed@example.test",
                password="a brand new password here",
                password_hash="x",
                totp_enabled="yes",
            ),
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        user = db.get(User, user.id)
        assert (user.email, user.password_hash, user.totp_enabled) == (email, password_hash, False)
        assert audit_events(db, "user", "updated") == []

    def test_disabling_a_user_ends_their_sessions_at_once(
        self, client, other_client, admin_csrf, factory, db
    ):
        user = factory.user("lado")
        db.commit()
        sign_in(other_client, user.email)
        assert other_client.get("/").status_code == 200
        resp = post_form(client, f"/admin/users/{user.id}/edit", _edit(user, active="no"), admin_csrf)
        assert resp.status_code == 303
        replay = other_client.get("/")
        assert replay.status_code == 303 and replay.headers["location"].startswith("/sign-in")
        db.expire_all()
        sessions = db.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
        assert sessions and all(s.revoked_at is not None for s in sessions)
        [event] = audit_events(db, "user", "updated")
        assert event.object_id == str(user.id)
        assert event.details["is_active"] == {"from": True, "to": False}
        assert event.details["sessions_ended"] == 1

    def test_a_disabled_user_cannot_sign_in_until_enabled_again(
        self, client, other_client, admin_csrf, factory, db
    ):
        user = factory.user("manager")
        db.commit()
        post_form(client, f"/admin/users/{user.id}/edit", _edit(user, active="no"), admin_csrf)
        page = other_client.get("/sign-in").text
        from tests.factories import PASSWORD
        from tests.helpers import csrf_from

        refused = other_client.post(
            "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page)}
        )
        assert refused.status_code == 422
        db.expire_all()
        post_form(
            client, f"/admin/users/{user.id}/edit", _edit(db.get(User, user.id), active="yes"), admin_csrf
        )
        sign_in(other_client, user.email)

    def test_an_administrator_cannot_disable_or_demote_themselves(self, client, admin_csrf, admin, db):
        resp = post_form(
            client, f"/admin/users/{admin.id}/edit", _edit(admin, active="no", role="lado"), admin_csrf
        )
        assert resp.status_code == 422
        assert "You cannot disable your own account" in resp.text
        assert "You cannot remove your own administrator role" in resp.text
        db.expire_all()
        me = db.get(User, admin.id)
        assert (me.role, me.is_active) == ("admin", True)
        assert client.get("/admin/users").status_code == 200

    def test_an_administrator_may_rename_themselves(self, client, admin_csrf, admin, db):
        resp = post_form(
            client, f"/admin/users/{admin.id}/edit", _edit(admin, name="Ada B. Admin"), admin_csrf
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(User, admin.id).name == "Ada B. Admin"

    def test_invalid_input_changes_nothing(self, client, admin_csrf, factory, db):
        user = factory.user("lado", name="Unchanged Name")
        db.commit()
        resp = post_form(
            client,
            f"/admin/users/{user.id}/edit",
            _edit(user, name="", role="boss", active="maybe"),
            admin_csrf,
        )
        assert resp.status_code == 422
        assert "Enter the user&#39;s name" in resp.text
        assert "Select the user&#39;s role" in resp.text
        assert "Select whether the account is active" in resp.text
        db.expire_all()
        assert (db.get(User, user.id).name, db.get(User, user.id).role) == ("Unchanged Name", "lado")
        assert audit_events(db, "user", "updated") == []

    def test_a_role_change_ends_the_sessions_too(self, client, other_client, admin_csrf, factory, db):
        user = factory.user("lado")
        db.commit()
        sign_in(other_client, user.email)
        post_form(client, f"/admin/users/{user.id}/edit", _edit(user, role="manager"), admin_csrf)
        assert other_client.get("/").status_code == 303
        [event] = audit_events(db, "user", "updated")
        assert (
            event.details["role"] == {"from": "lado", "to": "manager"}
            and event.details["sessions_ended"] == 1
        )

    def test_an_unknown_user_is_not_found(self, client, admin_csrf):
        assert client.get("/admin/users/999999/edit").status_code == 404


class TestUnlock:
    def test_a_locked_account_is_shown_and_can_be_unlocked(self, client, admin_csrf, factory, db):
        from app.auth import throttle

        user = factory.user("lado")
        for _ in range(throttle.ACCOUNT_LIMIT):
            throttle.register_failure(db, throttle.email_key(user.email))
        db.commit()
        assert throttle.is_locked(db, throttle.email_key(user.email))
        assert "Sign-in is locked" in client.get(f"/admin/users/{user.id}/edit").text
        resp = post_form(client, f"/admin/users/{user.id}/unlock", {}, admin_csrf)
        assert resp.status_code == 303
        assert not throttle.is_locked(db, throttle.email_key(user.email))
        assert "Sign-in is locked" not in client.get(f"/admin/users/{user.id}/edit").text
        [event] = audit_events(db, "sign_in_throttle", "updated")
        assert event.details == {"unlocked": user.email}
