"""Inputs of the letter pages. Unknown fields are ignored, never stored: a posted `status`,
`organisation_id`, `pdf_sha256` or `version` changes nothing."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.errors import CHOICE
from app.forms import blank_is_none, email_address
from app.ids import RecordId
from app.letters.docx import MAX_BODY_CHARS
from app.letters.models import LetterKind


class Input(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class DraftCreate(Input):
    kind: LetterKind = Field(title="Which letter")


class DraftEdit(Input):
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS, title="The letter")
    contact_id: Annotated[RecordId | None, CHOICE] = Field(default=None, title="Who receives the letter")
    #: The draft's row_version when the form was loaded: someone else's save in between is a conflict.
    row_version: int | None = Field(default=None, title="Version")

    _blanks = field_validator("contact_id", mode="before")(blank_is_none)


class Finalise(Input):
    row_version: int | None = Field(default=None, title="Version")
    #: Required when the case changed after the draft's text was made from the template.
    checked_against_case: bool = Field(default=False, title="Checked against the case")


class TemplateEdit(Input):
    name: str = Field(min_length=1, max_length=200, title="Name of the template")
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS, title="Text of the template")

    @field_validator("body", mode="before")
    @classmethod
    def _newlines(cls, v):
        return v.replace("\r\n", "\n") if isinstance(v, str) else v


class LetterSettingsForm(Input):
    letterhead: str = Field(default="", max_length=1000, title="Letterhead")
    letters_lado_phone: str = Field(default="", max_length=50, title="LADO team telephone")
    letters_lado_email: str = Field(default="", max_length=254, title="LADO team e-mail address")

    @field_validator("letters_lado_email")
    @classmethod
    def _email(cls, v: str) -> str:
        return email_address(v) if v else v
