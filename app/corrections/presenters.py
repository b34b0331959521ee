"""What the correction forms show first: the case's facts as they are now, as form values."""

from __future__ import annotations

from typing import Any

from app.cases.models import Case, Child
from app.corrections.service import REFERRER_FIELDS


def adult_values(case: Case) -> dict[str, Any]:
    person = case.person
    return {
        "version": case.version,
        "first_name": person.first_name if person else "",
        "last_name": person.last_name if person else "",
        "date_of_birth": person.date_of_birth.isoformat() if person and person.date_of_birth else "",
        "job_title": case.job_title,
    }


def employer_values(case: Case) -> dict[str, Any]:
    return {
        "version": case.version,
        "organisation_id": str(case.organisation_id) if case.organisation_id else "",
        "sector_code": case.sector_code,
    }


def referrer_values(case: Case) -> dict[str, Any]:
    return {"version": case.version, **{f: getattr(case, f) for f in REFERRER_FIELDS}}


def child_values(case: Case, child: Child | None) -> dict[str, Any]:
    if child is None:
        return {"version": case.version}
    return {
        "version": case.version,
        "initials": child.initials,
        "age": "" if child.age is None else str(child.age),
        "gender": child.gender,
    }


def child_label(number: int, child: Child) -> str:
    """Child 2 (AB, 7, girl)."""
    facts = [child.initials, "" if child.age is None else f"aged {child.age}", child.gender]
    return f"Child {number} ({', '.join(f for f in facts if f)})"
