"""Inputs of areas, transfers and notifications, shared by the forms and the JSON API.

Rules checked here (with the other fields' problems, at once): another LADO leads only with its
name; an incident period ends on or after it starts; no date is in the future."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from app.cases.schemas import Input, Versioned
from app.errors import CHOICE, yes_if
from app.forms import blank_is_none, not_future

Area = Annotated[str, Field(max_length=200)]
Lado = Annotated[str, Field(min_length=1, max_length=200)]


def _yes_no_blank(value: object) -> object:
    """Radios answered yes or no, or left unanswered (not recorded)."""
    if value in ("", None):
        return None
    if isinstance(value, str) and value.lower() in ("yes", "no"):
        return value.lower() == "yes"
    return value


class AreasFields(Input):
    """The where and when of a case and who referred it: on the new-referral form and the case's
    Areas page. Every field may be left blank (not recorded yet)."""

    referrer_agency_code: Annotated[str, CHOICE] = Field(default="", max_length=40, title="Referrer's agency")
    work_area: Area = Field(default="", title="Council area where the adult works")
    home_area: Area = Field(default="", title="Council area where the adult lives")
    incident_area: Area = Field(default="", title="Council area where the incident happened")
    led_here: Annotated[bool, yes_if("this LADO leads the case")] = Field(default=True, title="Lead LADO")
    lead_lado: Area = Field(default="", title="Lead LADO", validate_default=True)
    incident_from: date | None = Field(default=None, title="Date of the incident (or when it began)")
    incident_to: date | None = Field(default=None, title="When the incident ended", validate_default=True)
    incident_period: Area = Field(default="", title="Incident period")
    non_recent: Annotated[bool | None, yes_if("the allegation is non-recent")] = Field(
        default=None, title="Non-recent allegation"
    )

    _blank_dates = field_validator("incident_from", "incident_to", mode="before")(blank_is_none)
    _not_future = field_validator("incident_from", "incident_to")(not_future)
    _yes_no = field_validator("non_recent", mode="before")(_yes_no_blank)

    @field_validator("led_here", mode="before")
    @classmethod
    def _led(cls, value: object) -> object:
        return True if value in ("", None) else _yes_no_blank(value)

    @field_validator("lead_lado")
    @classmethod
    def _lead_named(cls, v: str, info: ValidationInfo) -> str:
        if not v and info.data.get("led_here") is False:
            raise ValueError("Enter the name of the LADO that leads the case")
        return v

    @field_validator("incident_to")
    @classmethod
    def _ends_after_start(cls, v: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("incident_from")
        if v is not None and start is not None and v < start:
            raise ValueError("The date the incident ended must be the same as or after the date it began")
        return v


class AreasUpdate(AreasFields, Versioned):
    pass


class TransferFields(Input):
    other_lado: Lado = Field(title="The other LADO")
    transferred_on: date = Field(title="Date of the transfer")
    other_reference: str = Field(default="", max_length=100, title="The other LADO's reference")
    reason: str = Field(default="", max_length=5000, title="Reason")

    _not_future = field_validator("transferred_on")(not_future)


class TransferOut(TransferFields, Versioned):
    """Closes the case here as transferred; the receiving LADO leads it from the transfer date."""

    reason: str = Field(min_length=1, max_length=5000, title="Reason for the transfer")


class TransferIn(TransferFields, Versioned):
    """The case was received from another LADO, with its reference."""

    other_reference: str = Field(min_length=1, max_length=100, title="The other LADO's reference")


class NotificationCreate(Input):
    lado: Lado = Field(title="LADO notified")
    notified_on: date = Field(title="Date notified")
    reason: str = Field(default="", max_length=5000, title="What was shared and why")

    _not_future = field_validator("notified_on")(not_future)


class NewCaseAreas(AreasFields):
    """On the new-referral form: also whether the case was received from another LADO (the
    transfer in is then dated the day the case was received)."""

    received_from_lado: Area = Field(default="", title="LADO the case was received from")
    received_from_reference: str = Field(
        default="", max_length=100, title="That LADO's reference", validate_default=True
    )

    @field_validator("received_from_reference")
    @classmethod
    def _reference_given(cls, v: str, info: ValidationInfo) -> str:
        if not v and info.data.get("received_from_lado"):
            raise ValueError("Enter the other LADO's reference for the case")
        return v
