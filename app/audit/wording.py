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

from app.cases.models import CONTACT_METHOD_LABELS, HARM_LIMBS, NFA_KIND_LABELS, REFERRAL_STATUS_LABELS
from app.cases.models import STATUS_LABELS as CASE_STATUS_LABELS
from app.clock import LONDON
from app.letters.models import KIND_LABELS
from app.meetings.models import STRAND_LABELS
from app.organisations import repository as organisations_repository
from app.reference import repository as reference_repository
from app.reference.models import REFERENCE_KINDS
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
    "intake_status": {"new": "New", "converted": "Recorded as a case", "closed": "Closed with advice"},
    "role": {r.value: r.label for r in Role},
    "two_factor": {"on": "On", "off": "Off"},
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
    "case_allocation": "allocation",
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
}


@dataclass(frozen=True)
class Field:
    """How one field reads: its label and the kind of its value ("text", "date", "datetime",
    "bool", "count", "code:<reference slug or vocabulary>", "codes:<...>" for a list of codes,
    "id:<organisations|users|people|contacts|meetings|letters>", or "hidden": not shown)."""

    label: str
    kind: str = "text"


F = Field
#: Every field the application records, by its key in the details.
FIELDS: dict[str, Field] = {
    # the case (app/cases/rules.py AUDITED_FIELDS, and what open_case adds)
    "reference": F("Case reference"),
    "status": F("Stage", "code:case_status"),
    "restricted": F("Restricted", "bool"),
    "received_on": F("Date received", "date"),
    "contact_method": F("How the contact was made", "code:contact_method"),
    "referrer_name": F("Referrer's name"),
    "referrer_organisation": F("Referrer's organisation"),
    "referrer_role": F("Referrer's role"),
    "referrer_phone": F("Referrer's phone number"),
    "referrer_email": F("Referrer's e-mail address"),
    "organisation_id": F("Employer", "id:organisations"),
    "sector_code": F("Sector", "code:sectors"),
    "person_id": F("Adult", "id:people"),
    "job_title": F("Job title"),
    "primary_category_code": F("Primary category", "code:categories"),
    "secondary_categories": F("Secondary categories", "codes:categories"),
    "summary": F("Summary"),
    "harm_limbs": F("Harm test", "codes:harm_limbs"),
    "decision": F("Decision", "code:decision"),
    "nfa_kind": F("Kind of no further action", "code:nfa_kind"),
    "decision_rationale": F("Rationale"),
    "decided_on": F("Date of decision", "date"),
    "training_needs": F("Training needs identified", "bool"),
    "concluded_on": F("Date concluded", "date"),
    "children": F("Children", "count"),
    "disposals": F("Employer's disposals", "codes:disposals"),
    "reason": F("Reason"),
    "step": F("Step", "hidden"),
    "line": F("Line of the import file"),
    "import": F("Import", "hidden"),
    # allegations and outcomes
    "description": F("Description"),
    "category_code": F("Category", "code:categories"),
    "outcome_code": F("Outcome", "code:outcomes"),
    "outcome_on": F("Date of outcome", "date"),
    # notes
    "body": F("Note"),
    # meetings and actions
    "meeting_type_code": F("Type of meeting", "code:meeting-types"),
    "held_at": F("Held", "datetime"),
    "minutes": F("Minutes"),
    "decisions": F("Decisions"),
    "police_strand": F("Police investigation", "code:strand"),
    "social_care_strand": F("Children's social care", "code:strand"),
    "employer_strand": F("Employer's disciplinary process", "code:strand"),
    "suspension_considered": F("Suspension considered", "bool"),
    "suspension_notes": F("Suspension notes"),
    "next_review_on": F("Next review", "date"),
    "delay_reason": F("Reason for the delay"),
    "attendees": F("Attendees"),
    "owner_user_id": F("Owner", "id:users"),
    "owner_name": F("Owner's name"),
    "owner_organisation": F("Owner's organisation"),
    "due_on": F("Due", "date"),
    "done_on": F("Done", "date"),
    "meeting_id": F("Meeting", "id:meetings"),
    # regulator referrals
    "regulator_code": F("Regulator", "code:regulators"),
    "recommended_on": F("Date recommended", "date"),
    "made_on": F("Date made", "date"),
    "decision_on": F("Date of the regulator's decision", "date"),
    # letters
    "kind": F("Letter", "code:letter_kind"),
    "version": F("Version"),
    "contact_id": F("Addressed to", "id:contacts"),
    "recipient_email": F("Sent to"),
    "replaces_id": F("Replaces", "hidden"),
    "replaces_version": F("Replaces version"),
    "body_sha256": F("Text", "hidden"),
    "sha256": F("PDF fingerprint", "hidden"),
    "outbox_message_id": F("E-mail", "hidden"),
    "source": F("Made from"),
    "filename": F("File"),
    "size": F("Size in bytes", "hidden"),
    "format": F("Format"),
    "via": F("Through", "hidden"),
    "acknowledged_at": F("Acknowledged", "datetime"),
    # online referrals and the adult
    "case": F("Case"),
    "advice": F("Advice given"),
    # consultations (app/consultations)
    "intake_id": F("Online referral", "hidden"),
    "converted_on": F("Date it became a referral", "date"),
    "consultation": F("Recorded as consultation"),
    "date_of_birth": F("Date of birth", "date"),
    "recorded_as": F("Recorded as"),
    "now": F("Now recorded as"),
    "matched_case": F("Same adult as in case"),
    "not_the_same_adult_as": F("Not the same adult as in case"),
    # what administrators look after
    "email": F("E-mail address"),
    "name": F("Name"),
    "role": F("Role", "code:role"),
    "organisations": F("Organisations"),
    "is_active": F("Account active", "bool"),
    "active": F("Active", "bool"),
    "sessions_ended": F("Sessions ended"),
    "other_sessions_ended": F("Other sessions ended"),
    "changed": F("Changed"),
    "two_factor": F("Two-factor authentication", "code:two_factor"),
    "recovery_codes": F("Recovery codes"),
    "unlocked": F("Sign-in unlocked for"),
    "code": F("Code"),
    "label": F("Label"),
    "display_order": F("Order"),
    "definition": F("Definition"),
    "agency_group_code": F("Agency group", "code:agency-groups"),
    "from_year": F("Year"),
    "population": F("Child population"),
    "email_attach_pdf": F("Attach the PDF to e-mails", "bool"),
    "phone": F("Phone number"),
    "is_primary": F("Main contact", "bool"),
    "user_id": F("Account", "id:users"),
    "allocated_officer_id": F("Allocated officer", "id:users"),
    "co_worker_id": F("Co-worker", "id:users"),
    "absent_officer_id": F("Absent officer", "id:users"),
    "cover_id": F("Cover", "hidden"),
    "handed_back": F("Cases handed back"),
    "cases": F("Cases"),
    "system": F("System account", "bool"),
}
#: Where a field means something else on one kind of record: (object type, field) -> Field.
FIELDS_BY_OBJECT: dict[tuple[str, str], Field] = {
    ("allegation", "description"): F("Allegation"),
    ("case_action", "description"): F("Action"),
    ("regulator_referral", "status"): F("Status", "code:referral_status"),
    ("regulator_referral", "reference"): F("Regulator's reference"),
    ("regulator_referral", "decision"): F("Regulator's decision"),
    ("letter", "status"): F("Status", "code:letter_status"),
    ("letter_acknowledgement", "version"): F("Version"),
    ("intake", "reference"): F("Online referral"),
    ("intake", "status"): F("Status", "code:intake_status"),
    ("organisation_contact", "role"): F("Role"),
    ("user", "name"): F("Name"),
    ("import", "source"): F("File"),
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
