"""Input and output shapes for organisations."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.errors import CHOICE
from app.forms import blank_is_none, email_address
from app.ids import RecordId


class OrganisationForm(BaseModel):
    """What an administrator may set on an organisation (extra fields are ignored)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200, title="Organisation's name")
    sector_code: Annotated[str | None, CHOICE] = Field(default=None, title="Sector")


class OrganisationOut(BaseModel):
    """One organisation as the typeahead search returns it."""

    id: int
    name: str
    sector_code: str | None


class Input(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class ContactForm(Input):
    name: str = Field(min_length=1, max_length=200, title="Contact's name")
    role: str = Field(default="", max_length=200, title="Contact's role")
    email: str = Field(min_length=1, max_length=254, title="Contact's e-mail address")
    phone: str = Field(default="", max_length=50, title="Contact's telephone number")
    is_primary: bool = Field(default=False, title="Primary HR liaison")
    user_id: Annotated[RecordId | None, CHOICE] = Field(default=None, title="User account")

    _blanks = field_validator("user_id", mode="before")(blank_is_none)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        return email_address(v)


class DeliveryOptions(Input):
    email_attach_pdf: bool = Field(default=False, title="Attach the PDF to the e-mail")
