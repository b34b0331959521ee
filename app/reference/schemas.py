"""Input and output shapes for reference data. The code is only ever read on creation: an edit
form that posts one has it ignored (extra fields are dropped, never stored)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

CODE_RE = re.compile(r"[a-z0-9_]{2,40}")


def _yes_no(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "no", "true", "false"):
        return value.lower() in ("yes", "true")
    raise ValueError("Select whether the item is in use")


class ReferenceItemUpdate(BaseModel):
    """What an administrator may change on an item."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    label: str = Field(min_length=1, max_length=200, title="Label")
    display_order: int = Field(title="Display order")
    active: bool = Field(title="Whether the item is in use")
    #: Sectors only: the agency group the sector counts under in the annual report.
    agency_group_code: str | None = Field(default=None, title="Agency group")
    #: Outcomes only: the KCSIE definition printed in letters.
    definition: str | None = Field(default=None, max_length=2000, title="Definition")

    _active = field_validator("active", mode="before")(_yes_no)

    @field_validator("display_order")
    @classmethod
    def _order_range(cls, value: int) -> int:
        if not 0 <= value <= 9999:
            raise ValueError("Display order must be between 0 and 9999")
        return value


class ReferenceItemCreate(ReferenceItemUpdate):
    code: str = Field(title="Code")

    @field_validator("code", mode="before")
    @classmethod
    def _check_code(cls, value):
        value = value.strip() if isinstance(value, str) else value
        if not isinstance(value, str) or not CODE_RE.fullmatch(value):
            raise ValueError(
                "Code must be 2 to 40 characters, using only lowercase letters, digits and underscores"
            )
        return value


class ReferenceItemOut(BaseModel):
    """One item as the JSON API lists it."""

    code: str
    label: str
    display_order: int
    active: bool
    agency_group_code: str | None = None
    definition: str | None = None
