"""Corrections and questioned answers through HTTP, as a browser (forms) and an API client (JSON):
who may correct, the GOV.UK error summary and warning, the input kept, nothing changed on bad input."""

from __future__ import annotations

import pytest

from app.cases import service as cases
from app.cases.schemas import CaseCreate
from app.context import Actor
from tests.cases.test_routes import case_id_from, new_case_form
from tests.helpers import audit_events, post_form, sign_in

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


@pytest.fixture
def officer(factory):
    return Actor(user=factory.user("lado", name="Ann Officer"), ip="127.0.0.1")


@pytest.fixture
def make_case(db, factory, officer):
    def make(restricted: bool = False, **overrides):
        data = factory.case_data(restricted=restricted, **overrides)
        case = cases.open_case(db, officer, CaseCreate.model_validate(data))
        db.flush()
        return case

    return make


def adult_form(case, **changes) -> dict:
    person = case.person
    form = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth-day": "14",
        "date_of_birth-month": "2",
        "date_of_birth-year": "1985",
        "job_title": case.job_title,
        "reason": "Spelling corrected by the employer",
        "version": str(case.version),
    }
    return {**form, **changes}


def signed_in(client, user) -> str:
    return sign_in(client, user.email)


class TestAccess:
    def test_an_hr_liaison_is_refused_everywhere(self, client, factory, make_case):
        case = make_case()
        hr = factory.user("hr_liaison", organisations=[case.organisation.name])
        csrf = signed_in(client, hr)
        assert client.get(f"/cases/{case.id}/corrections").status_code == 403
        assert client.get(f"/cases/{case.id}/corrections/adult").status_code == 403
        resp = post_form(client, f"/cases/{case.id}/corrections/adult", adult_form(case, last_name="X"), csrf)
        assert resp.status_code == 403
        api = client.post(
            f"{API}/cases/{case.id}/corrections/referrer",
            json={"referrer_name": "X", "reason": "r"},
            headers={"X-CSRF-Token": csrf},
        )
        assert api.status_code == 403
        assert case.person.last_name != "X" and case.referrer_name != "X"

    def test_a_restricted_case_is_not_found_to_another_officer_but_open_to_a_co_worker(
        self, client, other_client, db, factory, officer, make_case
    ):
        case = make_case(restricted=True)
        stranger = factory.user("lado", name="Cal Officer")
        csrf = signed_in(client, stranger)
        assert client.get(f"/cases/{case.id}/corrections").status_code == 404
        form = adult_form(case, last_name="Hidden")
        assert post_form(client, f"/cases/{case.id}/corrections/adult", form, csrf).status_code == 404
        api = client.post(
            f"{API}/cases/{case.id}/corrections/children",
            json={"initials": "ZZ", "reason": "r"},
            headers={"X-CSRF-Token": csrf},
        )
        assert api.status_code == 404
        assert case.person.last_name != "Hidden" and [c.initials for c in case.children] == ["AB"]
        co_worker = factory.user("lado", name="Bea Officer")
        case.officers.append(co_worker)
        db.flush()
        csrf = signed_in(other_client, co_worker)
        assert other_client.get(f"/cases/{case.id}/corrections").status_code == 200
        form = adult_form(case, last_name="Coworkercorrected")
        resp = post_form(other_client, f"/cases/{case.id}/corrections/adult", form, csrf)
        assert resp.status_code == 303 and case.person.last_name == "Coworkercorrected"

    def test_a_manager_reads_the_case_but_does_not_correct_it(self, client, factory, make_case):
        case = make_case()
        csrf = signed_in(client, factory.user("manager"))
        assert client.get(f"/cases/{case.id}").status_code == 200
        assert client.get(f"/cases/{case.id}/corrections").status_code == 403
        resp = post_form(client, f"/cases/{case.id}/corrections/adult", adult_form(case, last_name="M"), csrf)
        assert resp.status_code == 403


class TestPages:
    def test_correcting_the_adult_runs_the_person_check_and_shows_in_the_chronology(
        self, client, db, officer, make_case
    ):
        earlier = make_case(subject_first_name="Jordan", subject_last_name="Quillfeather")
        case = make_case(
            subject_first_name="Jordan", subject_last_name="Quilfether", subject_date_of_birth=None
        )
        csrf = signed_in(client, officer.user)
        page = client.get(f"/cases/{case.id}")
        assert f'href="/cases/{case.id}/corrections"' in page.text
        assert "Correct the adult" in client.get(f"/cases/{case.id}/corrections/adult").text
        resp = post_form(
            client, f"/cases/{case.id}/corrections/adult", adult_form(case, last_name="Quillfeather"), csrf
        )
        assert resp.status_code == 303 and resp.headers["location"] == f"/cases/{case.id}/corrections"
        shown = client.get(resp.headers["location"]).text
        assert "The person check ran again and found 1 possible earlier case" in shown
        check = audit_events(db, "person_check", "viewed")[-1]
        assert check.case_id == case.id and check.details["shown"] == [earlier.reference]
        history = client.get(f"/cases/{case.id}/history?kind=corrections").text
        assert "Adult&#39;s details corrected" in history and "Spelling corrected by the employer" in history
        assert "Quilfether" in history  # the value before

    def test_bad_input_shows_the_error_summary_keeps_the_input_and_changes_nothing(
        self, client, officer, make_case
    ):
        case = make_case()
        name = case.person.last_name
        csrf = signed_in(client, officer.user)
        form = adult_form(case, last_name="Typedname", reason="")
        resp = post_form(client, f"/cases/{case.id}/corrections/adult", form, csrf)
        assert resp.status_code == 422
        assert "govuk-error-summary" in resp.text and 'href="#reason"' in resp.text
        assert 'value="Typedname"' in resp.text
        assert case.person.last_name == name

    def test_a_stale_form_is_409_with_the_input_kept(self, client, officer, make_case):
        case = make_case()
        csrf = signed_in(client, officer.user)
        stale = str(case.version)
        post_form(client, f"/cases/{case.id}/corrections/adult", adult_form(case, job_title="Tutor"), csrf)
        form = adult_form(case, last_name="Latecomer", version=stale)
        resp = post_form(client, f"/cases/{case.id}/corrections/adult", form, csrf)
        assert resp.status_code == 409 and 'value="Latecomer"' in resp.text
        assert case.person.last_name != "Latecomer"

    def test_an_implausible_date_of_birth_asks_for_confirmation_then_saves(
        self, client, db, officer, make_case
    ):
        case = make_case()
        csrf = signed_in(client, officer.user)
        form = adult_form(case, **{"date_of_birth-year": "2015"})
        resp = post_form(client, f"/cases/{case.id}/corrections/adult", form, csrf)
        assert resp.status_code == 422
        assert "govuk-warning-text" in resp.text and 'id="confirm_implausible"' in resp.text
        assert 'href="#date_of_birth"' in resp.text and 'href="#confirm_implausible"' in resp.text
        assert 'value="2015"' in resp.text  # the input kept
        assert case.person.date_of_birth.year == 1985
        resp = post_form(
            client, f"/cases/{case.id}/corrections/{'adult'}", {**form, "confirm_implausible": "yes"}, csrf
        )
        assert resp.status_code == 303 and case.person.date_of_birth.year == 2015

    def test_employer_referrer_and_children(self, client, db, factory, officer, make_case):
        case = make_case()
        csrf = signed_in(client, officer.user)
        other = factory.organisation("Synthetic Page Primary")
        base = f"/cases/{case.id}/corrections"
        assert client.get(f"{base}/employer").status_code == 200
        resp = post_form(
            client,
            f"{base}/employer",
            {"organisation_id": str(other.id), "organisation_name": "", "sector_code": "", "reason": "Wrong"},
            csrf,
        )
        assert resp.status_code == 303 and case.organisation_id == other.id
        assert client.get(f"{base}/referrer").status_code == 200
        resp = post_form(
            client, f"{base}/referrer", {"referrer_name": "Dee Fixed", "reason": "Misheard"}, csrf
        )
        assert resp.status_code == 303 and case.referrer_name == "Dee Fixed"
        assert client.get(f"{base}/children/new").status_code == 200
        resp = post_form(
            client, f"{base}/children/new", {"initials": "ef", "age": "", "reason": "Missed"}, csrf
        )
        assert resp.status_code == 303 and [c.initials for c in case.children] == ["AB", "EF"]
        child = case.children[1]
        assert client.get(f"{base}/children/{child.id}").status_code == 200
        resp = post_form(
            client, f"{base}/children/{child.id}", {"initials": "EF", "age": "30", "reason": "r"}, csrf
        )
        assert resp.status_code == 422 and "Age must be between 0 and 17" in resp.text
        assert case.children[1].age is None
        assert client.get(f"{base}/children/{child.id}/remove").status_code == 200
        resp = post_form(client, f"{base}/children/{child.id}/remove", {"reason": "Duplicate"}, csrf)
        assert resp.status_code == 303 and [c.initials for c in case.children] == ["AB"]
        assert client.get(f"{base}/children/{child.id}").status_code == 404


class TestQuestionedOnTheCaseForms:
    def test_a_received_date_before_2000_is_questioned_on_the_new_case_form(self, client, db, factory):
        user = factory.user("lado")
        csrf = signed_in(client, user)
        form = new_case_form(factory, **{"received_on-year": "1999"})
        resp = post_form(client, "/cases", form, csrf)
        assert resp.status_code == 422 and "before 2000" in resp.text
        assert "govuk-warning-text" in resp.text and 'value="1999"' in resp.text
        resp = post_form(client, "/cases", {**form, "confirm_implausible": "yes"}, csrf)
        assert resp.status_code == 303
        opened = [e for e in audit_events(db, "case", "created") if e.case_id == case_id_from(resp)]
        assert "before 2000" in opened[0].details["confirmed_implausible"]

    def test_a_decision_before_the_date_received_is_questioned(self, client, officer, make_case):
        case = make_case()
        csrf = signed_in(client, officer.user)
        form = {
            "decision": "threshold_met",
            "harm_limbs": "harmed",
            "rationale": "Synthetic rationale",
            "decided_on-day": "1",
            "decided_on-month": "5",
            "decided_on-year": "2026",
            "version": str(case.version),
        }
        resp = post_form(client, f"/cases/{case.id}/initial-consideration", form, csrf)
        assert resp.status_code == 422 and "govuk-warning-text" in resp.text
        assert case.status == "open"
        resp = post_form(
            client, f"/cases/{case.id}/initial-consideration", {**form, "confirm_implausible": "yes"}, csrf
        )
        assert resp.status_code == 303 and case.status == "threshold_met"


class TestApi:
    def test_questioned_answers_name_the_field_and_the_flag(self, client, officer, make_case):
        earlier = make_case(subject_first_name="Rowan", subject_last_name="Apicheck")
        case = make_case(subject_first_name="Rowan", subject_last_name="Apichek", subject_date_of_birth=None)
        csrf = signed_in(client, officer.user)
        body = {
            "first_name": "Rowan",
            "last_name": "Apicheck",
            "date_of_birth": "1920-01-01",
            "job_title": "Teacher",
            "reason": "Typo",
        }
        url = f"{API}/cases/{case.id}/corrections/adult"
        resp = client.post(url, json=body, headers={"X-CSRF-Token": csrf})
        assert resp.status_code == 422 and resp.headers["content-type"].startswith("application/problem+json")
        problem = resp.json()
        assert {e["field"] for e in problem["errors"]} == {"date_of_birth", "confirm_implausible"}
        assert "confirm_implausible true" in problem["detail"]
        assert case.person.last_name == "Apichek"
        resp = client.post(url, json={**body, "date_of_birth": "1985-02-14"}, headers={"X-CSRF-Token": csrf})
        assert resp.status_code == 200, resp.text
        out = resp.json()
        assert out["person_check_ran"] is True and out["possible_matches"] == [earlier.reference]
        assert out["case"]["version"] == case.version

    def test_children_through_the_api(self, client, officer, make_case):
        case = make_case()
        csrf = signed_in(client, officer.user)
        headers = {"X-CSRF-Token": csrf}
        base = f"{API}/cases/{case.id}/corrections/children"
        resp = client.post(base, json={"initials": "gh", "age": 5, "reason": "Missed"}, headers=headers)
        assert resp.status_code == 201 and [c["initials"] for c in resp.json()["children"]] == ["AB", "GH"]
        child_id = resp.json()["children"][1]["id"]
        resp = client.put(
            f"{base}/{child_id}", json={"initials": "GH", "age": 6, "reason": "r"}, headers=headers
        )
        assert resp.status_code == 200 and resp.json()["children"][1]["age"] == 6
        resp = client.post(f"{base}/{child_id}/remove", json={"reason": ""}, headers=headers)
        assert resp.status_code == 422 and len(case.children) == 2
        resp = client.post(f"{base}/{child_id}/remove", json={"reason": "Duplicate"}, headers=headers)
        assert resp.status_code == 200 and [c["initials"] for c in resp.json()["children"]] == ["AB"]
        assert (
            client.post(f"{base}/{child_id}/remove", json={"reason": "x"}, headers=headers).status_code == 404
        )
