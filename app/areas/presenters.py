"""What the case's Areas and transfers page shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.areas import repository
from app.areas.models import CaseAreas, CaseTransfer
from app.areas.service import FIELDS
from app.cases import rules
from app.cases.models import Case
from app.reference.models import ReferrerAgency
from app.reference.service import options

YES_NO = [("yes", "Yes"), ("no", "No")]
LEAD_OPTIONS = [("yes", "This LADO"), ("no", "Another LADO")]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def form_values(areas: CaseAreas | None) -> dict[str, Any]:
    """The areas form as the case holds it (dates as ISO strings, yes/no as the radios')."""
    if areas is None:
        return {"led_here": "yes"}
    values: dict[str, Any] = {f: getattr(areas, f) for f in FIELDS}
    values["referrer_agency_code"] = areas.referrer_agency_code or ""
    values["led_here"] = _yes_no(areas.led_here)
    values["non_recent"] = _yes_no(areas.non_recent)
    for name in ("incident_from", "incident_to"):
        values[name] = values[name].isoformat() if isinstance(values[name], date) else ""
    return values


def when_text(areas: CaseAreas | None) -> str:
    """The incident date or period in words: "3 March 1998 to 5 May 1999", "summer 1998"."""
    if areas is None:
        return ""
    parts = []
    if areas.incident_from is not None:
        parts.append(f"{areas.incident_from:%-d %B %Y}")
    if areas.incident_to is not None and areas.incident_to != areas.incident_from:
        parts.append(f"to {areas.incident_to:%-d %B %Y}")
    if areas.incident_period:
        parts.append(f"({areas.incident_period})" if parts else areas.incident_period)
    return " ".join(parts)


def transfer_rows(transfers: list[CaseTransfer]) -> list[dict[str, Any]]:
    return [
        {
            "direction": t.direction_enum.label,
            "other_lado": t.other_lado,
            "on": t.transferred_on,
            "reference": t.other_reference,
            "reason": t.reason,
            "by": t.by.name if t.by else "The system",
        }
        for t in transfers
    ]


def agency_options(session: Session, areas: CaseAreas | None) -> list[tuple[str, str]]:
    keep = [areas.referrer_agency_code] if areas is not None and areas.referrer_agency_code else []
    return options(session, ReferrerAgency, keep)


def areas_context(session: Session, case: Case, may_edit: bool) -> dict[str, Any]:
    areas = repository.areas_of(session, case)
    return {
        "areas": areas,
        "areas_when": when_text(areas),
        "transfers": transfer_rows(repository.transfers_of(session, case)),
        "notifications": repository.notifications_of(session, case),
        "referrer_agency_options": agency_options(session, areas),
        "yes_no_options": YES_NO,
        "lead_options": LEAD_OPTIONS,
        "may_edit_areas": may_edit,
        "may_transfer_out": may_edit and rules.can(case, "transfer_out"),
        "may_transfer_in": may_edit and case.status != "transferred",
        "stored_values": form_values(areas),
    }
