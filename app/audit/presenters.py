"""Audit events in words, for the case's chronology and the administrators' audit search.

`describe` says what an event was ("Outcome recorded: substantiated") with the values it recorded
as labels, names, dates and "Yes"/"No" (app/audit/wording.py), never as codes, ids or JSON.

The audit search (/admin/audit) is for investigating access: who, when, from where, which verb,
which record and which fields. Administrators see no case content (docs/permissions.md), so an
event's values are shown only for the records administrators themselves look after (accounts,
settings, reference data, organisations and their contacts, letter templates, imports, refusals)
and never for an event that belongs to a case: those show what happened without its values
(`Description.action`) and the names of the fields recorded. The values stay with those allowed
to read the case: its chronology and API read the same rows through the case scope.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.wording import (
    ACTIONS,
    BLANK,
    CORRECTIONS,
    NONE,
    REFERENCE_PREFIX,
    STEPS,
    Field,
    Names,
    day_of,
    field_of,
    generic_action,
    ids_named,
    is_change,
    lower_first,
    organisation_names,
    reference_labels,
    value_text,
)
from app.users import repository as users_repository

#: Object types whose recorded values an administrator may read (their own domain). Anything not
#: listed (a new kind of record included) shows field names only.
ADMINISTRATION_OBJECTS = frozenset(
    {"user", "api_token", "sign_in_throttle", "setting", "child_population", "organisation"}
    | {"organisation_contact", "letter_template", "import", "route"}
)
#: A value longer than this is left out of a title (it is in the event's lines).
SHORT = 60

#: What names a record that was added or removed, in the order looked for ("Account created: Ada").
NAMING_FIELDS = ("name", "label", "email", "unlocked", "code", "from_year", "source")


@dataclass(frozen=True)
class Line:
    """One recorded value; for a change, `before` is what it was."""

    label: str
    value: str
    before: str | None = None

    @property
    def is_change(self) -> bool:
        return self.before is not None

    @property
    def was_blank(self) -> bool:
        """A change from nothing: shown as the new value alone."""
        return self.before in (BLANK, NONE)

    def phrase(self) -> str:
        """The change in a sentence: employer from Northfield Academy to Southside School."""
        label = lower_first(self.label)
        if self.before is None:
            return f"{label}: {self.value}"
        return f"{label} from {self.before} to {self.value}"

    def fits(self) -> bool:
        return len(self.value) <= SHORT and len(self.before or "") <= SHORT


@dataclass(frozen=True)
class Description:
    #: What happened, without any recorded value ("Outcome recorded").
    action: str
    #: What happened with the values that say it in short ("Outcome recorded: substantiated").
    title: str
    #: Every value recorded, in words (the fields the application keeps to itself left out).
    lines: tuple[Line, ...] = ()


def recorded(details: dict[str, Any]) -> list[tuple[str, Any]]:
    """The (field, value) pairs an event recorded, a "changes" wrapper opened."""
    pairs: list[tuple[str, Any]] = []
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            pairs.extend(value.items())
        else:
            pairs.append((key, value))
    return pairs


def _lines(event: AuditEvent, names: Names, *, skip: tuple[str, ...] = (), blanks: bool = True) -> list[Line]:
    lines = []
    for key, value in recorded(event.details or {}):
        spec: Field = field_of(event.object_type, key)
        if key in skip or spec.kind == "hidden":
            continue
        if is_change(value):
            before, after = value_text(spec, value["from"], names), value_text(spec, value["to"], names)
            if before != after:  # None to "" is no change to a reader
                lines.append(Line(spec.label, after, before))
        elif blanks or value_text(spec, value, names) not in (BLANK, NONE):
            lines.append(Line(spec.label, value_text(spec, value, names)))
    return lines


def _value(event: AuditEvent, key: str, names: Names, side: str = "to") -> str:
    value: Any = (event.details or {}).get(key)
    if isinstance(value, dict) and is_change(value):
        value = value[side]
    return value_text(field_of(event.object_type, key), value, names)


def _named(known: dict[int, str], object_id: str | None, fallback: str) -> str:
    return known.get(int(object_id), fallback) if object_id and object_id.isdigit() else fallback


def _with_changes(action: str, lines: list[Line]) -> str:
    """The action with what changed (Case details changed: employer from A to B), or with the
    names of the fields changed when that would not fit in a title."""
    changed = [line for line in lines if line.is_change] or lines
    if not changed:
        return action
    if len(changed) <= 2 and all(line.fits() for line in changed):
        return f"{action}: " + "; ".join(line.phrase() for line in changed)
    return f"{action}: " + ", ".join(lower_first(line.label) for line in changed)


def _case(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    step = (event.details or {}).get("step")
    verb = event.verb
    if verb == "created":
        return "Case opened", "Case opened", _lines(event, names, skip=("status",), blanks=False)
    if verb == "imported":
        return "Case imported", "Case imported", _lines(event, names)
    if verb == "destroyed":  # the destruction certificate: what it counts is not for the chronology
        return ACTIONS[("case", verb)], ACTIONS[("case", verb)], []
    if step == "initial_consideration":
        decision = _value(event, "decision", names)
        kind = _value(event, "nfa_kind", names)
        title = f"{STEPS[step]}: {lower_first(decision)}"
        if kind != BLANK:
            title += f" ({lower_first(kind)})"
        return STEPS[step], title, _lines(event, names, skip=("decision", "nfa_kind"))
    if step == "person_match_confirmed":
        other = (event.details or {}).get("matched_case", "")
        lines = _lines(event, names, skip=("person_id", "matched_case"))
        return STEPS[step], f"Linked to the same adult in case {other}", lines
    if step == "incident_linked":
        others = ", ".join((event.details or {}).get("incident_cases") or [])
        return STEPS[step], f"Same incident as case {others}", _lines(event, names)
    if step in STEPS:
        return STEPS[step], STEPS[step], _lines(event, names, skip=("person_id",))
    if step in CORRECTIONS:
        lines = _lines(event, names, skip=("person_id",))  # titled with the facts, not the reason
        facts = [ln for ln in lines if ln.label not in ("Reason", "Confirmed as right, though unusual")]
        return CORRECTIONS[step], _with_changes(CORRECTIONS[step], facts), lines
    if verb == "reopened":
        return "Case re-opened", "Case re-opened", _lines(event, names)
    lines = _lines(event, names)
    if "disposals" in (event.details or {}):
        action = "Employer's disposals recorded"
        before = _value(event, "disposals", names, "from")
        if before == "none":
            return action, f"{action}: {_value(event, 'disposals', names)}", lines
        return action, _with_changes("Employer's disposals changed", lines), lines
    if verb == "status_changed":
        return "Stage changed", _with_changes("Stage changed", lines), lines
    return "Case details changed", _with_changes("Case details changed", lines), lines


def _outcome(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    allegation = _named(names.allegations, event.object_id, "")
    lines = _lines(event, names)
    if allegation:
        lines.insert(0, Line("Allegation", allegation))
    if "outcome_code" not in (event.details or {}):
        return "Allegation changed", _with_changes("Allegation changed", lines), lines
    outcome = lower_first(_value(event, "outcome_code", names))
    if _value(event, "outcome_code", names, "from") == BLANK:
        return "Outcome recorded", f"Outcome recorded: {outcome}", lines
    return "Outcome changed", f"Outcome changed to {outcome}", lines


def _meeting(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    if event.verb == "created":
        kind = lower_first(_value(event, "meeting_type_code", names))
        held = day_of((event.details or {}).get("held_at"))
        lines = _lines(event, names, skip=("meeting_type_code",), blanks=False)
        return "Meeting recorded", f"Meeting recorded: {kind} on {held}", lines
    meeting = _named(names.meetings, event.object_id, "")
    lines = _lines(event, names)
    return "Meeting changed", (f"Meeting changed: {meeting}" if meeting else "Meeting changed"), lines


def _action(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    if event.verb == "created":
        return "Action added", "Action added", _lines(event, names, blanks=False)
    what = _named(names.actions, event.object_id, "")
    lines = _lines(event, names)
    if [line.label for line in lines] == ["Done"] and _value(event, "done_on", names, "from") == BLANK:
        done = f"Action done on {_value(event, 'done_on', names)}"
        return "Action done", done + (f": {what}" if what else ""), ([Line("Action", what)] if what else [])
    if what:
        lines.insert(0, Line("Action", what))
    return "Action changed", _with_changes("Action changed", [x for x in lines if x.is_change]), lines


def _referral(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    if event.verb == "created":
        regulator = _value(event, "regulator_code", names)
        status = lower_first(_value(event, "status", names))
        lines = _lines(event, names, skip=("regulator_code",), blanks=False)
        return "Referral to a regulator recorded", f"Referral to {regulator} recorded: {status}", lines
    regulator = _named(names.referrals, event.object_id, "a regulator")
    lines = _lines(event, names)
    return "Referral to a regulator changed", _with_changes(f"Referral to {regulator} changed", lines), lines


def _letter(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    details = event.details or {}
    if "kind" in details:
        letter = lower_first(_value(event, "kind", names)) + f", version {details.get('version', 1)}"
    else:
        letter = lower_first(_named(names.letters, event.object_id, "a letter"))
    skip = ("kind", "version", "contact_id") if event.verb == "status_changed" else ("kind", "version")
    lines = _lines(event, names, skip=skip, blanks=False)
    if event.verb == "created" and details.get("replaces_id"):
        return "Correction started", f"Correction started: {letter}", lines
    if event.verb == "updated":
        if details.get("source") == "template":
            return "Letter draft changed", f"Letter draft made again from the template: {letter}", []
        if details.get("source") == "docx":
            return "Letter draft changed", f"Letter draft replaced from a Word document: {letter}", lines
        changes = details.get("changes") or {}
        text = "text" if "body_sha256" in changes else ""
        recipient = "recipient" if "contact_id" in changes else ""
        what = " and ".join(x for x in (text, recipient) if x)
        lines = [line for line in lines if line.label != "Made from"]
        title = f"Letter draft changed: {letter}" + (f" ({what})" if what else "")
        return "Letter draft changed", title, lines
    action = ACTIONS.get(("letter", event.verb)) or generic_action(event.object_type, event.verb)
    if event.verb == "status_changed":
        lines = [line for line in lines if line.label != "Status"]
    return action, f"{action}: {letter}", lines


#: A case's retention events (app/retention) by the step they name.
RETENTION_STEPS = {
    "scheduled": "Retention review date set",
    "cleared": "Retention review date cleared",
    "hold": "Held for an inquiry",
    "hold_ended": "Hold for an inquiry ended",
}


def _retention(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    details = event.details or {}
    if event.object_type == "retention_review":
        kept = day_of(details.get("next_review_on"))
        lines = _lines(event, names, skip=("decision", "next_review_on"))
        return "Retention review recorded", f"Retention review: kept until {kept}", lines
    action = RETENTION_STEPS.get(details.get("step") or "", "Retention changed")
    if details.get("step") == "scheduled" and is_change(details.get("review_on")):
        return action, f"{action}: {day_of(details['review_on']['to'])}", []
    return action, action, _lines(event, names, skip=("hold", "review_on", "rule"))


def _describe(event: AuditEvent, names: Names) -> tuple[str, str, list[Line]]:
    kind, verb, details = event.object_type, event.verb, event.details or {}
    if kind in ("case_retention", "retention_review"):
        return _retention(event, names)
    if kind == "case" and verb != "viewed":
        return _case(event, names)
    if kind == "allegation" and verb == "updated":
        return _outcome(event, names)
    if kind == "meeting" and verb in ("created", "updated"):
        return _meeting(event, names)
    if kind == "case_action" and verb in ("created", "updated"):
        return _action(event, names)
    if kind == "regulator_referral" and verb in ("created", "updated"):
        return _referral(event, names)
    if kind == "letter" and verb in ("created", "updated", "status_changed", "deleted"):
        return _letter(event, names)
    if kind == "letter_acknowledgement":
        letter = lower_first(_named(names.letters, event.object_id, "a letter"))
        lines = _lines(event, names, skip=("version", "acknowledged_at"))  # when it happened
        return "Letter acknowledged", f"Letter acknowledged: {letter}", lines
    if kind == "intake" and verb == "status_changed":
        status = (details.get("status") or {}).get("to") if isinstance(details.get("status"), dict) else None
        action = "Recorded from an online referral" if status == "converted" else "Online referral closed"
        return action, f"{action}: {details.get('reference', '')}".rstrip(": "), _lines(event, names)
    if kind == "person_match_dismissal":
        other = details.get("not_the_same_adult_as", "")
        return ACTIONS[(kind, verb)], f"Person check: not the same adult as in case {other}", []
    action = ACTIONS.get((kind, verb)) or generic_action(event.object_type, event.verb)
    lines = _lines(event, names)
    if any(x.is_change for x in lines):
        return action, _with_changes(action, lines), lines
    named = next(
        (details[k] for k in NAMING_FIELDS if isinstance(details.get(k), (str, int)) and details[k]), None
    )
    return action, f"{action}: {named}" if named is not None else action, lines


def describe(event: AuditEvent, names: Names) -> Description:
    """The event in words: what happened, in short and with its values, and each value."""
    action, title, lines = _describe(event, names)
    return Description(action=action, title=title, lines=tuple(lines))


# ---- the administrators' audit search --------------------------------------------------------------


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


def details_for_administrator(event: AuditEvent, names: Names) -> dict[str, Any]:
    """What the audit search shows of an event: `summary`, a sentence; for an administration
    record `lines` (its values in words) and `values_json` (the details as recorded), else
    `fields` ("a, b", the names of the fields recorded, no value). Empty when not recorded."""
    details = event.details or {}
    if values_shown_to_administrators(event):
        described = describe(event, names)
        return {
            "summary": described.title,
            "lines": list(described.lines),
            "values_json": json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
            "fields": "",
        }
    action = _describe(event, Names())[0]
    return {"summary": action, "lines": [], "values_json": "", "fields": ", ".join(field_names(details))}


def administration_names(session: Session, events: list[AuditEvent]) -> Names:
    """The labels and names the administration records among `events` need (none for a case's)."""
    shown = [e for e in events if values_shown_to_administrators(e)]
    if not shown:
        return Names()
    organisations = set().union(*(ids_named(e.details, "organisations") for e in shown))
    user_ids = set().union(*(ids_named(e.details, "users") for e in shown))
    users = {u.id: u.name for u in (users_repository.get_user(session, i) for i in user_ids) if u}
    return Names(
        codes=reference_labels(session),
        organisations=organisation_names(session, organisations),
        users=users,
    )
