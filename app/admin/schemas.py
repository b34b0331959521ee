"""Forms of the administrator's pages. Every form ignores fields it does not name, so a posted
`code`, `email`, `is_active` or `password_hash` is never stored (mass assignment)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.audit.models import Verb
from app.auth.models import Role
from app.errors import ValidationFailed
from app.forms import validate

M = TypeVar("M", bound=BaseModel)


def validate_form(model: type[M], data: dict[str, Any], required: dict[str, str]) -> M:
    """`model` built from `data`; a blank required field gets the message given for it in
    `required` ("Enter the user's name") rather than a generic one; all problems at once."""
    blank = {f: msg for f, msg in required.items() if data.get(f) in (None, "", [])}
    try:
        result = validate(model, {k: v for k, v in data.items() if k not in blank})
    except ValidationFailed as exc:
        raise ValidationFailed({**exc.errors, **blank}) from None
    if blank:
        raise ValidationFailed(blank)
    return result


def _in_range(low: int, high: int, message: str):
    """A range check with a message of our own (pydantic's names only one bound)."""

    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(message)
        return value

    return check


def _yes_no(message: str):
    def check(value):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("yes", "no"):
            return value.lower() == "yes"
        raise ValueError(message)

    return check


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _known_role(value):
    if value not in {r.value for r in Role}:
        raise ValueError("Select the user's role")
    return value


class UserCreateForm(_Form):
    name: str = Field(min_length=1, max_length=200, title="Name")
    email: str = Field(min_length=1, max_length=254, title="E-mail address")
    role: Role = Field(title="Role")
    organisations: list[int] = Field(default_factory=list, title="Organisations")
    password: str = Field(min_length=1, max_length=256, title="Initial password")

    _role = field_validator("role", mode="before")(_known_role)


USER_CREATE_REQUIRED = {
    "name": "Enter the user's name",
    "email": "Enter the user's e-mail address",
    "role": "Select the user's role",
    "password": "Enter an initial password",
}


class UserUpdateForm(_Form):
    """An administrator may change these; the e-mail address and password are not changed here."""

    name: str = Field(min_length=1, max_length=200, title="Name")
    role: Role = Field(title="Role")
    organisations: list[int] = Field(default_factory=list, title="Organisations")
    active: bool = Field(title="Whether the account is active")

    _role = field_validator("role", mode="before")(_known_role)
    _active = field_validator("active", mode="before")(_yes_no("Select whether the account is active"))


USER_UPDATE_REQUIRED = {
    "name": "Enter the user's name",
    "role": "Select the user's role",
    "active": "Select whether the account is active",
}


class StartMonthForm(_Form):
    reporting_year_start_month: int = Field(title="Start month")

    _month = field_validator("reporting_year_start_month")(_in_range(1, 12, "Select a month from January to December"))


START_MONTH_REQUIRED = {"reporting_year_start_month": "Select the month the reporting year starts"}


class ChildPopulationForm(_Form):
    from_year: int = Field(title="Year it applies from")
    population: int = Field(title="Child population")

    _year = field_validator("from_year")(_in_range(2000, 2100, "Enter a year from 2000 to 2100, like 2024"))
    _population = field_validator("population")(
        _in_range(1, 100_000_000, "The child population must be a whole number greater than 0"))

    @field_validator("population", mode="before")
    @classmethod
    def _digits(cls, value):
        """Accept "64,500" as people write it."""
        return value.replace(",", "").replace(" ", "") if isinstance(value, str) else value


CHILD_POPULATION_REQUIRED = {
    "from_year": "Enter the reporting year the figure applies from, like 2024",
    "population": "Enter the child population aged 0 to 17",
}


class AuditFilterForm(_Form):
    """Filters of the audit search. Every one is optional."""

    user: str | None = Field(default=None, max_length=254, title="User's e-mail address")
    case: str | None = Field(default=None, max_length=40, title="Case")
    date_from: date | None = Field(default=None, title="From date")
    date_to: date | None = Field(default=None, title="To date")
    verb: Verb | None = Field(default=None, title="Action")

    @field_validator("user", "case", mode="before")
    @classmethod
    def _blank(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("date_from", "date_to")
    @classmethod
    def _sensible_year(cls, value):
        if value is not None and not 2000 <= value.year <= 2100:
            raise ValueError("Enter a date between 2000 and 2100")
        return value

    @field_validator("verb", mode="before")
    @classmethod
    def _verb(cls, value):
        if value in (None, ""):
            return None
        if value not in {v.value for v in Verb}:
            raise ValueError("Select an action from the list")
        return value
