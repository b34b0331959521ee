"""Inputs of documents, shared by the form and the JSON API (both multipart: the file and these
fields). Whether the meeting or allegation belongs to the case is the service's to check."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from app.cases.schemas import Input
from app.forms import blank_is_none
from app.ids import MAX_ID


class DocumentCreate(Input):
    """What is said about a file being attached; the title defaults to the file's name."""

    title: str = Field(default="", max_length=200, title="Title")
    description: str = Field(default="", max_length=5000, title="Description")
    meeting_id: int | None = Field(default=None, ge=1, le=MAX_ID, title="Meeting")
    allegation_id: int | None = Field(default=None, ge=1, le=MAX_ID, title="Allegation")

    _blanks = field_validator("meeting_id", "allegation_id", mode="before")(blank_is_none)

    @model_validator(mode="after")
    def _one_record(self) -> DocumentCreate:
        if self.meeting_id is not None and self.allegation_id is not None:
            raise ValueError("attached_to: Attach the document to a meeting or to an allegation, not both")
        return self


class DocumentDelete(Input):
    reason: str = Field(min_length=1, max_length=2000, title="Reason for deleting the document")
