"""The case pages, driven through HTTP as a browser would (no JavaScript, then htmx)."""

import html
import re

from sqlalchemy import func, select

from app.cases.models import Case
from tests.helpers import post_form, sign_in


def new_case_form(factory, **overrides):
    d = factory.case_data()
    form = {
        "received_on-day": "11",
        "received_on-month": "5",
        "received_on-year": "2026",
        "contact_method": "phone",
        "referrer_name": d["referrer_name"],
        "referrer_organisation": "Synthetic Trust",
        "referrer_role": "DSL",
        "referrer_phone": "01632 960001",
        "referrer_email": "dsl@example.test",
        "organisation_id": "",
        "organisation_name": d["organisation_name"],
        "sector_code": "secondary_school",
        "subject_first_name": "Alex",
        "subject_last_name": d["subject_last_name"],
        "subject_date_of_birth-day": "14",
        "subject_date_of_birth-month": "2",
        "subject_date_of_birth-year": "1985",
        "job_title": "Teacher",
        "child_initials": ["AB", "", ""],
        "child_age": ["12", "", ""],
        "child_gender": ["female", "", ""],
        "primary_category_code": "physical",
        "summary": "Synthetic summary",
        "submission_key": "",
    }
    form.update(overrides)
    return form


def case_id_from(resp) -> int:
    return int(re.search(r"/cases/(\d+)", resp.headers["location"]).group(1))


class TestCasePages:
    def test_lado_records_a_referral(self, client, factory, db):
        user = factory.user("lado")
        csrf = sign_in(client, user.email)
        assert client.get("/cases/new").status_code == 200
        resp = post_form(client, "/cases", new_case_form(factory), csrf)
        assert resp.status_code == 303, resp.text
        case = db.get(Case, case_id_from(resp))
        assert case.children[0].initials == "AB" and case.children[0].age == 12
        page = client.get(f"/cases/{case.id}")
        assert page.status_code == 200 and case.reference in page.text

    def test_bad_input_keeps_what_was_typed_and_writes_nothing(self, client, factory, db):
        user = factory.user("lado")
        csrf = sign_in(client, user.email)
        before = db.scalar(select(func.count()).select_from(Case))
        resp = post_form(
            client,
            "/cases",
            new_case_form(
                factory,
                **{
                    "received_on-day": "31",
                    "received_on-month": "2",
                    "subject_last_name": "",
                    "summary": "<script>alert(1)</script>",
                },
            ),
            csrf,
        )
        assert resp.status_code == 422
        assert "There is a problem" in resp.text
        assert "Date received must be a real date" in resp.text
        assert "Enter the adult&#39;s last name" in resp.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in resp.text and "<script>alert(1)" not in resp.text
        assert db.scalar(select(func.count()).select_from(Case)) == before

    def test_journey_through_pages(self, client, factory, db):
        user = factory.user("lado")
        csrf = sign_in(client, user.email)
        cid = case_id_from(post_form(client, "/cases", new_case_form(factory), csrf))
        r = post_form(
            client,
            f"/cases/{cid}/initial-consideration",
            {
                "harm_limbs": ["harmed", "offence"],
                "decision": "threshold_met",
                "rationale": "Met",
                "decided_on-day": "12",
                "decided_on-month": "5",
                "decided_on-year": "2026",
                "version": "1",
            },
            csrf,
        )
        assert r.status_code == 303, r.text
        # htmx in-place addition returns the allegations block only
        r = client.post(
            f"/cases/{cid}/allegations",
            data={"description": "Grabbed arm", "category_code": "physical"},
            headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        )
        assert r.status_code == 200 and 'id="allegations"' in r.text and "<html" not in r.text
        r = post_form(
            client,
            f"/cases/{cid}/allegations",
            {"description": "Shouted", "category_code": "emotional"},
            csrf,
        )
        assert r.status_code == 303
        case = db.get(Case, cid)
        db.refresh(case)
        for a, outcome in zip(case.allegations, ["substantiated", "unsubstantiated"], strict=True):
            r = post_form(
                client,
                f"/cases/{cid}/allegations/{a.id}/outcome",
                {
                    "outcome_code": outcome,
                    "outcome_on-day": "1",
                    "outcome_on-month": "7",
                    "outcome_on-year": "2026",
                },
                csrf,
            )
            assert r.status_code == 303, r.text
        r = post_form(client, f"/cases/{cid}/disposals", {"disposal_codes": ["dismissed"]}, csrf)
        assert r.status_code == 303
        r = post_form(
            client,
            f"/cases/{cid}/referrals",
            {
                "regulator_code": "dbs",
                "status": "made",
                "made_on-day": "2",
                "made_on-month": "7",
                "made_on-year": "2026",
            },
            csrf,
        )
        assert r.status_code == 303, r.text
        r = post_form(
            client,
            f"/cases/{cid}/conclude",
            {
                "nfa_after_investigation": "no",
                "training_needs": "yes",
                "concluded_on-day": "3",
                "concluded_on-month": "7",
                "concluded_on-year": "2026",
            },
            csrf,
        )
        assert r.status_code == 303, r.text
        db.refresh(case)
        assert case.status == "concluded" and case.training_needs is True
        # a concluded case refuses a new outcome with a clear message
        r = post_form(
            client,
            f"/cases/{cid}/allegations/{case.allegations[0].id}/outcome",
            {
                "outcome_code": "false",
                "outcome_on-day": "4",
                "outcome_on-month": "7",
                "outcome_on-year": "2026",
            },
            csrf,
        )
        assert r.status_code == 409 and "Re-open it with a reason" in r.text
        hist = client.get(f"/cases/{cid}/history")
        assert hist.status_code == 200 and "Case concluded" in hist.text

    def test_stale_version_is_told_and_input_kept(self, client, factory, db):
        user = factory.user("lado")
        csrf = sign_in(client, user.email)
        cid = case_id_from(post_form(client, "/cases", new_case_form(factory), csrf))
        post_form(client, f"/cases/{cid}/notes", {"body": "bumps nothing"}, csrf)
        edit = {
            "received_on-day": "11",
            "received_on-month": "5",
            "received_on-year": "2026",
            "contact_method": "email",
            "referrer_name": "Someone",
            "sector_code": "secondary_school",
            "job_title": "Teacher",
            "primary_category_code": "physical",
            "summary": "First editor's summary",
            "version": "1",
        }
        assert post_form(client, f"/cases/{cid}/edit", edit, csrf).status_code == 303
        r = post_form(client, f"/cases/{cid}/edit", {**edit, "summary": "Second editor's summary"}, csrf)
        assert r.status_code == 409
        assert "Someone else saved this case" in r.text and "Second editor&#39;s summary" in r.text
        assert db.get(Case, cid).summary == "First editor's summary"

    def test_list_filters_and_search(self, client, factory):
        user = factory.user("lado")
        csrf = sign_in(client, user.email)
        post_form(client, "/cases", new_case_form(factory, subject_last_name="Zephyrine"), csrf)
        post_form(client, "/cases", new_case_form(factory, primary_category_code="sexual"), csrf)
        assert "Zephyrine" in client.get("/cases?q=zeph").text
        r = client.get("/cases?category=sexual")
        assert "Zephyrine" not in r.text and "1 case" in r.text

    def test_an_unknown_filter_value_gets_the_error_summary(self, client, factory):
        sign_in(client, factory.user("lado").email)
        r = client.get("/cases", params={"status": "AAA", "sector": "nowhere"})
        assert r.status_code == 422
        assert "govuk-error-summary" in r.text
        assert "open, nfa, threshold_met, concluded" in r.text and "faith_group, " in r.text

    def test_manager_reads_but_cannot_change(self, client, factory, db):
        lado = factory.user("lado")
        csrf = sign_in(client, lado.email)
        cid = case_id_from(post_form(client, "/cases", new_case_form(factory), csrf))
        client.cookies.clear()
        manager = factory.user("manager")
        csrf = sign_in(client, manager.email)
        assert client.get(f"/cases/{cid}").status_code == 200
        assert client.get(f"/cases/{cid}/edit").status_code == 403
        assert post_form(client, f"/cases/{cid}/notes", {"body": "x"}, csrf).status_code == 403
        assert client.get("/cases/new").status_code == 403


def test_list_pages_in_the_database(client, factory, monkeypatch):
    from app.cases import list_routes

    monkeypatch.setattr(list_routes, "CASELOAD_PAGE_SIZE", 2)
    user = factory.user("lado")
    csrf = sign_in(client, user.email)
    for _ in range(5):
        post_form(client, "/cases", new_case_form(factory), csrf)
    first = client.get("/cases")  # the caseload: my open cases, soonest deadline first
    assert "My open cases" in first.text and "5 cases" in first.text
    defaults = "status=active&amp;officer=me&amp;sort=deadline&amp;order=ascending"
    assert f'href="/cases?{defaults}&amp;after=' in first.text
    # Keyset paging: each "Next" link names the last case shown; "Previous" the first.
    pages, page = [], first
    while True:
        pages.append(re.findall(r'href="/cases/(\d+)"', page.text))
        link = re.search(r'href="([^"]+)" rel="next"', page.text)
        if link is None:
            break
        page = client.get(html.unescape(link.group(1)))
    assert [len(p) for p in pages] == [2, 2, 1]
    assert len({c for p in pages for c in p}) == 5
    back = client.get(html.unescape(re.search(r'href="([^"]+)" rel="prev"', page.text).group(1)))
    assert re.findall(r'href="/cases/(\d+)"', back.text) == pages[1]
    assert 'rel="prev"' in back.text and 'rel="next"' in back.text
    # A page by number still works (bookmarks, the API).
    third = client.get("/cases?" + html.unescape(defaults) + "&page=3")
    assert re.findall(r'href="/cases/(\d+)"', third.text) == pages[2]
