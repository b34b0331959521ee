"""Inputs of allocation and cover, shared by the forms and the JSON API."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from app.cases.schemas import Input, Versioned
from app.errors import CHOICE
from app.ids import MAX_ID, RecordId

#: An officer picked from a select ("Select the officer"); like every id, within 1..MAX_ID.
OfficerId = Annotated[int, CHOICE, Field(ge=1, le=MAX_ID)]
Reason = Annotated[str, Field(max_length=2000)]


class Reallocation(Versioned):
    officer_id: OfficerId = Field(title="Officer")
    reason: str = Field(min_length=1, max_length=2000, title="Reason")


class CoWorkerChange(Versioned):
    officer_id: OfficerId = Field(title="Co-worker")
    reason: Reason = Field(default="", title="Reason")


class CoverStart(Input):
    absent_officer_id: OfficerId = Field(title="Absent officer")
    #: Who takes every case not given to someone else in `assignments` (none: each case is assigned).
    covering_officer_id: int | None = Field(default=None, ge=1, le=MAX_ID, title="Covering officer")
    #: Case id -> the officer who covers that case.
    assignments: dict[RecordId, RecordId] = Field(default_factory=dict, max_length=1000)
    reason: str = Field(min_length=1, max_length=2000, title="Reason")
    #: The cases the page showed: the cover is refused (409) if the officer's open cases changed since.
    case_ids: list[RecordId] | None = Field(default=None, max_length=1000)

    @field_validator("covering_officer_id", mode="before")
    @classmethod
    def _blank(cls, v: object) -> object:
        return None if v in ("", None) else v


class CoverEnd(Input):
    reason: Reason = Field(default="", title="Reason")
