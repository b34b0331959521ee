"""Inputs of the corrections: each says what was wrong, with a reason, and the case version the
form was loaded with (shared by the forms and the JSON API)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from app.cases.schemas import ChildIn, Code, Short, Versioned
from app.corrections.plausibility import Confirmable
from app.errors import CHOICE
from app.forms import blank_is_none, not_future
from app.ids import MAX_ID


class Correction(Versioned, Confirmable):
    reason: str = Field(min_length=1, max_length=5000, title="Reason for the correction")


class AdultCorrection(Correction):
    first_name: str = Field(min_length=1, max_length=100, title="Adult's first name")
    last_name: str = Field(min_length=1, max_length=100, title="Adult's last name")
    date_of_birth: date | None = Field(default=None, title="Adult's date of birth")
    job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")

    _blank = field_validator("date_of_birth", mode="before")(blank_is_none)

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, v: date | None) -> date | None:
        if v is not None and v.year < 1900:
            raise ValueError("Adult's date of birth must be after 1900")
        return not_future(v)


class EmployerCorrection(Correction):
    organisation_id: Annotated[int | None, CHOICE] = Field(default=None, title="Employer")
    organisation_name: str = Field(
        default="", max_length=200, title="New employer's name", validate_default=True
    )
    sector_code: Code = Field(default="", max_length=40, title="Sector")

    _blank = field_validator("organisation_id", mode="before")(blank_is_none)

    @field_validator("organisation_id")
    @classmethod
    def _id_in_range(cls, v: int | None) -> int | None:
        if v is not None and not 1 <= v <= MAX_ID:
            raise ValueError("Select the employer from the list")
        return v

    @field_validator("organisation_name")
    @classmethod
    def _employer(cls, v: str, info: ValidationInfo) -> str:
        if not v and "organisation_id" in info.data and info.data["organisation_id"] is None:
            raise ValueError("organisation_id: Select the employer or enter the name of a new one")
        return v


class ReferrerCorrection(Correction):
    referrer_name: str = Field(min_length=1, max_length=200, title="Referrer's name")
    referrer_organisation: Short = Field(default="", title="Referrer's organisation")
    referrer_role: Short = Field(default="", title="Referrer's role")
    referrer_phone: str = Field(default="", max_length=50, title="Referrer's phone number")
    referrer_email: str = Field(default="", max_length=254, title="Referrer's e-mail address")

    @field_validator("referrer_email")
    @classmethod
    def _email(cls, v: str) -> str:
        if v and ("@" not in v or " " in v):
            raise ValueError(
                "Enter the referrer's e-mail address in the correct format, like name@example.org"
            )
        return v


class ChildCorrection(ChildIn, Correction):
    """A child added, or a child's initials, age or gender corrected."""


class ChildRemoval(Correction):
    """A child recorded by mistake, removed with a reason."""
