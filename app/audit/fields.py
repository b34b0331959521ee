"""What each field an audit event records is called, and the kind of its value (how
app/audit/wording.py reads it): the case's fields and those of every record kept beside it."""

from __future__ import annotations

from dataclasses import dataclass

from app.areas.models import AUDIT_FIELDS
from app.disclosures import models as disclosures
from app.meetings import models as meetings
from app.strands import models as strands


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
    "nfa_after_investigation": F("No further action after investigation", "bool"),
    "conclusion_reason": F("Why no further action"),
    "children": F("Children", "count"),
    "disposals": F("Employer's disposals", "codes:disposals"),
    "reason": F("Reason"),
    "confirmed_implausible": F("Confirmed as right, though unusual"),
    "child_id": F("Child", "hidden"),
    "step": F("Step", "hidden"),
    # retention (app/retention): a scrubbed event's mark and the certificate are not for reading
    "destroyed": F("Destroyed", "hidden"),
    "review_id": F("Retention review", "hidden"),
    "certificate": F("Destruction certificate", "hidden"),
    # one incident, several adults (app/incidents)
    "incident_cases": F("Cases of the same incident"),
    "shared_from": F("Made on every case of the incident, from case"),
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
    "review_reason": F("To be checked because"),
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
    **{k: F(*v) for k, v in (strands.AUDIT_FIELDS | meetings.AUDIT_FIELDS).items()},
}
FIELDS.update({key: F(*spec) for key, spec in AUDIT_FIELDS.items()})  # app/areas
FIELDS.update({key: F(*spec) for key, spec in disclosures.AUDIT_FIELDS.items()})  # app/disclosures
#: Where a field means something else on one kind of record: (object type, field) -> Field.
FIELDS_BY_OBJECT: dict[tuple[str, str], Field] = {
    ("allegation", "description"): F("Allegation"),
    ("document", "title"): F("Title"),
    ("document", "file_name"): F("File name"),
    ("document", "media_type"): F("Type of file"),
    ("document", "size"): F("Size in bytes", "count"),
    ("document", "allegation_id"): F("Allegation", "hidden"),
    ("document", "virus"): F("Virus found"),
    ("document_list", "destroyed"): F("Documents destroyed", "count"),
    ("case_action", "description"): F("Action"),
    ("regulator_referral", "status"): F("Status", "code:referral_status"),
    ("lado_notification", "reason"): F("What was shared and why"),
    ("regulator_referral", "reference"): F("Regulator's reference"),
    ("regulator_referral", "decision"): F("Regulator's decision"),
    ("letter", "status"): F("Status", "code:letter_status"),
    ("letter_acknowledgement", "version"): F("Version"),
    ("intake", "reference"): F("Online referral"),
    ("intake", "status"): F("Status", "code:intake_status"),
    ("organisation_contact", "role"): F("Role"),
    ("user", "name"): F("Name"),
    ("import", "source"): F("File"),
    **{k: F(*v) for k, v in (strands.AUDIT_FIELDS_BY_OBJECT | meetings.AUDIT_FIELDS_BY_OBJECT).items()},
}
