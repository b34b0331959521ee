"""The sharing log through HTTP: the tab and its form (GOV.UK error summary, input kept), the JSON
API, and who may do what (an HR liaison is refused, a restricted case is not found to an officer
not named on it)."""

from __future__ import annotations

import pytest

from app.cases import service as cases
from app.cases.schemas import CaseCreate
from app.clock import utcnow
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.outbox.worker import deliver_due
from tests.disclosures.conftest import DISCLOSURE
from tests.helpers import post_form
from tests.letters.conftest import signed_in

pytestmark = pytest.mark.usefixtures("password_only")
API = "/api/v1"


def test_an_officer_records_a_disclosure_and_sees_it_with_a_delivered_letter(
    db, journey, lado, open_client, smtp_server, mail_settings
):
    case = journey.case()
    letter = letters.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    letters.finalise(db, lado, case, letter, Finalise())
    deliver_due(db, utcnow(), settings=mail_settings)
    client, csrf = signed_in(open_client, lado.user)
    page = client.get(f"/cases/{case.id}/disclosures")
    assert page.status_code == 200 and 'aria-current="page" href="/cases/' in page.text
    assert f'id="letter-{letter.id}"' in page.text and "HR portal" in page.text and "Jo Liaison" in page.text
    resp = post_form(client, f"/cases/{case.id}/disclosures", DISCLOSURE, csrf)
    assert resp.status_code == 303 and "#disclosure-" in resp.headers["location"]
    page = client.get(f"/cases/{case.id}/disclosures").text
    assert "DS Pat Example" in page and "Northshire Police child protection team" in page
    assert "Disclosure added to the sharing log" in page


def test_a_disclosure_without_a_lawful_basis_is_refused_with_the_input_kept(db, journey, lado, open_client):
    case = journey.case()
    client, csrf = signed_in(open_client, lado.user)
    resp = post_form(client, f"/cases/{case.id}/disclosures", {**DISCLOSURE, "lawful_basis_code": ""}, csrf)
    assert resp.status_code == 422
    assert "<title>Error: " in resp.text and 'href="#lawful_basis_code">Select the lawful basis' in resp.text
    assert 'value="DS Pat Example"' in resp.text


def test_the_api_records_and_lists_and_wants_a_lawful_basis(db, journey, lado, open_client):
    case = journey.case()
    client, csrf = signed_in(open_client, lado.user)
    headers = {"X-CSRF-Token": csrf}
    bad = client.post(
        f"{API}/cases/{case.id}/disclosures", json={**DISCLOSURE, "lawful_basis_code": ""}, headers=headers
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    made = client.post(f"{API}/cases/{case.id}/disclosures", json=DISCLOSURE, headers=headers)
    assert made.status_code == 201, made.text
    [entry] = made.json()["entries"]
    assert entry["lawful_basis_code"] == "safeguarding_children" and entry["source"] == "recorded"
    listed = client.get(f"{API}/cases/{case.id}/disclosures")
    assert listed.status_code == 200 and listed.json()["entries"] == [entry]


def test_an_hr_liaison_is_refused_and_a_restricted_case_is_not_found_to_another_officer(
    db, journey, factory, lado, open_client
):
    org = journey.employer()
    restricted = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data(restricted=True)))
    hr, _ = signed_in(open_client, journey.hr_user(org))
    assert hr.get(f"/cases/{restricted.id}/disclosures").status_code == 403
    assert hr.get(f"{API}/cases/{restricted.id}/disclosures").status_code == 403
    other, csrf = signed_in(open_client, factory.user("lado"))
    assert other.get(f"/cases/{restricted.id}/disclosures").status_code == 404
    assert post_form(other, f"/cases/{restricted.id}/disclosures", DISCLOSURE, csrf).status_code == 404
    assert other.get(f"{API}/cases/{restricted.id}/disclosures").status_code == 404
    manager, _ = signed_in(open_client, factory.user("manager"))
    page = manager.get(f"/cases/{restricted.id}/disclosures")
    assert page.status_code == 200 and "Record a disclosure" not in page.text
