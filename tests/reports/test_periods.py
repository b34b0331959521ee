"""Reporting years, calendar months, working days and the rounding of rates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.reports.periods import ReportingYear, add_months, month_key, working_days_between
from app.reports.service import percentage, rate_per_10000, weighted_median


class TestReportingYear:
    def test_default_april(self):
        year = ReportingYear(2019)
        assert (year.start, year.end, year.label) == (date(2019, 4, 1), date(2020, 3, 31), "2019-20")

    def test_century_label(self):
        assert ReportingYear(2099).label == "2099-00"

    def test_january_start_is_a_calendar_year(self):
        year = ReportingYear(2019, 1)
        assert (year.start, year.end, year.label) == (date(2019, 1, 1), date(2019, 12, 31), "2019")

    def test_quarters_across_the_new_year(self):
        quarters = ReportingYear(2019, 11).quarters()
        assert [q.start for q in quarters] == [
            date(2019, 11, 1),
            date(2020, 2, 1),
            date(2020, 5, 1),
            date(2020, 8, 1),
        ]
        assert quarters[0].label == "Q1 (November 2019 to January 2020)"
        assert quarters[3].end == date(2020, 10, 31)


class TestCalendarMonths:
    @pytest.mark.parametrize(
        "day, months, expected",
        [
            (date(2020, 1, 31), 1, date(2020, 2, 29)),
            (date(2019, 1, 31), 1, date(2019, 2, 28)),
            (date(2019, 7, 31), 3, date(2019, 10, 31)),
            (date(2019, 11, 30), 3, date(2020, 2, 29)),
            (date(2019, 12, 15), 12, date(2020, 12, 15)),
        ],
    )
    def test_add_months_clamps_to_the_month_end(self, day, months, expected):
        assert add_months(day, months) == expected

    def test_month_key_matches_add_months_for_every_pair(self):
        """The SQL predicate compares month keys; it must agree with add_months on every date."""
        start = date(2019, 1, 1)
        received = [start + timedelta(days=i) for i in range(0, 800, 3)]
        for r in received:
            for n in (1, 3, 12):
                limit = add_months(r, n)
                for c in (limit - timedelta(days=1), limit, limit + timedelta(days=1)):
                    assert (month_key(c) <= month_key(r) + 100 * n) == (c <= limit), (r, n, c)


class TestWorkingDays:
    @pytest.mark.parametrize(
        "start, end, expected",
        [
            (date(2019, 5, 20), date(2019, 5, 20), 0),
            (date(2019, 5, 20), date(2019, 5, 21), 1),
            (date(2019, 5, 24), date(2019, 5, 28), 1),  # Friday to Tuesday over the late May bank holiday
            (date(2019, 12, 20), date(2019, 12, 27), 3),  # Christmas Day and Boxing Day
            (date(2026, 12, 23), date(2027, 1, 4), 5),
        ],
    )
    def test_england_bank_holidays_and_weekends(self, start, end, expected):
        assert working_days_between(start, end) == expected


class TestNumbers:
    def test_rate_per_10000_one_decimal(self):
        assert rate_per_10000(30, 33333) == 9.0
        assert rate_per_10000(1, 40000) == 0.3  # 0.25 rounds half up, not to even
        assert rate_per_10000(3, 20000) == 1.5
        assert rate_per_10000(5, None) is None and rate_per_10000(5, 0) is None

    def test_percentage(self):
        assert percentage(2, 3) == 66.7 and percentage(1, 8) == 12.5 and percentage(0, 0) is None

    def test_weighted_median(self):
        assert weighted_median([]) is None
        assert weighted_median([(3, 1)]) == 3.0
        assert weighted_median([(1, 2), (4, 2)]) == 2.5
        assert weighted_median([(0, 2), (1, 2), (2, 1)]) == 1.0
        assert weighted_median([(10, 1), (0, 5)]) == 0.0
