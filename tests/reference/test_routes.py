"""Reference data pages: list, add, change; codes never change; every change audited."""

from __future__ import annotations

import re

import pytest

from app.reference.models import AgencyGroup, Category, Outcome, Sector
from tests.helpers import audit_events, post_form

pytestmark = pytest.mark.usefixtures("password_only")


def _valid(**overrides) -> dict:
    data = {"label": "Physical abuse", "display_order": "35", "active": "yes"}
    data.update(overrides)
    return data


class TestList:
    def test_items_in_display_order_with_code_label_order_and_status(self, client, admin_csrf, db):
        db.get(Category, "sexual").display_order = 1
        db.get(Category, "neglect").active = False
        db.commit()
        html = client.get("/admin/reference/categories").text
        codes = re.findall(r"<code>([a-z0-9_]+)</code>", html)
        assert codes[0] == "sexual"
        assert set(codes) == {"conduct", "emotional", "neglect", "physical", "sexual", "other"}
        assert "Inactive" in html and "Active" in html

    def test_sectors_show_their_agency_group(self, client, admin_csrf):
        html = client.get("/admin/reference/sectors").text
        row = html[html.index("<code>residential_la</code>") :]
        row = row[: row.index("</tr>")]
        assert "Residential LA" in row and "Residential" in row

    def test_the_index_lists_every_kind(self, client, admin_csrf):
        html = client.get("/admin/reference").text
        for slug in ("agency-groups", "sectors", "categories", "outcomes", "disposals", "regulators"):
            assert f'href="/admin/reference/{slug}"' in html

    def test_an_unknown_kind_or_code_is_not_found(self, client, admin_csrf):
        assert client.get("/admin/reference/people").status_code == 404
        assert client.get("/admin/reference/categories/nope/edit").status_code == 404
        assert client.get("/admin/reference/people/new").status_code == 404


class TestEdit:
    def test_label_order_and_active_change_and_are_audited(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/reference/categories/physical/edit",
            _valid(label="Physical harm", display_order="7", active="no"),
            admin_csrf,
        )
        assert resp.status_code == 303
        assert resp.headers["location"] == "/admin/reference/categories"
        db.expire_all()
        item = db.get(Category, "physical")
        assert (item.label, item.display_order, item.active) == ("Physical harm", 7, False)
        [event] = audit_events(db, "reference:categories", "updated")
        assert event.object_id == "physical"
        assert event.details["label"] == {"from": "Physical", "to": "Physical harm"}
        assert event.details["active"] == {"from": True, "to": False}
        assert event.details["display_order"]["to"] == 7
        assert event.actor_label.startswith("Ada Admin")

    def test_a_posted_code_is_ignored(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/reference/categories/physical/edit",
            _valid(code="hacked", label="Physical"),
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(Category, "hacked") is None
        assert db.get(Category, "physical").display_order == 35
        [event] = audit_events(db, "reference:categories", "updated")
        assert "code" not in event.details

    def test_the_code_is_shown_but_not_editable(self, client, admin_csrf):
        html = client.get("/admin/reference/categories/physical/edit").text
        assert "<code>physical</code>" in html
        assert 'name="code"' not in html
        assert 'value="Physical"' in html

    def test_nothing_changed_writes_no_audit_row(self, client, admin_csrf, db):
        item = db.get(Category, "physical")
        data = {"label": item.label, "display_order": str(item.display_order), "active": "yes"}
        resp = post_form(client, "/admin/reference/categories/physical/edit", data, admin_csrf)
        assert resp.status_code == 303
        assert audit_events(db, "reference:categories") == []

    def test_invalid_input_shows_the_errors_keeps_the_input_and_changes_nothing(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/reference/categories/physical/edit",
            {"label": "", "display_order": "ten", "active": "no"},
            admin_csrf,
        )
        assert resp.status_code == 422
        assert "govuk-error-summary" in resp.text
        assert "Enter a label" in resp.text
        assert "Display order must be a whole number" in resp.text
        assert 'value="ten"' in resp.text
        db.expire_all()
        item = db.get(Category, "physical")
        assert (item.label, item.active) == ("Physical", True)
        assert audit_events(db, "reference:categories") == []

    def test_display_order_out_of_range_is_refused(self, client, admin_csrf, db):
        resp = post_form(
            client, "/admin/reference/categories/physical/edit", _valid(display_order="-1"), admin_csrf
        )
        assert resp.status_code == 422
        assert "Display order must be between 0 and 9999" in resp.text

    def test_a_sector_moves_to_another_active_agency_group(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/reference/sectors/health/edit",
            _valid(label="Health", agency_group_code="social_care"),
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(Sector, "health").agency_group_code == "social_care"
        [event] = audit_events(db, "reference:sectors", "updated")
        assert event.details["agency_group_code"] == {"from": "health", "to": "social_care"}

    def test_a_sector_cannot_move_to_an_inactive_or_unknown_group(self, client, admin_csrf, db):
        db.get(AgencyGroup, "faith").active = False
        db.commit()
        for code, message in (
            ("faith", "no longer in use"),
            ("nowhere", "Choose an agency group from the list"),
        ):
            resp = post_form(
                client,
                "/admin/reference/sectors/health/edit",
                _valid(label="Health", agency_group_code=code),
                admin_csrf,
            )
            assert resp.status_code == 422
            assert message in resp.text
        db.expire_all()
        assert db.get(Sector, "health").agency_group_code == "health"

    def test_a_sector_keeps_its_group_when_that_group_became_inactive(self, client, admin_csrf, db):
        db.get(AgencyGroup, "faith").active = False
        db.commit()
        resp = post_form(
            client,
            "/admin/reference/sectors/faith_group/edit",
            _valid(label="Faith groups and churches", agency_group_code="faith"),
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(Sector, "faith_group").label == "Faith groups and churches"

    def test_an_outcome_definition_is_edited_and_required(self, client, admin_csrf, db):
        resp = post_form(
            client, "/admin/reference/outcomes/false/edit", _valid(label="False", definition=""), admin_csrf
        )
        assert resp.status_code == 422
        assert "Enter the definition printed in letters" in resp.text
        resp = post_form(
            client,
            "/admin/reference/outcomes/false/edit",
            _valid(label="False", definition="Sufficient evidence to disprove it."),
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(Outcome, "false").definition == "Sufficient evidence to disprove it."
        [event] = audit_events(db, "reference:outcomes", "updated")
        assert event.details["definition"]["to"] == "Sufficient evidence to disprove it."

    def test_html_in_a_label_is_shown_as_text(self, client, admin_csrf, db):
        post_form(
            client,
            "/admin/reference/categories/other/edit",
            _valid(label="<script>alert(1)</script>"),
            admin_csrf,
        )
        for url in ("/admin/reference/categories", "/admin/reference/categories/other/edit"):
            html = client.get(url).text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            assert "<script>alert" not in html


class TestAdd:
    def test_a_new_item_is_added_and_audited(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/reference/disposals/new",
            {"code": "suspended", "label": "Suspended", "display_order": "95", "active": "yes"},
            admin_csrf,
        )
        assert resp.status_code == 303
        from app.reference.models import Disposal

        item = db.get(Disposal, "suspended")
        assert (item.label, item.display_order, item.active) == ("Suspended", 95, True)
        [event] = audit_events(db, "reference:disposals", "created")
        assert event.object_id == "suspended"
        assert event.details["label"] == "Suspended"

    def test_the_form_suggests_the_next_display_order(self, client, admin_csrf, db):
        highest = max(c.display_order for c in db.query(Category))
        html = client.get("/admin/reference/categories/new").text
        assert f'value="{highest + 10}"' in html

    def test_bad_codes_are_refused(self, client, admin_csrf, db):
        for code in ("Bad Code", "a", "x" * 41, "naïve", "with-dash"):
            resp = post_form(client, "/admin/reference/categories/new", _valid(code=code), admin_csrf)
            assert resp.status_code == 422, code
            assert "Code must be 2 to 40 characters" in resp.text
        assert audit_events(db, "reference:categories") == []

    def test_a_used_code_is_refused(self, client, admin_csrf, db):
        resp = post_form(
            client, "/admin/reference/categories/new", _valid(code="physical", label="Another"), admin_csrf
        )
        assert resp.status_code == 422
        assert "already used" in resp.text
        db.expire_all()
        assert db.get(Category, "physical").label == "Physical"

    def test_a_blank_form_lists_every_problem_and_keeps_the_input(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/reference/categories/new",
            {"code": "", "label": "Kept label", "display_order": ""},
            admin_csrf,
        )
        assert resp.status_code == 422
        for message in ("Enter a code", "Enter the display order", "Select whether the item is in use"):
            assert message in resp.text
        assert 'value="Kept label"' in resp.text

    def test_a_new_sector_needs_an_agency_group(self, client, admin_csrf, db):
        resp = post_form(
            client, "/admin/reference/sectors/new", _valid(code="tutoring", label="Tutoring"), admin_csrf
        )
        assert resp.status_code == 422
        assert "Choose an agency group" in resp.text
        assert db.get(Sector, "tutoring") is None
        resp = post_form(
            client,
            "/admin/reference/sectors/new",
            _valid(code="tutoring", label="Tutoring", agency_group_code="education"),
            admin_csrf,
        )
        assert resp.status_code == 303
        assert db.get(Sector, "tutoring").agency_group_code == "education"

    def test_extra_fields_are_not_stored(self, client, admin_csrf, db, admin):
        resp = post_form(
            client,
            "/admin/reference/regulators/new",
            _valid(code="ewc", label="EWC", role="lado", is_active="no", definition="x"),
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(type(admin), admin.id).role == "admin"
        assert db.get(type(admin), admin.id).is_active


class TestApi:
    def test_lists_every_item_with_its_order_and_status(self, client, admin_csrf, db):
        db.get(Category, "neglect").active = False
        db.commit()
        rows = client.get("/api/v1/reference/categories").json()
        neglect = next(r for r in rows if r["code"] == "neglect")
        assert neglect == {
            "code": "neglect",
            "label": "Neglect",
            "display_order": neglect["display_order"],
            "active": False,
        }
        orders = [r["display_order"] for r in rows]
        assert orders == sorted(orders)

    def test_sectors_carry_their_group_and_outcomes_their_definition(self, client, admin_csrf):
        sector = next(r for r in client.get("/api/v1/reference/sectors").json() if r["code"] == "police")
        assert sector["agency_group_code"] == "police"
        outcome = next(r for r in client.get("/api/v1/reference/outcomes").json() if r["code"] == "malicious")
        assert "deliberate act to deceive" in outcome["definition"]
