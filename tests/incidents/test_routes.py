"""One incident, several adults, through HTTP: the new-referral form's other adults (with and
without JavaScript's rows), all or nothing; the case page's list; adding an adult from a case;
the API; who may do what."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.cases import service as cases
from app.cases.list_routes import ADULTS_LIMIT
from app.cases.models import Case
from app.cases.schemas import CaseCreate
from app.context import Actor
from app.incidents import service
from app.incidents.schemas import AdultForIncident
from app.people.models import Person
from tests.cases.test_routes import case_id_from, new_case_form
from tests.helpers import post_form, sign_in

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


def with_adults(factory, *rows, **overrides) -> dict:
    form = new_case_form(factory, **overrides)
    form["adult_first_name"] = [r[0] for r in rows]
    form["adult_last_name"] = [r[1] for r in rows]
    form["adult_job_title"] = [r[2] for r in rows]
    form["adult_dob_day"] = [r[3] if len(r) > 3 else "" for r in rows]
    form["adult_dob_month"] = [r[4] if len(r) > 3 else "" for r in rows]
    form["adult_dob_year"] = [r[5] if len(r) > 3 else "" for r in rows]
    return form


def counts(db) -> tuple[int, int]:
    return db.scalar(select(func.count()).select_from(Case)), db.scalar(
        select(func.count()).select_from(Person)
    )


@pytest.fixture
def officer(factory):
    return factory.user("lado", name="Ann Officer")


class TestNewReferral:
    def test_a_referral_naming_two_adults_makes_two_linked_cases(self, client, db, factory, officer):
        csrf = sign_in(client, officer.email)
        form = with_adults(factory, ("Bo", "Formadult", "Teaching assistant", "3", "4", "1990"), ("", "", ""))
        resp = post_form(client, "/cases", form, csrf)
        assert resp.status_code == 303, resp.text
        first = db.get(Case, case_id_from(resp))
        [other] = db.scalars(select(Case).where(Case.incident_id == first.incident_id, Case.id != first.id))
        assert first.incident_id is not None and other.person.last_name == "Formadult"
        assert str(other.person.date_of_birth) == "1990-04-03" and other.job_title == "Teaching assistant"
        page = client.get(f"/cases/{first.id}")
        assert "a case for each other adult recorded" in page.text
        assert "Other adults in this incident" in page.text and other.reference in page.text
        assert "Bo Formadult" in page.text
        back = client.get(f"/cases/{other.id}")
        assert first.reference in back.text

    def test_a_problem_with_an_adult_is_told_at_their_row_and_saves_no_case(
        self, client, db, factory, officer
    ):
        csrf = sign_in(client, officer.email)
        before = counts(db)
        form = with_adults(factory, ("Bo", "", "Teaching assistant"))
        resp = post_form(client, "/cases", form, csrf)
        assert resp.status_code == 422
        assert "govuk-error-summary" in resp.text and "Other adult 1" in resp.text
        assert 'value="Bo"' in resp.text  # what was typed is kept
        # a date of birth after the date received is only found once the first case is made:
        # the first case is undone with it
        form = with_adults(factory, ("Bo", "Lateadult", "Teaching assistant", "1", "6", "2026"))
        resp = post_form(client, "/cases", form, csrf)
        assert resp.status_code == 422, resp.text
        assert "Other adult 1: The adult&#39;s date of birth must be before" in resp.text
        db.expire_all()
        assert counts(db) == before

    def test_rows_are_added_and_removed_without_javascript(self, client, db, factory, officer):
        csrf = sign_in(client, officer.email)
        before = counts(db)
        form = with_adults(factory, ("Bo", "Rowadult", "Cook"))
        resp = post_form(client, "/cases", {**form, "add_row": "adults"}, csrf)
        assert resp.status_code == 200 and 'id="adult_first_name_1"' in resp.text
        assert 'id="child_initials_3"' not in resp.text  # the children's rows are as they were
        form = with_adults(factory, ("Bo", "Rowadult", "Cook"), ("Cy", "Goneadult", "Driver"))
        resp = post_form(client, "/cases", {**form, "remove_row": "adults:0"}, csrf)
        assert (
            resp.status_code == 200
            and 'value="Goneadult"' in resp.text
            and 'value="Rowadult"' not in resp.text
        )
        resp = post_form(client, "/cases", {**form, "remove_row": "1"}, csrf)  # a child's row
        assert (
            resp.status_code == 200 and 'value="Rowadult"' in resp.text and 'value="Goneadult"' in resp.text
        )
        db.expire_all()
        assert counts(db) == before

    def test_the_form_and_the_schema_agree_on_the_most_adults(self, client, officer):
        sign_in(client, officer.email)
        page = client.get("/cases/new").text
        assert f"app-add-another--max-{ADULTS_LIMIT}" in page and f"up to {ADULTS_LIMIT} other adults" in page


@pytest.fixture
def case(db, factory, officer):
    made = cases.open_case(
        db, Actor(user=officer, ip="127.0.0.1"), CaseCreate.model_validate(factory.case_data())
    )
    db.commit()
    return made


class TestAddAdult:
    def test_an_officer_adds_another_adult_from_the_case_page(self, client, db, officer, case):
        csrf = sign_in(client, officer.email)
        page = client.get(f"/cases/{case.id}")
        assert f'href="/cases/{case.id}/incident/adults/new"' in page.text
        assert client.get(f"/cases/{case.id}/incident/adults/new").status_code == 200
        form = {
            "first_name": "Dee",
            "last_name": "Pageadult",
            "job_title": "Cover supervisor",
            "version": str(case.version),
        }
        resp = post_form(client, f"/cases/{case.id}/incident/adults/new", form, csrf)
        assert resp.status_code == 303, resp.text
        new = db.get(Case, case_id_from(resp))
        db.refresh(case)
        assert new.incident_id == case.incident_id is not None
        assert f"linked with {case.reference}" in client.get(f"/cases/{new.id}").text

    def test_a_missing_name_is_told_and_a_stale_form_is_a_conflict(self, client, db, officer, case):
        csrf = sign_in(client, officer.email)
        before = counts(db)
        form = {"first_name": "Dee", "last_name": "", "job_title": "Cook", "version": str(case.version)}
        resp = post_form(client, f"/cases/{case.id}/incident/adults/new", form, csrf)
        assert resp.status_code == 422 and "govuk-error-summary" in resp.text and "last name" in resp.text
        form = {**form, "last_name": "Stale", "version": str(case.version + 5)}
        resp = post_form(client, f"/cases/{case.id}/incident/adults/new", form, csrf)
        assert resp.status_code == 409 and 'value="Stale"' in resp.text
        db.expire_all()
        assert counts(db) == before

    def test_who_may_not_add_an_adult(self, client, db, factory, officer, case):
        before = counts(db)
        form = {"first_name": "X", "last_name": "Refused", "job_title": "Y", "version": str(case.version)}
        for role in ("manager", "hr_liaison", "admin"):
            user = (
                factory.user(role, organisations=[case.organisation.name])
                if role == "hr_liaison"
                else factory.user(role)
            )
            client.cookies.clear()
            csrf = sign_in(client, user.email)
            resp = post_form(client, f"/cases/{case.id}/incident/adults/new", form, csrf)
            assert resp.status_code == 403, role
        case.restricted = True
        db.commit()
        stranger = factory.user("lado", name="Sam Stranger")
        client.cookies.clear()
        csrf = sign_in(client, stranger.email)
        assert client.get(f"/cases/{case.id}/incident/adults/new").status_code == 404
        assert post_form(client, f"/cases/{case.id}/incident/adults/new", form, csrf).status_code == 404
        db.expire_all()
        assert counts(db) == before


class TestApi:
    def test_a_referral_with_other_adults_and_the_incident_listed(self, client, db, factory, officer):
        csrf = sign_in(client, officer.email)
        body = factory.case_data(
            other_adults=[{"first_name": "Bo", "last_name": "Apiadult", "job_title": "Driver"}]
        )
        resp = client.post(f"{API}/cases", json=body, headers={"X-CSRF-Token": csrf})
        assert resp.status_code == 201, resp.text
        first = resp.json()
        assert first["incident_id"] is not None
        listed = client.get(f"{API}/cases/{first['id']}/incident").json()
        assert listed["incident_id"] == first["incident_id"] and listed["hidden_cases"] == 0
        [other] = listed["other_cases"]
        assert other["adult"]["last_name"] == "Apiadult"
        added = client.post(
            f"{API}/cases/{other['id']}/incident/adults",
            json={
                "first_name": "Cy",
                "last_name": "Apithird",
                "job_title": "Cook",
                "version": other["version"],
            },
            headers={"X-CSRF-Token": csrf},
        )
        assert added.status_code == 201, added.text
        assert added.headers["location"] == f"/api/v1/cases/{added.json()['id']}"
        assert added.json()["incident_id"] == first["incident_id"]
        listed = client.get(f"{API}/cases/{first['id']}/incident").json()
        assert len(listed["other_cases"]) == 2

    def test_bad_input_is_a_problem_naming_the_field(self, client, db, factory, officer, case):
        csrf = sign_in(client, officer.email)
        body = factory.case_data(other_adults=[{"first_name": "Bo", "job_title": "Driver"}])
        resp = client.post(f"{API}/cases", json=body, headers={"X-CSRF-Token": csrf})
        assert resp.status_code == 422
        assert resp.json()["errors"] == [
            {"field": "other_adults", "message": "Enter other adult 1's last name"}
        ]
        resp = client.post(
            f"{API}/cases/{case.id}/incident/adults",
            json={"first_name": "Bo"},
            headers={"X-CSRF-Token": csrf},
        )
        assert resp.status_code == 422 and {"last_name", "job_title"} <= {
            e["field"] for e in resp.json()["errors"]
        }

    def test_a_restricted_case_of_the_incident_is_counted_not_shown(self, client, db, factory, officer, case):
        actor = Actor(user=officer, ip="127.0.0.1")
        new = service.add_adult(
            db,
            actor,
            case,
            AdultForIncident(first_name="R", last_name="Hidden", job_title="J", version=case.version),
        )
        new.restricted = True
        db.commit()
        stranger = factory.user("lado", name="Sam Stranger")
        sign_in(client, stranger.email)
        listed = client.get(f"{API}/cases/{case.id}/incident").json()
        assert listed["other_cases"] == [] and listed["hidden_cases"] == 1
        page = client.get(f"/cases/{case.id}").text
        assert "One other case of this incident is restricted and not shown to you" in page
        assert new.reference not in page
        assert re.search(r"Hidden", page) is None
