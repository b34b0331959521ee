"""The person check on a real database: matches, confirmation, dismissal, the person's cases,
list flags, and the scope (a restricted case of another officer is never matched or counted)."""

from datetime import date

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEvent
from app.cases.models import Allegation
from app.errors import Conflict, NotFound, ValidationFailed
from app.people import service
from app.people.keys import person_keys
from app.people.models import Person, PersonKey
from app.people.names import sound
from tests.people.support import adult, open_case


def names(matches):
    return [m.case.reference for m in matches]


class TestMatches:
    def test_earlier_case_with_another_spelling_is_found_with_its_details(self, db, factory, lado):
        earlier = open_case(db, factory, lado, **adult("Alex", "Testperson"), received_on="2024-03-01")
        db.add(
            Allegation(
                case_id=earlier.id,
                description="x",
                category_code="physical",
                outcome_code="substantiated",
                outcome_on=date(2024, 6, 1),
            )
        )
        db.flush()
        new = open_case(db, factory, lado, **adult("Alex", "Tesstperson", None))
        check = service.check_case(db, lado, new)
        assert [m.case.id for m in check.matches] == [earlier.id]
        match = check.matches[0]
        assert match.score.band == "weak" and match.score.reasons == (
            "same first name",
            "surname sounds the same",
            "date of birth not known for both",
        )
        assert match.outcomes == ["Substantiated"]
        assert match.case.organisation.name and match.case.received_on == date(2024, 3, 1)
        db.commit()  # a view is audited as its transaction commits (app.orm.at_commit)
        event = db.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "person_check").order_by(AuditEvent.id)
        ).all()[-1]
        assert event.case_id == new.id and event.details["shown"] == [earlier.reference]

    def test_names_swapped_and_unrelated_people(self, db, factory, lado):
        swapped = open_case(db, factory, lado, **adult("Testperson", "Alex", None))
        open_case(db, factory, lado, **adult("Sam", "Brown"))
        found = service.check_names(db, lado, "Alex", "Testperson", None)
        assert names(found) == [swapped.reference]

    def test_another_date_of_birth_is_weak_and_not_shown_for_a_name_several_carry(self, db, factory, lado):
        one = open_case(db, factory, lado, **adult("Alex", "Testperson", "1990-01-01"))
        [match] = service.check_names(db, lado, "Alex", "Testperson", date(1985, 2, 14))
        assert match.case.id == one.id and match.score.band == "weak"
        assert "different date of birth" in match.score.reasons
        open_case(db, factory, lado, **adult("Alex", "Testperson", "1970-07-07"))
        assert service.check_names(db, lado, "Alex", "Testperson", date(1985, 2, 14)) == []

    def test_people_written_around_the_orm_are_keyed_before_matching(self, db, factory, lado):
        old = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        db.execute(text("DELETE FROM person_keys WHERE person_id = :id"), {"id": old.person_id})
        db.execute(
            text("UPDATE people SET first_key = NULL, last_key = NULL WHERE id = :id"), {"id": old.person_id}
        )
        db.expire_all()
        assert names(service.check_names(db, lado, "Alex", "Testpersonn", None)) == [old.reference]
        assert db.get(Person, old.person_id).last_key == sound("Testperson")
        stored = set(db.scalars(select(PersonKey.key).where(PersonKey.person_id == old.person_id)))
        assert stored == person_keys("Alex", "Testperson", date(1985, 2, 14))

    def test_keys_follow_a_change_of_name_or_date_of_birth(self, db, factory, lado):
        case = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        person = db.get(Person, case.person_id)
        person.last_name, person.date_of_birth = "Otherperson", date(1990, 6, 1)
        db.flush()
        stored = set(db.scalars(select(PersonKey.key).where(PersonKey.person_id == person.id)))
        assert stored == person_keys("Alex", "Otherperson", date(1990, 6, 1))
        assert person.last_key == sound("Otherperson")
        assert names(service.check_names(db, lado, "Alex", "Otherpersen", None)) == [case.reference]


class TestConfirmAndDismiss:
    def test_confirm_links_the_cases_to_one_person_and_is_audited(self, db, factory, lado):
        earlier = open_case(db, factory, lado, **adult("Alex", "Testperson", None))
        new = open_case(db, factory, lado, **adult("Alex", "Tesstperson"))
        old_person = new.person_id
        person = service.confirm_match(db, lado, new, earlier.id)
        assert new.person_id == earlier.person_id == person.id
        assert person.date_of_birth == date(1985, 2, 14)  # filled from the new case, it was unknown
        check = service.check_case(db, lado, new)
        assert [c.id for c in check.linked] == [earlier.id] and check.matches == []
        event = db.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.case_id == new.id, AuditEvent.verb == "updated", AuditEvent.object_type == "case"
            )
            .order_by(AuditEvent.id)
        ).all()[-1]
        assert event.details["step"] == "person_match_confirmed"
        assert event.details["person_id"] == {"from": old_person, "to": person.id}

    def test_confirming_twice_is_a_conflict_and_unlink_undoes_it(self, db, factory, lado):
        earlier = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        new = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        service.confirm_match(db, lado, new, earlier.id)
        with pytest.raises(Conflict):
            service.confirm_match(db, lado, new, earlier.id)
        service.unlink(db, lado, new)
        assert new.person_id != earlier.person_id
        assert [m.case.id for m in service.check_case(db, lado, new).matches] == [earlier.id]
        with pytest.raises(Conflict):
            service.unlink(db, lado, new)

    def test_a_case_cannot_be_matched_with_itself(self, db, factory, lado):
        case = open_case(db, factory, lado)
        with pytest.raises(ValidationFailed):
            service.confirm_match(db, lado, case, case.id)

    def test_dismissed_pairs_are_not_offered_again_either_way(self, db, factory, lado):
        a = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        b = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        service.dismiss_match(db, lado, b, a.id)
        service.dismiss_match(db, lado, b, a.id)  # idempotent
        assert service.check_case(db, lado, b).matches == []
        assert service.check_case(db, lado, a).matches == []
        assert a.person_id != b.person_id  # nothing merged
        events = db.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "person_match_dismissal")
        ).all()
        assert {e.case_id for e in events} == {a.id, b.id}

    def test_list_flags(self, db, factory, lado):
        a = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        b = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        c = open_case(db, factory, lado, **adult("Sam", "Brown"))
        flags = service.list_flags(db, lado, [a, b, c])
        assert flags == {a.id: "Possible earlier case", b.id: "Possible earlier case"}
        service.confirm_match(db, lado, b, a.id)
        assert service.list_flags(db, lado, [a, b, c]) == {
            a.id: "2 cases about this adult",
            b.id: "2 cases about this adult",
        }


class TestScope:
    """A restricted case of another officer is never matched, counted, linked or shown."""

    def test_restricted_case_of_another_officer_is_invisible_to_the_check(self, db, factory, lado):
        owner = factory.actor("lado")
        hidden = open_case(db, factory, owner, **adult("Alex", "Testperson"), restricted=True)
        mine = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        assert service.check_case(db, lado, mine).matches == []
        assert names(service.check_names(db, lado, "Alex", "Testperson", None)) == [mine.reference]
        assert service.list_flags(db, lado, [mine]) == {}
        with pytest.raises(NotFound):
            service.confirm_match(db, lado, mine, hidden.id)
        with pytest.raises(NotFound):
            service.dismiss_match(db, lado, mine, hidden.id)
        with pytest.raises(NotFound):
            service.person_cases(db, lado, hidden.person_id)
        # the officer named on it, and a manager, do see the match
        assert [m.case.id for m in service.check_case(db, owner, hidden).matches] == [mine.id]
        manager = factory.actor("manager")
        assert set(names(service.check_names(db, manager, "Alex", "Testperson", None))) == {
            hidden.reference,
            mine.reference,
        }

    def test_person_page_lists_only_visible_cases(self, db, factory, lado):
        owner = factory.actor("lado")
        mine = open_case(db, factory, lado, **adult("Alex", "Testperson"))
        hidden = open_case(db, factory, owner, **adult("Alex", "Testperson"), restricted=True)
        service.confirm_match(db, owner, hidden, mine.id)
        _person, cases = service.person_cases(db, lado, mine.person_id)
        assert [c.id for c in cases] == [mine.id]
        assert service.list_flags(db, lado, [mine]) == {}
        _, owners = service.person_cases(db, owner, mine.person_id)
        assert {c.id for c in owners} == {mine.id, hidden.id}
