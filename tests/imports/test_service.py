"""The import service on a real database: what a clean file writes, and how each bad input is
refused with a `line N, column C: ...` message while nothing at all is written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.cases.models import Case
from app.imports import service
from app.imports.schemas import COLUMNS, ImportRejected, reporting_year_label
from app.imports.service import import_bytes, import_csv
from app.reference.models import Sector
from app.settings import repository as settings_repository
from tests.imports.conftest import row_counts
from tests.imports.sample import csv_text

GOOD = [
    {
        "reference": "A-1",
        "received_date": "2019-04-01",
        "sector": "primary_school",
        "category": "physical",
        "initial_decision": "threshold_met",
        "outcomes": "substantiated;unfounded",
        "training_needs": "yes",
        "disposals": "dismissed;written_warning",
        "dbs_referral": "made",
        "concluded_date": "2019-06-01",
        "subject_first_name": "Alex",
        "subject_last_name": "Testperson",
        "subject_date_of_birth": "1980-01-01",
        "job_title": "Teacher",
        "employer": "Synthetic Primary School",
        "summary": "Synthetic, with a comma\nand a line break",
    },
    {
        "reference": "A-2",
        "received_date": "2019-03-31",
        "sector": "health",
        "category": "sexual",
        "initial_decision": "nfa",
    },
    {
        "reference": "A-3",
        "received_date": "2020-01-15",
        "sector": "primary_school",
        "category": "conduct",
        "initial_decision": "threshold_met",
        "dbs_referral": "recommended",
        "training_needs": "no",
        "subject_last_name": "Onlysurname",
        "employer": "  synthetic   PRIMARY school ",
    },
    {
        "reference": "A-4",
        "received_date": "2019-05-10",
        "sector": "police",
        "category": "other",
        "initial_decision": "nfa",
        "concluded_date": "2019-05-12",
        "employer": "Existing Synthetic Constabulary",
    },
    {
        "reference": "A-5",
        "received_date": "2019-07-01",
        "sector": "health",
        "category": "emotional",
        "initial_decision": "threshold_met",
        "concluded_date": "2019-09-01",
        "outcomes": "malicious",
        "dbs_referral": "none",
    },
]


def run(db, actor, text: str | bytes, **kwargs):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_bytes(db, actor, data, **kwargs)


def rejected(db, actor, text: str | bytes) -> list[str]:
    before = row_counts(db)
    with pytest.raises(ImportRejected) as info:
        run(db, actor, text)
    assert row_counts(db) == before, "a rejected import must write nothing"
    return info.value.problems


def bad(**cells) -> str:
    """A file whose one case (line 2) is the first good row with `cells` changed."""
    return csv_text([{**GOOD[0], **cells}])


class _HeaderOnly(io.BytesIO):
    """A file that counts the lines read from it and fails the test on reading past the header."""

    lines_read = 0

    def __next__(self) -> bytes:
        self.lines_read += 1
        assert self.lines_read <= 1, "the import read a data row after a wrong header"
        return super().__next__()


@pytest.fixture
def admin(factory):
    return factory.actor("admin")


class TestCleanFile:
    def test_imports_full_cases(self, db, admin, factory, tmp_path):
        existing = factory.organisation("Existing Synthetic Constabulary", sector_code="police")
        path = tmp_path / "cases.csv"
        path.write_text(csv_text(GOOD), encoding="utf-8")
        before = row_counts(db)

        result = import_csv(db, admin, path)

        assert result.imported == 5
        assert result.by_year == {"2018-19": 1, "2019-20": 4}
        assert result.by_calendar_year == {"2019": 4, "2020": 1}
        after = row_counts(db)
        assert after["cases"] - before["cases"] == 5
        assert after["people"] - before["people"] == 2  # only rows that name the subject
        assert after["organisations"] - before["organisations"] == 1  # one new, one matched by name
        assert after["allegations"] - before["allegations"] == 3
        assert after["case_disposals"] - before["case_disposals"] == 2
        assert after["regulator_referrals"] - before["regulator_referrals"] == 2
        assert after["audit_events"] - before["audit_events"] == 6  # one per case and one for the import

        cases = {c.reference: c for c in db.scalars(select(Case).where(Case.reference.like("A-%")))}
        a1, a2, a3, a4, a5 = (cases[f"A-{n}"] for n in range(1, 6))
        assert (a1.status, a1.decision, a1.decided_on, a1.concluded_on) == (
            "concluded",
            "threshold_met",
            date(2019, 4, 1),
            date(2019, 6, 1),
        )
        assert a1.training_needs is True and a1.job_title == "Teacher"
        assert a1.summary == "Synthetic, with a comma\nand a line break"
        assert (a1.person.first_name, a1.person.last_name, a1.person.date_of_birth) == (
            "Alex",
            "Testperson",
            date(1980, 1, 1),
        )
        assert a1.created_by_id == admin.user.id
        assert [(a.description, a.outcome_code, a.category_code, a.outcome_on) for a in a1.allegations] == [
            ("Imported allegation 1", "substantiated", "physical", date(2019, 6, 1)),
            ("Imported allegation 2", "unfounded", "physical", date(2019, 6, 1)),
        ]
        assert sorted(d.code for d in a1.disposals) == ["dismissed", "written_warning"]
        assert [(r.regulator_code, r.status, r.made_on) for r in a1.referrals] == [
            ("dbs", "made", date(2019, 6, 1))
        ]

        assert (a2.status, a2.concluded_on, a2.person_id, a2.organisation_id) == (
            "nfa",
            date(2019, 3, 31),
            None,
            None,
        )
        assert a2.training_needs is False and a2.allegations == []
        assert (a3.status, a3.concluded_on) == ("threshold_met", None)
        assert (a3.person.first_name, a3.person.last_name) == ("", "Onlysurname")
        assert a3.organisation_id == a1.organisation_id
        assert a1.organisation.name == "Synthetic Primary School"
        assert a1.organisation.sector_code == "primary_school"
        assert [(r.status, r.recommended_on) for r in a3.referrals] == [("recommended", date(2020, 1, 15))]
        assert (a4.status, a4.concluded_on, a4.organisation_id) == ("nfa", date(2019, 5, 12), existing.id)
        assert (a5.status, [a.outcome_code for a in a5.allegations], a5.referrals) == (
            "concluded",
            ["malicious"],
            [],
        )

        events = db.scalars(
            select(AuditEvent).where(AuditEvent.verb == "imported", AuditEvent.object_type == "case")
        ).all()
        assert sorted(e.case_id for e in events) == sorted(c.id for c in cases.values())
        assert all(e.object_id == str(e.case_id) and e.actor_id == admin.user.id for e in events)
        summary = db.get(AuditEvent, result.audit_event_id)
        assert summary.object_type == "import" and summary.actor_id == admin.user.id
        assert summary.details["cases"] == 5 and summary.details["source"] == "cases.csv"
        assert {e.details["import"] for e in events} == {summary.object_id}

    def test_many_batches_reuse_organisations_and_keep_people_in_step(self, db, admin, monkeypatch):
        monkeypatch.setattr(service, "BATCH_SIZE", 2)
        rows = [
            {
                "reference": f"B-{n}",
                "received_date": "2020-05-01",
                "sector": "early_years",
                "category": "neglect",
                "initial_decision": "nfa",
                "employer": f"Synthetic Nursery {n % 2}",
                **({"subject_first_name": "Kim", "subject_last_name": f"Person{n}"} if n % 3 else {}),
            }
            for n in range(7)
        ]
        seen: list[tuple[str, int, int | None]] = []
        result = run(db, admin, csv_text(rows), progress=lambda *a: seen.append(a))
        assert result.imported == 7
        cases = db.scalars(select(Case).where(Case.reference.like("B-%")).order_by(Case.id)).all()
        assert [(c.reference, c.person.last_name if c.person else None) for c in cases] == [
            (f"B-{n}", f"Person{n}" if n % 3 else None) for n in range(7)
        ]
        assert len({c.organisation_id for c in cases}) == 2
        assert seen[-1] == ("imported", 7, 7)

    def test_people_get_the_person_check_keys(self, db, admin):
        from app.people.keys import person_keys
        from app.people.models import PersonKey
        from app.people.names import sound

        run(db, admin, csv_text(GOOD[:1]))
        person = db.scalar(select(Case).where(Case.reference == "A-1")).person
        assert (person.first_key, person.last_key) == (sound("Alex"), sound("Testperson"))
        stored = set(db.scalars(select(PersonKey.key).where(PersonKey.person_id == person.id)))
        assert stored == person_keys(person.first_name, person.last_name, person.date_of_birth) != set()

    def test_bom_crlf_free_column_order_and_case_insensitive_header(self, db, admin):
        text = (
            "\ufeffInitial_Decision,Category,Sector,Received_Date,Reference\r\n"
            "NFA,Physical,Health,2021-04-01,C-1\r\n"
            ",,,,\r\n"
            "nfa,physical,health,2021-04-02,C-2\r\n"
        )
        result = run(db, admin, text)
        assert result.imported == 2 and result.by_year == {"2021-22": 2}

    def test_reporting_year_follows_the_setting(self, db, admin):
        settings_repository.set_value(db, "reporting_year_start_month", 1)
        db.flush()
        result = run(db, admin, csv_text(GOOD[:2]))
        assert result.by_year == {"2019": 2}

    def test_reporting_year_labels(self):
        assert reporting_year_label(date(2020, 3, 31), 4) == "2019-20"
        assert reporting_year_label(date(2020, 4, 1), 4) == "2020-21"
        assert reporting_year_label(date(1999, 12, 1), 9) == "1999-00"


COLUMN_LIST = ", ".join(COLUMNS)
NOT_UTF8 = (
    "line 2, column employer: the file is not UTF-8 text: byte 0xE9 at byte position {pos} of the file "
    'cannot be read (this line). Save the spreadsheet as "CSV UTF-8 (Comma delimited)" and import it again'
)


class TestRejectedFiles:
    @pytest.mark.parametrize(
        "text, expected",
        [
            (
                bad(sector="primary"),
                'line 2, column sector: "primary" is not a sector code; use one of: faith_group, ',
            ),
            (
                bad(outcomes="substantiated;proven"),
                'line 2, column outcomes: "proven" is not an outcome code; use one of: '
                "substantiated, malicious, false, unsubstantiated, unfounded",
            ),
            (
                bad(received_date="2019-02-30"),
                'line 2, column received_date: "2019-02-30" is not a real date in the form '
                "YYYY-MM-DD, like 2019-04-01",
            ),
            (
                bad(received_date="01/04/2019"),
                'line 2, column received_date: "01/04/2019" is not a real date in the form '
                "YYYY-MM-DD, like 2019-04-01",
            ),
            (
                bad(concluded_date="2019-03-01"),
                "line 2, column concluded_date: 2019-03-01 is before the received_date "
                "2019-04-01; a case cannot conclude before it is received",
            ),
            (
                bad(received_date="2999-01-01", concluded_date=""),
                "line 2, column received_date: 2999-01-01 is in the future",
            ),
            (
                bad(summary='=HYPERLINK("http://example.test")'),
                'line 2, column summary: the text starts with "=", so a spreadsheet would run it as a '
                "formula; such cells are refused because importing them is unsafe. Remove the character or "
                "start the text with a letter, then import again",
            ),
            (
                bad(employer="@SUM(A1)"),
                'line 2, column employer: the text starts with "@", so a spreadsheet would run it',
            ),
            (bad(job_title="+44 teacher"), 'line 2, column job_title: the text starts with "+"'),
            (bad(subject_last_name="-1"), 'line 2, column subject_last_name: the text starts with "-"'),
            (
                bad(initial_decision="nfa", concluded_date=""),
                "line 2, column outcomes: an NFA case has no outcomes; "
                "leave outcomes empty when initial_decision is nfa",
            ),
            (
                bad(concluded_date=""),
                "line 2, column concluded_date: enter the date the outcome was decided; a "
                "threshold-met case with outcomes must have a concluded_date",
            ),
            (bad(training_needs="Y"), 'line 2, column training_needs: "Y" must be yes or no'),
            (
                bad(dbs_referral="maybe"),
                'line 2, column dbs_referral: "maybe" must be none, recommended or made',
            ),
            (
                bad(initial_decision="closed"),
                'line 2, column initial_decision: "closed" must be nfa or threshold_met',
            ),
            (
                bad(job_title="x" * 201),
                "line 2, column job_title: the text is 201 characters long; the most allowed is 200",
            ),
            (bad(reference=""), "line 2, column reference: enter the case reference; the column is required"),
            (
                bad(subject_first_name="", subject_last_name=""),
                "line 2, column subject_date_of_birth: a date of birth is given without the subject's name; "
                "fill in subject_first_name or subject_last_name",
            ),
            (
                csv_text([GOOD[1], GOOD[1]]),
                'line 3, column reference: "A-2" is also on line 2; each reference must '
                "appear once in the file",
            ),
            (
                csv_text([GOOD[1]], header=[c for c in COLUMNS if c != "sector"]),
                "line 1, column sector: the required column is missing",
            ),
            (
                csv_text([GOOD[1]], header=[*COLUMNS, "colour"]),
                f'line 1, column "colour": unknown column; the columns are {COLUMN_LIST}',
            ),
            (
                csv_text([GOOD[1]], header=[*COLUMNS, "reference"]),
                f"line 1, column reference: the column appears twice (columns 1 and {len(COLUMNS) + 1})",
            ),
            (
                "",
                "line 1: the file is empty; it needs a header row naming the columns, then one row per case",
            ),
            (csv_text([]), "line 2: there are no cases in the file, only the header row"),
            (
                csv_text([GOOD[1]]) + "A-9,2019-04-01,health\n",
                f"line 3: the row has 3 cells but the header has {len(COLUMNS)} columns; "
                "check for a missing or extra comma",
            ),
            (
                csv_text([GOOD[1]]) + 'A-9,2019-04-01,health,physical,nfa,,,,,,,,,,,"never closed\n',
                'line 3: a quoted cell starting here is never closed (a closing " is missing)',
            ),
        ],
    )
    def test_refused_with_a_precise_message_and_nothing_written(self, db, admin, text, expected):
        problems = rejected(db, admin, text)
        assert any(p == expected or p.startswith(expected) for p in problems), problems

    def test_duplicate_of_a_case_in_the_database(self, db, admin):
        run(db, admin, csv_text(GOOD[1:2]))
        problems = rejected(db, admin, csv_text([GOOD[3], GOOD[1]]))
        assert problems == [
            'line 3, column reference: a case with reference "A-2" already exists; an import never '
            "updates a case, so remove this row or change its reference"
        ]

    def test_reference_created_between_the_passes_is_refused_cleanly(self, db, admin, monkeypatch):
        from app.imports import repository

        run(db, admin, csv_text(GOOD[1:2]))
        before = row_counts(db)
        monkeypatch.setattr(
            repository, "existing_references", lambda session, refs: set()
        )  # as if checked earlier
        with pytest.raises(ImportRejected) as info:
            run(db, admin, csv_text([GOOD[3], GOOD[1]]))
        assert (
            "created by someone else while the file was being imported; nothing was imported"
            in info.value.problems[0]
        )
        assert row_counts(db) == before
        assert run(db, admin, csv_text(GOOD[3:4])).imported == 1  # the session is still usable

    def test_inactive_code(self, db, admin):
        db.get(Sector, "transport").active = False
        db.flush()
        problems = rejected(db, admin, bad(sector="transport"))
        assert problems[0].startswith(
            'line 2, column sector: "transport" is a sector code that is no longer in use; use one of: '
        )
        assert "transport," not in problems[0]

    def test_not_utf8_names_line_column_and_byte(self, db, admin):
        text = csv_text([{**GOOD[1], "employer": "Caf\u00e9 Synthetic"}])
        data = text.encode("utf-8").replace("Caf\u00e9".encode("utf-8"), b"Caf\xe9")
        position = data.index(b"\xe9") + 1
        assert rejected(db, admin, data) == [NOT_UTF8.format(pos=f"{position:,}")]

    def test_utf16_file_gets_one_clear_message(self, db, admin):
        data = csv_text(GOOD[1:2]).encode("utf-16")
        assert rejected(db, admin, data) == [
            'line 1: the file is not UTF-8 text: it is UTF-16 (Excel calls it "Unicode Text"). Save the '
            'spreadsheet as "CSV UTF-8 (Comma delimited)" and import it again'
        ]

    @pytest.mark.parametrize(
        "header, expected",
        [
            (
                [c for c in COLUMNS if c != "sector"],
                ["line 1, column sector: the required column is missing"],
            ),
            ([*COLUMNS, "colour"], ['line 1, column "colour": unknown column; the columns are ']),
        ],
    )
    def test_a_wrong_header_is_refused_before_any_row_is_read(self, db, admin, header, expected):
        """case-import.md: the header is checked first and a wrong one reported at once, without
        reading the rest of the file (a 45 MB file used to be read to its end, two minutes)."""
        rows = [{**GOOD[1], "reference": f"H-{n}", "category": "nonsense"} for n in range(50)]
        stream = _HeaderOnly(csv_text(rows, header=header).encode("utf-8"))
        with pytest.raises(ImportRejected) as info:
            service.import_stream(db, admin, stream)
        assert [p[: len(e)] for p, e in zip(info.value.problems, expected, strict=True)] == expected
        assert len(info.value.problems) == len(expected), info.value.problems  # no row problems: rows unread
        assert stream.lines_read == 1

    def test_line_numbers_count_physical_lines(self, db, admin):
        text = csv_text([{**GOOD[1], "summary": "one\ntwo\nthree"}, {**GOOD[3], "sector": "nowhere"}])
        assert rejected(db, admin, text)[0].startswith(
            'line 5, column sector: "nowhere" is not a sector code'
        )

    def test_every_problem_is_reported_at_once_in_line_order(self, db, admin):
        rows = [
            GOOD[1],
            {**GOOD[3], "received_date": "2019-13-01"},
            GOOD[4],
            {**GOOD[2], "category": "shouting", "training_needs": "maybe"},
            {**GOOD[4], "reference": "A-2"},
        ]
        problems = rejected(db, admin, csv_text(rows))
        assert [p.split(":")[0] for p in problems] == [
            "line 3, column received_date",
            "line 5, column category",
            "line 5, column training_needs",
            "line 6, column reference",
        ]
