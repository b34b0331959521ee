"""Working days and the statutory clocks, checked against GOV.UK's own bank-holiday list."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays

from app.clocks import service as clocks


def govuk_england_and_wales() -> set[date]:
    data = BankHolidays(use_cached_holidays=True)
    return {h["date"] for h in data.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)}


class TestCalendar:
    def test_every_date_gov_uk_covers_agrees(self):
        official = govuk_england_and_wales()
        start, end = date(min(official).year, 1, 1), date(max(official).year, 12, 31)
        assert start.year <= 2012 and end.year >= 2028  # the package ships 2012-2028
        disagreements = []
        day = start
        while day <= end:
            expected = day.weekday() < 5 and day not in official
            if clocks.is_working_day(day) != expected:
                disagreements.append(day)
            day += timedelta(days=1)
        assert disagreements == []

    def test_one_off_bank_holidays_are_included(self):
        assert not clocks.is_working_day(date(2022, 9, 19))  # state funeral
        assert not clocks.is_working_day(date(2023, 5, 8))  # coronation

    @pytest.mark.parametrize(
        "start,days,due",
        [
            (date(2026, 12, 23), 5, date(2027, 1, 4)),  # Christmas, Boxing Day observed, New Year
            (date(2025, 12, 23), 5, date(2026, 1, 2)),
            (date(2026, 5, 8), 1, date(2026, 5, 11)),  # Friday -> Monday
            (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Thursday before Easter -> Tuesday after
            (date(2026, 5, 9), 1, date(2026, 5, 11)),  # received on a Saturday
            (date(2026, 5, 11), 0, date(2026, 5, 11)),
        ],
    )
    def test_add_working_days(self, start, days, due):
        assert clocks.add_working_days(start, days) == due

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            clocks.add_working_days(date(2026, 1, 1), -1)

    def test_working_days_between(self):
        assert clocks.working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5
        assert clocks.working_days_between(date(2027, 1, 4), date(2026, 12, 23)) == -5

    @pytest.mark.parametrize(
        "start,months,expected",
        [
            (date(2026, 1, 31), 1, date(2026, 2, 28)),
            (date(2026, 11, 30), 3, date(2027, 2, 28)),
            (date(2026, 5, 11), 3, date(2026, 8, 11)),
            (date(2024, 2, 29), 12, date(2025, 2, 28)),
        ],
    )
    def test_add_months(self, start, months, expected):
        assert clocks.add_months(start, months) == expected


class TestCutoffs:
    """The dashboard turns "due before today" into "started on or before a date"; check that
    equivalence by brute force around the holidays of two winters and an Easter."""

    @pytest.mark.parametrize("days", [1, 5])
    def test_cutoffs_agree_with_the_due_dates(self, days):
        for today in [date(2025, 12, 20) + timedelta(days=n) for n in range(25)] + [
            date(2026, 3, 30) + timedelta(days=n) for n in range(14)
        ]:
            before = clocks.latest_start_due_before(today, days)
            by = clocks.latest_start_due_by(today, days)
            for n in range(-30, 5):
                start = today + timedelta(days=n)
                due = clocks.add_working_days(start, days)
                assert (due < today) == (start <= before), (today, start)
                assert (due <= today) == (start <= by), (today, start)

    @pytest.mark.parametrize("months", [1, 3])
    def test_month_cutoff_agrees_with_add_months(self, months):
        for today in [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 400, 3)]:
            cutoff = clocks.latest_start_past_months(today, months)
            for n in range(-130, -20):
                start = today + timedelta(days=n)
                assert (clocks.add_months(start, months) < today) == (start <= cutoff), (today, start)


@dataclass
class FakeCase:
    received_on: date
    decided_on: date | None = None
    decision: str | None = None
    concluded_on: date | None = None


def states(case, today, evaluation=None, last=None):
    found = clocks.case_clocks(
        case,
        evaluation_held_on=evaluation,
        last_review_on=last,
        target_months=3,
        review_months=1,
        today=today,
    )
    return {c.key: (c.due_on, c.state(today)) for c in found}


class TestCaseClocks:
    def test_open_case_has_only_the_initial_consideration(self):
        case = FakeCase(date(2026, 5, 8))
        assert states(case, date(2026, 5, 11)) == {"initial_consideration": (date(2026, 5, 11), "due_today")}
        assert states(case, date(2026, 5, 12))["initial_consideration"][1] == "overdue"

    def test_threshold_met_adds_the_evaluation_meeting_and_the_target(self):
        case = FakeCase(date(2025, 12, 22), decided_on=date(2025, 12, 23), decision="threshold_met")
        s = states(case, date(2025, 12, 30))
        assert s["initial_consideration"] == (date(2025, 12, 23), "met")
        assert s["evaluation_meeting"] == (date(2026, 1, 2), "due")
        assert s["conclusion"] == (date(2026, 3, 22), "due")
        assert "review" not in s
        assert (
            states(case, date(2026, 1, 5), evaluation=date(2026, 1, 5))["evaluation_meeting"][1] == "met_late"
        )

    def test_past_the_target_a_review_is_due_monthly(self):
        case = FakeCase(date(2026, 1, 12), decided_on=date(2026, 1, 13), decision="threshold_met")
        s = states(case, date(2026, 4, 20), evaluation=date(2026, 1, 15), last=date(2026, 2, 1))
        assert s["conclusion"][1] == "overdue"
        assert s["review"] == (date(2026, 4, 12), "overdue")  # no review since the target
        s = states(case, date(2026, 4, 20), evaluation=date(2026, 1, 15), last=date(2026, 4, 14))
        assert s["review"] == (date(2026, 5, 14), "due")
        concluded = FakeCase(
            date(2026, 1, 12),
            decided_on=date(2026, 1, 13),
            decision="threshold_met",
            concluded_on=date(2026, 4, 1),
        )
        assert "review" not in states(concluded, date(2026, 6, 1))
