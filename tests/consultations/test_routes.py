"""Consultations through HTTP: the pages (record in one form, see, make it a referral) and the
JSON API, with who may do what (HR liaison refused, restricted ones hidden from other officers)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.cases.models import Case
from app.consultations.models import Consultation
from app.people.models import Person
from tests.consultations.conftest import consultation_data
from tests.helpers import audit_events, post_form, sign_in, user_of_role

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


def form(**overrides) -> dict:
    data = consultation_data(**overrides)
    year, month, day = data.pop("received_on").split("-")
    return {**data, "received_on-day": day, "received_on-month": month, "received_on-year": year}


class TestPages:
    def test_an_officer_records_one_on_one_page_and_sees_it(self, db, client, factory):
        officer = factory.user("lado")
        csrf = sign_in(client, officer.email)
        page = client.get("/consultations/new")
        assert page.status_code == 200 and "Record a consultation" in page.text
        people = db.scalar(select(func.count()).select_from(Person))
        resp = post_form(client, "/consultations", form(), csrf)
        assert resp.status_code == 303
        case = db.scalars(select(Case).order_by(Case.id.desc())).first()
        assert case is not None and resp.headers["location"] == f"/consultations/{case.id}"
        assert case.status == "consultation" and case.person_id is None
        assert db.scalar(select(func.count()).select_from(Person)) == people
        shown = client.get(f"/consultations/{case.id}")
        assert shown.status_code == 200 and "Follow the staff code of conduct" in shown.text
        assert "Not named" in shown.text and "Make it a referral" in shown.text
        assert case.reference in client.get("/consultations").text
        assert audit_events(db, "case", "viewed")[-1].case_id == case.id
        # The case page of a consultation says what it is and links to it; the list shows its stage.
        page = client.get(f"/cases/{case.id}")
        assert page.status_code == 200 and f'href="/consultations/{case.id}"' in page.text
        assert "Consultation" in client.get("/cases?status=consultation").text

    def test_bad_input_shows_the_error_summary_and_records_nothing(self, db, client, factory):
        csrf = sign_in(client, factory.user("lado").email)
        count = db.scalar(select(func.count()).select_from(Case))
        resp = post_form(
            client, "/consultations", form(advice="", primary_category_code="", sector_code=""), csrf
        )
        assert resp.status_code == 422 and "govuk-error-summary" in resp.text
        for field in ("advice", "primary_category_code"):
            assert f'href="#{field}"' in resp.text
        assert "Follow the staff code" not in resp.text and "A teacher shared" in resp.text  # input kept
        assert db.scalar(select(func.count()).select_from(Case)) == count

    def test_it_becomes_a_referral_from_its_page(self, db, client, factory, consult):
        officer = factory.actor("lado")
        case = consult(officer)
        csrf = sign_in(client, officer.user.email)
        page = client.get(f"/consultations/{case.id}/convert")
        assert page.status_code == 200 and "Make it a referral" in page.text
        bad = post_form(
            client,
            f"/consultations/{case.id}/convert",
            {"version": str(case.version), "job_title": "Teacher", "summary": "More detail"},
            csrf,
        )
        assert bad.status_code == 422 and 'href="#converted_on"' in bad.text
        date = {"converted_on-day": "1", "converted_on-month": "6", "converted_on-year": "2026"}
        bad = post_form(
            client,
            f"/consultations/{case.id}/convert",
            {"version": str(case.version), "job_title": "Teacher", "summary": "More detail", **date},
            csrf,
        )
        assert bad.status_code == 422 and 'href="#subject_first_name"' in bad.text
        assert "More detail" in bad.text
        db.refresh(case)
        assert case.status == "consultation"
        resp = post_form(
            client,
            f"/consultations/{case.id}/convert",
            {
                "version": str(case.version),
                "converted_on-day": "1",
                "converted_on-month": "6",
                "converted_on-year": "2026",
                "subject_first_name": "Robin",
                "subject_last_name": "Pageperson",
                "job_title": "Teacher",
                "summary": "Messages to a pupil late at night.",
            },
            csrf,
        )
        assert resp.status_code == 303 and resp.headers["location"] == f"/cases/{case.id}"
        db.refresh(case)
        assert case.status == "open" and str(case.received_on) == "2026-05-11"
        assert client.get(f"/cases/{case.id}").status_code == 200
        history = client.get(f"/cases/{case.id}/history").text  # the conversion in the chronology
        assert "Date it became a referral" in history and "Consultation" in history
        again = client.get(f"/consultations/{case.id}")
        assert "now a referral" in again.text and "Make it a referral</a>" not in again.text

    def test_hr_liaison_and_admin_are_refused(self, db, client, factory, consult):
        case = consult(factory.actor("lado"))
        for role in ("hr_liaison", "admin"):
            client.cookies.clear()
            sign_in(client, user_of_role(factory, role).email)
            for url in ("/consultations", "/consultations/new", f"/consultations/{case.id}"):
                assert client.get(url).status_code == 403, (role, url)

    def test_a_restricted_one_is_not_found_for_another_officer(self, db, client, factory, consult):
        case = consult(factory.actor("lado"), restricted=True)
        csrf = sign_in(client, factory.user("lado").email)
        assert client.get(f"/consultations/{case.id}").status_code == 404
        assert client.get(f"/consultations/{case.id}/convert").status_code == 404
        resp = post_form(client, f"/consultations/{case.id}/convert", {"job_title": "x"}, csrf)
        assert resp.status_code == 404
        assert case.reference not in client.get("/consultations").text

    def test_a_manager_sees_one_but_does_not_convert_it(self, db, client, factory, consult):
        case = consult(factory.actor("lado"), restricted=True)
        sign_in(client, factory.user("manager").email)
        page = client.get(f"/consultations/{case.id}")
        assert page.status_code == 200 and "Make it a referral" not in page.text
        assert client.get(f"/consultations/{case.id}/convert").status_code == 403


class TestApi:
    def test_record_read_and_convert(self, db, client, factory):
        csrf = sign_in(client, factory.user("lado").email)
        headers = {"X-CSRF-Token": csrf}
        resp = client.post(f"{API}/consultations", json=consultation_data(), headers=headers)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["case"]["status"] == "consultation" and body["adult_named"] is False
        assert resp.headers["location"] == f"{API}/consultations/{body['case_id']}"
        read = client.get(f"{API}/consultations/{body['case_id']}")
        assert read.status_code == 200 and read.json()["advice"].startswith("Follow")
        assert body["case_id"] in [i["case_id"] for i in client.get(f"{API}/consultations").json()["items"]]
        convert = {
            "converted_on": "2026-06-01",
            "subject_first_name": "Robin",
            "subject_last_name": "Apiperson",
            "job_title": "Teacher",
            "summary": "Detail arrived.",
        }
        done = client.post(f"{API}/consultations/{body['case_id']}/convert", json=convert, headers=headers)
        assert done.status_code == 200, done.text
        assert done.json()["case"]["status"] == "open" and done.json()["converted_on"] == "2026-06-01"
        assert done.json()["case"]["received_on"] == "2026-05-11"
        again = client.post(f"{API}/consultations/{body['case_id']}/convert", json=convert, headers=headers)
        assert again.status_code == 409 and again.headers["content-type"].startswith(
            "application/problem+json"
        )

    def test_bad_input_is_a_problem_and_records_nothing(self, db, client, factory):
        csrf = sign_in(client, factory.user("lado").email)
        count = db.scalar(select(func.count()).select_from(Consultation))
        resp = client.post(
            f"{API}/consultations", json=consultation_data(question=""), headers={"X-CSRF-Token": csrf}
        )
        assert resp.status_code == 422 and resp.headers["content-type"].startswith("application/problem+json")
        assert db.scalar(select(func.count()).select_from(Consultation)) == count

    def test_hr_liaison_is_refused_and_a_restricted_one_is_hidden(self, db, client, factory, consult):
        case = consult(factory.actor("lado"), restricted=True)
        csrf = sign_in(client, user_of_role(factory, "hr_liaison").email)
        assert client.get(f"{API}/consultations").status_code == 403
        assert client.get(f"{API}/consultations/{case.id}").status_code == 403
        resp = client.post(f"{API}/consultations", json=consultation_data(), headers={"X-CSRF-Token": csrf})
        assert resp.status_code == 403
        client.cookies.clear()
        sign_in(client, factory.user("lado").email)
        assert client.get(f"{API}/consultations/{case.id}").status_code == 404
        assert case.id not in [i["case_id"] for i in client.get(f"{API}/consultations").json()["items"]]
