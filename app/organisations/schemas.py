"""Input and output shapes for organisations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OrganisationForm(BaseModel):
    """What an administrator may set on an organisation (extra fields are ignored)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200, title="Name")
    sector_code: str | None = Field(default=None, title="Sector")


class OrganisationOut(BaseModel):
    """One organisation as the typeahead search returns it."""

    id: int
    name: str
    sector_code: str | None
