"""Inputs of subject access, shared by the forms and the JSON API. Rules that need the database
(the case reference, the request's status, the bundle's items) are the service's."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator

from app.cases.schemas import Input
from app.errors import CHOICE, yes_if
from app.forms import not_future

#: Why a passage is withheld (DPA 2018 Schedule 2 Part 3: other people's information).
REDACTION_REASONS = {
    "child": "A child's name or details",
    "referrer": "The referrer's details",
    "third_party": "Another person's information",
    "police": "Police-sensitive information",
    "other_exemption": "Another exemption (DPA 2018 Schedule 2)",
}
RedactionReason = Literal["child", "referrer", "third_party", "police", "other_exemption"]


class RequestCreate(Input):
    """A subject access request: the data subject is the adult of the case named by reference."""

    case_reference: str = Field(min_length=1, max_length=40, title="Reference of one of the person's cases")
    requester_name: str = Field(min_length=1, max_length=200, title="Name of the requester")
    requester_relationship: str = Field(default="", max_length=200, title="Who the requester is")
    received_on: date = Field(title="Date the request was received")
    identity_verified: Annotated[bool, yes_if("the requester's identity was verified")] = Field(
        title="Identity verified"
    )

    _dates = field_validator("received_on")(not_future)


class StatusChange(Input):
    """Verifying the requester's identity (how), extending the request (by two further months,
    UK GDPR Article 12(3)) or refusing it, with why."""

    status: Literal["verified", "extended", "refused"] = Field(title="What happened")
    changed_on: date = Field(title="Date of the change")
    why: str = Field(min_length=1, max_length=5000, title="Reason for the change")

    _dates = field_validator("changed_on")(not_future)


class RedactionCreate(Input):
    """A passage of one item of the bundle to withhold, with the reason."""

    item_key: Annotated[str, CHOICE] = Field(min_length=1, max_length=80, title="Item of the bundle")
    passage: str = Field(min_length=1, max_length=5000, title="Passage to redact")
    reason: RedactionReason = Field(title="Reason for the redaction")
