"""Organisations: the administrator's pages and the LADO's typeahead search."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.organisations.models import Organisation
from app.reference.models import Sector
from tests.helpers import audit_events, post_form, sign_in

pytestmark = pytest.mark.usefixtures("password_only")


def _org(db, name: str) -> Organisation | None:
    db.expire_all()
    return db.scalar(select(Organisation).where(Organisation.name == name))


class TestList:
    def test_lists_names_with_their_sector(self, client, admin_csrf, factory):
        factory.organisation("Fern Primary School", sector_code="primary_school")
        html = client.get("/admin/organisations").text
        row = html[html.index("Fern Primary School") :]
        assert "Primary Schools" in row[: row.index("</tr>")]

    def test_pages_of_25_in_name_order(self, client, admin_csrf, factory):
        for n in range(30):
            factory.organisation(f"Paging Test School {n:02d}")
        first = client.get("/admin/organisations?q=paging+test").text
        assert "Paging Test School 24" in first and "Paging Test School 25" not in first
        assert "30 organisations matching your search" in first
        assert 'href="/admin/organisations?q=paging+test&amp;page=2"' in first
        second = client.get("/admin/organisations?q=paging+test&page=2").text
        assert "Paging Test School 25" in second and "Paging Test School 29" in second
        assert "Paging Test School 24" not in second

    def test_html_in_a_name_is_shown_as_text(self, client, admin_csrf, factory):
        factory.organisation("<script>alert(1)</script> Academy")
        html = client.get("/admin/organisations").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Academy" in html
        assert "<script>alert" not in html


class TestAdd:
    def test_an_organisation_is_added_and_audited(self, client, admin_csrf, db):
        resp = post_form(
            client,
            "/admin/organisations/new",
            {"name": "  Gorse   Nursery ", "sector_code": "early_years"},
            admin_csrf,
        )
        assert resp.status_code == 303
        org = _org(db, "Gorse Nursery")
        assert (org.sector_code, org.name_key) == ("early_years", "gorse nursery")
        [event] = audit_events(db, "organisation", "created")
        assert event.object_id == str(org.id)
        assert event.details == {"name": "Gorse Nursery", "sector_code": "early_years"}

    def test_the_same_name_in_other_letters_is_refused(self, client, admin_csrf, factory, db):
        factory.organisation("Hazel Academy")
        resp = post_form(
            client,
            "/admin/organisations/new",
            {"name": "HAZEL  academy", "sector_code": "health"},
            admin_csrf,
        )
        assert resp.status_code == 422
        assert "An organisation with this name already exists" in resp.text
        assert 'value="HAZEL  academy"' in resp.text
        assert audit_events(db, "organisation") == []

    def test_name_and_an_active_sector_are_required(self, client, admin_csrf, db):
        db.get(Sector, "transport").active = False
        db.commit()
        resp = post_form(client, "/admin/organisations/new", {"name": "", "sector_code": ""}, admin_csrf)
        assert resp.status_code == 422
        assert "Enter the organisation&#39;s name" in resp.text and "Choose a sector" in resp.text
        resp = post_form(
            client,
            "/admin/organisations/new",
            {"name": "Ivy Coaches", "sector_code": "transport"},
            admin_csrf,
        )
        assert resp.status_code == 422
        assert "no longer in use" in resp.text
        assert _org(db, "Ivy Coaches") is None

    def test_inactive_sectors_are_not_offered(self, client, admin_csrf, db):
        db.get(Sector, "transport").active = False
        db.commit()
        html = client.get("/admin/organisations/new").text
        assert 'value="transport"' not in html and 'value="health"' in html


class TestEdit:
    def test_rename_and_resector_are_audited(self, client, admin_csrf, factory, db):
        org = factory.organisation("Juniper School", sector_code="primary_school")
        db.commit()
        resp = post_form(
            client,
            f"/admin/organisations/{org.id}/edit",
            {"name": "Juniper Academy", "sector_code": "secondary_school"},
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        org = db.get(Organisation, org.id)
        assert (org.name, org.name_key, org.sector_code) == (
            "Juniper Academy",
            "juniper academy",
            "secondary_school",
        )
        [event] = audit_events(db, "organisation", "updated")
        assert event.details == {
            "name": {"from": "Juniper School", "to": "Juniper Academy"},
            "sector_code": {"from": "primary_school", "to": "secondary_school"},
        }

    def test_an_organisation_keeps_a_sector_that_became_inactive(self, client, admin_csrf, factory, db):
        org = factory.organisation("Kelp Buses", sector_code="transport")
        db.get(Sector, "transport").active = False
        db.commit()
        html = client.get(f"/admin/organisations/{org.id}/edit").text
        assert '<option value="transport" selected>' in html
        resp = post_form(
            client,
            f"/admin/organisations/{org.id}/edit",
            {"name": "Kelp Coaches", "sector_code": "transport"},
            admin_csrf,
        )
        assert resp.status_code == 303

    def test_renaming_onto_another_organisation_is_refused(self, client, admin_csrf, factory, db):
        factory.organisation("Larch School")
        org = factory.organisation("Maple School")
        db.commit()
        resp = post_form(
            client,
            f"/admin/organisations/{org.id}/edit",
            {"name": "larch school", "sector_code": "primary_school"},
            admin_csrf,
        )
        assert resp.status_code == 422
        assert _org(db, "Maple School") is not None

    def test_mass_assignment_is_ignored(self, client, admin_csrf, factory, db):
        org = factory.organisation("Nettle School")
        db.commit()
        resp = post_form(
            client,
            f"/admin/organisations/{org.id}/edit",
            {
                "name": "Nettle School",
                "sector_code": "primary_school",
                "id": "1",
                "name_key": "evil",
                "created_at": "2000-01-01",
            },
            admin_csrf,
        )
        assert resp.status_code == 303
        db.expire_all()
        assert db.get(Organisation, org.id).name_key == "nettle school"

    def test_an_unknown_organisation_is_not_found(self, client, admin_csrf):
        assert client.get("/admin/organisations/999999/edit").status_code == 404


class TestSearch:
    def test_a_lado_officer_finds_organisations_by_part_of_the_name(self, client, factory):
        starts = factory.organisation("Oak Tree Primary", sector_code="primary_school")
        contains = factory.organisation("Royal Oak Nursery", sector_code="early_years")
        factory.organisation("Pine Academy")
        sign_in(client, factory.user("lado").email)
        rows = client.get("/organisations/search", params={"q": "  OAK "}).json()
        assert rows == [
            {"id": starts.id, "name": "Oak Tree Primary", "sector_code": "primary_school"},
            {"id": contains.id, "name": "Royal Oak Nursery", "sector_code": "early_years"},
        ]

    def test_wildcards_are_matched_literally_and_an_empty_query_finds_nothing(self, client, factory):
        factory.organisation("Quince School")
        factory.organisation("100% Sports Club")
        sign_in(client, factory.user("lado").email)
        assert client.get("/organisations/search", params={"q": "%"}).json()[0]["name"] == "100% Sports Club"
        assert len(client.get("/organisations/search", params={"q": "%"}).json()) == 1
        assert client.get("/organisations/search", params={"q": "_"}).json() == []
        assert client.get("/organisations/search", params={"q": ""}).json() == []

    def test_at_most_20_results(self, client, factory):
        for n in range(25):
            factory.organisation(f"Rowan Federation School {n}")
        sign_in(client, factory.user("lado").email)
        assert len(client.get("/organisations/search", params={"q": "rowan"}).json()) == 20
