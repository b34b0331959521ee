"""Person check pages over HTTP: the lookup on the new-referral form, confirm and dismiss on the
case page, the person page, the flag on the case list; hidden cases stay hidden."""

import re

from app.context import Actor
from app.people import service
from tests.helpers import sign_in
from tests.people.support import adult, open_case


def check(client, first, last, dob=("", "", "")):
    return client.get(
        "/people/check",
        params={
            "subject_first_name": first,
            "subject_last_name": last,
            "subject_date_of_birth-day": dob[0],
            "subject_date_of_birth-month": dob[1],
            "subject_date_of_birth-year": dob[2],
        },
        headers={"HX-Request": "true"},
    )


class TestLookupWhileRecording:
    def test_finds_an_earlier_case_with_another_spelling(self, client, db, factory, lado):
        earlier = open_case(db, factory, lado, **adult("Jonathan", "Smyth"))
        sign_in(client, lado.user.email)
        resp = check(client, "Jonathon", "Smith", ("14", "2", "1985"))
        assert resp.status_code == 200 and "<html" not in resp.text  # a fragment for htmx
        assert earlier.reference in resp.text and "Same date of birth" in resp.text
        assert "Same adult: link" not in resp.text  # no case yet: nothing to link from
        assert "No earlier cases found" in check(client, "Zed", "Nobody").text
        assert check(client, "", "").text.strip().startswith("<div")  # nothing asked, nothing said

    def test_the_new_referral_form_asks_for_the_check(self, client, lado):
        sign_in(client, lado.user.email)
        page = client.get("/cases/new").text
        assert 'hx-get="/people/check"' in page and "change from:#subject_last_name" in page

    def test_managers_do_not_use_the_lookup(self, client, factory):
        sign_in(client, factory.user("manager").email)
        assert check(client, "A", "B").status_code == 403


class TestOnTheCasePage:
    def test_confirm_then_person_page_then_unlink(self, client, db, factory, lado):
        actor = lado
        earlier = open_case(
            db, factory, actor, **adult("Alex", "Testperson"), organisation_name="Synthetic Old Employer"
        )
        case = open_case(db, factory, actor, **adult("Alex", "Tesstperson"))
        csrf = sign_in(client, lado.user.email)
        page = client.get(f"/cases/{case.id}").text
        assert "1 possible match to check" in page and earlier.reference in page
        assert "Possible earlier case" in client.get("/cases").text
        resp = client.post(
            f"/cases/{case.id}/person-check/confirm",
            data={"other_case_id": str(earlier.id), "csrf_token": csrf},
        )
        assert resp.status_code == 303 and resp.headers["location"] == f"/cases/{case.id}"
        page = client.get(f"/cases/{case.id}").text
        assert "This adult has 1 other case." in page
        listing = client.get("/cases").text
        assert listing.count("2 cases about this adult") == 2
        db.refresh(case)
        person = client.get(f"/people/{case.person_id}")
        assert person.status_code == 200
        assert earlier.reference in person.text and case.reference in person.text
        assert "Synthetic Old Employer" in person.text
        assert (
            client.post(f"/cases/{case.id}/person-check/unlink", data={"csrf_token": csrf}).status_code == 303
        )
        db.refresh(case)
        assert case.person_id != earlier.person_id

    def test_dismiss_hides_the_match(self, client, db, factory, lado):
        actor = lado
        earlier = open_case(db, factory, actor, **adult("Alex", "Testperson"))
        case = open_case(db, factory, actor, **adult("Alex", "Testperson"))
        csrf = sign_in(client, lado.user.email)
        resp = client.post(
            f"/cases/{case.id}/person-check/dismiss",
            data={"other_case_id": str(earlier.id), "csrf_token": csrf},
        )
        assert resp.status_code == 303
        assert f'href="/cases/{earlier.id}"' not in client.get(f"/cases/{case.id}").text

    def test_bad_ids_get_a_clear_answer(self, client, db, factory, lado):
        case = open_case(db, factory, lado)
        csrf = sign_in(client, lado.user.email)
        assert (
            client.post(
                f"/cases/{case.id}/person-check/confirm", data={"other_case_id": "abc", "csrf_token": csrf}
            ).status_code
            == 422
        )
        assert (
            client.post(
                f"/cases/{case.id}/person-check/confirm",
                data={"other_case_id": str(case.id), "csrf_token": csrf},
            ).status_code
            == 422
        )
        assert (
            client.post(
                f"/cases/{case.id}/person-check/confirm",
                data={"other_case_id": "99999999999", "csrf_token": csrf},
            ).status_code
            == 422
        )

    def test_manager_sees_the_check_but_no_buttons(self, client, db, factory, lado):
        actor = lado
        open_case(db, factory, actor, **adult("Alex", "Testperson"))
        case = open_case(db, factory, actor, **adult("Alex", "Testperson"))
        csrf = sign_in(client, factory.user("manager").email)
        page = client.get(f"/cases/{case.id}").text
        assert "1 possible match to check" in page and "Same adult: link" not in page
        assert (
            client.post(
                f"/cases/{case.id}/person-check/confirm", data={"other_case_id": "1", "csrf_token": csrf}
            ).status_code
            == 403
        )


class TestAttacker:
    def test_restricted_case_of_another_officer_never_shows(self, client, db, factory, lado):
        owner = Actor(user=factory.user("lado"))
        hidden = open_case(db, factory, owner, **adult("Alex", "Secretperson"), restricted=True)
        mine = open_case(db, factory, lado, **adult("Alex", "Secretperson"))
        csrf = sign_in(client, lado.user.email)
        for text in (
            check(client, "Alex", "Secretperson").text,
            client.get(f"/cases/{mine.id}").text,
            client.get("/cases").text,
        ):
            assert hidden.reference not in text and f"/cases/{hidden.id}" not in text
        assert "Possible earlier case" not in client.get("/cases").text
        hidden_person = client.get(f"/people/{hidden.person_id}")
        missing_person = client.get("/people/99999999")
        assert hidden_person.status_code == missing_person.status_code == 404

        def strip(t):
            return re.sub(r'nonce="[^"]*"', "", t)

        assert strip(hidden_person.text) == strip(missing_person.text)
        for action in ("confirm", "dismiss"):
            resp = client.post(
                f"/cases/{mine.id}/person-check/{action}",
                data={"other_case_id": str(hidden.id), "csrf_token": csrf},
            )
            assert resp.status_code == 404
        db.refresh(mine)
        assert mine.person_id != hidden.person_id
        # confirmed by the owner: the person page of the shared person shows only what this LADO may see
        service.confirm_match(db, owner, hidden, mine.id)
        page = client.get(f"/people/{mine.person_id}").text
        assert mine.reference in page and hidden.reference not in page
        assert "1 case you can see" in page
