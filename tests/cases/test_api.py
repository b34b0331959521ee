"""The cases JSON API, over HTTP, on a real database: the journey, the filters, and every way a
request can be refused (401, 403, 404, 409, 422) without changing anything."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import ApiToken
from app.auth.service import token_hash
from app.cases.models import Case
from tests.helpers import sign_in

API = "/api/v1"


class Api:
    """A client of the API: a cookie session (with its CSRF token) or an API token.

    What a test set up is committed before each request (a savepoint release inside the test's
    rolled-back transaction), as it would be in real life: a refused request rolls back its own
    work only."""

    def __init__(self, client, db, headers: dict[str, str]) -> None:
        self.client = client
        self.db = db
        self.headers = headers

    def get(self, url: str, **kwargs):
        return self.send("GET", url, **kwargs)

    def send(self, method: str, url: str, json=None, **kwargs):
        self.db.commit()
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, API + url, json=json, headers=headers, **kwargs)

    def post(self, url: str, json=None, **kwargs):
        return self.send("POST", url, json, **kwargs)

    def create(self, factory, **overrides) -> dict:
        resp = self.post("/cases", factory.case_data(**overrides))
        assert resp.status_code == 201, resp.text
        return resp.json()

    def threshold_met(self, case: dict) -> dict:
        resp = self.post(
            f"/cases/{case['id']}/initial-consideration",
            {
                "harm_limbs": ["harmed", "risk"],
                "decision": "threshold_met",
                "rationale": "Harm test met",
                "decided_on": "2026-05-12",
            },
        )
        assert resp.status_code == 200, resp.text
        return resp.json()


@pytest.fixture
def session_api(client, db, factory):
    """A LADO officer signed in through the sign-in form, sending the CSRF header on writes."""
    user = factory.user("lado")
    csrf = sign_in(client, user.email)
    api = Api(client, db, {"X-CSRF-Token": csrf})
    api.user = user
    return api


def token_api(client, db, user) -> Api:
    token = secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, name="tests", token_hash=token_hash(token)))
    db.flush()
    api = Api(client, db, {"Authorization": f"Bearer {token}"})
    api.user = user
    return api


@pytest.fixture
def as_role(client, db, factory):
    def make(role: str, **kwargs) -> Api:
        return token_api(client, db, factory.user(role, **kwargs))

    return make


def count_cases(db) -> int:
    return db.scalar(select(func.count()).select_from(Case))


def problem_of(resp, status: int) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == status
    return body


def field_errors(resp) -> dict[str, str]:
    return {e["field"]: e["message"] for e in problem_of(resp, 422)["errors"]}


class TestJourney:
    def test_whole_journey_to_a_concluded_case(self, session_api, factory, db):
        api = session_api
        org = factory.organisation("Synthetic Journey Academy", sector_code="secondary_school")
        resp = api.post(
            "/cases", factory.case_data(organisation_id=org.id, organisation_name="", sector_code="")
        )
        assert resp.status_code == 201, resp.text
        case = resp.json()
        assert resp.headers["location"] == f"{API}/cases/{case['id']}"
        assert case["reference"].startswith("LADO-2026-") and case["status"] == "open"
        assert case["employer"] == {"id": org.id, "name": "Synthetic Journey Academy"}
        assert case["sector_code"] == "secondary_school"
        assert [{k: v for k, v in c.items() if k != "id"} for c in case["children"]] == [
            {"initials": "AB", "age": 12, "gender": "female"}
        ]
        assert (
            "record_initial_consideration" in case["allowed_steps"]
            and "conclude" not in case["allowed_steps"]
        )
        cid = case["id"]

        case = api.threshold_met(case)
        assert case["status"] == "threshold_met" and case["status_label"] == "Threshold met"
        assert case["initial_consideration"]["harm_limbs"] == ["harmed", "risk"]

        for description, category in (("Pushed a pupil", "physical"), ("Shouted at a pupil", "emotional")):
            resp = api.post(
                f"/cases/{cid}/allegations", {"description": description, "category_code": category}
            )
            assert resp.status_code == 201, resp.text
        first, second = resp.json()["allegations"]
        for allegation, outcome in ((first, "substantiated"), (second, "unfounded")):
            resp = api.post(
                f"/cases/{cid}/allegations/{allegation['id']}/outcome",
                {"outcome_code": outcome, "outcome_on": "2026-06-30"},
            )
            assert resp.status_code == 200, resp.text
        resp = api.send(
            "PUT",
            f"/cases/{cid}/disposals",
            {"disposal_codes": ["dismissed"], "version": resp.json()["version"]},
        )
        assert resp.status_code == 200, resp.text
        resp = api.post(
            f"/cases/{cid}/referrals",
            {"regulator_code": "dbs", "status": "recommended", "recommended_on": "2026-06-30"},
        )
        assert resp.status_code == 201, resp.text
        referral = resp.json()["referrals"][-1]
        resp = api.send(
            "PATCH",
            f"/cases/{cid}/referrals/{referral['id']}",
            {
                "status": "made",
                "recommended_on": "2026-06-30",
                "made_on": "2026-07-01",
                "reference": "DBS-0001",
            },
        )
        assert resp.status_code == 200, resp.text
        resp = api.post(f"/cases/{cid}/notes", {"body": "Spoke to the head teacher."})
        assert resp.status_code == 201, resp.text
        resp = api.post(f"/cases/{cid}/conclude", {"training_needs": True, "concluded_on": "2026-07-01"})
        assert resp.status_code == 200, resp.text

        case = api.get(f"/cases/{cid}").json()
        assert case["status"] == "concluded" and case["concluded_on"] == "2026-07-01"
        assert case["training_needs"] is True
        assert [(a["description"], a["outcome_code"], a["outcome_on"]) for a in case["allegations"]] == [
            ("Pushed a pupil", "substantiated", "2026-06-30"),
            ("Shouted at a pupil", "unfounded", "2026-06-30"),
        ]
        assert case["disposal_codes"] == ["dismissed"]
        assert [
            (r["regulator_code"], r["status"], r["made_on"], r["reference"]) for r in case["referrals"]
        ] == [("dbs", "made", "2026-07-01", "DBS-0001")]
        assert case["notes"][0]["body"] == "Spoke to the head teacher."
        assert case["notes"][0]["author"] == api.user.name
        assert case["allowed_steps"] == [
            "edit_details",
            "add_note",
            "set_disposals",
            "add_referral",
            "update_referral",
            "reopen",
        ]

        history = api.get(f"/cases/{cid}/history").json()["items"]
        verbs = [e["verb"] for e in history]
        assert verbs[0] == "created" and verbs.count("status_changed") == 2
        assert [e["time"] for e in history] == sorted(e["time"] for e in history)
        assert all(e["actor_label"].startswith(api.user.name) for e in history)
        conclude = next(e for e in history if e["details"].get("step") == "conclude")
        assert conclude["details"]["status"] == {"from": "threshold_met", "to": "concluded"}

    def test_reads_are_audited(self, session_api, factory, db):
        case = session_api.create(factory)
        session_api.get(f"/cases/{case['id']}")
        session_api.get(f"/cases/by-reference/{case['reference']}")
        views = db.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case["id"], AuditEvent.verb == "viewed")
        ).all()
        assert len(views) == 2 and all(v.actor_id == session_api.user.id for v in views)

    def test_read_by_reference(self, as_role, factory):
        api = as_role("lado")
        case = api.create(factory)
        resp = api.get(f"/cases/by-reference/{case['reference']}")
        assert resp.status_code == 200 and resp.json()["id"] == case["id"]
        assert as_role("manager").get(f"/cases/by-reference/{case['reference']}").json()["id"] == case["id"]

    def test_nfa_then_reopen(self, as_role, factory):
        api = as_role("lado")
        case = api.create(factory)
        resp = api.post(
            f"/cases/{case['id']}/initial-consideration",
            {
                "decision": "nfa",
                "nfa_kind": "advice_given",
                "rationale": "Advice only",
                "decided_on": "2026-05-11",
            },
        )
        assert resp.json()["status"] == "nfa" and resp.json()["concluded_on"] == "2026-05-11"
        resp = api.post(f"/cases/{case['id']}/reopen", {"reason": "New information from the school"})
        assert resp.status_code == 200, resp.text
        assert resp.json()["status"] == "open" and resp.json()["initial_consideration"] is None


class TestInput:
    def test_extra_fields_are_ignored_not_stored(self, as_role, factory, db):
        api = as_role("lado")
        other = factory.organisation("Synthetic Other Org")
        case = api.create(
            factory, reference="LADO-1999-9999", status="concluded", id=999999, version=42, created_by_id=1
        )
        assert case["reference"] != "LADO-1999-9999" and case["status"] == "open" and case["version"] == 1
        case = api.threshold_met(case)
        resp = api.post(
            f"/cases/{case['id']}/allegations",
            {
                "description": "x",
                "category_code": "physical",
                "status": "concluded",
                "organisation_id": other.id,
            },
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["status"] == "threshold_met"
        assert resp.json()["employer"]["id"] != other.id
        stored = db.get(Case, case["id"])
        db.refresh(stored)
        assert stored.status == "threshold_met" and stored.organisation_id != other.id

    def test_html_comes_back_as_the_same_text(self, as_role, factory):
        api = as_role("lado")
        payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        case = api.create(factory, summary=payload, subject_last_name="<b>Bold</b>")
        resp = api.get(f"/cases/{case['id']}")
        assert resp.headers["content-type"] == "application/json"
        assert resp.json()["summary"] == payload and resp.json()["adult"]["last_name"] == "<b>Bold</b>"

    def test_missing_fields_have_field_level_messages_and_change_nothing(self, as_role, db):
        api = as_role("lado")
        before = count_cases(db)
        errors = field_errors(api.post("/cases", {"summary": "Only a summary"}))
        assert errors["received_on"] == "Enter the date received"
        assert errors["referrer_name"] == "Enter the referrer's name"
        assert errors["primary_category_code"] == "Select the primary category"
        assert count_cases(db) == before

    def test_bad_and_future_dates(self, as_role, factory, db):
        api = as_role("lado")
        errors = field_errors(
            api.post("/cases", factory.case_data(received_on="2026-02-30", subject_date_of_birth="yesterday"))
        )
        assert errors["received_on"] == "Date received must be a real date"
        assert errors["subject_date_of_birth"] == "Adult's date of birth must be a real date"
        errors = field_errors(api.post("/cases", factory.case_data(received_on="2999-01-01")))
        assert errors == {"received_on": "Date received must be today or in the past"}
        case = api.create(factory)
        errors = field_errors(
            api.post(
                f"/cases/{case['id']}/initial-consideration",
                {
                    "harm_limbs": ["harmed"],
                    "decision": "threshold_met",
                    "rationale": "x",
                    "decided_on": "2026-05-01",
                },
            )
        )
        assert "on or after the date received" in errors["decided_on"]
        assert api.get(f"/cases/{case['id']}").json()["status"] == "open"

    def test_unknown_codes(self, as_role, factory, db):
        api = as_role("lado")
        before = count_cases(db)
        errors = field_errors(
            api.post(
                "/cases",
                factory.case_data(sector_code="nope", primary_category_code="bogus", contact_method="pigeon"),
            )
        )
        assert errors["contact_method"] == "Select how it was received"
        assert count_cases(db) == before
        errors = field_errors(
            api.post("/cases", factory.case_data(sector_code="nope", primary_category_code="bogus"))
        )
        assert errors["sector_code"] == "Choose a sector from the list"
        assert set(errors) == {"sector_code", "primary_category_code"}
        assert errors["primary_category_code"].startswith(
            "Choose a categor"
        )  # service says "categorie" (reported)
        assert count_cases(db) == before
        case = api.threshold_met(api.create(factory))
        errors = field_errors(
            api.send("PUT", f"/cases/{case['id']}/disposals", {"disposal_codes": ["sacked"]})
        )
        assert errors == {"disposal_codes": "Choose a disposal from the list"}
        assert api.get(f"/cases/{case['id']}").json()["disposal_codes"] == []

    def test_blank_codes_in_a_list_are_no_choice(self, as_role, factory):
        api = as_role("lado")
        case = api.create(factory, secondary_category_codes=["", " ", "emotional"])
        assert case["secondary_category_codes"] == ["emotional"]
        case = api.threshold_met(case)
        resp = api.send("PUT", f"/cases/{case['id']}/disposals", {"disposal_codes": ["", " dismissed "]})
        assert resp.status_code == 200, resp.text
        assert resp.json()["disposal_codes"] == ["dismissed"]

    @pytest.mark.parametrize(
        "body, message",
        [
            (b"[1, 2]", "must be a JSON object"),
            (b"{not json", "not valid JSON"),
            (b"", "must be a JSON object"),
        ],
    )
    def test_body_that_is_not_a_json_object(self, as_role, db, body, message):
        api = as_role("lado")
        resp = api.send("POST", "/cases", content=body, headers={"Content-Type": "application/json"})
        assert message in field_errors(resp)["body"]

    def test_form_encoded_body_is_refused(self, as_role):
        api = as_role("lado")
        resp = api.send("POST", "/cases", data={"summary": "x"})
        assert "Content-Type: application/json" in field_errors(resp)["body"]

    def test_nul_and_lone_surrogates_are_refused(self, as_role, factory):
        api = as_role("lado")
        errors = field_errors(api.post("/cases", factory.case_data(summary="a\x00b")))
        assert errors == {"summary": "Remove the control characters or invalid characters from this field"}
        assert "q" in field_errors(api.get("/cases", params={"q": "a\x00"}))
        resp = api.send(
            "POST", "/cases", content=b'{"summary": "\\ud800"}', headers={"Content-Type": "application/json"}
        )
        assert field_errors(resp) == {
            "summary": "Remove the control characters or invalid characters from this field"
        }

    def test_values_the_database_could_not_hold_are_refused(self, as_role, factory, db):
        api = as_role("lado")
        before = count_cases(db)
        for org_id in (2**31, 10**20, 0):
            errors = field_errors(api.post("/cases", factory.case_data(organisation_id=org_id)))
            assert errors == {"organisation_id": "Select the employer from the list"}
        errors = field_errors(api.post("/cases", factory.case_data(children=[{"initials": "ß" * 10}])))
        assert errors == {"children": "Child 1's initials must be 10 characters or fewer"}
        assert count_cases(db) == before

    def test_bad_path_and_query_parameters(self, as_role):
        api = as_role("lado")
        assert "case_id" in field_errors(api.get("/cases/99999999999"))
        assert "page_size" in field_errors(api.get("/cases", params={"page_size": 101}))
        assert field_errors(api.get("/cases", params={"received_from": "2026-13-01"})) == {
            "received_from": "Received from must be a real date"
        }


class TestConflicts:
    def test_stale_version_is_refused_with_409(self, as_role, factory):
        api = as_role("lado")
        case = api.create(factory)
        loaded = case["version"]
        case = api.threshold_met(case)
        assert case["version"] > loaded
        body = problem_of(
            api.send(
                "PUT", f"/cases/{case['id']}/disposals", {"disposal_codes": ["dismissed"], "version": loaded}
            ),
            409,
        )
        assert "Someone else saved this case" in body["detail"]
        assert api.get(f"/cases/{case['id']}").json()["disposal_codes"] == []
        resp = api.send(
            "PUT",
            f"/cases/{case['id']}/disposals",
            {"disposal_codes": ["dismissed"], "version": case["version"]},
        )
        assert resp.status_code == 200

    def test_disallowed_transitions_are_refused_with_a_clear_message(self, as_role, factory):
        api = as_role("lado")
        case = api.create(factory)
        body = problem_of(
            api.post(
                f"/cases/{case['id']}/conclude", {"training_needs": False, "concluded_on": "2026-06-01"}
            ),
            409,
        )
        assert "it needs the case to be: threshold met" in body["detail"]
        case = api.threshold_met(case)
        allegation = api.post(
            f"/cases/{case['id']}/allegations", {"description": "x", "category_code": "physical"}
        ).json()["allegations"][0]
        api.post(
            f"/cases/{case['id']}/allegations/{allegation['id']}/outcome",
            {"outcome_code": "unfounded", "outcome_on": "2026-06-01"},
        )
        api.post(f"/cases/{case['id']}/conclude", {"training_needs": False, "concluded_on": "2026-06-01"})
        body = problem_of(
            api.post(
                f"/cases/{case['id']}/allegations/{allegation['id']}/outcome",
                {"outcome_code": "false", "outcome_on": "2026-06-02"},
            ),
            409,
        )
        assert (
            body["detail"]
            == "This case is concluded: it cannot receive a new outcome. Re-open it with a reason first."
        )
        assert api.get(f"/cases/{case['id']}").json()["allegations"][0]["outcome_code"] == "unfounded"

    def test_conclusion_needs_every_outcome(self, as_role, factory):
        api = as_role("lado")
        case = api.threshold_met(api.create(factory))
        api.post(f"/cases/{case['id']}/allegations", {"description": "x", "category_code": "physical"})
        errors = field_errors(
            api.post(f"/cases/{case['id']}/conclude", {"training_needs": False, "concluded_on": "2026-06-01"})
        )
        assert errors["allegations"] == "Record an outcome for allegation 1 before concluding the case"


class TestAccess:
    def test_401_without_a_session_or_token(self, client, as_role, factory):
        case = as_role("lado").create(factory)
        for resp in (
            client.get(f"{API}/cases"),
            client.get(f"{API}/cases/{case['id']}"),
            client.get(f"{API}/cases/{case['id']}", headers={"Authorization": "Bearer not-a-token"}),
        ):
            body = problem_of(resp, 401)
            assert case["reference"] not in resp.text and body["title"] == "Sign in required"

    def test_cookie_session_write_without_csrf_header_is_refused(self, session_api, factory, db):
        before = count_cases(db)
        resp = session_api.send("POST", "/cases", factory.case_data(), headers={"X-CSRF-Token": ""})
        problem_of(resp, 403)
        assert count_cases(db) == before

    def test_manager_reads_but_cannot_write(self, as_role, factory, db):
        case = as_role("lado").create(factory)
        manager = as_role("manager")
        assert manager.get(f"/cases/{case['id']}").status_code == 200
        assert manager.get("/cases").status_code == 200
        assert manager.get(f"/cases/{case['id']}/history").status_code == 200
        before = count_cases(db)
        problem_of(manager.post("/cases", factory.case_data()), 403)
        problem_of(manager.post(f"/cases/{case['id']}/notes", {"body": "x"}), 403)
        problem_of(manager.post(f"/cases/{case['id']}/initial-consideration", {}), 403)
        assert count_cases(db) == before
        assert manager.get(f"/cases/{case['id']}").json()["notes"] == []

    @pytest.mark.parametrize("role", ["hr_liaison", "admin"])
    def test_hr_liaison_and_admin_cannot_read_cases(self, as_role, factory, role):
        case = as_role("lado").create(factory, organisation_name="Synthetic Liaison School")
        kwargs = {"organisations": ["Synthetic Liaison School"]} if role == "hr_liaison" else {}
        api = as_role(role, **kwargs)
        for url in (
            "/cases",
            f"/cases/{case['id']}",
            f"/cases/by-reference/{case['reference']}",
            f"/cases/{case['id']}/history",
        ):
            resp = api.get(url)
            problem_of(resp, 403)
            assert case["reference"] not in resp.text and "Synthetic" not in resp.text

    def test_restricted_case_of_another_officer_is_not_found(self, as_role, factory):
        owner = as_role("lado")
        case = owner.create(
            factory,
            restricted=True,
            subject_last_name="Hiddenperson",
            organisation_name="Synthetic Hidden School",
            summary="Restricted summary text",
        )
        other = as_role("lado")
        hidden_words = (case["reference"], "Hiddenperson", "Hidden School", "Restricted summary")
        missing = other.get(f"/cases/{case['id'] + 100000}")
        for resp in (
            other.get(f"/cases/{case['id']}"),
            other.get(f"/cases/by-reference/{case['reference']}"),
            other.get(f"/cases/{case['id']}/history"),
            other.post(f"/cases/{case['id']}/notes", {"body": "x"}),
        ):
            body = problem_of(resp, 404)
            assert body.keys() == missing.json().keys() and body["title"] == missing.json()["title"]
            assert not any(word in resp.text for word in hidden_words)
        for q in (case["reference"], "Hiddenperson", "Synthetic Hidden"):
            resp = other.get("/cases", params={"q": q})
            assert resp.status_code == 200 and resp.json()["total"] == 0 and resp.json()["items"] == []
            assert owner.get("/cases", params={"q": q}).json()["items"][0]["id"] == case["id"]
        assert case["id"] not in [
            c["id"] for c in other.get("/cases", params={"page_size": 100}).json()["items"]
        ]
        assert as_role("manager").get(f"/cases/{case['id']}").json()["restricted"] is True

    def test_replayed_submission_key_gives_back_only_a_case_you_may_see(self, as_role, factory, db):
        owner = as_role("lado")
        first = owner.create(factory, submission_key="key-1")
        assert owner.create(factory, submission_key="key-1")["id"] == first["id"]
        hidden = owner.create(
            factory, submission_key="key-2", restricted=True, subject_last_name="Hiddenperson"
        )
        before = count_cases(db)
        resp = as_role("lado").post("/cases", factory.case_data(submission_key="key-2"))
        problem_of(resp, 409)
        assert hidden["reference"] not in resp.text and "Hiddenperson" not in resp.text
        assert count_cases(db) == before

    def test_unknown_allegation_or_referral_is_not_found(self, as_role, factory):
        api = as_role("lado")
        case = api.threshold_met(api.create(factory))
        problem_of(
            api.post(
                f"/cases/{case['id']}/allegations/12345/outcome",
                {"outcome_code": "unfounded", "outcome_on": "2026-06-01"},
            ),
            404,
        )
        problem_of(api.send("PATCH", f"/cases/{case['id']}/referrals/12345", {"status": "recommended"}), 404)


class TestList:
    @pytest.fixture
    def cases(self, as_role, factory):
        api = as_role("lado")
        made = [
            api.create(
                factory,
                received_on="2026-01-10",
                sector_code="primary_school",
                primary_category_code="physical",
                subject_first_name="Robin",
                subject_last_name="Listsearchone",
                organisation_name="Synthetic Listing Primary",
            ),
            api.create(
                factory,
                received_on="2026-02-10",
                sector_code="health",
                primary_category_code="sexual",
                subject_first_name="Sam",
                subject_last_name="Listsearchtwo",
                organisation_name="Synthetic Listing Clinic",
            ),
            api.create(
                factory,
                received_on="2026-03-10",
                sector_code="health",
                primary_category_code="physical",
                subject_first_name="Kim",
                subject_last_name="Listsearchthree",
                organisation_name="Synthetic Listing Clinic",
            ),
        ]
        api.threshold_met(made[2])
        return api, made

    def test_filters(self, cases):
        api, (jan, feb, mar) = cases

        def ids(**params):
            resp = api.get("/cases", params={"q": "Synthetic Listing", **params})
            assert resp.status_code == 200, resp.text
            return [c["id"] for c in resp.json()["items"]]

        assert ids() == [mar["id"], feb["id"], jan["id"]]  # newest received first
        assert ids(status="threshold_met") == [mar["id"]]
        assert ids(sector="health") == [mar["id"], feb["id"]]
        assert ids(category="physical") == [mar["id"], jan["id"]]
        assert ids(received_from="2026-02-01", received_to="2026-02-28") == [feb["id"]]
        assert ids(sector="health", category="physical") == [mar["id"]]

    @pytest.mark.parametrize(
        "params, field, allowed",
        [
            ({"status": "AAA"}, "status", "open, nfa, threshold_met, concluded"),
            ({"sector": "nowhere"}, "sector", "faith_group, foster_carer_in_house, "),
            ({"category": "shouting"}, "category", "conduct, emotional, neglect, physical, sexual, other"),
        ],
    )
    def test_an_unknown_filter_value_is_a_422_that_lists_the_allowed_values(
        self, as_role, params, field, allowed
    ):
        errors = field_errors(as_role("manager").get("/cases", params=params))
        assert list(errors) == [field] and allowed in errors[field], errors

    def test_every_bad_filter_is_reported_at_once(self, as_role):
        errors = field_errors(
            as_role("lado").get(
                "/cases",
                params={
                    "status": "AAA",
                    "sector": "nowhere",
                    "category": "shouting",
                    "received_to": "2026-02-30",
                },
            )
        )
        assert set(errors) == {"status", "sector", "category", "received_to"}

    def test_paging(self, cases):
        api, (jan, feb, mar) = cases
        pages = [
            api.get("/cases", params={"q": "Synthetic Listing", "page_size": 2, "page": p}).json()
            for p in (1, 2, 3)
        ]
        assert [[c["id"] for c in p["items"]] for p in pages] == [[mar["id"], feb["id"]], [jan["id"]], []]
        assert all(p["total"] == 3 and p["page_size"] == 2 for p in pages)
        assert [p["page"] for p in pages] == [1, 2, 3]

    def test_search_by_reference_adult_and_employer(self, cases):
        api, (jan, feb, mar) = cases

        def ids(q):
            return [c["id"] for c in api.get("/cases", params={"q": q}).json()["items"]]

        assert ids(feb["reference"]) == [feb["id"]]
        assert ids(feb["reference"].lower()) == [feb["id"]]
        assert ids("Listsearchone") == [jan["id"]]
        assert ids("kim listsearchthree") == [mar["id"]]
        assert ids("Synthetic Listing Clinic") == [mar["id"], feb["id"]]
        item = api.get("/cases", params={"q": "Listsearchtwo"}).json()["items"][0]
        assert (
            item["adult"]["last_name"] == "Listsearchtwo"
            and item["employer"]["name"] == "Synthetic Listing Clinic"
        )
        assert item["status_label"] == "Awaiting initial consideration" and "summary" not in item


def test_unauthenticated_write_is_401_not_403(client):
    resp = client.post("/api/v1/cases", json={})
    assert resp.status_code == 401
    assert resp.headers["content-type"].startswith("application/problem+json")
