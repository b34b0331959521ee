"""Settings: the reporting year's start month and the child population."""

from __future__ import annotations

import pytest

from app.settings import service as settings_service
from app.settings.models import ChildPopulation
from app.users.models import User
from tests.helpers import audit_events, post_form

pytestmark = pytest.mark.usefixtures("password_only")


class TestStartMonth:
    def test_the_default_is_april(self, client, admin_csrf):
        html = client.get("/admin/settings").text
        assert '<option value="4" selected>April</option>' in html

    def test_changing_it_is_stored_and_audited(self, client, admin_csrf, db):
        resp = post_form(client, "/admin/settings", {"reporting_year_start_month": "9"}, admin_csrf)
        assert resp.status_code == 303
        db.expire_all()
        assert settings_service.reporting_year_start_month(db) == 9
        [event] = audit_events(db, "setting", "updated")
        assert event.object_id == "reporting_year_start_month"
        assert event.details == {"value": {"from": 4, "to": 9}}
        assert '<option value="9" selected>September</option>' in client.get("/admin/settings").text

    def test_an_impossible_month_is_refused_and_nothing_changes(self, client, admin_csrf, db):
        for value, message in (
            ("13", "Select a month from January to December"),
            ("0", "January to December"),
            ("", "Select the month the reporting year starts"),
            ("April", "whole number"),
        ):
            resp = post_form(client, "/admin/settings", {"reporting_year_start_month": value}, admin_csrf)
            assert resp.status_code == 422, value
            assert message in resp.text, value
            assert "govuk-error-summary" in resp.text
        db.expire_all()
        assert settings_service.reporting_year_start_month(db) == 4
        assert audit_events(db, "setting") == []

    def test_other_posted_fields_are_ignored(self, client, admin_csrf, db, admin):
        post_form(
            client,
            "/admin/settings",
            {"reporting_year_start_month": "4", "role": "lado", "council_name": "X"},
            admin_csrf,
        )
        db.expire_all()
        assert db.get(User, admin.id).role == "admin"
        assert audit_events(db, "setting") == []


class TestChildPopulation:
    def test_a_figure_is_added_listed_and_audited(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/settings/child-population",
            {"from_year": "2024", "population": "64,500"},
            admin_csrf,
        )
        assert resp.status_code == 303
        assert db.get(ChildPopulation, 2024).population == 64500
        html = client.get("/admin/settings").text
        assert "2024-25" in html and "64,500" in html
        [event] = audit_events(db, "child_population", "created")
        assert event.object_id == "2024" and event.details == {"from_year": 2024, "population": 64500}

    def test_a_figure_for_the_same_year_replaces_the_old_one(self, client, admin_csrf, db):
        post_form(
            client,
            "/admin/settings/child-population",
            {"from_year": "2024", "population": "64500"},
            admin_csrf,
        )
        resp = post_form(
            client,
            "/admin/settings/child-population",
            {"from_year": "2024", "population": "65100"},
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(ChildPopulation, 2024).population == 65100
        [event] = audit_events(db, "child_population", "updated")
        assert event.details == {"population": {"from": 64500, "to": 65100}}
        assert settings_service.child_population_for(db, 2025) == 65100

    def test_bad_figures_are_refused_keep_the_input_and_change_nothing(self, client, admin_csrf, db):
        cases = [
            ({"from_year": "1999", "population": "5000"}, "Enter a year from 2000 to 2100"),
            ({"from_year": "2024", "population": "0"}, "greater than 0"),
            ({"from_year": "2024", "population": "-5"}, "greater than 0"),
            ({"from_year": "twenty", "population": "5000"}, "must be a whole number"),
            ({"from_year": "2024", "population": "lots"}, "must be a whole number"),
            ({"from_year": "", "population": ""}, "Enter the child population aged 0 to 17"),
        ]
        for data, message in cases:
            resp = post_form(client, "/admin/settings/child-population", data, admin_csrf)
            assert resp.status_code == 422, data
            assert message in resp.text, data
            if data["population"]:
                assert f'value="{data["population"]}"' in resp.text
        db.expire_all()
        assert db.query(ChildPopulation).count() == 0
        assert audit_events(db, "child_population") == []
