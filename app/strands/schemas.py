"""Inputs of strands and suspension, shared by the forms and the JSON API. Rules that need the
case or reference data (dates against the date received, the employer's disposal codes) are the
service's; these are the ones a form can check alone."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from app.cases.schemas import Input
from app.errors import CHOICE, yes_if
from app.forms import blank_is_none, not_future
from app.strands.models import ONGOING, WITH_OUTCOME, StrandStatus, SuspensionDecision


class StrandUpdate(Input):
    """A strand's status and outcome, each with the date it took effect."""

    #: The strand's version when the form was loaded (none: a strand not yet recorded, or the API).
    version: int | None = Field(default=None, title="Version")
    status: StrandStatus = Field(title="Status")
    status_on: date = Field(title="Date of the status")
    outcome_code: Annotated[str | None, CHOICE] = Field(default=None, max_length=40, title="Outcome")
    outcome_on: date | None = Field(default=None, title="Date of the outcome")
    notes: str = Field(default="", max_length=5000, title="Notes")

    _blanks = field_validator("outcome_code", "outcome_on", "version", mode="before")(blank_is_none)
    _dates = field_validator("status_on", "outcome_on")(not_future)

    @model_validator(mode="after")
    def _outcome_fits_status(self) -> StrandUpdate:
        if self.outcome_code is not None and self.status not in WITH_OUTCOME:
            raise ValueError(
                "outcome_code: A strand that is being considered or not taking place has no outcome: "
                "leave the outcome blank"
            )
        if self.status == StrandStatus.CONCLUDED and self.outcome_code in (None, ONGOING):
            raise ValueError("outcome_code: Select the outcome of the concluded strand")
        if self.outcome_code is not None and self.outcome_on is None:
            raise ValueError("outcome_on: Enter the date of the outcome")
        if self.outcome_code is None and self.outcome_on is not None:
            raise ValueError("outcome_on: Select the outcome, or leave the date of the outcome blank")
        return self


class SuspensionUpdate(Input):
    """KCSIE: suspension is never automatic; a decision to suspend says why, and what else was considered."""

    version: int | None = Field(default=None, title="Version")
    considered: Annotated[bool, yes_if("suspension was considered")] = Field(title="Suspension considered")
    considered_on: date | None = Field(default=None, title="Date suspension was considered")
    alternatives: str = Field(default="", max_length=5000, title="Alternatives considered")
    decision: SuspensionDecision | None = Field(default=None, title="Decision")
    reasons: str = Field(default="", max_length=5000, title="Reasons for the decision")
    decided_by: str = Field(default="", max_length=200, title="Who decided")
    decided_on: date | None = Field(default=None, title="Date of the decision")
    started_on: date | None = Field(default=None, title="Date the suspension started")
    reviewed_on: date | None = Field(default=None, title="Date the suspension was last reviewed")
    ended_on: date | None = Field(default=None, title="Date the suspension ended")

    _blanks = field_validator(
        "considered_on",
        "decision",
        "decided_on",
        "started_on",
        "reviewed_on",
        "ended_on",
        "version",
        mode="before",
    )(blank_is_none)
    _dates = field_validator("considered_on", "decided_on", "started_on", "reviewed_on", "ended_on")(
        not_future
    )


def suspension_problems(s: SuspensionUpdate) -> dict[str, str]:
    """Every rule across the suspension's fields that `s` breaks, by field (all told at once)."""
    found: dict[str, str] = {}
    if not s.considered:
        given = [
            f
            for f in ("considered_on", "decision", "decided_on", "started_on", "reviewed_on", "ended_on")
            if getattr(s, f) is not None
        ] + [f for f in ("alternatives", "decided_by") if getattr(s, f)]
        if given:
            found[given[0]] = (
                "Select yes if suspension was considered, or leave the decision and its dates blank"
            )
        return found
    for field, message in (
        ("considered_on", "Enter the date suspension was considered"),
        ("decision", "Select the decision"),
        ("reasons", "Enter the reasons for the decision"),
        ("decided_by", "Enter who decided, with their role"),
        ("decided_on", "Enter the date of the decision"),
    ):
        if getattr(s, field) in (None, ""):
            found[field] = message
    if s.decision == SuspensionDecision.SUSPENDED and not s.alternatives:
        found["alternatives"] = "Enter the alternatives to suspension that were considered"
    if s.decision != SuspensionDecision.SUSPENDED:
        for f in ("started_on", "reviewed_on", "ended_on"):
            if getattr(s, f) is not None:
                found[f] = "Only a suspension has a start, review or end: leave these dates blank"
                break
    if s.considered_on and s.decided_on and s.decided_on < s.considered_on:
        found.setdefault(
            "decided_on", "The date of the decision must be on or after the date it was considered"
        )
    if s.started_on is None:
        for f in ("reviewed_on", "ended_on"):
            if getattr(s, f) is not None:
                found["started_on"] = "Enter the date the suspension started"
                break
    else:
        for f, label in (("reviewed_on", "last reviewed"), ("ended_on", "ended")):
            day = getattr(s, f)
            if day is not None and day < s.started_on:
                found[f] = f"The date the suspension {label} must be on or after the date it started"
    return found
