"""The finalised PDF: tagged (PDF/UA), A4, the letterhead from the settings, and the letter's facts
(reference, the adult, each outcome with its KCSIE definition, what the employer must do)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.context import Actor
from app.letters import letterhead, service
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.reference.models import Outcome


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def outcome_letter(db, journey, lado):
    letterhead.save(
        db,
        Actor(user=None, via="test"),
        {"letterhead": "Example Borough Council\nTown Hall\nEx1 1EX", "letters_lado_phone": "01632 960123"},
    )
    case = journey.case(outcomes=("substantiated", "malicious", "unfounded"))
    letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    service.finalise(db, lado, case, letter, Finalise())
    return case, letter


def test_states_the_reference_the_adult_and_each_outcome_with_its_definition(db, outcome_letter):
    case, letter = outcome_letter
    text = text_of(letter.pdf)
    assert case.reference in text
    assert f"{case.person.full_name}, Teaching assistant" in text
    for code in ("substantiated", "malicious", "unfounded"):
        outcome = db.get(Outcome, code)
        assert f"Outcome: {outcome.label}. {outcome.definition}" in text
    for n in (1, 2, 3):
        assert f"Allegation {n} (Physical): Synthetic allegation number {n}" in text


def test_states_what_the_employer_must_now_do(outcome_letter):
    _case, letter = outcome_letter
    text = text_of(letter.pdf)
    assert "Training needs were identified" in text
    assert (
        "Keep a clear and comprehensive summary of the allegations found to be substantiated or unfounded"
        in text
    )
    assert "until" in text and "normal pension age, or for 10 years" in text
    assert "Remove the details of the allegation found to be malicious from" in text
    assert "Include the allegation found to be substantiated in any employment reference" in text
    assert "Do not refer to the allegations found to be malicious or unfounded in any employment" in text
    assert "section 35 of the Safeguarding Vulnerable Groups Act 2006" in text
    assert "If you have removed" in text  # the DBS duty is stated conditionally
    assert "Disclosure and Barring Service (DBS): made on 2 June 2026 (their reference DBS-SYN-1)" in text
    assert "Teaching Regulation Agency (TRA): recommended" in text
    assert "Lee Officer" in text and "Telephone: 01632 960123" in text


def test_letterhead_from_the_settings_and_version(outcome_letter):
    case, letter = outcome_letter
    text = text_of(letter.pdf)
    assert text.startswith("Example Borough Council Town Hall Ex1 1EX")
    assert f"{case.reference} · Outcome letter to the employer · version 1" in text


def test_is_a_tagged_a4_pdf(outcome_letter):
    _case, letter = outcome_letter
    reader = PdfReader(io.BytesIO(letter.pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean, equal to True, not True)
    assert catalog["/Lang"] in ("en-GB", "en")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert reader.metadata.title.startswith("Outcome letter to the employer")


def test_no_dbs_paragraph_when_the_harm_test_was_not_met(db, journey, lado):
    case = journey.case(dbs=False)
    case.decision = "nfa"  # as if the threshold had not been met (the letter reads only this flag)
    letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    assert "Safeguarding Vulnerable Groups Act" not in letter.body
    assert "Referrals to regulators" not in letter.body


def test_a_correction_says_which_version_it_replaces(db, lado, outcome_letter):
    case, first = outcome_letter
    correction = service.start_correction(db, lado, case, first)
    service.finalise(db, lado, case, correction, Finalise())
    text = text_of(correction.pdf)
    assert "This is version 2. It corrects and replaces version 1" in text
    assert correction.pdf_sha256 != first.pdf_sha256


def test_letter_text_is_escaped_not_markup(db, journey, lado):
    case = journey.case()
    letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    from app.letters.schemas import DraftEdit

    service.update_draft(
        db,
        lado,
        case,
        letter,
        DraftEdit(body='<img src="http://127.0.0.1:9/x"> <b>bold</b> & co', contact_id=letter.contact_id),
    )
    service.finalise(db, lado, case, letter, Finalise())
    assert '<img src="http://127.0.0.1:9/x"> <b>bold</b> & co' in text_of(letter.pdf)
