"""Security headers on every kind of response, cookies, production settings and the error page."""

import logging
import re

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from app.config import get_settings
from tests.helpers import sign_in

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-frame-options": "DENY",
}


def assert_common(resp):
    for name, value in COMMON.items():
        assert resp.headers.get(name) == value, (name, resp.url)
    csp = resp.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "style-src 'self';" in csp


class TestHeaders:
    def test_on_a_page(self, client, factory):
        user = factory.user("lado")
        sign_in(client, user.email)
        resp = client.get("/account")
        assert_common(resp)
        assert resp.headers["cache-control"] == "no-store"

    def test_every_script_carries_the_pages_nonce_and_there_is_no_inline_style(self, client):
        resp = client.get("/sign-in")
        nonce = re.search(r"'nonce-([^']+)'", resp.headers["content-security-policy"]).group(1)
        scripts = re.findall(r"<script\b[^>]*>", resp.text)
        assert scripts, "the layout loads scripts"
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
        assert "js-enabled" in resp.text  # govuk-frontend-jinja's inline script is among them
        assert " style=" not in resp.text and "<style" not in resp.text
        assert (
            client.get("/sign-in").headers["content-security-policy"]
            != resp.headers["content-security-policy"]
        )

    def test_on_static_files_which_may_be_cached(self, client):
        resp = client.get("/static/app.css")
        assert resp.status_code == 200
        assert_common(resp)
        assert "no-store" not in resp.headers.get("cache-control", "")

    def test_on_an_api_error(self, client):
        resp = client.get("/api/v1/me")
        assert resp.status_code == 401
        assert resp.headers["content-type"] == "application/problem+json"
        assert_common(resp)
        assert resp.headers["cache-control"] == "no-store"

    def test_on_a_missing_page(self, client):
        resp = client.get("/no-such-page")
        assert resp.status_code == 404
        assert_common(resp)


class TestMethodNotAllowed:
    @pytest.mark.parametrize(
        "path, allowed",
        [
            ("/", {"GET"}),
            ("/sign-in", {"GET", "POST"}),  # two routes share the path: both methods are named
            ("/api/v1/cases", {"GET", "POST"}),
            ("/static/app.css", {"GET", "HEAD"}),
        ],
    )
    def test_trace_answers_405_with_an_allow_header_and_echoes_nothing(self, client, path, allowed):
        resp = client.request("TRACE", path, headers={"X-Probe": "echo-me"})
        assert resp.status_code == 405
        assert {m.strip() for m in resp.headers["allow"].split(",")} == allowed
        assert "echo-me" not in resp.text
        assert_common(resp)

    def test_an_unsupported_method_on_a_route_names_the_allowed_ones(self, client):
        resp = client.delete("/sign-in")
        assert resp.status_code == 405 and resp.headers["allow"] == "GET, POST"


class TestErrorPage:
    def test_a_crash_shows_a_generic_page_with_an_error_id_and_logs_the_detail(self, app, caplog):
        @app.get("/test-crash")
        def crash():
            raise RuntimeError("secret detail: database password is hunter2")

        with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as c:
            with caplog.at_level(logging.ERROR, logger="lado"):
                resp = c.get("/test-crash")
        assert resp.status_code == 500
        error_id = re.search(r"error reference <strong>([0-9a-f]{12})</strong>", resp.text).group(1)
        assert "Sorry, there is a problem with the service" in resp.text
        assert "hunter2" not in resp.text and "RuntimeError" not in resp.text and "Traceback" not in resp.text
        assert_common(resp)
        assert resp.headers["cache-control"] == "no-store"
        logged = [r for r in caplog.records if error_id in r.getMessage()]
        assert logged and "hunter2" in str(logged[0].exc_info[1])

    def test_a_crash_on_the_api_answers_problem_json(self, app, caplog):
        @app.get("/api/v1/test-crash")
        def crash():
            raise RuntimeError("internal detail")

        with (
            TestClient(app, raise_server_exceptions=False) as c,
            caplog.at_level(logging.ERROR, logger="lado"),
        ):
            resp = c.get("/api/v1/test-crash")
        assert resp.status_code == 500
        body = resp.json()
        assert body["title"] == "Internal error" and "internal detail" not in resp.text
        assert any(body["error_id"] in r.getMessage() for r in caplog.records)


@pytest.fixture
def production(monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("LADO_ENVIRONMENT", "production")
    # production refuses to start without a key
    monkeypatch.setenv("LADO_SECRET_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    yield get_settings()
    monkeypatch.delenv("LADO_ENVIRONMENT")
    monkeypatch.delenv("LADO_SECRET_KEY")
    get_settings.cache_clear()


def production_app(db):
    from app import db as app_db
    from app.main import create_app

    application = create_app()

    def override(request: Request):
        yield from app_db.in_transaction(db, request)

    application.dependency_overrides[app_db.request_session] = override
    return application


class TestProduction:
    def test_docs_and_openapi_are_on_in_development(self, client):
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/docs").status_code == 200

    def test_docs_and_openapi_are_off_in_production(self, production, db):
        assert production.is_production
        with TestClient(production_app(db)) as c:
            assert c.get("/openapi.json").status_code == 404
            assert c.get("/docs").status_code == 404
            assert c.get("/redoc").status_code == 404

    def test_cookies_are_secure_in_production(self, production, db, factory):
        user = factory.user("lado")
        with TestClient(production_app(db), base_url="https://testserver", follow_redirects=False) as c:
            page = c.get("/sign-in")
            assert "Secure" in page.headers["set-cookie"] and "HttpOnly" in page.headers["set-cookie"]
            token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
            resp = c.post(
                "/sign-in",
                data={"email": user.email, "password": "correct horse battery staple", "csrf_token": token},
            )
            assert resp.status_code == 303
            cookie = resp.headers["set-cookie"]
            assert "lado_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
            assert "SameSite=lax" in cookie
