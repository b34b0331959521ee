"""Who may open the administrator's pages, and that no change happens without the CSRF token."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import throttle
from app.auth.models import SignInThrottle
from app.organisations.models import Organisation
from app.reference.models import Category
from app.settings import service as settings_service
from app.settings.models import ChildPopulation
from app.users.models import User
from tests.helpers import csrf_from, sign_in, user_of_role

pytestmark = pytest.mark.usefixtures("password_only")

PAGES = [
    "/admin",
    "/admin/reference",
    "/admin/reference/sectors",
    "/admin/reference/outcomes",
    "/admin/reference/categories/new",
    "/admin/reference/sectors/police/edit",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user_id}/edit",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/{org_id}/edit",
    "/admin/settings",
    "/admin/audit",
]


@pytest.fixture
def targets(factory, db):
    """Objects the pages' addresses name, committed (a refused request rolls its transaction back,
    and in these tests every request shares the test's session)."""
    user = factory.user("lado")
    ids = {
        "user_id": user.id,
        "org_id": factory.organisation("Access Test School").id,
        "lock_key": throttle.email_key(user.email),
    }
    for _ in range(throttle.ACCOUNT_LIMIT):
        throttle.register_failure(db, ids["lock_key"])
    db.commit()
    return ids


class TestPages:
    @pytest.mark.parametrize("path", PAGES)
    def test_an_administrator_sees_the_page(self, client, admin_csrf, targets, path):
        resp = client.get(path.format(**targets))
        assert resp.status_code == 200, resp.text
        assert "govuk-heading-l" in resp.text

    @pytest.mark.parametrize("role", ["lado", "manager", "hr_liaison"])
    @pytest.mark.parametrize("path", PAGES)
    def test_other_roles_are_refused(self, client, factory, targets, role, path):
        sign_in(client, user_of_role(factory, role).email)
        resp = client.get(path.format(**targets))
        assert resp.status_code == 403

    @pytest.mark.parametrize("path", PAGES)
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, targets, path):
        resp = client.get(path.format(**targets))
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/sign-in")


def _posts(targets):
    """(url, valid form data, function returning the state that must not change)."""
    return [
        (
            "/admin/reference/categories/new",
            {"code": "new_cat", "label": "New", "display_order": "5", "active": "yes"},
            lambda db: db.get(Category, "new_cat"),
        ),
        (
            "/admin/reference/categories/physical/edit",
            {"label": "Changed", "display_order": "5", "active": "no"},
            lambda db: (db.get(Category, "physical").label, db.get(Category, "physical").active),
        ),
        (
            "/admin/users/new",
            {
                "name": "New Person",
                "email": "new.person@example.test",
                "role": "lado",
                "password": "a long enough new password",
            },
            lambda db: db.scalar(select(User).where(User.email == "new.person@example.test")),
        ),
        (
            f"/admin/users/{targets['user_id']}/edit",
            {"name": "Renamed", "role": "manager", "active": "no"},
            lambda db: (db.get(User, targets["user_id"]).name, db.get(User, targets["user_id"]).is_active),
        ),
        (
            "/admin/organisations/new",
            {"name": "Brand New Nursery", "sector_code": "early_years"},
            lambda db: db.scalar(select(Organisation).where(Organisation.name == "Brand New Nursery")),
        ),
        (
            f"/admin/organisations/{targets['org_id']}/edit",
            {"name": "Renamed School", "sector_code": "police"},
            lambda db: (
                db.get(Organisation, targets["org_id"]).name,
                db.get(Organisation, targets["org_id"]).sector_code,
            ),
        ),
        (
            "/admin/settings",
            {"reporting_year_start_month": "9"},
            lambda db: settings_service.reporting_year_start_month(db),
        ),
        (
            "/admin/settings/child-population",
            {"from_year": "2024", "population": "50000"},
            lambda db: db.get(ChildPopulation, 2024),
        ),
        (
            f"/admin/users/{targets['user_id']}/unlock",
            {},
            lambda db: db.get(SignInThrottle, targets["lock_key"]) is not None,
        ),
    ]


def _audit_count(db) -> int:
    return db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.verb.in_(["created", "updated"]))
    )


class TestPosts:
    def test_without_the_csrf_token_nothing_changes(self, client, admin_csrf, targets, db):
        for url, data, state in _posts(targets):
            db.expire_all()
            before, audits = state(db), _audit_count(db)
            resp = client.post(url, data=data)
            assert resp.status_code == 403, url
            db.expire_all()
            assert state(db) == before, url
            assert _audit_count(db) == audits, url

    def test_a_token_from_another_session_is_refused(
        self, client, other_client, admin_csrf, factory, targets, db
    ):
        other = sign_in(other_client, factory.user("lado").email)
        for url, data, state in _posts(targets):
            db.expire_all()
            before = state(db)
            assert client.post(url, data={**data, "csrf_token": other}).status_code == 403, url
            db.expire_all()
            assert state(db) == before, url

    @pytest.mark.parametrize("role", ["lado", "manager", "hr_liaison"])
    def test_other_roles_cannot_change_anything(self, client, factory, targets, db, role):
        token = sign_in(client, user_of_role(factory, role).email)
        for url, data, state in _posts(targets):
            db.expire_all()
            before = state(db)
            assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url
            db.expire_all()
            assert state(db) == before, url

    def test_anonymous_posts_change_nothing(self, client, targets, db):
        token = csrf_from(client.get("/sign-in").text)
        for url, data, state in _posts(targets):
            db.expire_all()
            before = state(db)
            resp = client.post(url, data={**data, "csrf_token": token})
            assert resp.status_code == 303 and resp.headers["location"].startswith("/sign-in"), url
            db.expire_all()
            assert state(db) == before, url


class TestJsonEndpoints:
    @pytest.mark.parametrize("role", ["lado", "manager", "hr_liaison", "admin"])
    def test_reference_listing_is_open_to_every_signed_in_user(self, client, factory, role):
        sign_in(client, user_of_role(factory, role).email)
        resp = client.get("/api/v1/reference/categories")
        assert resp.status_code == 200
        assert {
            "code": "physical",
            "label": "Physical",
            "display_order": resp.json()[3]["display_order"],
            "active": True,
        } in resp.json()

    def test_reference_listing_needs_sign_in(self, client):
        resp = client.get("/api/v1/reference/categories")
        assert resp.status_code == 401
        assert resp.headers["content-type"].startswith("application/problem+json")

    def test_an_unknown_kind_is_not_found(self, client, factory):
        sign_in(client, factory.user("manager").email)
        resp = client.get("/api/v1/reference/people")
        assert resp.status_code == 404
        assert resp.headers["content-type"].startswith("application/problem+json")

    @pytest.mark.parametrize("role", ["manager", "hr_liaison", "admin"])
    def test_organisation_search_is_for_lado_officers_only(self, client, factory, role):
        factory.organisation("Hidden Search Academy")
        sign_in(client, user_of_role(factory, role).email)
        resp = client.get("/organisations/search?q=hidden")
        assert resp.status_code == 403
        assert "Hidden Search Academy" not in resp.text

    def test_organisation_search_needs_sign_in(self, client):
        resp = client.get("/organisations/search?q=school")
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/sign-in")
