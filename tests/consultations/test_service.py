"""Consultations: recording one (the adult may be unnamed and then never reaches the people
index), the annual figures that count it, making it a referral on the same record (received date
kept, clocks from then on), online referrals closed as advice given, and who may see them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.cases import service as cases
from app.cases.models import Case
from app.cases.schemas import CaseCreate, InitialConsideration
from app.clocks.service import add_working_days, case_clocks, first_clocks
from app.consultations import service
from app.consultations.models import Consultation
from app.consultations.schemas import ConsultationConversion, ConsultationCreate
from app.context import Actor
from app.dashboard import service as dashboard
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.forms import validate
from app.people.models import Person, PersonKey
from app.reports.service import annual_report
from tests.consultations.conftest import consultation_data
from tests.helpers import audit_events, user_of_role


def people_index(db) -> tuple[int, int]:
    return db.scalar(select(func.count()).select_from(Person)), db.scalar(
        select(func.count()).select_from(PersonKey)
    )


def row(report, table: str, code: str):
    return next(r for r in report["tables"][table]["rows"] if r["code"] == code)["values"]


def conversion(**overrides) -> ConsultationConversion:
    data = {
        "converted_on": "2026-06-01",
        "subject_first_name": "Robin",
        "subject_last_name": "Convertperson",
        "job_title": "Teaching assistant",
        "summary": "Messages to a pupil late at night.",
    }
    data.update(overrides)
    return validate(ConsultationConversion, data)


class TestRecordConsultation:
    def test_an_unnamed_adult_never_reaches_the_people_index(self, db, lado, consult):
        before = people_index(db)
        case = consult(lado)
        assert case.status == "consultation" and case.person is None and case.person_id is None
        assert people_index(db) == before
        assert case.next_due_on is None and first_clocks(case, evaluation_held_on=None) == []
        consultation = db.get(Consultation, case.id)
        assert consultation is not None and consultation.advice.startswith("Follow the staff code")
        assert case.summary.startswith("A teacher shared") and case.allocated_officer_id == lado.user.id
        created = audit_events(db, "case", "created")[-1]
        assert created.case_id == case.id and created.details["advice"] == consultation.advice

    def test_a_named_adult_is_recorded_and_indexed_for_the_person_check(self, db, lado, consult):
        people, keys = people_index(db)
        case = consult(lado, subject_first_name="Sam", subject_last_name="Namedperson", job_title="Coach")
        assert case.person is not None and case.person.last_name == "Namedperson"
        new_people, new_keys = people_index(db)
        assert new_people == people + 1 and new_keys > keys

    def test_half_a_name_is_refused(self):
        with pytest.raises(ValidationFailed) as exc:
            validate(ConsultationCreate, consultation_data(subject_first_name="Sam"))
        assert "subject_last_name" in exc.value.errors

    def test_the_sector_comes_from_the_employer_or_is_asked_for(self, db, lado, factory, consult):
        org = factory.organisation(sector_code="primary_school")
        case = consult(lado, sector_code="", organisation_id=str(org.id))
        assert case.sector_code == "primary_school" and case.organisation_id == org.id
        count = db.scalar(select(func.count()).select_from(Case))
        with pytest.raises(ValidationFailed) as exc:
            consult(lado, sector_code="")
        assert set(exc.value.errors) == {"sector_code"}
        with pytest.raises(ValidationFailed) as exc:
            consult(lado, primary_category_code="no_such_category")
        assert "primary_category_code" in exc.value.errors
        assert db.scalar(select(func.count()).select_from(Case)) == count

    def test_the_same_submission_twice_records_one(self, db, lado, consult):
        first = consult(lado, submission_key="k" * 20)
        assert consult(lado, submission_key="k" * 20).id == first.id


class TestAnnualFigures:
    def test_a_consultation_counts_in_the_total_source_category_and_quarterly_rate(self, db, lado, consult):
        before = annual_report(db, 2026, date(2026, 12, 1))
        consult(lado, received_on="2026-05-11")
        after = annual_report(db, 2026, date(2026, 12, 1))
        assert row(after, "referrals", "total")[2] == row(before, "referrals", "total")[2] + 1
        assert row(after, "referrals", "nfa") == row(before, "referrals", "nfa")  # no initial consideration
        assert row(after, "source", "secondary_school")[2] == row(before, "source", "secondary_school")[2] + 1
        assert row(after, "category", "conduct")[2] == row(before, "category", "conduct")[2] + 1
        assert row(after, "quarterly", "Q1")[0] == row(before, "quarterly", "Q1")[0] + 1
        assert row(after, "outcome", "continuing") == row(before, "outcome", "continuing")

    def test_once_a_referral_it_is_still_counted_once_in_the_year_it_was_received(self, db, lado, consult):
        case = consult(lado, received_on="2026-05-11")
        counted = annual_report(db, 2026, date(2026, 12, 1))
        consultation = db.get(Consultation, case.id)
        service.convert_to_referral(db, lado, case, consultation, conversion(converted_on="2026-07-06"))
        db.flush()
        again = annual_report(db, 2026, date(2026, 12, 1))
        assert row(again, "referrals", "total") == row(counted, "referrals", "total")
        assert row(again, "quarterly", "Q1") == row(counted, "quarterly", "Q1")


class TestConvertToReferral:
    def test_the_same_record_moves_on_its_received_date_kept_and_clocks_from_then(self, db, lado, consult):
        case = consult(lado, received_on="2026-05-11")
        reference, people = case.reference, people_index(db)[0]
        consultation = db.get(Consultation, case.id)
        service.convert_to_referral(db, lado, case, consultation, conversion(converted_on="2026-06-01"))
        db.flush()
        assert case.reference == reference and case.received_on == date(2026, 5, 11)
        assert case.status == "open" and consultation.converted_on == date(2026, 6, 1)
        assert case.person is not None and case.person.last_name == "Convertperson"
        assert people_index(db)[0] == people + 1
        (clock,) = first_clocks(case, evaluation_held_on=None)
        assert clock.due_on == add_working_days(date(2026, 6, 1), 1) == date(2026, 6, 2)
        assert case.next_due_on == date(2026, 6, 2)
        event = audit_events(db, "case", "status_changed")[-1]
        assert event.details["step"] == "converted_to_referral"
        assert event.details["status"] == {"from": "consultation", "to": "open"}

    def test_the_initial_consideration_and_threshold_clocks_follow(self, db, lado, consult):
        case = consult(lado, received_on="2026-05-11", subject_first_name="Ari", subject_last_name="Named")
        consultation = db.get(Consultation, case.id)
        with pytest.raises(InvalidTransition):  # a consultation takes no initial consideration
            cases.record_initial_consideration(
                db,
                lado,
                case,
                validate(
                    InitialConsideration,
                    {
                        "decision": "nfa",
                        "nfa_kind": "advice_given",
                        "rationale": "x",
                        "decided_on": "2026-05-12",
                    },
                ),
            )
        service.convert_to_referral(
            db, lado, case, consultation, conversion(converted_on="2026-06-01", subject_first_name="")
        )
        assert case.person.first_name == "Ari"  # the named adult is kept
        cases.record_initial_consideration(
            db,
            lado,
            case,
            validate(
                InitialConsideration,
                {
                    "decision": "threshold_met",
                    "harm_limbs": ["harmed"],
                    "rationale": "Met",
                    "decided_on": "2026-06-02",
                },
            ),
        )
        db.flush()
        target = next(c for c in cases_clocks(case) if c.key == "conclusion")
        assert target.due_on == date(2026, 9, 1)  # three months from the conversion, not from receipt

    def test_a_referral_needs_the_adults_name_and_a_date_after_the_consultation(self, db, lado, consult):
        case = consult(lado, received_on="2026-05-11")
        consultation = db.get(Consultation, case.id)
        with pytest.raises(ValidationFailed) as exc:
            service.convert_to_referral(
                db,
                lado,
                case,
                consultation,
                conversion(converted_on="2026-05-10", subject_first_name="", subject_last_name=""),
            )
        assert set(exc.value.errors) == {"converted_on", "subject_first_name", "subject_last_name"}
        assert case.status == "consultation" and consultation.converted_on is None

    def test_it_becomes_a_referral_once(self, db, lado, consult):
        case = consult(lado)
        consultation = db.get(Consultation, case.id)
        service.convert_to_referral(db, lado, case, consultation, conversion())
        with pytest.raises(InvalidTransition):
            service.convert_to_referral(db, lado, case, consultation, conversion())


class TestWhoSeesConsultations:
    def test_hr_liaison_and_administrators_never_see_one(self, db, factory, lado, consult):
        case = consult(lado)
        for role in ("hr_liaison", "admin"):
            other = Actor(user=user_of_role(factory, role), ip="127.0.0.1")
            with pytest.raises(NotFound):
                service.get_consultation(db, other, case.id)
            assert service.repository.recent(db, other, 10) == []

    def test_a_restricted_one_only_its_officers_and_managers(self, db, factory, lado, consult):
        case = consult(lado, restricted=True)
        other = factory.actor("lado")
        manager = factory.actor("manager")
        with pytest.raises(NotFound):
            service.get_consultation(db, other, case.id)
        assert case.id not in [c.id for c in service.repository.recent(db, other, 10)]
        assert service.get_consultation(db, manager, case.id)[0].id == case.id
        assert service.get_consultation(db, lado, case.id)[0].id == case.id

    def test_a_case_that_was_never_a_consultation_is_not_one(self, db, lado, factory):
        case = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data()))
        db.flush()
        with pytest.raises(NotFound):
            service.get_consultation(db, lado, case.id)


def cases_clocks(case):
    return case_clocks(
        case,
        evaluation_held_on=None,
        last_review_on=None,
        target_months=3,
        review_months=1,
        today=date(2026, 6, 3),
    )


class TestDashboard:
    def test_a_converted_consultation_is_due_from_its_conversion_not_its_receipt(self, db, lado, consult):
        case = consult(lado, received_on="2026-05-11")
        consultation = db.get(Consultation, case.id)

        def listed(when: str, today: date) -> bool:
            page = dashboard.case_list(db, lado, "initial_consideration", when, today, 50)
            found = case.id in [c.id for c in page.cases]
            # The figure counts what the list lists (its FILTER reads the conversion another way).
            assert dashboard.counts(db, lado, today)[f"initial_consideration:{when}"] == int(found)
            return found

        assert not listed("overdue", date(2026, 6, 2))  # a consultation has no clock
        service.convert_to_referral(db, lado, case, consultation, conversion(converted_on="2026-06-01"))
        db.flush()
        assert listed("today", date(2026, 6, 2)) and not listed("overdue", date(2026, 6, 2))
        assert listed("overdue", date(2026, 6, 3)) and not listed("today", date(2026, 6, 3))
        assert not listed("today", date(2026, 5, 12))  # due the day after its receipt no longer
