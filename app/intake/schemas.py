"""The public online referral form, and the LADO's decisions on an intake. Every field has a
size limit; unknown fields are ignored; text the database cannot store is refused."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from app.cases.schemas import Code, Input, upper_initials
from app.errors import Ask, Asked
from app.forms import blank_is_none, email_address, not_future

MAX_CHILDREN = 3
RELOAD = Asked(Ask.TEXT, "Go back to the form, reload the page and send it again")


class ChildIn(Input):
    #: Messages name the row: "Enter child 2's initials", "Child 1's age must be between 0 and 17".
    item_name: ClassVar[str] = "Child"

    initials: str = Field(min_length=1, max_length=10, title="Initials")
    age: int | None = Field(default=None, ge=0, le=17, title="Age")

    _upper = field_validator("initials")(upper_initials)


class ReferralForm(Input):
    #: A hidden field of the page: missing only when the page did not come from this service.
    submission_key: Annotated[str, RELOAD] = Field(min_length=16, max_length=64, title="Form key")
    referrer_name: str = Field(min_length=1, max_length=200, title="Your name")
    referrer_role: str = Field(default="", max_length=200, title="Your role")
    referrer_email: str = Field(min_length=1, max_length=254, title="Your e-mail address")
    referrer_phone: str = Field(default="", max_length=50, title="Your phone number")
    organisation_name: str = Field(min_length=1, max_length=200, title="Name of the organisation")
    organisation_address: str = Field(default="", max_length=500, title="Address of the organisation")
    sector_code: Code = Field(default="", max_length=40, title="Type of organisation")
    adult_first_name: str = Field(min_length=1, max_length=100, title="Adult's first name")
    adult_last_name: str = Field(min_length=1, max_length=100, title="Adult's last name")
    adult_date_of_birth: date | None = Field(default=None, title="Adult's date of birth")
    adult_job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")
    children: list[ChildIn] = Field(default_factory=list, max_length=MAX_CHILDREN, title="Children")
    what_happened: str = Field(min_length=1, max_length=10000, title="What happened")
    happened_on: date | None = Field(default=None, title="Date it happened")
    action_taken: str = Field(default="", max_length=5000, title="What you have done so far")
    suspended: Literal["yes", "no", "not_yet"] = Field(title="Whether the adult has been suspended")

    @field_validator("children", mode="before")
    @classmethod
    def _at_most(cls, v):
        if isinstance(v, list) and len(v) > MAX_CHILDREN:
            raise ValueError(
                f"Enter no more than {MAX_CHILDREN} children here: the LADO will ask about any others"
            )
        return v

    _blanks = field_validator("adult_date_of_birth", "happened_on", mode="before")(blank_is_none)

    @field_validator("referrer_email")
    @classmethod
    def _email(cls, v: str) -> str:
        return email_address(v, "Enter your e-mail address in the correct format, like name@example.org")

    @field_validator("adult_date_of_birth")
    @classmethod
    def _dob(cls, v: date | None) -> date | None:
        if v is not None and v.year < 1900:
            raise ValueError("Adult's date of birth must be after 1900")
        return not_future(v)

    @field_validator("happened_on")
    @classmethod
    def _happened(cls, v: date | None) -> date | None:
        return not_future(v)


class CloseIntake(Input):
    """Closed as advice given, the referral is recorded as a consultation (app/consultations): it
    needs the category it is counted under, and a sector when the sender gave none."""

    reason: str = Field(min_length=1, max_length=5000, title="Advice given")
    primary_category_code: Code = Field(min_length=1, max_length=40, title="Category")
    sector_code: Code = Field(default="", max_length=40, title="Sector")
