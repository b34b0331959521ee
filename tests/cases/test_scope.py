"""The case scope tested as an attacker would: by sequential ids, by reference, through search
and every case page. Anything the caller may not see answers exactly as a case that does not exist."""

import re

import pytest

from app.cases import service
from app.cases.schemas import CaseCreate
from tests.helpers import sign_in

CASE_PAGES = [
    "/cases/{id}",
    "/cases/{id}/history",
    "/cases/{id}/edit",
    "/cases/{id}/initial-consideration",
    "/cases/{id}/disposals",
    "/cases/{id}/conclude",
    "/cases/{id}/reopen",
]


def _same_page(html: str) -> str:
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.fixture
def restricted_case(db, factory):
    owner = factory.actor("lado")
    case = service.open_case(
        db,
        owner,
        CaseCreate.model_validate(
            factory.case_data(
                restricted=True, subject_last_name="Secretname", summary="Restricted summary text"
            )
        ),
    )
    db.flush()
    return owner, case


class TestRestrictedCases:
    def test_other_officer_gets_not_found_everywhere(self, client, factory, restricted_case):
        _, case = restricted_case
        other = factory.user("lado")
        sign_in(client, other.email)
        missing_id = case.id + 1000
        for path in CASE_PAGES:
            hidden = client.get(path.format(id=case.id))
            absent = client.get(path.format(id=missing_id))
            assert hidden.status_code == absent.status_code == 404, path
            assert case.reference not in hidden.text and "Secretname" not in hidden.text
            assert _same_page(hidden.text) == _same_page(absent.text), path
        for q in (case.reference, "Secretname", case.organisation.name):
            listing = client.get("/cases", params={"q": q})
            assert listing.status_code == 200
            assert f'href="/cases/{case.id}"' not in listing.text and "Restricted summary" not in listing.text
            assert "0 cases" in listing.text

    def test_writes_to_a_hidden_case_are_not_found_and_change_nothing(
        self, client, factory, db, restricted_case
    ):
        _, case = restricted_case
        other = factory.user("lado")
        csrf = sign_in(client, other.email)
        before = len(case.notes)
        resp = client.post(f"/cases/{case.id}/notes", data={"body": "probe", "csrf_token": csrf})
        assert resp.status_code == 404
        db.refresh(case)
        assert len(case.notes) == before

    def test_named_officer_and_manager_see_it(self, client, factory, restricted_case):
        _owner, case = restricted_case
        manager = factory.user("manager")
        sign_in(client, manager.email)
        assert client.get(f"/cases/{case.id}").status_code == 200
        assert case.reference in client.get("/cases", params={"q": "Secretname"}).text


class TestRolesWithoutCaseAccess:
    @pytest.mark.parametrize("role", ["hr_liaison", "admin"])
    def test_no_case_content(self, client, factory, db, role):
        _, case = (
            service.open_case(db, factory.actor("lado"), CaseCreate.model_validate(factory.case_data())),
            None,
        )
        case = _
        kwargs = {"organisations": [case.organisation.name]} if role == "hr_liaison" else {}
        user = factory.user(role, **kwargs)
        sign_in(client, user.email)
        assert client.get("/cases").status_code == 403
        for path in CASE_PAGES:
            resp = client.get(path.format(id=case.id))
            assert resp.status_code in (403, 404), path
            assert case.reference not in resp.text and case.summary not in resp.text
