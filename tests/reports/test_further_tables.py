"""The further tables (conversion, harm_test, repeat, strands) and the rows they add to
timeliness, against a small synthetic data set whose every figure was counted by hand, with the
drill-down of a sample of rows, the as-at edge of each table, and the exports.

Report: start year 2019 (columns 2017-18, 2018-19, 2019-20), as at 30 June 2020. Facts dated
after it (a decision, a conversion, a meeting, a strand change, a suspension decision) are in
the data so that each table shows it leaves them out.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import Date, literal, select

from app.clocks.service import add_working_days
from app.context import Actor
from app.people.models import Person
from app.reports.export import export
from app.reports.expressions import within_working_days, working_day_number
from app.reports.periods import WorkingDayCounter, bank_holidays
from app.reports.service import annual_report, cases_for_figure
from app.users.models import Role
from tests.helpers import sign_in
from tests.reports.builders import add_case

AS_AT = date(2020, 6, 30)
TM = "threshold_met"

#: table -> row code -> [2017-18, 2018-19, 2019-20]
EXPECTED = {
    "conversion": {
        "contacts": [2, 4, 12],
        "consultations": [0, 1, 2],  # B1; K1 and K3 (K3 became a referral after the as-at date)
        "referrals": [2, 3, 10],
        "threshold_met": [1, 0, 4],  # T4 was decided after the as-at date
        "threshold_met_share": [50.0, 0.0, 33.3],
    },
    "harm_test": {
        "harmed": [0, 0, 2],
        "offence": [0, 0, 2],
        "risk": [1, 0, 2],
        "suitability": [0, 0, 1],  # T5; not T4 (threshold met after the as-at date)
        "not_recorded": [0, 0, 1],  # T3; N1's limb is on an NFA case
    },
    "repeat": {
        "within_1_year": [0, 1, 1],  # R3 (exactly 12 months after R2), R4
        "within_3_years": [1, 1, 1],  # R2, R3, R4
        "within_5_years": [1, 2, 1],  # R2; R3, S2 (exactly 5 years); R4. Not U2, V1, V2
    },
    "strands": {
        "police_nfa": [0, 0, 1],  # T2 (convicted after the as-at date)
        "police_charged": [0, 0, 1],
        "police_cautioned": [0, 0, 0],  # T5's caution took effect after the as-at date
        "police_convicted": [0, 0, 0],
        "police_acquitted": [1, 0, 0],
        "police_ongoing": [0, 0, 0],
        "police_none": [0, 0, 2],  # T3 (no police strand), T5
        "s47_substantiated": [0, 0, 1],
        "s47_not_substantiated": [1, 0, 0],
        "s47_ongoing": [0, 0, 1],
        "s47_none": [0, 0, 2],
        "suspension_suspended": [1, 0, 1],
        "suspension_alternative": [0, 0, 1],
        "suspension_not_suspended": [0, 0, 0],  # T3's decision is dated after the as-at date
        "suspension_none": [0, 0, 2],
    },
}
#: The timeliness table of 2019-20: [cases, value].
EXPECTED_TIMELINESS = {
    "concluded": [0, None],
    "within_1_month": [0, None],
    "within_3_months": [0, None],
    "within_12_months": [0, None],
    "median_working_days_to_decision": [0, None],
    "decided": [6, None],  # K2, T1, T2, T3, T5, N1
    "decision_within_1_working_day": [5, 83.3],  # all but T3
    "threshold_met": [4, None],  # T1, T2, T3, T5
    "meeting_within_5_working_days": [2, 50.0],  # T1, T2
    "median_working_days_to_first_meeting": [3, 5.0],  # T1 5, T2 5, T3 6
}
#: (table, row, column) -> the cases the figure counts.
EXPECTED_CASES = {
    ("conversion", "consultations", 2): {"K1", "K3"},
    ("conversion", "referrals", 1): {"R3", "S2", "U2"},
    ("conversion", "threshold_met_share", 2): {"T1", "T2", "T3", "T5"},
    ("harm_test", "risk", 0): {"A1"},
    ("harm_test", "harmed", 2): {"T1", "T5"},
    ("repeat", "within_5_years", 1): {"R3", "S2"},
    ("repeat", "within_1_year", 2): {"R4"},
    ("strands", "police_none", 2): {"T3", "T5"},
    ("strands", "suspension_alternative", 2): {"T2"},
    ("timeliness", "decision_within_1_working_day", 0): {"K2", "T1", "T2", "T5", "N1"},
    ("timeliness", "meeting_within_5_working_days", 0): {"T1", "T2"},
    ("timeliness", "median_working_days_to_first_meeting", 0): {"T1", "T2", "T3"},
}


def person(n: int) -> Person:
    return Person(first_name=f"Synthetic{n}", last_name="Adult", date_of_birth=date(1980, 1, n))


def build(db) -> dict[str, int]:
    """The cases counted in EXPECTED; returns their ids by name."""
    p1, p2, p3, p4 = (person(n) for n in (1, 2, 3, 4))
    police, s47 = "police", "social_care"
    cases = {
        # 2017-18
        "A1": add_case(
            db,
            date(2017, 6, 1),
            decision=TM,
            harm_limbs="risk",
            strands=(
                (police, "concluded", date(2017, 9, 1), "acquitted", date(2017, 9, 1)),
                (s47, "concluded", date(2017, 7, 1), "not_substantiated", date(2017, 7, 1)),
            ),
            suspension=("suspended", date(2017, 6, 2)),
        ),
        # 2018-19: a consultation never made a referral
        "B1": add_case(db, date(2018, 6, 1), consultation=True),
        # 2019-20: contacts and consultations
        "K1": add_case(db, date(2019, 5, 1), consultation=True),
        # A referral from Monday 10 June, decided on the Tuesday: on time (received 3 June).
        "K2": add_case(
            db,
            date(2019, 6, 3),
            consultation=True,
            converted_on=date(2019, 6, 10),
            decision="nfa",
            decided_on=date(2019, 6, 11),
        ),
        # Became a referral after the as-at date: still a consultation then.
        "K3": add_case(db, date(2019, 7, 1), consultation=True, converted_on=date(2020, 7, 1)),
        # Threshold met on Tuesday 2 April; evaluation meeting on the fifth working day after.
        "T1": add_case(
            db,
            date(2019, 4, 1),
            decision=TM,
            decided_on=date(2019, 4, 2),
            harm_limbs="harmed;risk",
            meetings=(date(2019, 4, 9),),
            strands=(
                (police, "under_way", date(2019, 4, 10), None, None),
                (police, "concluded", date(2019, 5, 1), "charged", date(2019, 5, 1)),
                (s47, "concluded", date(2019, 5, 1), "substantiated", date(2019, 5, 1)),
            ),
            suspension=("suspended", date(2019, 4, 3)),
        ),
        # Received Thursday 18 April 2019, before Good Friday and Easter Monday: decided Tuesday
        # 23 April, the next working day; the meeting on the fifth working day after that.
        "T2": add_case(
            db,
            date(2019, 4, 18),
            decision=TM,
            decided_on=date(2019, 4, 23),
            harm_limbs="offence",
            meetings=(date(2019, 4, 30),),
            strands=(
                (police, "concluded", date(2019, 6, 1), "nfa", date(2019, 6, 1)),
                (police, "concluded", date(2020, 7, 10), "convicted", date(2020, 7, 10)),
            ),
            suspension=("alternative", date(2019, 4, 24)),
        ),
        # Decided a day late (Wednesday for Monday), met on the sixth working day; a review
        # meeting before that is not an evaluation meeting.
        "T3": add_case(
            db,
            date(2019, 9, 2),
            decision=TM,
            decided_on=date(2019, 9, 4),
            meetings=(("review", date(2019, 9, 5)), date(2019, 9, 12)),
            strands=((s47, "under_way", date(2019, 9, 20), "ongoing", date(2019, 9, 20)),),
            suspension=("not_suspended", date(2020, 7, 5)),
        ),
        # Threshold met after the as-at date.
        "T4": add_case(
            db, date(2020, 3, 2), decision=TM, decided_on=date(2020, 7, 2), harm_limbs="suitability"
        ),
        # Every limb; its meeting and its police caution came after the as-at date.
        "T5": add_case(
            db,
            date(2019, 10, 1),
            decision=TM,
            harm_limbs="harmed;offence;risk;suitability",
            meetings=(date(2020, 7, 3),),
            strands=((police, "under_way", date(2019, 11, 1), "cautioned", date(2020, 7, 1)),),
        ),
        "N1": add_case(db, date(2019, 11, 1), decision="nfa", harm_limbs="harmed"),
        # Repeats: p1's cases two years, then twelve months, then five months apart.
        "R1": add_case(db, date(2016, 1, 10), person=p1),
        "R2": add_case(db, date(2018, 1, 10), person=p1),
        "R3": add_case(db, date(2019, 1, 10), person=p1),
        "R4": add_case(db, date(2019, 6, 1), person=p1),
        # p2: exactly five years apart; p3: five years and a day.
        "S1": add_case(db, date(2014, 3, 1), person=p2),
        "S2": add_case(db, date(2019, 3, 1), person=p2),
        "U1": add_case(db, date(2014, 3, 1), person=p3),
        "U2": add_case(db, date(2019, 3, 2), person=p3),
        # p4: two cases received the same day: neither is earlier than the other.
        "V1": add_case(db, date(2019, 8, 1), person=p4),
        "V2": add_case(db, date(2019, 8, 1), person=p4),
        # After the as-at date: counted nowhere.
        "X1": add_case(db, date(2020, 7, 1), person=p1, decision=TM, harm_limbs="harmed"),
    }
    return {name: case.id for name, case in cases.items()}


def values(report, table):
    return {r["code"]: r["values"] for r in report["tables"][table]["rows"]}


@pytest.fixture
def ids(db):
    return build(db)


@pytest.fixture
def report(db, ids):
    return annual_report(db, 2019, AS_AT)


@pytest.fixture
def manager(factory) -> Actor:
    return Actor(user=factory.user(Role.MANAGER))


class TestFigures:
    @pytest.mark.parametrize("table", list(EXPECTED))
    def test_every_row(self, report, table):
        assert values(report, table) == EXPECTED[table]
        assert "columns" not in report["tables"][table]  # three-year tables

    def test_timeliness(self, report):
        assert values(report, "timeliness") == EXPECTED_TIMELINESS

    def test_the_harm_test_note(self, report):
        assert "once in each limb" in report["tables"]["harm_test"]["note"]

    def test_each_group_of_strands_adds_up_to_threshold_met(self, report):
        met = values(report, "conversion")["threshold_met"]
        rows = values(report, "strands")
        for prefix in ("police_", "s47_", "suspension_"):
            group = [v for code, v in rows.items() if code.startswith(prefix)]
            assert [sum(column) for column in zip(*group, strict=True)] == met, prefix

    def test_consultations_and_referrals_are_the_contacts(self, report):
        rows = values(report, "conversion")
        assert [a + b for a, b in zip(rows["consultations"], rows["referrals"], strict=True)] == rows[
            "contacts"
        ]
        assert rows["contacts"] == values(report, "referrals")["total"]


class TestDrillDown:
    @pytest.mark.parametrize("figure", list(EXPECTED_CASES))
    def test_named_cases(self, db, manager, ids, figure):
        table, row, col = figure
        cases = cases_for_figure(db, manager, 2019, table, row, col, AS_AT)
        names = {name for name, id_ in ids.items() if id_ in {c["id"] for c in cases}}
        assert names == EXPECTED_CASES[figure]

    def test_every_count_lists_exactly_the_cases_it_counts(self, db, manager, report):
        for key in [*EXPECTED, "timeliness"]:
            table = report["tables"][key]
            for row in table["rows"]:
                for col in [0] if "columns" in table else range(3):
                    cases = cases_for_figure(db, manager, 2019, key, row["code"], col, AS_AT)
                    if isinstance(row["values"][col], int):
                        assert len(cases) == row["values"][col], (key, row["code"], col)

    def test_a_share_lists_the_cases_of_its_numerator(self, db, manager, report):
        for col in range(3):
            share = cases_for_figure(db, manager, 2019, "conversion", "threshold_met_share", col, AS_AT)
            met = cases_for_figure(db, manager, 2019, "conversion", "threshold_met", col, AS_AT)
            assert share == met

    def test_the_figure_page_lists_every_new_row(self, client, factory, report):
        sign_in(client, factory.user("manager").email)
        for key in EXPECTED:
            for row in report["tables"][key]["rows"]:
                url = f"/reports/annual/2019/cases?table={key}&row={row['code']}&col=2&as_at={AS_AT}"
                resp = client.get(url)
                assert resp.status_code == 200, (url, resp.text[:300])
                assert row["label"] in resp.text


def edge(db, as_at: date, table: str, row: str, col: int = 2):
    return values(annual_report(db, 2019, as_at), table)[row][col]


class TestAsAt:
    """For each table, a fact dated the day after the as-at date is not counted; as at that day,
    it is."""

    D = date(2019, 9, 30)
    NEXT = date(2019, 10, 1)

    def test_conversion(self, db):
        add_case(db, date(2019, 9, 2), consultation=True, converted_on=self.NEXT)
        add_case(db, date(2019, 9, 3), decision=TM, decided_on=self.NEXT)
        assert edge(db, self.D, "conversion", "consultations") == 1
        assert edge(db, self.D, "conversion", "referrals") == 1
        assert edge(db, self.D, "conversion", "threshold_met") == 0
        assert edge(db, self.NEXT, "conversion", "consultations") == 0
        assert edge(db, self.NEXT, "conversion", "referrals") == 2
        assert edge(db, self.NEXT, "conversion", "threshold_met") == 1

    def test_timeliness(self, db):
        # Received Monday 30 September, decided Tuesday, met Wednesday.
        add_case(db, self.D, decision=TM, decided_on=self.NEXT, meetings=(date(2019, 10, 2),))
        for day, decided, met, median in (
            (self.D, [0, None], [0, None], [0, None]),
            (self.NEXT, [1, 100.0], [0, 0.0], [0, None]),
            (date(2019, 10, 2), [1, 100.0], [1, 100.0], [1, 1.0]),
        ):
            rows = values(annual_report(db, 2019, day), "timeliness")
            assert rows["decision_within_1_working_day"] == decided, day
            assert rows["meeting_within_5_working_days"] == met, day
            assert rows["median_working_days_to_first_meeting"] == median, day

    def test_harm_test(self, db):
        add_case(db, date(2019, 9, 2), decision=TM, decided_on=self.NEXT, harm_limbs="harmed")
        assert edge(db, self.D, "harm_test", "harmed") == 0
        assert edge(db, self.NEXT, "harm_test", "harmed") == 1

    def test_repeat(self, db):
        adult = person(5)
        add_case(db, date(2019, 9, 2), person=adult)
        add_case(db, self.NEXT, person=adult)
        assert edge(db, self.D, "repeat", "within_1_year") == 0
        assert edge(db, self.NEXT, "repeat", "within_1_year") == 1

    def test_strands(self, db):
        add_case(
            db,
            date(2019, 9, 2),
            decision=TM,
            strands=(
                ("police", "under_way", date(2019, 9, 3), "charged", self.NEXT),
                ("social_care", "concluded", self.NEXT, "substantiated", date(2019, 9, 20)),
            ),
            suspension=("suspended", self.NEXT),
        )
        before = values(annual_report(db, 2019, self.D), "strands")
        after = values(annual_report(db, 2019, self.NEXT), "strands")
        for row, was, now in (
            ("police_charged", 0, 1),
            ("police_none", 1, 0),
            ("s47_substantiated", 0, 1),
            ("s47_none", 1, 0),
            ("suspension_suspended", 0, 1),
            ("suspension_none", 1, 0),
        ):
            assert (before[row][2], after[row][2]) == (was, now), row


class TestExports:
    def test_csv_has_every_new_table(self, report):
        archive = zipfile.ZipFile(io.BytesIO(export(report, "csv")[0]))
        names = {n.split("-", 1)[1]: n for n in archive.namelist()}
        for key in EXPECTED:
            lines = list(csv.reader(io.StringIO(archive.read(names[f"{key}.csv"]).decode("utf-8-sig"))))
            assert lines[0][1:] == report["columns"], key
            body = {line[0]: line[1:] for line in lines[1:] if line}
            for row in report["tables"][key]["rows"]:
                assert body[row["label"]] == [str(v) for v in row["values"]], (key, row["code"])

    def test_xlsx_has_every_new_table(self, report):
        workbook = load_workbook(io.BytesIO(export(report, "xlsx")[0]))
        for key, sheet_name in (
            ("conversion", "Conversion"),
            ("harm_test", "Harm test"),
            ("repeat", "Repeat"),
            ("strands", "Strands"),
        ):
            sheet = workbook[sheet_name]
            assert sheet["A1"].value == report["tables"][key]["title"]
            rows = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
            for row in report["tables"][key]["rows"]:
                assert rows[row["label"]] == row["values"], (key, row["code"])
        timeliness = {
            r[0]: list(r[1:]) for r in workbook["Timeliness"].iter_rows(min_row=5, values_only=True)
        }
        assert timeliness["Decided within 1 working day (% of decided)"] == [5, 83.3]

    def test_json_carries_the_new_tables(self, report):
        assert set(EXPECTED) <= set(report["tables"])


class TestWorkingDaysInSql:
    """The SQL working-day numbers agree with periods.WorkingDayCounter and the clocks' due dates
    on every day of two years (weekends, bank holidays, Christmas and Easter)."""

    FIRST, LAST = date(2019, 4, 1), date(2021, 3, 31)

    def test_numbers_differ_by_the_working_days_between(self, db):
        days = [self.FIRST + timedelta(days=n) for n in range((self.LAST - self.FIRST).days + 1)]
        holidays = sorted(bank_holidays(2019, 2021))
        numbers = db.execute(select(*[working_day_number(literal(d, Date()), holidays) for d in days])).one()
        counter = WorkingDayCounter(self.FIRST, self.LAST)
        for day, number in zip(days, numbers, strict=True):
            assert number - numbers[0] == counter.between(self.FIRST, day), day

    @pytest.mark.parametrize("n", [1, 5])
    def test_within_is_on_or_before_the_due_date(self, db, n):
        holidays = sorted(bank_holidays(2019, 2021))
        starts = [date(2019, 12, 18) + timedelta(days=k) for k in range(20)] + [date(2020, 4, 8)]
        pairs = [(s, s + timedelta(days=k)) for s in starts for k in range(-1, 12)]
        day = lambda d: literal(d, Date())  # noqa: E731
        got = db.execute(select(*[within_working_days(day(s), day(e), n, holidays) for s, e in pairs])).one()
        for (start, end), within in zip(pairs, got, strict=True):
            assert bool(within) == (end <= add_working_days(start, n)), (start, end)
