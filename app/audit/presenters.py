"""What an administrator sees of an audit event.

The audit search (/admin/audit) is for investigating access: who, when, from where, which verb,
which record and which fields. Administrators see no case content (docs/permissions.md), so an
event's values are shown only for the records administrators themselves look after (accounts,
settings, reference data, organisations and their contacts, letter templates, imports, refusals)
and never for an event that belongs to a case. Every other event shows the names of the fields
it recorded, not their values. The values stay with those allowed to read the case: its history
page and API read the same rows through the case scope (`cases.repository.case_history`).
"""

from __future__ import annotations

import json
from typing import Any

from app.audit.models import AuditEvent

#: Object types whose recorded values an administrator may read (their own domain). Anything not
#: listed (a new kind of record included) shows field names only.
ADMINISTRATION_OBJECTS = frozenset(
    {
        "user",
        "api_token",
        "sign_in_throttle",
        "setting",
        "child_population",
        "organisation",
        "organisation_contact",
        "letter_template",
        "import",
        "route",
    }
)
REFERENCE_PREFIX = "reference:"


def values_shown_to_administrators(event: AuditEvent) -> bool:
    kind = event.object_type or ""
    return event.case_id is None and (kind in ADMINISTRATION_OBJECTS or kind.startswith(REFERENCE_PREFIX))


def field_names(details: dict[str, Any]) -> list[str]:
    """The fields an event recorded: a change set's keys, the keys inside a "changes" wrapper,
    and one level into other mappings ("filters.q"), never a value."""
    names: list[str] = []
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            names.extend(str(k) for k in value)
        elif isinstance(value, dict) and value and not set(value) <= {"from", "to"}:
            names.extend(f"{key}.{k}" for k in value)
        else:
            names.append(str(key))
    return sorted(names)


def details_for_administrator(event: AuditEvent) -> dict[str, str]:
    """{"values_json": the details as JSON} for an administration record, else {"fields": "a, b"}
    (the other key empty; both empty when the event recorded no details)."""
    details = event.details or {}
    if details and values_shown_to_administrators(event):
        return {"values_json": json.dumps(details, ensure_ascii=False, sort_keys=True), "fields": ""}
    return {"values_json": "", "fields": ", ".join(field_names(details))}
