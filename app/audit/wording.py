"""What an audit event's fields are called and how their values read: labels for field names,
reference data labels for codes, names for ids, "Yes"/"No", "blank", dates as "1 December 2026"
and times as "1 December 2026 at 2:05pm". Audit details are JSON as recorded (app/audit/service.py
`_jsonable`): dates are ISO strings, codes are codes, records are named by their ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.areas.models import TransferDirection
from app.audit.fields import FIELDS, FIELDS_BY_OBJECT, Field
from app.cases.models import CONTACT_METHOD_LABELS, HARM_LIMBS, NFA_KIND_LABELS, REFERRAL_STATUS_LABELS
from app.cases.models import STATUS_LABELS as CASE_STATUS_LABELS
from app.clock import LONDON
from app.disclosures import models as disclosures
from app.letters.models import KIND_LABELS
from app.meetings import models as meetings
from app.meetings.models import STRAND_LABELS
from app.organisations import repository as organisations_repository
from app.reference import repository as reference_repository
from app.reference.models import REFERENCE_KINDS
from app.strands import models as strands
from app.users.models import Role

BLANK = "blank"
REFERENCE_PREFIX = "reference:"
NONE = "none"
UNKNOWN = "not known"

#: Fixed vocabularies (codes that are not reference data), by name.
VOCABULARIES: dict[str, dict[str, str]] = {
    "case_status": {k.value: v for k, v in CASE_STATUS_LABELS.items()},
    "decision": {"nfa": "No further action", "threshold_met": "Threshold met"},
    "nfa_kind": {k.value: v for k, v in NFA_KIND_LABELS.items()},
    "contact_method": {k.value: v for k, v in CONTACT_METHOD_LABELS.items()},
    "harm_limbs": dict(HARM_LIMBS),
    "strand": {k.value: v for k, v in STRAND_LABELS.items()},
    "letter_kind": {k.value: v for k, v in KIND_LABELS.items()},
    "letter_status": {"draft": "Draft", "final": "Final"},
    "referral_status": {k.value: v for k, v in REFERRAL_STATUS_LABELS.items()},
    "transfer_direction": {d.value: d.label for d in TransferDirection},
    "intake_status": {"new": "New", "converted": "Recorded as a case", "closed": "Closed with advice"},
    "role": {r.value: r.label for r in Role},
    "two_factor": {"on": "On", "off": "Off"},
    "plan_status": {k.value: v for k, v in meetings.PLAN_STATUS_LABELS.items()},
    "minutes_method": {k.value: v for k, v in meetings.SEND_METHOD_LABELS.items()},
    **strands.AUDIT_VOCABULARIES,
    **disclosures.AUDIT_VOCABULARIES,
}


#: What each kind of record is called in a sentence.
OBJECT_NAMES = {
    "annual_report": "annual statistics",
    "annual_report_figure": "cases behind a figure",
    "api_token": "API token",
    "case_action": "action",
    "case_action_list": "list of actions",
    "case_list": "list of cases",
    "case_note": "note",
    "document": "document",
    "document_list": "documents of the case",
    "case_retention": "retention",
    "retention_review": "retention review",
    "case_strand": "strand",
    "disclosure": "disclosure to another agency",
    "subject_access_bundle": "subject access bundle",
    "subject_access_redaction": "redaction of a subject access bundle",
    "subject_access_request": "subject access request",
    "meeting_plan": "planned meeting",
    "meeting_minutes": "minutes",
    "minutes_recipient": "recipient of the minutes",
    "minutes_send": "minutes sent",
    "case_allocation": "allocation",
    "case_areas": "areas and dates",
    "case_transfer": "transfer",
    "lado_notification": "notification to another LADO",
    "child_population": "child population",
    "intake": "online referral",
    "letter_acknowledgement": "acknowledgement of a letter",
    "letter_list": "list of letters",
    "letter_template": "letter template",
    "meeting_list": "list of meetings",
    "organisation_contact": "HR contact",
    "outbox_message": "e-mail",
    "person_check": "person check",
    "person_match_dismissal": "person check",
    "regulator_referral": "referral to a regulator",
    "route": "page",
    "sign_in_throttle": "sign-in lock",
    "user": "account",
}
VERB_WORDS = {
    "created": "added",
    "updated": "changed",
    "deleted": "deleted",
    "viewed": "viewed",
    "exported": "downloaded",
    "status_changed": "status changed",
    "reopened": "re-opened",
    "note_added": "note added",
    "imported": "imported",
    "destroyed": "destroyed",
}


@dataclass
class Names:
    """What codes and ids stand for: reference labels by slug ("sectors"), and the names of the
    records events name by id."""

    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    organisations: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    people: dict[int, str] = field(default_factory=dict)
    contacts: dict[int, str] = field(default_factory=dict)
    meetings: dict[int, str] = field(default_factory=dict)
    letters: dict[int, str] = field(default_factory=dict)
    allegations: dict[int, str] = field(default_factory=dict)
    actions: dict[int, str] = field(default_factory=dict)
    referrals: dict[int, str] = field(default_factory=dict)


def reference_labels(session: Session) -> dict[str, dict[str, str]]:
    """Every reference item's label (inactive ones too: old events use them), by slug and code."""
    return {
        slug: {i.code: i.label for i in reference_repository.list_items(session, model)}
        for slug, model in REFERENCE_KINDS.items()
    }


def organisation_names(session: Session, ids: set[int]) -> dict[int, str]:
    return {o.id: o.name for o in organisations_repository.get_many(session, ids)} if ids else {}


def field_of(object_type: str, key: str) -> Field:
    return FIELDS_BY_OBJECT.get((object_type, key)) or FIELDS.get(key) or Field(_words(key))


def _words(key: str) -> str:
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def ids_named(details: Any, kind: str) -> set[int]:
    """The ids of `kind` ("organisations") that details name, anywhere (changes included)."""
    found: set[int] = set()
    if isinstance(details, dict):
        for key, value in details.items():
            spec = FIELDS.get(key)
            if spec is not None and spec.kind == f"id:{kind}":
                for v in value.values() if is_change(value) else [value]:
                    if _is_int(v):
                        found.add(int(v))
            elif isinstance(value, dict):
                found |= ids_named(value, kind)
    return found


def is_change(value: Any) -> bool:
    """A change as audit.service.changes records it: {"from": old, "to": new}."""
    return isinstance(value, dict) and set(value) == {"from", "to"}


def _is_int(value: Any) -> bool:
    if isinstance(value, str):
        return value.isdigit()
    return isinstance(value, int) and not isinstance(value, bool)


def time_of_day(moment: datetime) -> str:
    """The time as GOV.UK writes it: 2:05pm."""
    return moment.strftime("%-I:%M%p").lower()


def when(moment: datetime) -> str:
    """A moment in London time: 1 December 2026 at 2:05pm."""
    local = moment.astimezone(LONDON)
    return f"{local:%-d %B %Y} at {time_of_day(local)}"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> str:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return f"{date.fromisoformat(value):%-d %B %Y}"
    return str(value)


def day_of(value: Any) -> str:
    """The London day of a recorded time ("3 December 2026")."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{moment.astimezone(LONDON) if moment.tzinfo else moment:%-d %B %Y}"


def _datetime(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return when(moment) if moment.tzinfo else f"{moment:%-d %B %Y} at {time_of_day(moment)}"


def _label(vocabulary: str, code: Any, names: Names) -> str:
    labels = VOCABULARIES.get(vocabulary) or names.codes.get(vocabulary) or {}
    return labels.get(str(code), str(code))


def _name(kind: str, value: Any, names: Names) -> str:
    known: dict[int, str] = getattr(names, kind, {})
    return known.get(int(value), UNKNOWN) if _is_int(value) else str(value)


def value_text(spec: Field, value: Any, names: Names) -> str:
    """One value in words."""
    if value is None or value == "":
        return BLANK
    kind, _, what = spec.kind.partition(":")
    if kind == "codes":
        codes = value.split(";") if isinstance(value, str) else list(value)
        return ", ".join(_label(what, c, names) for c in codes if c) or NONE
    if isinstance(value, list):
        return ", ".join(value_text(Field(spec.label), v, names) for v in value) or NONE
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        parts = ((field_of("", k), v) for k, v in value.items())
        return "; ".join(f"{spec.label}: {value_text(spec, v, names)}" for spec, v in parts)
    if kind == "date":
        return _date(value)
    if kind == "datetime":
        return _datetime(value)
    if kind == "code":
        return _label(what, value, names)
    if kind == "id":
        return _name(what, value, names)
    return str(value)


def lower_first(text: str) -> str:
    """A label inside a sentence: Evaluation meeting becomes evaluation meeting; DBS stays DBS."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def generic_action(object_type: str, verb: str) -> str:
    """What happened, for an event without a sentence of its own: Case list viewed."""
    kind = object_type or ""
    if kind.startswith(REFERENCE_PREFIX):
        noun = f"reference data ({kind.removeprefix(REFERENCE_PREFIX).replace('-', ' ')})"
    else:
        noun = OBJECT_NAMES.get(kind, kind.replace("_", " "))
    words = VERB_WORDS.get(verb, verb.replace("_", " "))
    return f"{noun[:1].upper()}{noun[1:]} {words}"


#: Events with a sentence of their own, by (object type, verb).
ACTIONS = {
    ("case", "created"): "Case opened",
    ("case", "imported"): "Case imported",
    ("case", "reopened"): "Case re-opened",
    ("case", "destroyed"): "Personal data destroyed under a retention review",
    ("case_retention", "updated"): "Retention changed",
    ("retention_review", "created"): "Retention review recorded",
    ("allegation", "created"): "Allegation added",
    ("document", "created"): "Document attached",
    ("document", "deleted"): "Document deleted",
    ("document", "exported"): "Document downloaded",
    ("document", "upload_refused"): "Upload refused: a virus was found",
    ("document_list", "deleted"): "Documents destroyed",
    ("case_note", "note_added"): "Note added",
    ("meeting", "created"): "Meeting recorded",
    ("meeting", "updated"): "Meeting changed",
    ("case_action", "created"): "Action added",
    ("case_allocation", "updated"): "Case reallocated",
    ("case_allocation", "created"): "Co-worker added",
    ("case_allocation", "deleted"): "Co-worker removed",
    ("case_strand", "created"): "Strand recorded",
    ("case_strand", "updated"): "Strand changed",
    ("suspension", "created"): "Suspension recorded",
    ("disclosure", "created"): "Disclosure to another agency recorded",
    ("suspension", "updated"): "Suspension record changed",
    ("meeting_plan", "created"): "Meeting planned",
    ("meeting_plan", "updated"): "Planned meeting changed",
    ("meeting_plan", "status_changed"): "Planned meeting's status changed",
    ("meeting_minutes", "created"): "Minutes drafted",
    ("meeting_minutes", "updated"): "Minutes draft changed",
    ("meeting_minutes", "status_changed"): "Minutes finalised",
    ("meeting_minutes", "deleted"): "Minutes destroyed",
    ("minutes_recipient", "created"): "Added to the minutes' distribution list",
    ("minutes_send", "created"): "Minutes distributed",
    ("case_areas", "created"): "Areas and dates recorded",
    ("case_areas", "updated"): "Areas and dates changed",
    ("case_transfer", "created"): "Transfer recorded",
    ("lado_notification", "created"): "Another LADO notified",
    ("cover", "created"): "Cover started",
    ("cover", "updated"): "Cover ended",
    ("case_action", "updated"): "Action changed",
    ("regulator_referral", "created"): "Referral to a regulator recorded",
    ("regulator_referral", "updated"): "Referral to a regulator changed",
    ("letter", "created"): "Letter drafted",
    ("letter", "updated"): "Letter draft changed",
    ("letter", "status_changed"): "Letter finalised",
    ("letter", "deleted"): "Draft letter deleted",
    ("letter_acknowledgement", "created"): "Letter acknowledged",
    ("intake", "created"): "Online referral received",
    ("person", "updated"): "Adult's details changed",
    ("person_match_dismissal", "created"): "Person check: not the same adult",
    ("user", "signed_in"): "Signed in",
    ("user", "signed_out"): "Signed out",
    ("user", "sign_in_failed"): "Sign-in failed",
    ("user", "mfa_enrolled"): "Two-factor authentication set up",
    ("user", "created"): "Account created",
    ("api_token", "token_created"): "API token created",
    ("api_token", "token_revoked"): "API token revoked",
    ("sign_in_throttle", "updated"): "Sign-in unlocked",
    ("setting", "updated"): "Settings changed",
    ("import", "imported"): "Cases imported",
    ("route", "access_denied"): "Access refused",
}
#: Case events told apart by the step their details name.
STEPS = {
    "initial_consideration": "Initial consideration recorded",
    "conclude": "Case concluded",
    "person_match_confirmed": "Adult linked to another case",
    "person_unlinked": "Adult unlinked from their other cases",
    "incident_linked": "Linked with another adult's case of the same incident",
}
#: Corrections of what was recorded (app/corrections/service.py), titled with what changed.
CORRECTIONS = {
    **{"corrected_adult": "Adult's details corrected", "corrected_employer": "Employer corrected"},
    **{"corrected_referrer": "Referrer corrected", "child_added": "Child added"},
    **{"child_corrected": "Child's details corrected", "child_removed": "Child removed"},
}
