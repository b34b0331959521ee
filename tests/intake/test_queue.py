"""The LADO's intake queue: seeing a referral, the person check, turning it into a case (linked
to an earlier case of the same adult), closing it as advice given; scope and audit."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation
from app.intake.models import Intake
from tests.helpers import sign_in
from tests.intake.support import post, public_client, referral
from tests.people.support import adult, open_case


def submitted(app, db, **overrides) -> Intake:
    client, csrf = public_client(app, "203.0.113.50")
    assert post(client, csrf, referral(**overrides)).status_code == 200
    return db.scalars(select(Intake).order_by(Intake.id.desc())).first()


def open_form(intake: Intake, **overrides) -> dict:
    data = {
        "received_on-day": "20",
        "received_on-month": "11",
        "received_on-year": "2026",
        "contact_method": "online",
        "referrer_name": intake.referrer_name,
        "organisation_name": intake.organisation_name,
        "sector_code": "primary_school",
        "primary_category_code": "physical",
        "subject_first_name": intake.adult_first_name,
        "subject_last_name": intake.adult_last_name,
        "job_title": intake.adult_job_title,
        "summary": intake.what_happened,
        "child_initials": ["AB", "", ""],
        "child_age": ["9", "", ""],
        "child_gender": ["", "", ""],
    }
    data.update(overrides)
    return data


class TestQueue:
    def test_lado_opens_a_case_and_links_the_earlier_case_found_by_the_person_check(
        self, app, client, db, factory
    ):
        lado = factory.user("lado")
        from app.context import Actor

        earlier = open_case(
            db, factory, Actor(user=lado), **adult("Alex", "Oldfield", "1985-02-14"), received_on="2024-01-10"
        )
        intake = submitted(app, db, adult_last_name="Oldfeild", what_happened="<b>bold claim</b>")
        csrf = sign_in(client, lado.email)
        queue = client.get("/intake")
        assert intake.reference in queue.text
        page = client.get(f"/intake/{intake.id}")
        assert page.status_code == 200 and earlier.reference in page.text
        assert "&lt;b&gt;bold claim&lt;/b&gt;" in page.text and "<b>bold claim" not in page.text
        form = client.get(f"/intake/{intake.id}/open")
        assert form.status_code == 200 and 'value="Oldfeild"' in form.text and earlier.reference in form.text
        resp = client.post(
            f"/intake/{intake.id}/open",
            data={**open_form(intake), "link_case_id": str(earlier.id), "csrf_token": csrf},
        )
        assert resp.status_code == 303, resp.text
        db.refresh(intake)
        assert intake.status == "converted" and intake.case_id
        from app.cases.models import Case

        case = db.get(Case, intake.case_id)
        assert case.person_id == earlier.person_id and case.contact_method == "online"
        from app.intake.service import case_key

        assert case.submission_key == case_key(intake) and str(intake.id) not in case.submission_key.split(
            "-"
        )
        assert client.get(f"/intake/{intake.id}/open").status_code == 409  # dealt with already
        events = db.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "intake", AuditEvent.verb == "status_changed")
        ).all()
        assert events[-1].case_id == case.id

    def test_problems_in_the_open_form_change_nothing(self, app, client, db, factory):
        intake = submitted(app, db)
        csrf = sign_in(client, factory.user("lado").email)
        resp = client.post(
            f"/intake/{intake.id}/open",
            data={**open_form(intake, primary_category_code=""), "csrf_token": csrf},
        )
        assert resp.status_code == 422 and "Select the primary category" in resp.text
        db.refresh(intake)
        assert intake.status == "new" and intake.case_id is None

    def test_close_as_advice_needs_the_advice_and_is_audited(self, app, client, db, factory):
        intake = submitted(app, db)
        csrf = sign_in(client, factory.user("lado").email)
        assert (
            client.post(f"/intake/{intake.id}/close", data={"reason": "", "csrf_token": csrf}).status_code
            == 422
        )
        resp = client.post(
            f"/intake/{intake.id}/close",
            data={"reason": "Advised the school", "primary_category_code": "", "csrf_token": csrf},
        )
        assert resp.status_code == 422 and 'href="#primary_category_code"' in resp.text
        db.refresh(intake)
        assert intake.status == "new" and intake.case_id is None
        resp = client.post(
            f"/intake/{intake.id}/close",
            data={
                "reason": "Advised the school to follow its conduct policy",
                "primary_category_code": "conduct",
                "csrf_token": csrf,
            },
        )
        assert resp.status_code == 303
        db.refresh(intake)
        assert intake.status == "closed" and "conduct policy" in intake.closed_reason
        # Recorded as a consultation, so that it is counted (app/consultations).
        consultation = db.get(Consultation, intake.case_id)
        assert consultation is not None and consultation.intake_id == intake.id
        assert consultation.case.status == "consultation" and consultation.case.contact_method == "online"
        assert consultation.case.primary_category_code == "conduct" and consultation.advice.startswith(
            "Advised"
        )
        assert consultation.case.sector_code == intake.sector_code
        assert "a consultation" in client.get(f"/intake/{intake.id}").text
        assert intake.reference in client.get("/intake?status=closed").text
        assert intake.reference not in client.get("/intake").text
        event = db.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "intake", AuditEvent.verb == "status_changed")
            .order_by(AuditEvent.id)
        ).all()[-1]
        assert event.details["advice"].startswith("Advised") and event.case_id == intake.case_id
        assert (
            client.post(
                f"/intake/{intake.id}/close", data={"reason": "again", "csrf_token": csrf}
            ).status_code
            == 409
        )

    def test_only_lado_officers_see_the_queue(self, app, client, db, factory):
        intake = submitted(app, db)
        for role in ("manager", "admin", "hr_liaison"):
            kwargs = {"organisations": [factory.organisation().name]} if role == "hr_liaison" else {}
            sign_in(client, factory.user(role, **kwargs).email)
            assert client.get("/intake").status_code == 403
            assert client.get(f"/intake/{intake.id}").status_code == 403
            client.cookies.clear()
        assert client.get(f"/intake/{intake.id}").status_code == 303  # anonymous: to sign-in

    def test_an_intake_made_into_a_restricted_case_is_hidden_like_the_case(self, app, client, db, factory):
        owner, other = factory.user("lado"), factory.user("lado")
        intake = submitted(app, db, adult_last_name="Secretperson")
        csrf = sign_in(client, owner.email)
        resp = client.post(
            f"/intake/{intake.id}/open", data={**open_form(intake), "restricted": "yes", "csrf_token": csrf}
        )
        assert resp.status_code == 303
        client.cookies.clear()
        sign_in(client, other.email)
        hidden, missing = client.get(f"/intake/{intake.id}"), client.get(f"/intake/{intake.id + 1000}")
        assert hidden.status_code == missing.status_code == 404
        assert "Secretperson" not in hidden.text
        assert intake.reference not in client.get("/intake?status=converted").text
        found = client.get("/search", params={"q": "Secretperson"}).text
        assert (
            intake.reference not in found and "0 cases found" in found and f"/intake/{intake.id}" not in found
        )

    def test_linking_to_a_hidden_case_is_not_found_and_opens_nothing(self, app, client, db, factory):
        from app.context import Actor

        hidden = open_case(db, factory, Actor(user=factory.user("lado")), restricted=True)
        intake = submitted(app, db)
        csrf = sign_in(client, factory.user("lado").email)
        resp = client.post(
            f"/intake/{intake.id}/open",
            data={**open_form(intake), "link_case_id": str(hidden.id), "csrf_token": csrf},
        )
        assert resp.status_code == 404
        db.refresh(intake)
        assert intake.status == "new"
