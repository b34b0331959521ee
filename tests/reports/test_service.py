"""The annual report against figures counted by hand from tests/reports/dataset.py."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select, update

from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.reference.models import Disposal, Sector
from app.reports.service import annual_report, cases_for_figure
from app.settings.repository import set_value
from tests.reports import dataset
from tests.reports.builders import add_case

AS_AT = dataset.AS_AT

#: table -> row code -> [2017-18, 2018-19, 2019-20]; rows not listed are zero.
EXPECTED_YEARS = {
    "referrals": {"total": [3, 3, 9], "nfa": [1, 1, 2]},
    "source": {
        "primary_school": [1, 0, 2],
        "police": [1, 0, 1],
        "health": [1, 0, 1],
        "secondary_school": [0, 2, 1],
        "residential_la": [0, 1, 0],
        "foster_carer_in_house": [0, 0, 1],
        "transport": [0, 0, 1],
        "early_years": [0, 0, 1],
        "voluntary": [0, 0, 1],
    },
    "category": {
        "physical": [1, 1, 3],
        "sexual": [1, 0, 2],
        "conduct": [1, 1, 1],
        "emotional": [0, 1, 1],
        "neglect": [0, 0, 1],
        "other": [0, 0, 1],
    },
    "outcome": {
        "nfa": [1, 1, 2],
        "unfounded": [1, 0, 2],
        "unsubstantiated": [0, 1, 1],
        "malicious": [0, 1, 1],
        "false": [0, 0, 1],
        # C4 was concluded (and so substantiated) after the as-at date: continuing, not yet substantiated.
        "substantiated": [1, 1, 2],
        "training_needs": [1, 0, 1],
        "continuing": [0, 0, 2],
    },
    "substantiated_by_agency": {
        "police": [1, 0, 0],
        "residential": [0, 1, 0],
        "education": [0, 0, 1],
        "early_years": [0, 0, 1],
    },
    "disposal": {
        "dismissed": [1, 0, 1],
        "training_support": [0, 1, 0],
        "written_warning": [0, 1, 0],
        "criminal_sanction": [0, 0, 0],
        "dbs_made": [1, 0, 1],
        "dbs_recommended": [0, 1, 0],
    },
}
EXPECTED_TOTALS = {"source": [3, 3, 9], "category": [3, 3, 9], "substantiated_by_agency": [1, 1, 2]}
ROW_ORDER = {
    "referrals": ["total", "nfa"],
    "category": ["conduct", "emotional", "neglect", "physical", "sexual", "other"],
    "outcome": [
        "nfa",
        "unfounded",
        "unsubstantiated",
        "malicious",
        "false",
        "substantiated",
        "training_needs",
        "continuing",
    ],
    "source": [
        "faith_group",
        "foster_carer_in_house",
        "foster_carer_other",
        "early_years",
        "education_la",
        "primary_school",
        "secondary_school",
        "further_education",
        "education_non_la",
        "health",
        "other",
        "police",
        "probation_yos",
        "residential_la",
        "residential_non_la",
        "leisure_sport",
        "other_social_care",
        "self_employed",
        "transport",
        "voluntary",
    ],
    "substantiated_by_agency": [
        "education",
        "police",
        "transport",
        "foster_carers",
        "residential",
        "health",
        "voluntary",
        "early_years",
        "faith",
        "probation_yos",
        "leisure_sport",
        "social_care",
        "self_employed",
        "other",
    ],
    "disposal": [
        "dismissed",
        "training_support",
        "written_warning",
        "management_advice",
        "resigned",
        "redeployed",
        "criminal_sanction",
        "no_employer_action",
        "other",
        "dbs_made",
        "dbs_recommended",
    ],
}
EXPECTED_QUARTERLY = {"Q1": [2, 1.0], "Q2": [2, 1.0], "Q3": [2, 1.0], "Q4": [3, 1.5]}
EXPECTED_TIMELINESS = {
    "concluded": [5, None],
    "within_1_month": [2, 40.0],
    "within_3_months": [4, 80.0],
    "within_12_months": [5, 100.0],
    "median_working_days_to_decision": [5, 1.0],
    # C3 (Wednesday, decided Friday) and C5 (Friday, decided the next Friday) were late; C8,
    # received on a Sunday and decided on the Monday, was not. No case has a meeting.
    "decided": [9, None],
    "decision_within_1_working_day": [7, 77.8],
    "threshold_met": [7, None],
    "meeting_within_5_working_days": [0, 0.0],
    "median_working_days_to_first_meeting": [0, None],
}
#: Which cases each 2019-20 figure counts (a sample, checked through the drill-down).
EXPECTED_CASES_2019 = {
    ("outcome", "continuing"): {"C4", "C5"},
    ("outcome", "substantiated"): {"C2", "C8"},
    ("outcome", "unfounded"): {"C2", "C9"},
    ("disposal", "dbs_made"): {"C2"},
    ("referrals", "total"): {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"},
    ("substantiated_by_agency", "total"): {"C2", "C8"},
    ("timeliness", "within_1_month"): {"C2", "C6"},
    ("quarterly", "Q4"): {"C6", "C7", "C8"},
}


def values(report, table):
    return {r["code"]: r["values"] for r in report["tables"][table]["rows"]}


@pytest.fixture
def manager(factory) -> Actor:
    return Actor(user=factory.user("manager"))


@pytest.fixture
def ids(db):
    return dataset.build(db)


@pytest.fixture
def report(db, ids):
    return annual_report(db, 2019, AS_AT)


class TestShape:
    def test_header(self, report):
        assert report["year"] == "2019-20"
        assert report["period"] == {"start": "2019-04-01", "end": "2020-03-31"}
        assert report["as_at"] == "2020-06-30"
        assert report["columns"] == ["2017-18", "2018-19", "2019-20"]
        assert list(report["tables"]) == [
            "referrals",
            "source",
            "category",
            "outcome",
            "substantiated_by_agency",
            "disposal",
            "referrer_agency",
            "non_recent",
            "cross_border",
            "conversion",
            "harm_test",
            "repeat",
            "strands",
            "quarterly",
            "timeliness",
        ]

    def test_every_table_has_a_title_and_labelled_rows(self, report):
        for table in report["tables"].values():
            assert table["title"]
            assert all(r["label"] and r["code"] for r in table["rows"])

    def test_totals_only_where_the_spec_says(self, report):
        with_total = {k for k, t in report["tables"].items() if "total" in t}
        assert with_total == {"source", "category", "substantiated_by_agency"}

    def test_outcome_note(self, report):
        assert report["tables"]["outcome"]["note"] == (
            "In some cases there is more than one outcome, which can "
            "result in the overall figures seeming inflated."
        )


class TestFigures:
    @pytest.mark.parametrize("table", list(EXPECTED_YEARS))
    def test_three_year_table(self, report, table):
        got = values(report, table)
        assert list(got) == ROW_ORDER[table]  # every active row, zero rows included, in display order
        for code, row_values in got.items():
            assert row_values == EXPECTED_YEARS[table].get(code, [0, 0, 0]), (table, code)

    @pytest.mark.parametrize("table", list(EXPECTED_TOTALS))
    def test_totals(self, report, table):
        assert report["tables"][table]["total"] == EXPECTED_TOTALS[table]

    def test_quarterly_cases_and_rate_per_10000(self, report):
        assert report["tables"]["quarterly"]["columns"] == ["cases", "per 10,000 children"]
        assert values(report, "quarterly") == EXPECTED_QUARTERLY
        labels = [r["label"] for r in report["tables"]["quarterly"]["rows"]]
        assert labels[0] == "Q1 (April to June 2019)" and labels[3] == "Q4 (January to March 2020)"

    def test_timeliness(self, report):
        assert values(report, "timeliness") == EXPECTED_TIMELINESS

    def test_rate_is_null_without_a_child_population(self, db):
        add_case(db, date(2012, 5, 1))
        report = annual_report(db, 2012, date(2013, 5, 1))
        assert values(report, "quarterly")["Q1"] == [1, None]


class TestEdgeCases:
    def test_31_march_and_1_april_fall_in_different_years(self, db, manager, ids):
        lists = [
            {c["id"] for c in cases_for_figure(db, manager, 2019, "referrals", "total", col, AS_AT)}
            for col in range(3)
        ]
        assert ids["A3"] in lists[0] and ids["B1"] in lists[1]  # 31 March 2018 / 1 April 2018
        assert ids["A1"] in lists[0] and ids["Z0"] not in set().union(*lists)  # 1 April 2017 / 31 March 2017
        assert ids["C7"] in lists[2] and ids["D1"] not in set().union(*lists)  # 31 March 2020 / 1 April 2020

    def test_concluded_after_as_at_counts_as_continuing(self, db, ids):
        assert values(annual_report(db, 2019, AS_AT), "outcome")["continuing"][2] == 2
        # once the as-at date passes C4's conclusion (15 July 2020), only the open C5 continues
        later = annual_report(db, 2019, date(2020, 7, 15))
        assert values(later, "outcome")["continuing"][2] == 1
        assert values(later, "timeliness")["concluded"] == [6, None]

    def test_concluded_on_the_as_at_date_is_concluded(self, db, manager, ids):
        continuing = {c["id"] for c in cases_for_figure(db, manager, 2019, "outcome", "continuing", 2, AS_AT)}
        assert ids["C9"] not in continuing

    def test_cases_received_after_as_at_are_not_counted(self, db, ids):
        report = annual_report(db, 2019, date(2019, 12, 31))
        assert values(report, "referrals")["total"] == [3, 3, 6]  # C6, C7, C8 come in 2020
        assert values(report, "quarterly")["Q4"] == [0, 0.0]

    def test_several_allegations_count_once_in_each_outcome_row(self, db):
        add_case(
            db,
            date(2015, 6, 1),
            decision="threshold_met",
            concluded_on=date(2015, 9, 1),
            outcomes=("substantiated", "substantiated", "unfounded", "unfounded", "false"),
        )
        got = values(annual_report(db, 2015, date(2016, 6, 1)), "outcome")
        assert got["substantiated"][2] == 1 and got["unfounded"][2] == 1 and got["false"][2] == 1
        assert got["unsubstantiated"][2] == 0

    def test_dbs_recommended_then_made_counts_as_made_only(self, report):
        got = values(report, "disposal")
        assert got["dbs_made"][2] == 1 and got["dbs_recommended"][2] == 0

    def test_disposals_of_unsubstantiated_cases_are_not_counted(self, report):
        assert values(report, "disposal")["management_advice"] == [0, 0, 0]  # C3 is unsubstantiated

    def test_inactive_sector_shown_only_for_years_that_used_it(self, db, ids):
        db.execute(update(Sector).where(Sector.code.in_(["transport", "faith_group"])).values(active=False))
        rows = values(annual_report(db, 2019, AS_AT), "source")
        assert rows["transport"] == [0, 0, 1]  # used by C5 in 2019-20
        assert "faith_group" not in rows  # inactive and unused
        # three years later transport is used by no case in the window: hidden
        later = values(annual_report(db, 2022, date(2023, 4, 30)), "source")
        assert "transport" not in later and "primary_school" in later
        # its agency group is still active, so still shown
        assert "transport" in values(annual_report(db, 2022, date(2023, 4, 30)), "substantiated_by_agency")

    def test_inactive_disposal_shown_when_a_case_in_the_window_uses_it(self, db, ids):
        db.execute(
            update(Disposal)
            .where(Disposal.code.in_(["management_advice", "redeployed"]))
            .values(active=False)
        )
        rows = values(annual_report(db, 2019, AS_AT), "disposal")
        assert rows["management_advice"] == [0, 0, 0]  # recorded on C3 (not substantiated): still a row
        assert "redeployed" not in rows

    def test_empty_year_gives_all_zero_rows(self, db, ids):
        report = annual_report(db, 2010, date(2011, 4, 30))
        for key in ("referrals", "source", "category", "outcome", "substantiated_by_agency", "disposal"):
            table = report["tables"][key]
            assert table["rows"] and all(r["values"] == [0, 0, 0] for r in table["rows"]), key
            assert table.get("total", [0, 0, 0]) == [0, 0, 0]
        assert all(v == [0, None] for v in values(report, "quarterly").values())  # no population before 2015
        assert values(report, "timeliness")["concluded"] == [0, None]
        assert values(report, "timeliness")["within_1_month"] == [0, None]
        assert values(report, "timeliness")["median_working_days_to_decision"] == [0, None]

    def test_reporting_year_start_month_changes_the_window(self, db, ids):
        set_value(db, "reporting_year_start_month", 1)
        report = annual_report(db, 2019, AS_AT)
        assert report["year"] == "2019"
        assert report["columns"] == ["2017", "2018", "2019"]
        assert report["period"] == {"start": "2019-01-01", "end": "2019-12-31"}
        # calendar 2017: Z0, A1, A2; 2018: A3, B1, B2; 2019: B3 (15 Jan), C1, C2, C3, C4, C5, C9
        assert values(report, "referrals")["total"] == [3, 3, 7]
        assert report["tables"]["quarterly"]["rows"][0]["label"] == "Q1 (January to March 2019)"
        assert values(report, "quarterly")["Q1"][0] == 1


class TestValidation:
    @pytest.mark.parametrize("year", [1989, 2101, "2019"])
    def test_start_year_out_of_range(self, db, year):
        with pytest.raises(ValidationFailed) as exc:
            annual_report(db, year, date(2020, 1, 1))
        assert "start_year" in exc.value.errors

    def test_as_at_before_the_year_starts(self, db):
        with pytest.raises(ValidationFailed) as exc:
            annual_report(db, 2019, date(2019, 3, 31))
        assert exc.value.errors["as_at"] == (
            "The as-at date must be on or after the start of the reporting year (1 April 2019)"
        )


class TestDrillDown:
    def test_every_figure_lists_exactly_the_cases_it_counts(self, db, manager, report):
        for key, table in report["tables"].items():
            rows = [(r["code"], r["values"]) for r in table["rows"]]
            if "total" in table:
                rows.append(("total", table["total"]))
            for code, row_values in rows:
                columns = range(3) if "columns" not in table else [0]
                for col in columns:
                    if not isinstance(row_values[col], int):
                        continue  # a share: its cases are its numerator's (test_further_tables.py)
                    cases = cases_for_figure(db, manager, 2019, key, code, col, AS_AT)
                    assert len(cases) == row_values[col], (key, code, col)
                    assert len({c["id"] for c in cases}) == len(cases)

    @pytest.mark.parametrize("figure", list(EXPECTED_CASES_2019))
    def test_named_cases(self, db, manager, ids, figure):
        table, row = figure
        col = 0 if table in ("quarterly", "timeliness") else 2
        cases = cases_for_figure(db, manager, 2019, table, row, col, AS_AT)
        names = {name for name, id_ in ids.items() if id_ in {c["id"] for c in cases}}
        assert names == EXPECTED_CASES_2019[figure]
        assert set(cases[0]) == {"id", "reference", "received_on", "concluded_on"}

    def test_unknown_table_row_or_column(self, db, manager):
        with pytest.raises(NotFound):
            cases_for_figure(db, manager, 2019, "nonsense", "total", 0, AS_AT)
        with pytest.raises(NotFound):
            cases_for_figure(db, manager, 2019, "source", "nonsense", 0, AS_AT)
        with pytest.raises(NotFound):
            cases_for_figure(db, manager, 2019, "referrals", "total_", 0, AS_AT)
        with pytest.raises(ValidationFailed):
            cases_for_figure(db, manager, 2019, "source", "police", 3, AS_AT)
        with pytest.raises(ValidationFailed):
            cases_for_figure(db, manager, 2019, "quarterly", "Q1", 2, AS_AT)


class TestQueries:
    def count_queries(self, db, fn):
        statements = []
        engine = db.get_bind().engine

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            fn()
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    def test_a_fixed_number_of_queries_whatever_the_data(self, db):
        db.execute(select(1))  # the session's savepoint is not one of the report's queries
        empty = self.count_queries(db, lambda: annual_report(db, 2019, AS_AT))
        dataset.build(db)
        for i in range(30):
            add_case(
                db,
                date(2019, 4, 1 + i % 28),
                decision="threshold_met",
                outcomes=("substantiated",),
                concluded_on=date(2019, 12, 1),
                decided_on=date(2019, 5, 1 + i % 28),
                dbs=("made",),
                disposals=("dismissed",),
            )
        full = self.count_queries(db, lambda: annual_report(db, 2019, AS_AT))
        assert full == empty, (empty, full)
        # reference data, whether a case was re-opened since the as-at date, the settings, the
        # counting passes (one more for the repeat table) and the two medians (and PostgreSQL's SET LOCAL)
        assert full <= 15
