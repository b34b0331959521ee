"""Inputs of the incident groups: another adult of a case's incident (the case page's "Add
another adult from this incident", and the API)."""

from __future__ import annotations

from pydantic import Field

from app.cases.schemas import OtherAdult, Versioned
from app.corrections.plausibility import Confirmable


class AdultForIncident(OtherAdult, Versioned, Confirmable):
    """The adult gets a case of their own, with the incident's contact, employer, categories,
    summary, children and areas; they can be corrected on the new case afterwards."""

    first_name: str = Field(min_length=1, max_length=100, title="Adult's first name")
    last_name: str = Field(min_length=1, max_length=100, title="Adult's last name")
    job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")
