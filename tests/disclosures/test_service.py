"""The sharing log through its service on a real database: a disclosure needs its lawful basis,
is audited on the case, and a letter delivered to the employer appears without retyping."""

from __future__ import annotations

import pytest

from app.audit.models import ObjectType, Verb
from app.cases import chronology
from app.clock import LONDON, utcnow
from app.disclosures import service
from app.disclosures.presenters import log_entries
from app.disclosures.schemas import DisclosureCreate
from app.errors import ValidationFailed
from app.forms import validate
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.outbox.worker import deliver_due
from app.reference.models import LawfulBasis
from tests.disclosures.conftest import DISCLOSURE
from tests.helpers import audit_events


def test_the_lawful_bases_are_seeded_with_stable_codes(db):
    codes = {b.code for b in db.query(LawfulBasis).all()}
    assert {
        "public_task",
        "legal_obligation",
        "safeguarding_children",
        "criminal_offence_data",
        "consent",
    } <= codes


def test_a_disclosure_is_logged_with_its_lawful_basis_and_audited(db, journey, lado):
    case = journey.case()
    row = service.record_disclosure(db, lado, case, validate(DisclosureCreate, DISCLOSURE))
    [entry] = log_entries(db, case)
    assert entry.source == "recorded" and entry.id == row.id
    assert entry.agency == "Police" and entry.recipient_name == "DS Pat Example"
    assert entry.method_label == "Secure e-mail" and entry.lawful_basis.startswith("UK GDPR Article 9(2)(g)")
    (event,) = audit_events(db, ObjectType.DISCLOSURE, Verb.CREATED)
    assert event.case_id == case.id and event.details["lawful_basis_code"] == "safeguarding_children"
    [shown] = chronology.entries(db, lado, case, ["sharing"], "oldest")
    assert shown.title == "Disclosure to another agency recorded"
    lines = {line.label: line.value for line in shown.lines}
    assert lines["How it was shared"] == "Secure e-mail" and lines["Lawful basis"].startswith(
        "UK GDPR Article 9"
    )


def test_the_lawful_basis_is_required(db, journey, lado):
    with pytest.raises(ValidationFailed) as exc:
        validate(DisclosureCreate, {**DISCLOSURE, "lawful_basis_code": ""})
    assert exc.value.errors == {"lawful_basis_code": "Select the lawful basis"}


def test_an_inactive_or_unknown_basis_and_a_date_before_the_case_are_refused(db, journey, lado):
    case = journey.case()
    db.get(LawfulBasis, "consent").active = False
    data = {**DISCLOSURE, "lawful_basis_code": "consent", "agency_code": "nowhere", "shared_on": "2026-01-01"}
    with pytest.raises(ValidationFailed) as exc:
        service.record_disclosure(db, lado, case, validate(DisclosureCreate, data))
    assert set(exc.value.errors) == {"lawful_basis_code", "agency_code", "shared_on"}
    assert log_entries(db, case) == []


def test_a_delivered_letter_appears_in_the_log_from_its_delivery_record(
    db, journey, lado, smtp_server, mail_settings
):
    case = journey.case()
    letter = letters.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    letters.finalise(db, lado, case, letter, Finalise())
    assert log_entries(db, case) == []  # queued, not yet sent
    deliver_due(db, utcnow(), settings=mail_settings)
    db.refresh(letter)
    [entry] = log_entries(db, case)
    assert entry.source == "letter" and entry.letter_id == letter.id
    assert entry.agency_name == case.organisation.name and entry.recipient_name == "Jo Liaison"
    assert entry.method == "portal" and entry.lawful_basis_code == "public_task"
    assert entry.shared_on == letter.delivery.sent_at.astimezone(LONDON).date()
    assert entry.notes == "Not acknowledged yet"
