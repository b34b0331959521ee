"""The sharing log of a case. The case has already been loaded through the case scope.

Rules:
- A disclosure names what was shared, the kind of agency and its name, the person it went to,
  how, when (not in the future, not before the case was received) and the lawful basis: an
  active item of the lawful bases (reference data). Each is audited on the case.
- Disclosures are never changed or deleted: a wrong entry is corrected by a new one that says so.
- Letters sent appear in the log from their own delivery records (presenters.log_entries).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases.models import Case
from app.context import Actor
from app.disclosures.models import Disclosure
from app.disclosures.schemas import DisclosureCreate
from app.errors import ValidationFailed
from app.reference import service as reference
from app.reference.models import LawfulBasis, ReferrerAgency


def record_disclosure(session: Session, actor: Actor, case: Case, data: DisclosureCreate) -> Disclosure:
    errors: dict[str, str] = {}
    if data.shared_on < case.received_on:
        errors["shared_on"] = (
            f"The date it was shared must be on or after the date received ({case.received_on:%-d %B %Y})"
        )
    for model, code, field in (
        (ReferrerAgency, data.agency_code, "agency_code"),
        (LawfulBasis, data.lawful_basis_code, "lawful_basis_code"),
    ):
        try:
            reference.require_active(session, model, code, field)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    row = Disclosure(
        case_id=case.id,
        **data.model_dump(exclude={"method"}),
        method=data.method.value,
        recorded_by_id=actor.user.id if actor.user else None,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.DISCLOSURE,
        row.id,
        case_id=case.id,
        details={
            "shared_on": row.shared_on.isoformat(),
            "agency_code": row.agency_code,
            "agency_name": row.agency_name,
            "recipient_name": row.recipient_name,
            "method": row.method,
            "lawful_basis_code": row.lawful_basis_code,
        },
    )
    return row
