"""What the subject access pages and the dashboard's panel show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.subject_access.bundle import EVERY_ITEM, Item
from app.subject_access.models import STATUS_LABELS, SubjectAccessRequest
from app.subject_access.schemas import REDACTION_REASONS
from app.subject_access.service import Bundle


@dataclass(frozen=True)
class RequestRow:
    request: SubjectAccessRequest
    overdue: bool
    due_today: bool


def request_rows(requests: list[SubjectAccessRequest], today: date) -> list[RequestRow]:
    return [
        RequestRow(r, r.outstanding and r.due_on < today, r.outstanding and r.due_on == today)
        for r in requests
    ]


@dataclass(frozen=True)
class ItemView:
    item: Item
    redactions: list[dict[str, Any]]


def item_views(made: Bundle) -> list[ItemView]:
    by_key: dict[str, list[dict[str, Any]]] = {}
    for r in made.redactions:
        by_key.setdefault(r.item_key, []).append(
            {"id": r.id, "passage": r.passage, "reason": REDACTION_REASONS.get(r.reason, r.reason)}
        )
    return [ItemView(item, by_key.get(item.key, [])) for item in made.redacted]


def item_options(made: Bundle) -> list[tuple[str, str]]:
    return [(EVERY_ITEM, "Every item of the bundle")] + [
        (i.key, f"{i.case_reference}: {i.heading}") for i in made.items
    ]


def everywhere(made: Bundle) -> list[dict[str, Any]]:
    """The redactions that apply to every item."""
    return [
        {"id": r.id, "passage": r.passage, "reason": REDACTION_REASONS.get(r.reason, r.reason)}
        for r in made.redactions
        if r.item_key == EVERY_ITEM
    ]


def status_rows(req: SubjectAccessRequest) -> list[tuple[str, str]]:
    def day(d: date | None) -> str:
        return f"{d:%-d %B %Y}" if d else ""

    rows = [
        ("Data subject", req.person.full_name),
        (
            "Requester",
            req.requester_name + (f" ({req.requester_relationship})" if req.requester_relationship else ""),
        ),
        ("Received", day(req.received_on)),
        ("Identity verified", "Yes" if req.identity_verified else "No: verify it before releasing anything"),
        ("Due", day(req.due_on)),
        ("Status", STATUS_LABELS.get(req.status, req.status)),  # type: ignore[call-overload]
    ]
    if req.extended_on:
        rows.append(("Extended", f"{day(req.extended_on)}: {req.extension_reason}"))
    if req.refused_on:
        rows.append(("Refused", f"{day(req.refused_on)}: {req.refusal_reason}"))
    if req.release is not None:
        rel = req.release
        who = rel.released_by.name if rel.released_by else ""
        rows.append(("Released", f"{day(req.released_on)} by {who}"))
        rows.append(("SHA-256 of the released zip", rel.sha256))
    return rows


STATUS_OPTIONS = [
    ("verified", "Requester's identity verified"),
    ("extended", "Extended by two further months"),
    ("refused", "Refused"),
]
REASON_OPTIONS = list(REDACTION_REASONS.items())
