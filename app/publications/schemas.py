"""Publishing a report (its form and JSON body) and a published report in the API's shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.forms import blank_is_none, not_future
from app.publications.models import PublishedReport
from app.publications.service import Difference
from app.reports.service import FIRST_YEAR, LAST_YEAR


class PublishRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    start_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, title="Reporting year")
    as_at: date | None = Field(default=None, title="As-at date", description="Default: today")
    note: str = Field(default="", max_length=2000, title="Note", description="What the publication is for")

    _blank = field_validator("as_at", mode="before")(blank_is_none)
    _past = field_validator("as_at")(not_future)


class PublishedSummary(BaseModel):
    id: int
    year: str = Field(examples=["2019-20"])
    start_year: int
    as_at: date
    sha256: str = Field(description="SHA-256 (hex) of `figures` as canonical JSON (sorted keys, no spaces)")
    note: str
    published_at: datetime
    published_by: str | None

    @classmethod
    def of(cls, published: PublishedReport) -> PublishedSummary:
        return cls(
            id=published.id,
            year=published.year_label,
            start_year=published.start_year,
            as_at=published.as_at,
            sha256=published.sha256,
            note=published.note,
            published_at=published.published_at,
            published_by=published.published_by.name if published.published_by else None,
        )


class ChangeOut(BaseModel):
    when: str
    who: str
    what: str


class MovedOut(BaseModel):
    case_id: int
    reference: str = Field(description="Empty for a case you may not see, or whose record no longer exists")
    direction: str = Field(description="`in`: counted now and not when published; `out`: the other way")
    changes: list[ChangeOut] = Field(description="What was done to the case since the report was published")


class DifferenceOut(BaseModel):
    table: str
    table_title: str
    row: str
    row_label: str
    column: int
    column_label: str
    published: Any
    now: Any
    moved: list[MovedOut]

    @classmethod
    def of(cls, d: Difference) -> DifferenceOut:
        return cls.model_validate(d, from_attributes=True)


class PublishedOut(PublishedSummary):
    figures: dict[str, Any] = Field(description="The report as published (annual-report.md's JSON shape)")
    now: dict[str, Any] = Field(
        description="The same year as at the same date, computed from the case data now"
    )
    differences: list[DifferenceOut] = Field(
        description="Every cell whose figure differs, with the cases that moved"
    )
