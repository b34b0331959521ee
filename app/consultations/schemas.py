"""Inputs of consultations, shared by the forms and the JSON API (unknown fields are ignored)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from app.cases.models import ContactMethod
from app.cases.schemas import Code, Input, Short, Versioned
from app.errors import CHOICE
from app.forms import blank_is_none, not_future


def _dob(v: date | None) -> date | None:
    if v is not None and v.year < 1900:
        raise ValueError("Adult's date of birth must be after 1900")
    return not_future(v)


class ConsultationCreate(Input):
    """A consultation in under a minute: the date, who asked (and their agency), the employer or
    only its sector, the category, what was asked and the advice given. The adult may be unnamed."""

    received_on: date = Field(title="Date of the consultation")
    contact_method: ContactMethod = Field(default=ContactMethod.PHONE, title="How it came")
    referrer_name: str = Field(min_length=1, max_length=200, title="Name of the person who asked")
    referrer_organisation: Short = Field(default="", title="Their agency or organisation")
    organisation_id: Annotated[int | None, CHOICE] = Field(default=None, title="Employer")
    organisation_name: str = Field(default="", max_length=200, title="Employer's name")
    sector_code: Code = Field(default="", max_length=40, title="Sector")
    primary_category_code: Code = Field(min_length=1, max_length=40, title="Category")
    question: str = Field(min_length=1, max_length=20000, title="What was asked")
    advice: str = Field(min_length=1, max_length=20000, title="Advice given")
    subject_first_name: str = Field(default="", max_length=100, title="Adult's first name")
    subject_last_name: str = Field(
        default="", max_length=100, title="Adult's last name", validate_default=True
    )
    job_title: Short = Field(default="", title="Adult's job title or role")
    restricted: bool = Field(default=False, title="Restricted")
    submission_key: str | None = Field(default=None, max_length=64, title="Submission key")

    _blanks = field_validator("organisation_id", "submission_key", mode="before")(blank_is_none)

    @field_validator("received_on")
    @classmethod
    def _not_future(cls, v: date) -> date:
        return not_future(v)

    @field_validator("organisation_id")
    @classmethod
    def _id_in_range(cls, v: int | None) -> int | None:
        if v is not None and not 1 <= v <= 2**31 - 1:
            raise ValueError("Select the employer from the list")
        return v

    @field_validator("subject_last_name")
    @classmethod
    def _both_names(cls, v: str, info: ValidationInfo) -> str:
        # Named or unnamed, never half named: a first name alone would reach the people index.
        first = info.data.get("subject_first_name", "")
        if bool(first) != bool(v):
            raise ValueError(
                "Enter the adult's last name as well as their first name, or leave both empty"
                if first
                else "subject_first_name: Enter the adult's first name as well as their last name, "
                "or leave both empty"
            )
        return v

    @property
    def adult_named(self) -> bool:
        return bool(self.subject_first_name and self.subject_last_name)


class ConsultationConversion(Versioned):
    """A consultation becomes a referral when a name and enough detail arrive: the same record
    moves on, its received date kept; the statutory clocks start on `converted_on`."""

    converted_on: date = Field(title="Date it became a referral")
    subject_first_name: str = Field(default="", max_length=100, title="Adult's first name")
    subject_last_name: str = Field(default="", max_length=100, title="Adult's last name")
    subject_date_of_birth: date | None = Field(default=None, title="Adult's date of birth")
    job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")
    summary: str = Field(min_length=1, max_length=20000, title="Summary of the allegation")

    _blanks = field_validator("subject_date_of_birth", mode="before")(blank_is_none)
    _dob = field_validator("subject_date_of_birth")(_dob)

    @field_validator("converted_on")
    @classmethod
    def _not_future(cls, v: date) -> date:
        return not_future(v)
