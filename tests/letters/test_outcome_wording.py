"""What the seeded templates tell the employer and the adult about records and references, outcome
by outcome (KCSIE Part 4): a summary of a substantiated, unsubstantiated or unfounded allegation
stays on the personnel file until pension age (or 10 years); the details of a false or malicious
one are removed unless the adult consents to their being kept; only a substantiated allegation
goes into employment references."""

from __future__ import annotations

import pytest

from app.context import Actor
from app.letters import service
from app.letters.models import LetterKind
from app.reference import service as reference
from app.reference.schemas import ReferenceItemCreate

REFERENCE_RULE = (
    "Only substantiated allegations are included in references; allegations found to be "
    "unsubstantiated, unfounded, false or malicious, and a history of such allegations, are not."
)


def employer_sentences(name: str, label: str) -> dict[str, str]:
    return {
        "kept": (
            f"Keep a clear and comprehensive summary of the allegation, how it was followed up and "
            f"resolved, any action taken and the decisions reached on {name}'s confidential personnel "
            f"file, and give them a copy. Keep this record until {name} reaches normal pension age, or "
            "for 10 years from the date of the allegation if that is longer."
        ),
        "removed": (
            f"Remove the details of the allegation found to be {label} from {name}'s personnel "
            f"records, unless {name} consents to their being kept."
        ),
        "included": f"Include the allegation in any employment reference you give for {name}. "
        + REFERENCE_RULE,
        "excluded": f"Do not refer to the allegation in any employment reference for {name}. "
        + REFERENCE_RULE,
    }


def adult_sentences(label: str) -> dict[str, str]:
    return {
        "kept": (
            "Your employer will keep a summary of the allegation and how it was resolved on your "
            "confidential personnel file until you reach normal pension age, or for 10 years from the "
            "date of the allegation if that is longer, and should give you a copy."
        ),
        "removed": (
            f"Your employer has been asked to remove the details of the allegation found to be {label} "
            "from your personnel records, unless you consent to their being kept."
        ),
        "included": (
            "The allegation will be included in any employment reference your employer gives for you. "
            "Only substantiated allegations are included in references."
        ),
        "excluded": (
            "The allegation must not be referred to in any employment reference for you. "
            "Only substantiated allegations are included in references."
        ),
    }


#: Each KCSIE outcome: is its summary kept on file (or its details removed), is it in references.
OUTCOMES = [
    ("substantiated", "kept", "included"),
    ("unsubstantiated", "kept", "excluded"),
    ("unfounded", "kept", "excluded"),
    ("false", "removed", "excluded"),
    ("malicious", "removed", "excluded"),
]


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n")]


@pytest.mark.parametrize(("code", "record", "references"), OUTCOMES)
def test_each_outcome_tells_the_employer_and_the_adult_what_is_kept_and_referred_to(
    db, journey, lado, code, record, references
):
    case = journey.case(outcomes=(code,))
    name = case.person.full_name
    employer = paragraphs(service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME).body)
    adult = paragraphs(service.create_draft(db, lado, case, LetterKind.ADULT).body)
    for letter, sentences in ((employer, employer_sentences(name, code)), (adult, adult_sentences(code))):
        assert sentences[record] in letter and sentences[references] in letter
        others = {"kept": "removed", "removed": "kept", "included": "excluded", "excluded": "included"}
        assert sentences[others[record]] not in letter and sentences[others[references]] not in letter
        if record == "removed":
            assert not [p for p in letter if "pension age" in p]


def test_a_false_allegation_is_no_longer_kept_until_pension_age(db, journey, lado):
    """The error the seeded text made: it kept a summary of every allegation but a malicious one."""
    case = journey.case(outcomes=("false",))
    body = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME).body
    assert "pension age" not in body.split("## What you should now do")[1]
    assert "Remove the details of the allegation found to be false from" in body


def test_several_outcomes_name_each_group_by_its_outcomes(db, journey, lado):
    case = journey.case(outcomes=("substantiated", "false", "unfounded", "malicious"))
    name = case.person.full_name
    employer = paragraphs(service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME).body)
    assert (
        f"Keep a clear and comprehensive summary of the allegations found to be substantiated or "
        f"unfounded, how they were followed up and resolved, any action taken and the decisions reached "
        f"on {name}'s confidential personnel file, and give them a copy. Keep this record until {name} "
        "reaches normal pension age, or for 10 years from the date of the allegation if that is longer."
    ) in employer
    assert (
        f"Remove the details of the allegations found to be false or malicious from {name}'s personnel "
        f"records, unless {name} consents to their being kept."
    ) in employer
    assert (
        f"Include the allegation found to be substantiated in any employment reference you give for "
        f"{name}. Do not refer to the allegations found to be false, unfounded or malicious in any "
        f"employment reference for {name}. {REFERENCE_RULE}"
    ) in employer
    adult = paragraphs(service.create_draft(db, lado, case, LetterKind.ADULT).body)
    assert (
        "The allegation found to be substantiated will be included in any employment reference your "
        "employer gives for you. The allegations found to be false, unfounded or malicious must not be "
        "referred to in any employment reference for you. Only substantiated allegations are included "
        "in references."
    ) in adult
    assert (
        "Your employer has been asked to remove the details of the allegations found to be false or "
        "malicious from your personnel records, unless you consent to their being kept."
    ) in adult


def test_an_allegation_without_an_outcome_gets_no_instruction_yet(db, journey, lado):
    """A draft made before every outcome is recorded (it cannot be finalised until they are)."""
    case = journey.case(outcomes=(None,), conclude=False)
    body = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME).body
    assert "personnel" not in body and "employment reference" not in body


def test_an_outcome_an_administrator_added_is_left_to_the_lado(db, journey, lado):
    reference.create_item(
        db,
        Actor(user=None, via="test"),
        "outcomes",
        ReferenceItemCreate(
            code="withdrawn",
            label="Withdrawn",
            display_order=90,
            active=True,
            definition="The referrer withdrew the allegation.",
        ),
    )
    case = journey.case(outcomes=("withdrawn",))
    name = case.person.full_name
    employer = paragraphs(service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME).body)
    assert (
        f"Please contact me before deciding what to keep on {name}'s personnel file about the "
        "allegation found to be withdrawn."
    ) in employer
    assert (
        f"Do not refer to the allegation in any employment reference for {name}. {REFERENCE_RULE}" in employer
    )
    assert not [p for p in employer if "pension age" in p or p.startswith("Remove the details")]
