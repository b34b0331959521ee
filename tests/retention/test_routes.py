"""The retention pages through HTTP: who may open and post each, the scope of a restricted case,
the forms' answers, and a destroyed case's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.clock import today
from app.retention import service
from tests.helpers import post_form, sign_in, user_of_role
from tests.retention.builders import rich_case
from tests.retention.conftest import make_due

pytestmark = pytest.mark.usefixtures("password_only")


@pytest.fixture
def due(db, journey):
    case, marker = rich_case(db, journey)
    make_due(db, case.id)
    return case, marker


def browser(client, user) -> str:
    return sign_in(client, user.email)


class TestAccess:
    @pytest.mark.parametrize("role", ["hr_liaison", "admin"])
    def test_the_queue_and_the_tab_are_refused_to(self, client, factory, due, role):
        browser(client, user_of_role(factory, role))
        case, _ = due
        assert client.get("/retention").status_code == 403
        assert client.get(f"/cases/{case.id}/retention").status_code == 403

    def test_a_restricted_case_is_not_found_by_another_officer(self, client, db, factory, due):
        case, _ = due
        case.restricted = True
        db.flush()
        browser(client, factory.user("lado"))
        assert client.get(f"/cases/{case.id}/retention").status_code == 404
        assert case.reference not in client.get("/retention").text

    def test_only_managers_destroy(self, client, journey, due):
        case, _ = due
        csrf = browser(client, journey.lado.user)
        assert client.get(f"/cases/{case.id}/retention/destroy").status_code == 403
        resp = post_form(
            client, f"/cases/{case.id}/retention/destroy", {"reason": "x", "confirm": "yes"}, csrf
        )
        assert resp.status_code == 403

    def test_the_settings_are_the_administrators(self, client, factory):
        browser(client, factory.user("manager"))
        assert client.get("/admin/retention").status_code == 403


class TestPages:
    def test_the_queue_lists_a_due_case_for_an_officer(self, client, journey, due):
        case, _ = due
        browser(client, journey.lado.user)
        page = client.get("/retention")
        assert page.status_code == 200 and case.reference in page.text

    def test_hold_and_keep(self, client, db, journey, due):
        case, _ = due
        csrf = browser(client, journey.lado.user)
        tab = client.get(f"/cases/{case.id}/retention")
        assert tab.status_code == 200 and "Keep the case" in tab.text
        assert "Destroy the personal data" not in tab.text  # an officer does not destroy
        when = today() + timedelta(days=800)
        keep = {
            "next_review_on-day": str(when.day),
            "next_review_on-month": str(when.month),
            "next_review_on-year": str(when.year),
            "keep_reason": "A civil claim is pending.",
        }
        resp = post_form(client, f"/cases/{case.id}/retention/keep", keep, csrf)
        assert resp.status_code == 303
        row = service.retention_of(db, case.id)
        assert row is not None and row.review_on == when
        again = post_form(client, f"/cases/{case.id}/retention/keep", keep, csrf)
        assert again.status_code == 409 and "not due until" in again.text
        assert 'value="A civil claim is pending."' in again.text or "A civil claim is pending." in again.text
        hold = {"hold": "yes", "hold_reason": "Independent inquiry into residential care."}
        assert post_form(client, f"/cases/{case.id}/retention/hold", hold, csrf).status_code == 303
        assert row.hold is True

    def test_settings_saved_and_bad_input_kept(self, client, db, factory):
        csrf = browser(client, factory.user("admin"))
        assert client.get("/admin/retention").status_code == 200
        bad = post_form(client, "/admin/retention", {"years_after_closure": "500", "pension_age": "67"}, csrf)
        assert bad.status_code == 422 and 'value="500"' in bad.text
        good = {"years_after_closure": "12", "pension_age": "68", "category_sexual": "30"}
        assert post_form(client, "/admin/retention", good, csrf).status_code == 303
        assert service.policy(db).category_years == {"sexual": 30}


class TestDestroyed:
    def test_confirm_then_destroy_then_no_page_shows_the_personal_data(self, client, factory, journey, due):
        case, marker = due
        csrf = browser(client, factory.user("manager"))
        confirm = client.get(f"/cases/{case.id}/retention/destroy")
        assert confirm.status_code == 200 and "cannot be undone" in confirm.text
        refused = post_form(client, f"/cases/{case.id}/retention/destroy", {"reason": "Period passed."}, csrf)
        assert refused.status_code == 422 and "Period passed." in refused.text
        done = post_form(
            client,
            f"/cases/{case.id}/retention/destroy",
            {"reason": "Period passed.", "confirm": "yes"},
            csrf,
        )
        assert done.status_code == 303
        for path in (
            "",
            "/allegations",
            "/meetings",
            "/letters",
            "/notes",
            "/history",
            "/retention",
            "/areas",
        ):
            page = client.get(f"/cases/{case.id}{path}")
            assert page.status_code == 200, path
            assert "Destroyed under retention review on" in page.text, path
            assert marker.lower() not in page.text.lower(), path
        again = post_form(
            client, f"/cases/{case.id}/retention/destroy", {"reason": "Again.", "confirm": "yes"}, csrf
        )
        assert again.status_code == 409
        client.cookies.clear()
        csrf = browser(client, journey.lado.user)  # an officer on the case: refused for what it is
        note = post_form(client, f"/cases/{case.id}/notes", {"body": "Written back afterwards"}, csrf)
        assert note.status_code == 409 and "nothing on it can be changed" in note.text
        assert "Written back afterwards" not in client.get(f"/cases/{case.id}/notes").text
