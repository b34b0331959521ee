"""CSRF: a POST without the session's token, or from another origin, is refused with 403 and
changes nothing."""

import pytest
from sqlalchemy import func, select

from app.auth.models import ApiToken
from app.auth.passwords import verify_password
from tests.auth.support import anon_csrf, page_csrf
from tests.factories import PASSWORD
from tests.helpers import sign_in

NEW = "violet kettle harbour 42"


def change_password(client, headers=None, **extra):
    data = {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW, **extra}
    return client.post("/account/password", data=data, headers=headers or {})


class TestCsrf:
    @pytest.mark.parametrize(
        ("token", "headers"),
        [
            (None, {}),  # no token
            ("forged-token", {}),  # a wrong token
            ("VALID", {"Origin": "https://attacker.example"}),  # right token, another site
            ("VALID", {"Origin": "http://testserver.attacker.example"}),
        ],
    )
    def test_refused_and_nothing_changes(self, client, factory, db, token, headers):
        user = factory.user("lado")
        sign_in(client, user.email)
        csrf = page_csrf(client, "/account/password")
        extra = {} if token is None else {"csrf_token": csrf if token == "VALID" else token}
        resp = change_password(client, headers, **extra)
        assert resp.status_code == 403
        db.refresh(user)
        assert verify_password(PASSWORD, user.password_hash)
        resp = client.post("/account/tokens", data={"name": "Sneaky", **extra}, headers=headers)
        assert resp.status_code == 403
        assert db.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)) == 0

    def test_same_origin_with_the_token_is_accepted(self, client, factory, db):
        user = factory.user("lado")
        sign_in(client, user.email)
        csrf = page_csrf(client, "/account/password")
        assert change_password(client, {"Origin": "http://testserver"}, csrf_token=csrf).status_code == 303

    def test_htmx_sends_the_token_in_a_header(self, client, factory):
        user = factory.user("lado")
        csrf = sign_in(client, user.email)
        resp = client.post(
            "/account/tokens",
            data={"name": "From htmx"},
            headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
        )
        assert resp.status_code == 200

    def test_sign_in_form_from_another_site_is_refused(self, client, factory, db):
        user = factory.user("lado")
        token = anon_csrf(client)
        resp = client.post(
            "/sign-in",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
            headers={"Origin": "https://attacker.example"},
        )
        assert resp.status_code == 403
        assert "lado_session" not in resp.headers.get("set-cookie", "")

    def test_sign_out_needs_the_token(self, client, factory):
        user = factory.user("lado")
        sign_in(client, user.email)
        assert client.post("/sign-out").status_code == 403
        assert client.get("/account").status_code == 200  # still signed in
