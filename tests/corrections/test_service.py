"""Corrections through the services: before and after in the audit, the person check run again,
letters drafted afterwards with the corrected facts, nothing changed on bad input."""

from __future__ import annotations

from datetime import date

import pytest

from app.audit.models import AuditEvent
from app.cases import service as cases
from app.cases.chronology import entries
from app.cases.schemas import CaseCreate
from app.corrections import service
from app.corrections.schemas import (
    AdultCorrection,
    ChildCorrection,
    ChildRemoval,
    EmployerCorrection,
    ReferrerCorrection,
)
from app.errors import Conflict, Implausible, ValidationFailed
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.people import service as people
from tests.helpers import audit_events
from tests.letters.conftest import Journey


def open_case(db, actor, factory, **overrides):
    case = cases.open_case(db, actor, CaseCreate.model_validate(factory.case_data(**overrides)))
    db.flush()
    return case


def adult(case, **changes) -> AdultCorrection:
    person = case.person
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "job_title": case.job_title,
        "reason": "The employer sent the adult's details again",
        "version": case.version,
    }
    return AdultCorrection.model_validate({**data, **changes})


def last_correction(db) -> AuditEvent:
    return [e for e in audit_events(db, "case", "updated") if (e.details or {}).get("step")][-1]


class TestCorrectAdult:
    def test_name_and_date_of_birth_are_corrected_with_before_and_after(self, db, factory, lado):
        case = open_case(db, lado, factory, subject_last_name="Smyth-Corr")
        version = case.version
        service.correct_adult(
            db, lado, case, adult(case, last_name="Smith-Corr", date_of_birth=date(1984, 2, 14))
        )
        assert case.person.last_name == "Smith-Corr" and case.person.date_of_birth == date(1984, 2, 14)
        assert case.version > version
        event = last_correction(db)
        assert event.details["step"] == "corrected_adult"
        assert event.details["reason"] == "The employer sent the adult's details again"
        assert event.details["last_name"] == {"from": "Smyth-Corr", "to": "Smith-Corr"}
        assert event.details["date_of_birth"] == {"from": "1985-02-14", "to": "1984-02-14"}
        assert "job_title" not in event.details
        chronology = entries(db, lado, case, ["corrections"], "newest")
        assert [e.title for e in chronology] == [
            "Adult's details corrected: last name from Smyth-Corr to Smith-Corr; "
            "date of birth from 14 February 1985 to 14 February 1984"
        ]

    def test_a_corrected_name_runs_the_person_check_again(self, db, factory, lado):
        earlier = open_case(db, lado, factory, subject_first_name="Jordan", subject_last_name="Quillfeather")
        case = open_case(
            db,
            lado,
            factory,
            subject_first_name="Morgan",
            subject_last_name="Pennyworth",
            subject_date_of_birth="1990-07-07",
        )
        assert people.check_case(db, lado, case).matches == []
        corrected = adult(
            case, first_name="Jordan", last_name="Quillfeather", date_of_birth=date(1985, 2, 14)
        )
        result = service.correct_adult(db, lado, case, corrected)
        assert result.check is not None
        assert [m.case.id for m in result.check.matches] == [earlier.id]

    def test_a_job_title_alone_does_not_run_the_check(self, db, factory, lado):
        case = open_case(db, lado, factory)
        result = service.correct_adult(db, lado, case, adult(case, job_title="Head of year"))
        assert result.check is None and case.job_title == "Head of year"

    def test_an_adult_linked_to_other_cases_gets_a_person_of_their_own(self, db, factory, lado):
        first = open_case(db, lado, factory, subject_first_name="Robin", subject_last_name="Linkedcase")
        second = open_case(db, lado, factory, subject_first_name="Robin", subject_last_name="Linkedcase")
        people.confirm_match(db, lado, second, first.id)
        assert second.person_id == first.person_id
        shared = first.person_id
        result = service.correct_adult(db, lado, second, adult(second, first_name="Robyn"))
        assert first.person_id == shared and first.person.first_name == "Robin"  # untouched
        assert second.person_id != shared and second.person.full_name == "Robyn Linkedcase"
        assert last_correction(db).details["person_id"] == {"from": shared, "to": second.person_id}
        assert [m.case.id for m in result.check.matches] == [first.id]  # offered again

    def test_nothing_changed_is_refused(self, db, factory, lado):
        case = open_case(db, lado, factory)
        with pytest.raises(ValidationFailed) as exc:
            service.correct_adult(db, lado, case, adult(case))
        assert "first_name" in exc.value.errors

    def test_a_stale_version_is_a_conflict_and_changes_nothing(self, db, factory, lado):
        case = open_case(db, lado, factory)
        name = case.person.last_name
        with pytest.raises(Conflict):
            service.correct_adult(db, lado, case, adult(case, last_name="Other", version=case.version - 1))
        assert case.person.last_name == name

    def test_an_implausible_age_is_questioned_then_confirmed_and_recorded(self, db, factory, lado):
        case = open_case(db, lado, factory)
        young = adult(case, date_of_birth=date(2014, 1, 1))
        with pytest.raises(Implausible) as exc:
            service.correct_adult(db, lado, case, young)
        assert set(exc.value.errors) == {"date_of_birth", "confirm_implausible"}
        assert "would have been 12" in exc.value.errors["date_of_birth"]
        assert case.person.date_of_birth == date(1985, 2, 14)
        confirmed = young.model_copy(update={"confirm_implausible": True})
        service.correct_adult(db, lado, case, confirmed)
        assert case.person.date_of_birth == date(2014, 1, 1)
        assert "would have been 12" in last_correction(db).details["confirmed_implausible"]
        service.correct_adult(db, lado, case, adult(case, job_title="Coach"))  # not asked again
        assert case.job_title == "Coach"

    def test_born_after_the_date_received_is_refused_even_when_confirmed(self, db, factory, lado):
        case = open_case(db, lado, factory)
        data = adult(case, date_of_birth=date(2026, 5, 20), confirm_implausible=True)
        with pytest.raises(ValidationFailed) as exc:
            service.correct_adult(db, lado, case, data)
        assert not isinstance(exc.value, Implausible)
        assert "before the date received" in exc.value.errors["date_of_birth"]


class TestLetters:
    def test_a_draft_after_a_correction_has_the_new_name_and_a_final_letter_keeps_the_old(
        self, db, factory, lado
    ):
        journey = Journey(db, factory, lado)
        case = journey.case(subject_last_name="Oldname")
        final = letters.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
        letters.finalise(db, lado, case, final, Finalise())
        assert "Sam Oldname" in final.body
        final_body, final_pdf = final.body, final.pdf_sha256
        adult_letter = letters.create_draft(db, lado, case, LetterKind.ADULT)
        service.correct_adult(db, lado, case, adult(case, last_name="Newname"))
        db.flush()
        assert letters.is_stale(case, adult_letter)  # the draft made before says it is out of date
        corrected = letters.start_correction(db, lado, case, final)
        assert "Sam Newname" in corrected.body and "Oldname" not in corrected.body
        db.refresh(final)
        assert (final.body, final.pdf_sha256) == (final_body, final_pdf)
        letters.discard_draft(db, lado, case, adult_letter)
        assert "Sam Newname" in letters.create_draft(db, lado, case, LetterKind.ADULT).body


class TestOtherCorrections:
    def test_employer_picked_from_the_list(self, db, factory, lado):
        case = open_case(db, lado, factory)
        before = case.organisation_id
        other = factory.organisation("Synthetic Corrected Primary", sector_code="primary_school")
        service.correct_employer(
            db,
            lado,
            case,
            EmployerCorrection(organisation_id=other.id, reason="Wrong school chosen", version=case.version),
        )
        assert case.organisation_id == other.id and case.sector_code == "primary_school"
        details = last_correction(db).details
        assert details["organisation_id"] == {"from": before, "to": other.id}
        assert details["sector_code"] == {"from": "secondary_school", "to": "primary_school"}

    def test_employer_picked_and_typed_is_questioned(self, db, factory, lado):
        case = open_case(db, lado, factory)
        before = case.organisation_id
        other = factory.organisation("Synthetic Picked Primary")
        data = EmployerCorrection(
            organisation_id=other.id,
            organisation_name="Synthetic Typed Academy",
            reason="Wrong school",
            version=case.version,
        )
        with pytest.raises(Implausible) as exc:
            service.correct_employer(db, lado, case, data)
        assert "organisation_name" in exc.value.errors and case.organisation_id == before
        service.correct_employer(db, lado, case, data.model_copy(update={"confirm_implausible": True}))
        assert case.organisation_id == other.id  # the one picked is kept
        assert "Synthetic Typed Academy" in last_correction(db).details["confirmed_implausible"]

    def test_a_new_employer_typed(self, db, factory, lado):
        case = open_case(db, lado, factory)
        service.correct_employer(
            db,
            lado,
            case,
            EmployerCorrection(
                organisation_name="Synthetic New Nursery", sector_code="early_years", reason="r"
            ),
        )
        assert case.organisation.name == "Synthetic New Nursery" and case.sector_code == "early_years"

    def test_referrer(self, db, factory, lado):
        case = open_case(db, lado, factory)
        service.correct_referrer(
            db,
            lado,
            case,
            ReferrerCorrection(
                referrer_name="Dana Corrected",
                referrer_organisation=case.referrer_organisation,
                referrer_role="Headteacher",
                referrer_phone=case.referrer_phone,
                referrer_email=case.referrer_email,
                reason="Misheard on the phone",
            ),
        )
        details = last_correction(db).details
        assert case.referrer_name == "Dana Corrected" and details["referrer_role"]["to"] == "Headteacher"
        assert set(details) == {"step", "reason", "referrer_name", "referrer_role"}

    def test_children_added_corrected_and_removed(self, db, factory, lado):
        case = open_case(db, lado, factory)
        (first,) = case.children
        child = service.add_child(
            db, lado, case, ChildCorrection(initials="cd", age=9, gender="male", reason="Left out")
        )
        assert [c.initials for c in case.children] == ["AB", "CD"]
        service.correct_child(
            db, lado, case, child, ChildCorrection(initials="CD", age=10, gender="male", reason="Age wrong")
        )
        assert child.age == 10 and last_correction(db).details["age"] == {"from": 9, "to": 10}
        service.remove_child(db, lado, case, first, ChildRemoval(reason="Not involved after all"))
        db.flush()
        assert [c.initials for c in case.children] == ["CD"]
        removed = last_correction(db).details
        assert removed["step"] == "child_removed" and removed["initials"] == "AB" and removed["age"] == 12
        titles = [e.title for e in entries(db, lado, case, ["corrections"], "oldest")]
        assert titles[0].startswith("Child added") and titles[-1].startswith("Child removed")
        assert titles[1] == "Child's details corrected: age from 9 to 10"
