"""The audit search's filters."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from app.audit.models import Verb
from app.forms import Form


class AuditFilterForm(Form):
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
