"""Forms of the settings pages (reporting year, child population)."""

from __future__ import annotations

from pydantic import Field, field_validator

from app.forms import Form, in_range


class StartMonthForm(Form):
    reporting_year_start_month: int = Field(title="Start month")

    _month = field_validator("reporting_year_start_month")(
        in_range(1, 12, "Select a month from January to December")
    )


START_MONTH_REQUIRED = {"reporting_year_start_month": "Select the month the reporting year starts"}


class ChildPopulationForm(Form):
    from_year: int = Field(title="Year it applies from")
    population: int = Field(title="Child population")

    _year = field_validator("from_year")(in_range(2000, 2100, "Enter a year from 2000 to 2100, like 2024"))
    _population = field_validator("population")(
        in_range(1, 100_000_000, "The child population must be a whole number greater than 0")
    )

    @field_validator("population", mode="before")
    @classmethod
    def _digits(cls, value):
        """Accept "64,500" as people write it."""
        return value.replace(",", "").replace(" ", "") if isinstance(value, str) else value


CHILD_POPULATION_REQUIRED = {
    "from_year": "Enter the reporting year the figure applies from, like 2024",
    "population": "Enter the child population aged 0 to 17",
}
