"""The case's chronology (app/cases/chronology.py, app/audit/presenters.py `describe`) over the
audit rows the services really write: every verb and object type recorded on a case reads as a
sentence with labels, names, dates and Yes/No, never a code, an id, None or a Python list; the
readings of the case are left out; each kind filters in SQL exactly as the rows are classified."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.audit.models import AuditEvent, ObjectType, Verb
from app.audit.presenters import describe
from app.audit.service import changes, record
from app.audit.wording import Field as Spec
from app.audit.wording import Names, organisation_names, value_text, when
from app.cases import chronology, outcomes, service
from app.cases import schemas as s
from app.cases.models import Case
from app.context import Actor
from app.forms import validate
from app.imports.service import import_bytes, importing_actor
from app.intake import service as intake_service
from app.letters import portal
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import DraftEdit, Finalise
from app.meetings import service as meetings
from app.meetings.schemas import ActionForm
from app.people import service as people
from tests.imports.sample import csv_text
from tests.intake.support import referral
from tests.letters.conftest import Journey
from tests.meetings.test_service import meeting_form

#: What no entry may show: Python's None, lists and booleans, snake_case codes, ids, JSON.
RAW = re.compile(r"None|True|False|\[|\]|\{|\}|_id\b|_code\b|\b[a-z]+_[a-z_]+\b|organisation id")


def text_of(entry: chronology.Entry) -> str:
    return " ".join([entry.title, entry.by] + [f"{x.label} {x.before or ''} {x.value}" for x in entry.lines])


@pytest.fixture
def officer(factory) -> Actor:
    return factory.actor("lado", name="Olive Officer")


@pytest.fixture
def story(db, factory, officer):
    """One case taken through everything a case records, each step by its service."""
    journey = Journey(db, factory, officer)
    employer = journey.employer("Northfield Academy")
    hr = journey.hr_user(employer, name="Harriet Liaison")
    data = factory.case_data(
        organisation_id=employer.id, organisation_name="", job_title="Teacher", restricted=True
    )
    case = service.open_case(db, officer, s.CaseCreate.model_validate(data))
    service.view_case(db, officer, case.id)  # a reading: left out
    service.record_initial_consideration(
        db,
        officer,
        case,
        s.InitialConsideration(
            harm_limbs=["harmed", "risk"],
            decision="threshold_met",
            rationale="Synthetic rationale.",
            decided_on=date(2026, 5, 12),
        ),
    )
    allegation = outcomes.add_allegation(
        db, officer, case, s.AllegationCreate(description="Pushed a pupil.", category_code="physical")
    )
    service.add_note(db, officer, case, s.NoteCreate(body="Spoke to the head teacher."))
    meeting = meetings.record_meeting(db, officer, case, meeting_form(held_on="2026-05-13"))
    meetings.list_meetings(db, officer, case)  # a reading: left out
    meetings.update_meeting(
        db, officer, case, meeting, meeting_form(held_on="2026-05-13", decisions="Police to investigate now.")
    )
    action = meetings.add_action(
        db,
        officer,
        case,
        validate(
            ActionForm,
            {
                "description": "Send the suspension letter",
                "owner_user_id": str(officer.user.id),
                "due_on": "2026-05-20",
            },
        ),
    )
    meetings.update_action(
        db,
        officer,
        case,
        action,
        validate(
            ActionForm,
            {
                "description": "Send the suspension letter",
                "owner_user_id": str(officer.user.id),
                "due_on": "2026-05-22",
            },
        ),
    )
    meetings.mark_done(db, officer, case, action, date(2026, 5, 21))
    outcomes.record_outcome(
        db,
        officer,
        case,
        allegation,
        s.OutcomeRecord(outcome_code="substantiated", outcome_on=date(2026, 6, 1), version=case.version),
    )
    referral_row = outcomes.add_referral(
        db, officer, case, s.ReferralCreate(regulator_code="dbs", status="recommended")
    )
    outcomes.update_referral(
        db,
        officer,
        case,
        referral_row,
        s.ReferralUpdate(regulator_code="dbs", status="made", made_on=date(2026, 6, 2), reference="DBS-1"),
    )
    outcomes.set_disposals(db, officer, case, s.DisposalsUpdate(disposal_codes=["written_warning"]))
    service.update_details(
        db,
        officer,
        case,
        s.CaseDetailsUpdate.model_validate({**data, "job_title": "Head of year", "version": case.version}),
    )
    letter = letters.create_draft(db, officer, case, LetterKind.EMPLOYER_OUTCOME)
    letters.update_draft(
        db,
        officer,
        case,
        letter,
        DraftEdit(body=letter.body + "\nA sentence added.", contact_id=letter.contact_id),
    )
    letters.regenerate(db, officer, case, letter, None)
    letters.finalise(db, officer, case, letter, Finalise(checked_against_case=True))
    letters.export_letter(db, officer, case, letter.id, "pdf")  # a reading: left out
    correction = letters.start_correction(db, officer, case, letter)
    letters.discard_draft(db, officer, case, correction)
    hr_actor = Actor(user=hr, ip="127.0.0.1")
    portal.open_letter(db, hr_actor, letter.id)  # a reading: left out
    portal.acknowledge(db, hr_actor, letter.id)
    outcomes.conclude_case(
        db,
        officer,
        case,
        s.Conclusion(training_needs=True, concluded_on=date(2026, 6, 3), version=case.version),
    )
    outcomes.reopen_case(
        db, officer, case, s.Reopen(reason="New information from the police.", version=case.version)
    )
    db.flush()
    return case


def titles(db, actor, case, kinds=(), order="oldest") -> list[str]:
    return [e.title for e in chronology.entries(db, actor, case, list(kinds), order)]


class TestWhatHappened:
    def test_every_step_reads_as_a_sentence_in_order(self, db, officer, story):
        assert titles(db, officer, story) == [
            "Case opened",
            "Initial consideration recorded: threshold met",
            "Allegation added",
            "Note added",
            "Meeting recorded: evaluation or strategy meeting on 13 May 2026",
            "Meeting changed: evaluation or strategy meeting on 13 May 2026",
            "Action added",
            "Action changed: due from 20 May 2026 to 22 May 2026",
            "Action done on 21 May 2026: Send the suspension letter",
            "Outcome recorded: substantiated",
            "Referral to Disclosure and Barring Service (DBS) recorded: recommended",
            "Referral to Disclosure and Barring Service (DBS) changed: "
            "status, date made, regulator's reference",
            "Employer's disposals recorded: Written warning",
            "Case details changed: job title from Teacher to Head of year",
            "Letter drafted: outcome letter to the employer, version 1",
            "Letter draft changed: outcome letter to the employer, version 1 (text)",
            "Letter draft made again from the template: outcome letter to the employer, version 1",
            "Letter finalised: outcome letter to the employer, version 1",
            "Correction started: outcome letter to the employer, version 2",
            "Draft letter deleted: outcome letter to the employer, version 2",
            "Letter acknowledged: outcome letter to the employer, version 1",
            "Case concluded",
            "Retention review date set: 14 February 2052",  # app/retention: the adult's pension age
            "Case re-opened",
            "Retention review date cleared",
        ]

    def test_by_whom_and_when(self, db, officer, story):
        entries = chronology.entries(db, officer, story, [], "oldest")
        assert {e.by for e in entries} == {"Olive Officer", "Harriet Liaison"}
        assert next(e for e in entries if e.title.startswith("Letter acknowledged")).by == "Harriet Liaison"
        first = entries[0]
        assert first.when == when(first.at) and re.fullmatch(
            r"\d{1,2} \w+ \d{4} at \d{1,2}:\d{2}[ap]m", first.when
        )
        assert first.iso.startswith(first.at.date().isoformat())

    def test_values_are_labels_names_dates_and_yes_no(self, db, officer, story):
        entries = {e.title: e for e in chronology.entries(db, officer, story, [], "oldest")}
        opened = {x.label: x.value for x in entries["Case opened"].lines}
        assert opened["Employer"] == "Northfield Academy"
        assert opened["Sector"] == "Secondary Schools" or "School" in opened["Sector"]
        assert opened["Primary category"] == "Physical"
        assert opened["Restricted"] == "Yes" and opened["Date received"] == "11 May 2026"
        assert opened["How the contact was made"] == "Telephone"
        assert opened["Adult"].startswith("Alex Testperson")
        assert "Decision" not in opened  # nothing recorded yet: blank fields are left out of a new case
        decision = {x.label: x.value for x in entries["Initial consideration recorded: threshold met"].lines}
        assert decision["Harm test"].startswith("Harmed or may have harmed a child, Behaved towards a child")
        assert (
            decision["Rationale"] == "Synthetic rationale." and decision["Date of decision"] == "12 May 2026"
        )
        assert decision["Stage"] == "Threshold met"
        meeting = {
            x.label: x.value
            for x in entries[next(t for t in entries if t.startswith("Meeting recorded"))].lines
        }
        assert meeting["Held"] == "13 May 2026 at 10:30am"
        assert (
            meeting["Police investigation"] == "Agreed or under way"
            and meeting["Suspension considered"] == "Yes"
        )
        assert "Sam Police (Police, DS) - did not attend" in meeting["Attendees"]
        added = {x.label: x.value for x in entries["Action added"].lines}
        assert added == {
            "Action": "Send the suspension letter",
            "Owner": "Olive Officer",
            "Due": "20 May 2026",
        }
        outcome = {x.label: x.value for x in entries["Outcome recorded: substantiated"].lines}
        assert (
            outcome["Allegation"] == "Physical: Pushed a pupil."
            and outcome["Date of outcome"] == "1 June 2026"
        )
        finalised = {
            x.label: x.value
            for x in entries["Letter finalised: outcome letter to the employer, version 1"].lines
        }
        assert finalised == {"Sent to": "jo.liaison@school.example.test"}
        reopened = {x.label: (x.before, x.value) for x in entries["Case re-opened"].lines}
        assert reopened["Reason"] == (None, "New information from the police.")
        assert reopened["Stage"] == ("Concluded", "Threshold met")
        assert reopened["Training needs identified"] == ("Yes", "blank")
        note = entries["Note added"].lines
        assert [(x.label, x.value) for x in note] == [("Note", "Spoke to the head teacher.")]

    def test_nothing_raw_and_no_readings(self, db, officer, story):
        entries = chronology.entries(db, officer, story, [], "oldest")
        for entry in entries:
            assert not RAW.search(text_of(entry)), text_of(entry)
            assert "viewed" not in entry.title.lower() and "downloaded" not in entry.title.lower()
        events = db.query(AuditEvent).filter(AuditEvent.case_id == story.id).all()
        readings = [e for e in events if e.verb in ("viewed", "exported")]
        assert len(readings) >= 4  # they are in the audit, only not in the chronology
        assert len(entries) == len(events) - len(readings)

    def test_a_value_the_title_says_is_not_repeated(self, db, officer, story):
        entries = {e.title: e for e in chronology.entries(db, officer, story, [], "oldest")}
        assert entries["Action changed: due from 20 May 2026 to 22 May 2026"].lines[0].label == "Action"
        assert [x.label for x in entries["Action changed: due from 20 May 2026 to 22 May 2026"].lines] == [
            "Action"
        ]


class TestKinds:
    def test_each_kind_filters_in_sql_as_the_rows_are_classified(self, db, officer, story):
        everything = chronology.entries(db, officer, story, [], "oldest")
        kinds = {e.kind for e in everything}
        assert kinds == {"details", "decisions", "meetings", "referrals", "letters", "notes", "retention"}
        for key, _label in chronology.KINDS:
            only = chronology.entries(db, officer, story, [key], "oldest")
            assert [e.title for e in only] == [e.title for e in everything if e.kind == key], key
        two = titles(db, officer, story, ["notes", "referrals"])
        assert two[0] == "Note added" and len(two) == 3

    def test_the_kinds_of_the_case_steps(self, db, officer, story):
        kind = {e.title: e.kind for e in chronology.entries(db, officer, story, [], "oldest")}
        assert kind["Case opened"] == "details"
        assert kind["Initial consideration recorded: threshold met"] == "decisions"
        assert kind["Employer's disposals recorded: Written warning"] == "decisions"
        assert kind["Case concluded"] == kind["Case re-opened"] == kind["Allegation added"] == "decisions"
        assert kind["Action added"] == "meetings" and kind["Note added"] == "notes"
        assert kind["Letter acknowledged: outcome letter to the employer, version 1"] == "letters"

    def test_newest_first(self, db, officer, story):
        assert titles(db, officer, story, order="newest") == list(reversed(titles(db, officer, story)))

    def test_unknown_kinds_and_orders_are_ignored(self):
        assert chronology.chosen_kinds(["notes", "<script>", "details", "notes"]) == ["details", "notes"]
        assert (
            chronology.chosen_order("sideways") == "newest" and chronology.chosen_order("oldest") == "oldest"
        )

    def test_only_for_a_reader_of_the_case(self, db, factory, officer, story):
        # the story's case is restricted: another officer reads nothing of it, a manager all of it
        assert titles(db, factory.actor("lado"), story) == []
        assert titles(db, factory.actor("manager"), story) == titles(db, officer, story)


class TestOtherSteps:
    def test_no_further_action_and_an_import(self, db, factory, officer):
        case = service.open_case(db, officer, s.CaseCreate.model_validate(factory.case_data()))
        service.record_initial_consideration(
            db,
            officer,
            case,
            s.InitialConsideration(
                harm_limbs=[],
                decision="nfa",
                nfa_kind="advice_given",
                rationale="Advice.",
                decided_on=date(2026, 5, 12),
            ),
        )
        assert titles(db, officer, case)[-2:] == [
            "Initial consideration recorded: no further action (advice given)",
            "Retention review date set: 14 February 2052",  # the adult's pension age
        ]
        importer = importing_actor(db)
        row = {
            "reference": "IMP-CHRON-1",
            "received_date": "2019-05-10",
            "sector": "police",
            "category": "other",
            "initial_decision": "nfa",
            "concluded_date": "2019-05-12",
            "employer": "Synthetic Constabulary",
        }
        import_bytes(db, importer, csv_text([row]).encode(), source_name="old-system.csv")
        imported = db.query(Case).filter(Case.reference == "IMP-CHRON-1").one()
        [entry] = chronology.entries(db, officer, imported, [], "oldest")
        assert entry.title == "Case imported" and entry.kind == "details"
        assert [(x.label, x.value) for x in entry.lines] == [
            ("Case reference", "IMP-CHRON-1"),
            ("Line of the import file", "2"),
        ]
        assert not RAW.search(text_of(entry))

    def test_the_person_check(self, db, factory, officer):
        def case_about(last: str, dob: str | None = "1985-02-14") -> Case:
            data = factory.case_data(subject_last_name=last, subject_date_of_birth=dob)
            return service.open_case(db, officer, s.CaseCreate.model_validate(data))

        earlier, later, stranger = case_about("Oldfield", None), case_about("Oldfeild"), case_about("Oldfeld")
        people.confirm_match(db, officer, later, earlier.id)
        people.check_case(db, officer, later)  # a reading: left out
        people.unlink(db, officer, later)
        people.dismiss_match(db, officer, later, stranger.id)
        db.flush()
        entries = chronology.entries(db, officer, later, [], "oldest")
        assert [(e.title, e.kind) for e in entries] == [
            ("Case opened", "details"),
            ("Adult's details changed: date of birth from blank to 14 February 1985", "person"),
            (f"Linked to the same adult in case {earlier.reference}", "person"),
            ("Adult unlinked from their other cases", "person"),
            (f"Person check: not the same adult as in case {stranger.reference}", "person"),
        ]
        linked = {x.label: x.value for x in entries[2].lines}
        assert linked == {"Recorded as": "Alex Oldfeild", "Now recorded as": "Alex Oldfield"}
        assert [e.title for e in chronology.entries(db, officer, later, ["person"], "oldest")] == [
            e.title for e in entries[1:]
        ]
        for entry in entries:
            assert not RAW.search(text_of(entry)), text_of(entry)

    def test_a_case_recorded_from_an_online_referral(self, db, factory, officer):
        intake = intake_service.submit(db, "203.0.113.9", referral())
        values = {**intake_service.case_values(intake), "primary_category_code": "physical", "children": []}
        values.pop("child_initials"), values.pop("child_age"), values.pop("child_gender")
        case = intake_service.open_case_from(db, officer, intake, values)
        entries = chronology.entries(db, officer, case, [], "oldest")
        assert [e.title for e in entries] == [
            "Case opened",
            f"Recorded from an online referral: {intake.reference}",
        ]
        assert entries[1].kind == "details"
        assert {x.label: x.value for x in entries[1].lines}["Case"] == case.reference
        opened = {x.label: x.value for x in entries[0].lines}
        assert opened["How the contact was made"] == "Online referral"

    def test_an_employer_changed_reads_as_names(self, db, factory, officer):
        """No step changes the employer yet (it is chosen when the case is opened); the words for
        it are ready, over a row written the way every change is (audit.service.changes)."""
        north, south = factory.organisation("Northfield Academy"), factory.organisation("Southside School")
        case = service.open_case(
            db,
            officer,
            s.CaseCreate.model_validate(factory.case_data(organisation_id=north.id, organisation_name="")),
        )
        event = record(
            db,
            officer,
            Verb.UPDATED,
            ObjectType.CASE,
            case.id,
            case_id=case.id,
            details=changes(
                {"organisation_id": north.id, "summary": None}, {"organisation_id": south.id, "summary": ""}
            ),
        )
        names = Names(organisations=organisation_names(db, {north.id, south.id}))
        assert (
            describe(event, names).title
            == "Case details changed: employer from Northfield Academy to Southside School"
        )


class TestValues:
    @pytest.mark.parametrize(
        ("kind", "value", "expected"),
        [
            ("text", None, "blank"),
            ("text", "", "blank"),
            ("bool", True, "Yes"),
            ("bool", False, "No"),
            ("date", "2026-12-01", "1 December 2026"),
            ("datetime", "2026-12-01T14:05:00+00:00", "1 December 2026 at 2:05pm"),
            ("datetime", "2026-07-01T09:00:00+00:00", "1 July 2026 at 10:00am"),
            ("codes:categories", ["emotional", "sexual"], "Emotional, Sexual"),
            ("codes:categories", [], "none"),
            ("codes:harm_limbs", "harmed;offence", "Harmed or may have harmed a child, Possibly committed"),
            ("code:decision", "threshold_met", "Threshold met"),
            ("id:organisations", 999999, "not known"),
        ],
    )
    def test_in_words(self, kind, value, expected):
        names = Names(codes={"categories": {"emotional": "Emotional", "sexual": "Sexual"}})
        assert value_text(Spec("X", kind), value, names).startswith(expected)
