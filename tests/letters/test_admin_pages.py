"""The administrator's letter pages: templates refused on save with the line, letter settings,
HR liaison contacts (one primary; a linked account must be an HR liaison of the organisation) and
the choice to attach the PDF. Only administrators reach them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.letters import letterhead
from app.letters.models import LetterTemplate
from app.organisations.models import OrganisationContact
from tests.letters.conftest import signed_in
from tests.letters.test_migration import WORDING


@pytest.fixture
def admin_browser(open_client, factory):
    return signed_in(open_client, factory.user("admin", name="Ada Admin"))


def test_templates_list_and_edit_page(admin_browser):
    client, _ = admin_browser
    page = client.get("/admin/letter-templates")
    assert page.status_code == 200
    assert "Outcome letter to the employer" in page.text and "Letter to the adult concerned" in page.text
    edit = client.get("/admin/letter-templates/employer_outcome")
    assert (
        edit.status_code == 200 and "Preview with a sample letter" in edit.text and "recipient" in edit.text
    )
    assert client.get("/admin/letter-templates/nothing").status_code == 404


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Dear {{ recipient.name }},\n\n{% for a in allegations %}\n{{ a.outcome }}\n", "Line 4:"),
        ("Dear {{ recipient.name }},\n{{ ''.__class__.__mro__ }}", "Line 2:"),
        ("Dear {{ recipient.name }},\n{{ children }}", "Line 2: &#34;children&#34; is not a letter field"),
    ],
)
def test_a_bad_template_is_refused_on_save_with_the_line(db, admin_browser, body, expected):
    client, csrf = admin_browser
    before = db.get(LetterTemplate, "employer_outcome").body
    resp = client.post(
        "/admin/letter-templates/employer_outcome",
        data={"name": "Outcome letter", "body": body, "csrf_token": csrf},
    )
    assert resp.status_code == 422
    assert "The template cannot be saved." in resp.text and expected in resp.text
    db.expire_all()
    assert db.get(LetterTemplate, "employer_outcome").body == before


def test_a_good_template_is_saved(db, admin_browser):
    client, csrf = admin_browser
    resp = client.post(
        "/admin/letter-templates/adult",
        data={
            "name": "Letter to the adult",
            "body": "Dear {{ adult.name }},\n\nReference {{ reference }}.",
            "csrf_token": csrf,
        },
    )
    assert resp.status_code == 303
    db.expire_all()
    assert db.get(LetterTemplate, "adult").body == "Dear {{ adult.name }},\n\nReference {{ reference }}."


def test_letter_settings(db, admin_browser):
    client, csrf = admin_browser
    assert client.get("/admin/letter-settings").status_code == 200
    bad = client.post(
        "/admin/letter-settings",
        data={"letterhead": "X", "letters_lado_email": "not-an-address", "csrf_token": csrf},
    )
    assert bad.status_code == 422 and "Enter an e-mail address in the correct format" in bad.text
    ok = client.post(
        "/admin/letter-settings",
        data={
            "letterhead": "Example Borough Council\nTown Hall",
            "letters_lado_phone": "01632 960555",
            "letters_lado_email": "lado@council.example.test",
            "csrf_token": csrf,
        },
    )
    assert ok.status_code == 303
    assert letterhead.letterhead_lines(db) == ["Example Borough Council", "Town Hall"]
    assert letterhead.lado_contact(db) == {"phone": "01632 960555", "email": "lado@council.example.test"}


def test_contacts_one_primary_and_linked_accounts_of_the_organisation_only(
    db, factory, journey, admin_browser
):
    client, csrf = admin_browser
    org = journey.employer(contact=False)
    other_org = journey.employer(contact=False)
    member = journey.hr_user(org, name="Hana Member")
    outsider = journey.hr_user(other_org)
    base = f"/admin/organisations/{org.id}/contacts"
    assert client.get(base).status_code == 200 and client.get(base + "/new").status_code == 200

    first = client.post(
        base + "/new", data={"name": "Pat First", "email": "pat@school.example.test", "csrf_token": csrf}
    )
    assert first.status_code == 303
    second = client.post(
        base + "/new",
        data={
            "name": "Kim Second",
            "email": "kim@school.example.test",
            "is_primary": "yes",
            "user_id": str(member.id),
            "csrf_token": csrf,
        },
    )
    assert second.status_code == 303
    db.expire_all()
    rows = {
        c.name: c
        for c in db.scalars(select(OrganisationContact).where(OrganisationContact.organisation_id == org.id))
    }
    assert rows["Kim Second"].is_primary and not rows["Pat First"].is_primary  # the only primary moved
    assert rows["Kim Second"].user_id == member.id

    refused = client.post(
        base + f"/{rows['Pat First'].id}/edit",
        data={
            "name": "Pat First",
            "email": "pat@school.example.test",
            "user_id": str(outsider.id),
            "csrf_token": csrf,
        },
    )
    assert refused.status_code == 422 and "Choose an HR liaison account that belongs to" in refused.text
    bad_email = client.post(base + "/new", data={"name": "X", "email": "nope", "csrf_token": csrf})
    assert bad_email.status_code == 422

    page = client.get(base)
    assert "Kim Second" in page.text and "Primary" in page.text
    # Another organisation's contact by its id: not found.
    assert (
        client.get(f"/admin/organisations/{other_org.id}/contacts/{rows['Pat First'].id}/edit").status_code
        == 404
    )
    removed = client.post(base + f"/{rows['Pat First'].id}/delete", data={"csrf_token": csrf})
    assert removed.status_code == 303
    db.expire_all()
    assert db.get(OrganisationContact, rows["Pat First"].id) is None
    verbs = [
        e.verb
        for e in db.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "organisation_contact").order_by(AuditEvent.id)
        )
    ]
    assert verbs == ["created", "created", "deleted"]


def test_attaching_the_pdf_is_off_until_chosen(db, journey, admin_browser):
    client, csrf = admin_browser
    org = journey.employer()
    assert org.email_attach_pdf is False
    resp = client.post(
        f"/admin/organisations/{org.id}/letter-delivery", data={"email_attach_pdf": "yes", "csrf_token": csrf}
    )
    assert resp.status_code == 303
    db.refresh(org)
    assert org.email_attach_pdf is True


def test_only_administrators(db, factory, journey, open_client):
    org = journey.employer()
    for role, kwargs in (("lado", {}), ("manager", {}), ("hr_liaison", {"organisations": [org.name]})):
        client, csrf = signed_in(open_client, factory.user(role, **kwargs))
        for url in (
            "/admin/letter-templates",
            "/admin/letter-templates/employer_outcome",
            "/admin/letter-settings",
            f"/admin/organisations/{org.id}/contacts",
        ):
            assert client.get(url).status_code == 403, (role, url)
        resp = client.post(
            "/admin/letter-templates/employer_outcome", data={"name": "x", "body": "x", "csrf_token": csrf}
        )
        assert resp.status_code == 403


def test_admin_forms_need_the_csrf_token(db, journey, admin_browser):
    client, _ = admin_browser
    org = journey.employer()
    contact = org.contacts[0]
    db.commit()  # a refused request rolls back the session: keep the set-up
    for path, data in (
        ("/admin/letter-templates/adult", {"name": "x", "body": "Forged"}),
        ("/admin/letter-settings", {"letterhead": "Forged"}),
        (f"/admin/organisations/{org.id}/contacts/new", {"name": "F", "email": "f@x.example"}),
        (f"/admin/organisations/{org.id}/contacts/{contact.id}/edit", {"name": "F", "email": "f@x.example"}),
        (f"/admin/organisations/{org.id}/contacts/{contact.id}/delete", {}),
        (f"/admin/organisations/{org.id}/letter-delivery", {"email_attach_pdf": "yes"}),
    ):
        assert client.post(path, data=data).status_code == 403, path
    db.expire_all()
    assert db.get(LetterTemplate, "adult").body != "Forged"
    assert [c.name for c in db.get(type(org), org.id).contacts] == ["Jo Liaison"]
    assert db.get(type(org), org.id).email_attach_pdf is False


def test_a_template_flagged_for_review_shows_the_warning_until_saved_again(db, admin_browser):
    """What migration 0016 leaves on an edited template: the warning on the templates page and the
    template's own page; saving the template, even unchanged, marks it as checked."""
    client, csrf = admin_browser
    template = db.get(LetterTemplate, "adult")
    template.review_reason = WORDING.REVIEW_REASON
    db.flush()
    page = client.get("/admin/letter-templates")
    assert "govuk-warning-text" in page.text and "Needs checking" in page.text
    assert "Letter to the adult concerned needs checking. Keeping children safe in education" in page.text
    edit = client.get("/admin/letter-templates/adult")
    assert "govuk-warning-text" in edit.text and "Saving the template marks it as checked." in edit.text
    resp = client.post(
        "/admin/letter-templates/adult",
        data={"name": template.name, "body": template.body, "csrf_token": csrf},
    )
    assert resp.status_code == 303
    db.expire_all()
    assert db.get(LetterTemplate, "adult").review_reason is None
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "letter_template")).all()
    assert event.details["changes"]["review_reason"] == {"from": WORDING.REVIEW_REASON, "to": None}
    page = client.get("/admin/letter-templates")
    assert "govuk-warning-text" not in page.text and "Needs checking" not in page.text
