"""Input of the sharing log, shared by the form and the JSON API. Whether the agency and the
lawful basis name active reference data, and the date against the case, are the service's rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, field_validator

from app.cases.schemas import Input
from app.disclosures.models import DisclosureMethod
from app.errors import CHOICE
from app.forms import not_future


class DisclosureCreate(Input):
    """One disclosure to another agency: what, to whom, when, how, and on which lawful basis."""

    shared_on: date = Field(title="Date it was shared")
    what: str = Field(min_length=1, max_length=5000, title="What was shared")
    agency_code: Annotated[str, CHOICE] = Field(min_length=1, max_length=40, title="Kind of agency")
    agency_name: str = Field(min_length=1, max_length=200, title="Name of the agency")
    recipient_name: str = Field(min_length=1, max_length=200, title="Name of the person it was shared with")
    recipient_role: str = Field(default="", max_length=200, title="Their role")
    method: DisclosureMethod = Field(title="How it was shared")
    lawful_basis_code: Annotated[str, CHOICE] = Field(min_length=1, max_length=40, title="Lawful basis")
    notes: str = Field(default="", max_length=5000, title="Notes")

    _dates = field_validator("shared_on")(not_future)
