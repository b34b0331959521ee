"""The HR portal, tested as an attacker would: an HR liaison sees exactly the finalised letters to
their own organisation(s); anything else, by any id, answers 404 exactly like a missing letter, with
no data; no case page ever opens; reads and the acknowledgement are audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.letters import service
from app.letters.models import Letter, LetterAcknowledgement, LetterKind
from app.letters.schemas import Finalise
from tests.letters.conftest import signed_in

SECRET_SUMMARY = "Synthetic summary ZQXWV never for the employer"


def final_letter(db, lado, case, kind=LetterKind.EMPLOYER_OUTCOME) -> Letter:
    letter = service.create_draft(db, lado, case, kind)
    service.finalise(db, lado, case, letter, Finalise())
    return letter


@pytest.fixture
def world(db, journey, lado):
    """Two employers, each with a case and a final outcome letter; plus a draft, a letter to the
    adult and a restricted case's letter at employer A."""
    org_a, org_b = journey.employer("Synthetic Academy Alpha"), journey.employer("Synthetic Academy Beta")
    children = [{"initials": "QZX", "age": 9, "gender": "female"}]
    case_a = journey.case(org_a, summary=SECRET_SUMMARY, children=children)
    case_b = journey.case(org_b, summary=SECRET_SUMMARY, children=children)
    case_a2 = journey.case(org_a, summary=SECRET_SUMMARY, children=children)
    mine = final_letter(db, lado, case_a)
    theirs = final_letter(db, lado, case_b)
    draft = service.create_draft(db, lado, case_a2, LetterKind.EMPLOYER_OUTCOME)
    to_adult = final_letter(db, lado, case_a, LetterKind.ADULT)
    return {
        "org_a": org_a,
        "org_b": org_b,
        "case_a": case_a,
        "case_b": case_b,
        "mine": mine,
        "theirs": theirs,
        "draft": draft,
        "to_adult": to_adult,
        "hr_a": journey.hr_user(org_a, name="Hana Alpha"),
        "hr_b": journey.hr_user(org_b, name="Hugo Beta"),
    }


def _stable(html: str) -> str:
    """A page without what changes per request (nonces)."""
    return re.sub(r'nonce="[^"]+"', "", html)


def test_the_list_shows_exactly_the_organisations_final_letters(world, open_client):
    client, _ = signed_in(open_client, world["hr_a"])
    page = client.get("/portal/letters")
    assert page.status_code == 200
    assert f'href="/portal/letters/{world["mine"].id}"' in page.text
    assert world["case_a"].reference in page.text
    for other in ("theirs", "draft", "to_adult"):
        assert f'href="/portal/letters/{world[other].id}"' not in page.text, other
    assert world["case_b"].reference not in page.text and "Synthetic Academy Beta" not in page.text
    assert "Outcome letter to the employer" in page.text and "Please acknowledge" in page.text


def test_opening_shows_only_what_the_letter_says(world, open_client):
    client, _ = signed_in(open_client, world["hr_a"])
    page = client.get(f"/portal/letters/{world['mine'].id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert world["case_a"].reference in page.text and "Outcome: Substantiated." in page.text
    assert SECRET_SUMMARY not in page.text and "QZX" not in page.text
    assert f"/cases/{world['case_a'].id}" not in page.text


def test_every_other_letter_by_sequential_id_is_not_found_like_a_missing_one(db, world, open_client):
    client, csrf = signed_in(open_client, world["hr_a"])
    top = db.scalar(select(func.max(Letter.id)))
    missing_page = _stable(client.get(f"/portal/letters/{top + 1000}").text)
    missing_pdf = client.get(f"/portal/letters/{top + 1000}/pdf")
    assert missing_pdf.status_code == 404
    seen = []
    for letter_id in range(1, top + 4):
        page, pdf = client.get(f"/portal/letters/{letter_id}"), client.get(f"/portal/letters/{letter_id}/pdf")
        if letter_id == world["mine"].id:
            assert page.status_code == pdf.status_code == 200
            assert pdf.content == world["mine"].pdf
            seen.append(letter_id)
            continue
        assert page.status_code == 404 and pdf.status_code == 404, letter_id
        assert _stable(page.text) == missing_page, letter_id
        assert _stable(pdf.text) == _stable(missing_pdf.text) and b"%PDF" not in pdf.content
        for secret in (world["case_b"].reference, "Synthetic Academy Beta", "Jo Liaison", SECRET_SUMMARY):
            assert secret not in page.text and secret not in pdf.text
    assert seen == [world["mine"].id]
    ack = client.post(f"/portal/letters/{world['theirs'].id}/acknowledge", data={"csrf_token": csrf})
    assert ack.status_code == 404
    assert db.scalar(select(func.count()).select_from(LetterAcknowledgement)) == 0


def test_the_other_organisation_sees_only_its_own(world, open_client):
    client, _ = signed_in(open_client, world["hr_b"])
    assert client.get(f"/portal/letters/{world['theirs'].id}").status_code == 200
    assert client.get(f"/portal/letters/{world['mine'].id}").status_code == 404
    assert client.get(f"/portal/letters/{world['mine'].id}/pdf").status_code == 404


def test_a_liaison_for_two_organisations_sees_both(world, journey, factory, open_client):
    both = factory.user("hr_liaison", organisations=[world["org_a"].name, world["org_b"].name])
    client, _ = signed_in(open_client, both)
    page = client.get("/portal/letters")
    assert world["case_a"].reference in page.text and world["case_b"].reference in page.text


def test_no_case_page_ever_opens(world, open_client):
    client, csrf = signed_in(open_client, world["hr_a"])
    case, letter = world["case_a"], world["mine"]
    for url in (
        "/cases",
        f"/cases/{case.id}",
        f"/cases/{case.id}/history",
        f"/cases/{case.id}/letters/{letter.id}",
        f"/cases/{case.id}/letters/{letter.id}/pdf",
        f"/cases/{case.id}/letters/{letter.id}/docx",
        "/letters/unacknowledged",
        f"/cases/{case.id}/edit",
    ):
        resp = client.get(url)
        assert resp.status_code == 403, url
        assert case.reference not in resp.text and SECRET_SUMMARY not in resp.text, url
    resp = client.post(f"/cases/{case.id}/letters/{letter.id}/correction", data={"csrf_token": csrf})
    assert resp.status_code == 403


def test_other_roles_cannot_use_the_portal(world, factory, open_client):
    for role in ("lado", "manager", "admin"):
        client, csrf = signed_in(open_client, factory.user(role))
        assert client.get("/portal/letters").status_code == 403, role
        assert client.get(f"/portal/letters/{world['mine'].id}").status_code == 403, role
        assert (
            client.post(
                f"/portal/letters/{world['mine'].id}/acknowledge", data={"csrf_token": csrf}
            ).status_code
            == 403
        ), role


def test_acknowledging_records_time_and_user_once_and_the_lado_sees_it(db, world, open_client, lado):
    client, csrf = signed_in(open_client, world["hr_a"])
    letter = world["mine"]
    resp = client.post(f"/portal/letters/{letter.id}/acknowledge", data={"csrf_token": csrf})
    assert resp.status_code == 303 and resp.headers["location"] == f"/portal/letters/{letter.id}"
    ack = db.scalars(select(LetterAcknowledgement)).one()
    assert ack.letter_id == letter.id and ack.user_id == world["hr_a"].id and ack.acknowledged_at is not None
    page = client.get(f"/portal/letters/{letter.id}")
    assert "Acknowledged by Hana Alpha" in page.text and "Acknowledge receipt" not in page.text
    again = client.post(f"/portal/letters/{letter.id}/acknowledge", data={"csrf_token": csrf})
    assert again.status_code == 303
    assert db.scalar(select(func.count()).select_from(LetterAcknowledgement)) == 1
    assert letter.is_final and letter.pdf_sha256  # the letter itself is untouched

    officer, _ = signed_in(open_client, lado.user)
    case_page = officer.get(f"/cases/{world['case_a'].id}/letters")
    assert "Acknowledged by Hana Alpha" in case_page.text
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "letter_acknowledgement")).all()
    assert event.actor_id == world["hr_a"].id and event.case_id == world["case_a"].id


def test_acknowledging_needs_the_csrf_token(db, world, open_client):
    client, csrf = signed_in(open_client, world["hr_a"])
    url = f"/portal/letters/{world['mine'].id}/acknowledge"
    assert client.post(url).status_code == 403
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 403
    assert (
        client.post(url, data={"csrf_token": csrf}, headers={"Origin": "https://evil.example"}).status_code
        == 403
    )
    assert db.scalar(select(func.count()).select_from(LetterAcknowledgement)) == 0


def test_every_read_is_audited(db, world, open_client):
    client, _ = signed_in(open_client, world["hr_a"])
    letter = world["mine"]
    client.get("/portal/letters")
    client.get(f"/portal/letters/{letter.id}")
    client.get(f"/portal/letters/{letter.id}/pdf")
    client.get(f"/portal/letters/{world['theirs'].id}")
    rows = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.actor_id == world["hr_a"].id)
        .where(AuditEvent.verb.in_(("viewed", "exported", "access_denied")))
        .order_by(AuditEvent.id)
    ).all()
    got = [(e.verb, e.object_type, e.object_id) for e in rows]
    assert got == [
        ("viewed", "letter_list", None),
        ("viewed", "letter", str(letter.id)),
        ("exported", "letter", str(letter.id)),
        ("access_denied", "route", f"GET /portal/letters/{world['theirs'].id}"),
    ]
    assert rows[0].details["shown"] == [letter.id]
