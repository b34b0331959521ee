"""One incident, several adults, through the services: each adult's case of their own, linked as
a group sharing the children and the summary; nothing else shared; the scope respected."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.areas import service as areas
from app.areas.repository import areas_of
from app.areas.schemas import NewCaseAreas
from app.audit.models import AuditEvent
from app.cases import service as cases
from app.cases.chronology import entries
from app.cases.models import Case, CaseStatus
from app.cases.schemas import CaseCreate, CaseDetailsUpdate, InitialConsideration
from app.context import Actor
from app.corrections import service as corrections
from app.corrections.schemas import ChildCorrection, ChildRemoval
from app.errors import Conflict, ValidationFailed
from app.incidents import repository, service
from app.incidents.schemas import AdultForIncident
from app.people.models import Person


def referral(factory, **overrides) -> CaseCreate:
    data = factory.case_data(
        children=[{"initials": "AB", "age": 12, "gender": "female"}, {"initials": "CD", "age": 9}],
        other_adults=[
            {"first_name": "Bo", "last_name": "Secondadult", "job_title": "Teaching assistant"},
            {
                "first_name": "Cy",
                "last_name": "Thirdadult",
                "job_title": "Site manager",
                "date_of_birth": "1970-01-02",
            },
        ],
        **overrides,
    )
    return CaseCreate.model_validate(data)


def group_of(db, case: Case) -> list[Case]:
    return list(db.scalars(select(Case).where(Case.incident_id == case.incident_id).order_by(Case.id)))


def events(db, case: Case, step: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
    return [e for e in db.scalars(stmt) if (e.details or {}).get("step") == step]


def details_update(case: Case, **changes) -> CaseDetailsUpdate:
    data = {
        "received_on": case.received_on,
        "contact_method": case.contact_method,
        "referrer_name": case.referrer_name,
        "sector_code": case.sector_code,
        "job_title": case.job_title,
        "primary_category_code": case.primary_category_code,
        "summary": case.summary,
        "version": case.version,
    }
    return CaseDetailsUpdate.model_validate({**data, **changes})


@pytest.fixture
def three(db, factory, lado) -> list[Case]:
    first = service.open_together(db, lado, referral(factory), NewCaseAreas(work_area="Exampleshire"))
    db.flush()
    return group_of(db, first)


class TestOpenedTogether:
    def test_each_adult_gets_a_case_of_their_own_linked_as_one_incident(self, db, three, lado):
        assert len(three) == 3 and three[0].incident_id is not None
        assert len({c.reference for c in three}) == 3
        names = [(c.person.first_name, c.person.last_name) for c in three]
        assert names[1:] == [("Bo", "Secondadult"), ("Cy", "Thirdadult")]
        assert three[2].person.date_of_birth == date(1970, 1, 2) and three[1].person.date_of_birth is None
        assert [c.job_title for c in three] == ["Teacher", "Teaching assistant", "Site manager"]
        assert len({c.person_id for c in three}) == 3
        for case in three:
            assert case.status == CaseStatus.OPEN.value and case.version == 1
            assert case.allocated_officer_id == lado.user.id
            assert case.summary == three[0].summary and case.organisation_id == three[0].organisation_id
            assert [(c.initials, c.age) for c in case.children] == [("AB", 12), ("CD", 9)]
        # the same child carries one key on every case, and each child its own
        keys = [[c.shared_key for c in case.children] for case in three]
        assert keys[0] == keys[1] == keys[2] and None not in keys[0] and len(set(keys[0])) == 2

    def test_every_case_of_the_group_says_which_cases_came_with_it(self, db, three, lado):
        for case in three:
            [linked] = events(db, case, "incident_linked")
            assert sorted(linked.details["incident_cases"]) == sorted(
                c.reference for c in three if c is not case
            )
            titles = [e.title for e in entries(db, lado, case, [], "oldest")]
            assert any(t.startswith("Same incident as case ") for t in titles), titles

    def test_the_areas_are_recorded_on_each_case(self, db, three):
        assert [areas_of(db, c).work_area for c in three] == ["Exampleshire"] * 3

    def test_the_same_submission_twice_gives_the_first_case_and_makes_no_more(self, db, factory, lado):
        data = referral(factory, submission_key="incident-key-1")
        first = service.open_together(db, lado, data, NewCaseAreas())
        db.flush()
        again = service.open_together(db, lado, data, NewCaseAreas())
        assert again.id == first.id
        assert (
            db.scalar(select(func.count()).select_from(Case).where(Case.incident_id == first.incident_id))
            == 3
        )

    def test_a_problem_with_another_adult_names_their_row(self, db, factory, lado):
        data = referral(factory)
        data.other_adults[1].date_of_birth = date(2026, 6, 1)  # after the date received
        with pytest.raises(ValidationFailed) as caught:
            service.open_together(db, lado, data, NewCaseAreas())
        assert caught.value.errors["other_adults"].startswith(
            "Other adult 2: The adult's date of birth must be before"
        )

    def test_one_adult_makes_no_incident(self, db, factory, lado):
        case = service.open_together(db, lado, CaseCreate.model_validate(factory.case_data()), NewCaseAreas())
        db.flush()
        assert case.incident_id is None and case.children[0].shared_key is None


class TestShared:
    def test_a_changed_summary_is_made_on_every_case_and_audited_on_each(self, db, three, lado):
        first, second, _ = three
        before = second.version
        cases.update_details(db, lado, first, details_update(first, summary="What the employer now reports."))
        db.flush()
        assert [c.summary for c in three] == ["What the employer now reports."] * 3
        assert second.version == before + 1
        [shared] = [
            e
            for e in db.scalars(select(AuditEvent).where(AuditEvent.case_id == second.id))
            if "shared_from" in (e.details or {})
        ]
        assert shared.details["shared_from"] == first.reference
        assert shared.details["summary"]["to"] == "What the employer now reports."

    def test_other_details_are_not_shared(self, db, three, lado):
        first, second, _ = three
        cases.update_details(db, lado, first, details_update(first, job_title="Head of year"))
        db.flush()
        assert second.job_title == "Teaching assistant"

    def test_a_child_added_corrected_and_removed_on_one_case_is_on_all(self, db, three, lado):
        first, second, third = three
        child = corrections.add_child(
            db,
            lado,
            second,
            ChildCorrection(initials="ef", age=7, reason="Named later", version=second.version),
        )
        db.flush()
        assert [[c.initials for c in case.children] for case in three] == [["AB", "CD", "EF"]] * 3
        copy = third.children[-1]
        assert copy.shared_key == child.shared_key and copy.id != child.id
        corrections.correct_child(
            db,
            lado,
            third,
            copy,
            ChildCorrection(
                initials="EF", age=8, gender="male", reason="Age corrected", version=third.version
            ),
        )
        db.flush()
        assert [(case.children[-1].age, case.children[-1].gender) for case in three] == [(8, "male")] * 3
        corrections.remove_child(
            db, lado, first, first.children[0], ChildRemoval(reason="Not involved", version=first.version)
        )
        db.flush()
        assert [[c.initials for c in case.children] for case in three] == [["CD", "EF"]] * 3
        removed = events(db, second, "child_removed")
        assert removed and removed[-1].details["shared_from"] == first.reference

    def test_closing_one_case_leaves_the_others_open(self, db, three, lado):
        first, second, third = three
        decision = InitialConsideration(
            decision="nfa", nfa_kind="advice_given", rationale="Advice given.", decided_on=date(2026, 5, 12)
        )
        cases.record_initial_consideration(db, lado, first, decision)
        db.flush()
        assert first.status != CaseStatus.OPEN.value
        assert second.status == third.status == CaseStatus.OPEN.value
        assert second.decision is None


class TestScope:
    def test_a_case_the_officer_may_not_see_is_neither_listed_nor_changed(self, db, factory, three, lado):
        first, second, third = three
        keeper = factory.user("lado", name="Kay Keeper")
        third.restricted = True
        third.officers = [keeper]
        db.flush()
        stranger = factory.actor("lado", name="Sam Stranger")
        assert [c.id for c in repository.others_of(db, stranger, first)] == [second.id]
        assert repository.size_of(db, first.incident_id) == 3
        cases.update_details(
            db, stranger, first, details_update(first, summary="Changed by another officer.")
        )
        corrections.add_child(
            db, stranger, first, ChildCorrection(initials="GH", reason="r", version=first.version)
        )
        db.flush()
        assert second.summary == "Changed by another officer." and len(second.children) == 3
        assert third.summary != "Changed by another officer." and len(third.children) == 2
        keeper_actor = Actor(user=keeper, ip="127.0.0.1")
        assert {c.id for c in repository.others_of(db, keeper_actor, third)} == {first.id, second.id}

    def test_an_hr_liaison_sees_no_case_of_the_group(self, db, factory, three):
        hr = factory.actor("hr_liaison", organisations=[three[0].organisation.name])
        assert repository.others_of(db, hr, three[0]) == []


class TestAddAdult:
    def test_another_adult_of_a_case_gets_a_case_made_from_it(self, db, factory, lado):
        case = areas.open_case(
            db,
            lado,
            CaseCreate.model_validate(factory.case_data(secondary_category_codes=["emotional"])),
            NewCaseAreas(work_area="Exampleshire", home_area="Othershire", non_recent=True),
        )
        db.flush()
        version = case.version
        new = service.add_adult(
            db,
            lado,
            case,
            AdultForIncident(
                first_name="Dee", last_name="Splitadult", job_title="Cover supervisor", version=version
            ),
        )
        db.flush()
        assert new.id != case.id and new.incident_id == case.incident_id is not None
        assert case.version == version + 1  # the first case now belongs to an incident
        assert (new.person.first_name, new.person.last_name) == ("Dee", "Splitadult")
        for field in (
            "received_on",
            "referrer_name",
            "organisation_id",
            "sector_code",
            "primary_category_code",
            "summary",
            "restricted",
        ):
            assert getattr(new, field) == getattr(case, field), field
        assert [c.code for c in new.secondary_categories] == ["emotional"]
        assert [c.shared_key for c in new.children] == [c.shared_key for c in case.children] != [None]
        copied = areas_of(db, new)
        assert (copied.work_area, copied.home_area, copied.non_recent) == ("Exampleshire", "", True)
        assert [c.id for c in repository.others_of(db, lado, case)] == [new.id]
        assert events(db, case, "incident_linked")[-1].details["incident_cases"] == [new.reference]
        assert events(db, new, "incident_linked")[-1].details["incident_cases"] == [case.reference]
        # a third adult joins the same incident, and every case lists the other two
        third = service.add_adult(
            db,
            lado,
            new,
            AdultForIncident(first_name="Eve", last_name="Thirdsplit", job_title="Cook", version=new.version),
        )
        db.flush()
        assert third.incident_id == case.incident_id
        assert {c.id for c in repository.others_of(db, lado, case)} == {new.id, third.id}

    def test_whoever_works_a_restricted_case_can_see_the_new_one(self, db, factory, lado):
        case = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data(restricted=True)))
        co_worker = factory.user("lado", name="Cole Worker")
        case.officers.append(co_worker)
        db.flush()
        new = service.add_adult(
            db,
            lado,
            case,
            AdultForIncident(
                first_name="Fay", last_name="Restricted", job_title="Nurse", version=case.version
            ),
        )
        db.flush()
        assert new.restricted and co_worker in new.officers and new.allocated_officer_id == lado.user.id
        assert new.id in {c.id for c in repository.others_of(db, Actor(user=co_worker, ip="127.0.0.1"), case)}

    def test_a_stale_version_is_a_conflict_and_makes_nothing(self, db, factory, lado):
        case = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data()))
        db.flush()
        people = db.scalar(select(func.count()).select_from(Person))
        with pytest.raises(Conflict):
            service.add_adult(
                db,
                lado,
                case,
                AdultForIncident(first_name="G", last_name="H", job_title="J", version=case.version - 1),
            )
        assert db.scalar(select(func.count()).select_from(Person)) == people and case.incident_id is None
