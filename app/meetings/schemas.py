"""Inputs of meetings and actions (HTML forms). Unknown fields are ignored, never stored."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from app.cases.schemas import Code, Input
from app.clock import today
from app.errors import CHOICE, yes_if
from app.forms import blank_is_none, email_address, not_future
from app.meetings.models import SectionRestriction, SendMethod, Strand

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class AttendeeIn(Input):
    #: Messages name the row: "Enter attendee 2's name".
    item_name: ClassVar[str] = "Attendee"

    name: str = Field(min_length=1, max_length=200, title="Name")
    organisation: str = Field(default="", max_length=200, title="Organisation")
    role: str = Field(default="", max_length=200, title="Role")
    attended: bool = Field(default=True, title="Attended")


def _clock_time(v, message: str):
    if isinstance(v, str) and v.strip():
        m = _TIME.match(v.strip())
        if not m:
            raise ValueError(message)
        return time(int(m.group(1)), int(m.group(2)))
    return None if isinstance(v, str) else v  # left blank: "Enter the time of the meeting"


class MeetingForm(Input):
    version: int | None = Field(default=None, title="Version")
    meeting_type_code: Code = Field(min_length=1, max_length=40, title="Type of meeting")
    held_on: date = Field(title="Date of the meeting")
    held_time: time = Field(title="Time of the meeting")
    attendees: list[AttendeeIn] = Field(default_factory=list, max_length=40, title="Attendees")
    minutes: str = Field(default="", max_length=50000, title="Minutes")
    decisions: str = Field(default="", max_length=20000, title="Decisions")
    police_strand: Strand | None = Field(default=None, title="Police investigation")
    social_care_strand: Strand | None = Field(default=None, title="Children's social care")
    employer_strand: Strand | None = Field(default=None, title="Employer's disciplinary process")
    suspension_considered: Annotated[bool, yes_if("suspension was considered")] = Field(
        title="Suspension considered"
    )
    suspension_notes: str = Field(default="", max_length=5000, title="Suspension: what was decided")
    next_review_on: date | None = Field(default=None, title="Date of the next review")
    delay_reason: str = Field(default="", max_length=5000, title="Reason for the delay")
    #: The planned meeting this records as held (app/meetings/plans.py), if any.
    plan_id: int | None = Field(default=None, ge=1, le=2**31 - 1, title="Planned meeting")

    _blanks = field_validator(
        "police_strand",
        "social_care_strand",
        "employer_strand",
        "next_review_on",
        "version",
        "plan_id",
        mode="before",
    )(blank_is_none)

    @field_validator("held_time", mode="before")
    @classmethod
    def _time(cls, v):
        return _clock_time(v, "Enter the time of the meeting like 14:30")

    @field_validator("held_on")
    @classmethod
    def _held(cls, v: date) -> date:
        return not_future(v)

    @model_validator(mode="after")
    def _review_after_meeting(self) -> MeetingForm:
        if self.next_review_on is not None and self.next_review_on <= self.held_on:
            raise ValueError(
                "next_review_on: The date of the next review must be after the date of the meeting"
            )
        if self.suspension_notes and not self.suspension_considered:
            raise ValueError(
                "suspension_notes: Select yes if suspension was considered, or leave what was decided blank"
            )
        return self


class ActionForm(Input):
    description: str = Field(min_length=1, max_length=5000, title="Action")
    owner_user_id: Annotated[int | None, CHOICE] = Field(
        default=None, ge=1, le=2**31 - 1, title="Owner in the LADO team"
    )
    owner_name: str = Field(default="", max_length=200, title="Owner's name", validate_default=True)
    owner_organisation: str = Field(default="", max_length=200, title="Owner's organisation")
    due_on: date = Field(title="Due date")
    done_on: date | None = Field(default=None, title="Date done")
    meeting_id: Annotated[int | None, CHOICE] = Field(default=None, ge=1, le=2**31 - 1, title="Meeting")

    _blanks = field_validator("owner_user_id", "done_on", "meeting_id", mode="before")(blank_is_none)

    @field_validator("done_on")
    @classmethod
    def _done(cls, v: date | None) -> date | None:
        return not_future(v)

    @field_validator("owner_name")
    @classmethod
    def _owner(cls, v: str, info: ValidationInfo) -> str:
        # A rule across fields, checked as a field's so that it is told with the others at once.
        if not v and "owner_user_id" in info.data and info.data["owner_user_id"] is None:
            raise ValueError("Enter who owns the action, or select someone in the LADO team")
        return v


class InviteeIn(Input):
    item_name: ClassVar[str] = "Invitee"

    name: str = Field(min_length=1, max_length=200, title="Name")
    organisation: str = Field(default="", max_length=200, title="Organisation")
    role: str = Field(default="", max_length=200, title="Role")
    email: str = Field(default="", max_length=320, title="E-mail address")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        return email_address(v) if v else v


class PlanForm(Input):
    """A meeting arranged ahead; its date is today or later (a meeting already held is recorded)."""

    version: int | None = Field(default=None, title="Version")
    meeting_type_code: Code = Field(min_length=1, max_length=40, title="Type of meeting")
    starts_on: date = Field(title="Date of the meeting")
    starts_time: time = Field(title="Start time")
    duration_minutes: int = Field(default=60, ge=15, le=480, title="Length in minutes")
    location: str = Field(default="", max_length=300, title="Where")
    agenda: str = Field(default="", max_length=5000, title="Agenda")
    invitees: list[InviteeIn] = Field(default_factory=list, max_length=40, title="Invitees")

    _blanks = field_validator("version", mode="before")(blank_is_none)

    @field_validator("starts_time", mode="before")
    @classmethod
    def _time(cls, v):
        return _clock_time(v, "Enter the start time like 14:30")

    @field_validator("starts_on")
    @classmethod
    def _ahead(cls, v: date) -> date:
        if v < today():
            raise ValueError(
                "The date of the meeting must be today or in the future: record a meeting already held"
            )
        return v

    @field_validator("duration_minutes", mode="before")
    @classmethod
    def _default_length(cls, v):
        return 60 if v in (None, "") else v


class PlanCancel(Input):
    version: int | None = Field(default=None, title="Version")
    reason: str = Field(min_length=1, max_length=2000, title="Reason for cancelling")

    _blanks = field_validator("version", mode="before")(blank_is_none)


# ---- minutes and their distribution (app/meetings/minutes.py) ---------------------------------


class SectionIn(Input):
    item_name: ClassVar[str] = "Section"

    heading: str = Field(min_length=1, max_length=200, title="Heading")
    body: str = Field(default="", max_length=50000, title="Text")
    restriction: SectionRestriction = Field(default=SectionRestriction.NONE, title="Restriction")


class MinutesDraft(Input):
    """The draft's sections, in order; `row_version` is the draft's version the form was shown with."""

    row_version: int | None = Field(default=None, title="Version")
    sections: list[SectionIn] = Field(min_length=1, max_length=30, title="Sections")

    _blanks = field_validator("row_version", mode="before")(blank_is_none)


class MinutesFinalise(Input):
    row_version: int | None = Field(default=None, title="Version")

    _blanks = field_validator("row_version", mode="before")(blank_is_none)


class RecipientForm(Input):
    name: str = Field(min_length=1, max_length=200, title="Name")
    agency: str = Field(min_length=1, max_length=200, title="Agency or organisation")
    role: str = Field(default="", max_length=200, title="Role")
    email: str = Field(default="", max_length=320, title="E-mail address")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        return email_address(v) if v else v


class SendForm(Input):
    """One finalised version sent to one recipient on the list, and what was withheld from them."""

    recipient_id: Annotated[int | None, CHOICE] = Field(ge=1, le=2**31 - 1, title="Recipient")
    method: SendMethod = Field(title="How they were sent")
    sent_on: date = Field(title="Date sent")
    withheld_section_ids: list[int] = Field(default_factory=list, max_length=30, title="Sections withheld")
    withheld_reason: str = Field(default="", max_length=5000, title="Why they were withheld")

    _blanks = field_validator("recipient_id", mode="before")(blank_is_none)

    @field_validator("sent_on")
    @classmethod
    def _sent(cls, v: date) -> date:
        return not_future(v)

    @model_validator(mode="after")
    def _reason(self) -> SendForm:
        if self.withheld_section_ids and not self.withheld_reason.strip():
            raise ValueError("withheld_reason: Enter why the sections were withheld from this recipient")
        return self
