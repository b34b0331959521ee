"""Inputs of retention: the policy's settings, a hold, and a review (keep or destroy)."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from app.forms import Form, blank_is_none, in_range, yes_no

#: Longest period a setting may name, in years.
MAX_YEARS = 100


class RetentionSettingsForm(Form):
    """Years after closure, the pension age, and a longer period per category code (blank: none)."""

    years_after_closure: int = Field(title="Years after closure")
    pension_age: int = Field(title="Normal pension age")
    category_years: dict[str, int | None] = Field(default_factory=dict, title="Longer periods")

    _years = field_validator("years_after_closure")(
        in_range(1, MAX_YEARS, f"Enter a number of years from 1 to {MAX_YEARS}, like 10")
    )
    _age = field_validator("pension_age")(in_range(50, 80, "Enter a pension age from 50 to 80, like 67"))

    @field_validator("category_years", mode="before")
    @classmethod
    def _blank(cls, value):
        if isinstance(value, dict):
            return {k: blank_is_none(v) for k, v in value.items()}
        return value

    @field_validator("category_years")
    @classmethod
    def _range(cls, value: dict[str, int | None]) -> dict[str, int | None]:
        for years in value.values():
            if years is not None and not 1 <= years <= MAX_YEARS:
                raise ValueError(f"Enter each longer period as a number of years from 1 to {MAX_YEARS}")
        return value


SETTINGS_REQUIRED = {
    "years_after_closure": "Enter the number of years after closure, like 10",
    "pension_age": "Enter the normal pension age, like 67",
}


class HoldForm(Form):
    hold: bool = Field(title="Hold")
    hold_reason: str = Field(max_length=2000, title="Reason")

    _hold = field_validator("hold", mode="before")(yes_no("Select whether the case is held"))


HOLD_REQUIRED = {
    "hold": "Select whether the case is held for an inquiry",
    "hold_reason": "Enter why the case is held, or why the hold ends",
}


class KeepForm(Form):
    next_review_on: date = Field(title="Next review date")
    keep_reason: str = Field(max_length=2000, title="Reason")

    _blank = field_validator("next_review_on", mode="before")(blank_is_none)


KEEP_REQUIRED = {
    "next_review_on": "Enter the date of the next review",
    "keep_reason": "Enter why the case is kept",
}


class DestroyForm(Form):
    reason: str = Field(max_length=2000, title="Reason")
    confirm: bool = Field(title="Confirmation")

    @field_validator("confirm", mode="before")
    @classmethod
    def _confirmed(cls, value):
        if value not in ("yes", True):
            raise ValueError("Select that you understand the personal data is destroyed for good")
        return True


DESTROY_REQUIRED = {
    "reason": "Enter the reason for destroying the case's personal data",
    "confirm": "Select that you understand the personal data is destroyed for good",
}
