"""What the cases API sends back (response models built from the ORM objects), and the OpenAPI
descriptions of its request bodies and error responses (problem+json, see app/problems.py)."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.audit.models import AuditEvent
from app.cases import rules
from app.cases.models import Case, CaseNote
from app.problems import problems


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# ---- errors and request bodies ------------------------------------------------------------------

READ_PROBLEMS = problems(401, 403, 404, 422)
WRITE_PROBLEMS = problems(401, 403, 404, 409, 422)


#: A valid body for each step (synthetic people only): shown in the docs, sent by schemathesis.
EXAMPLES: dict[str, dict[str, Any]] = {
    "CaseCreate": {
        "received_on": "2026-05-11",
        "contact_method": "phone",
        "referrer_name": "Dana Example",
        "referrer_organisation": "Synthetic Academy Trust",
        "referrer_role": "Designated safeguarding lead",
        "referrer_phone": "01632 960000",
        "referrer_email": "dsl@example.org",
        "organisation_name": "Synthetic Academy",
        "sector_code": "secondary_school",
        "subject_first_name": "Alex",
        "subject_last_name": "Example",
        "subject_date_of_birth": "1985-02-14",
        "job_title": "Teacher",
        "children": [{"initials": "AB", "age": 12, "gender": "female"}],
        "primary_category_code": "physical",
        "secondary_category_codes": ["emotional"],
        "summary": "What is alleged, in the referrer's words.",
        "restricted": False,
    },
    "InitialConsideration": {
        "harm_limbs": ["harmed", "risk"],
        "decision": "threshold_met",
        "rationale": "The harm test is met.",
        "decided_on": "2026-05-12",
    },
    "AllegationCreate": {"description": "Pushed a pupil against a wall", "category_code": "physical"},
    "OutcomeRecord": {"outcome_code": "substantiated", "outcome_on": "2026-06-30"},
    "DisposalsUpdate": {"disposal_codes": ["dismissed"]},
    "ReferralCreate": {"regulator_code": "dbs", "status": "recommended", "recommended_on": "2026-06-30"},
    "ReferralUpdate": {
        "status": "made",
        "recommended_on": "2026-06-30",
        "made_on": "2026-07-01",
        "reference": "DBS-0001",
        "decision": "",
        "decision_on": None,
    },
    "Conclusion": {"training_needs": True, "concluded_on": "2026-07-01"},
    "Reopen": {"reason": "New information from the school"},
    "NoteCreate": {"body": "Spoke to the head teacher."},
    "MinutesDraft": {
        "row_version": 1,
        "sections": [
            {"heading": "Discussion", "body": "What the meeting heard.", "restriction": "none"},
            {"heading": "Police update", "body": "The police's plans.", "restriction": "police_sensitive"},
        ],
    },
    "MinutesFinalise": {"row_version": 2},
    "RecipientForm": {"name": "Dana Example", "agency": "Synthetic Academy", "role": "Headteacher"},
    "SendForm": {
        "recipient_id": 1,
        "method": "secure_email",
        "sent_on": "2026-05-20",
        "withheld_section_ids": [2],
        "withheld_reason": "Police-sensitive: not for the employer",
    },
}


def request_body(model: type[BaseModel], description: str = "") -> dict[str, Any]:
    """`openapi_extra` that documents a JSON request body read by the handler itself (see
    app.forms.read_body). Nested models are inlined: the document stays self-contained."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[-1]]))
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    media: dict[str, Any] = {"schema": inline(schema)}
    if (example := EXAMPLES.get(model.__name__)) is not None:
        model.model_validate(example)  # a wrong example fails at import, not in a client's hands
        media["example"] = example
    body: dict[str, Any] = {"required": True, "content": {"application/json": media}}
    if description:
        body["description"] = description
    return {"requestBody": body}


# ---- the case -----------------------------------------------------------------------------------


class Referrer(BaseModel):
    name: str
    organisation: str
    role: str
    phone: str
    email: str


class Employer(BaseModel):
    id: int
    name: str


class Adult(BaseModel):
    first_name: str
    last_name: str
    date_of_birth: date | None


class ChildOut(Out):
    id: int = Field(description="Names the child in a correction (/corrections/children/{child_id})")
    initials: str
    age: int | None
    gender: str


class InitialConsiderationOut(BaseModel):
    harm_limbs: list[str]
    decision: str
    nfa_kind: str | None
    rationale: str
    decided_on: date | None


class AllegationOut(Out):
    id: int
    description: str
    category_code: str
    outcome_code: str | None
    outcome_on: date | None


class ReferralOut(Out):
    id: int
    regulator_code: str
    status: str
    recommended_on: date | None
    made_on: date | None
    reference: str
    decision: str
    decision_on: date | None


class NoteOut(BaseModel):
    id: int
    body: str
    author: str | None = Field(description="The author's name")
    created_at: datetime


def _employer(case: Case) -> Employer | None:
    org = case.organisation
    return Employer(id=org.id, name=org.name) if org is not None else None


def _adult(case: Case) -> Adult | None:
    p = case.person
    return Adult(first_name=p.first_name, last_name=p.last_name, date_of_birth=p.date_of_birth) if p else None


class CaseSummary(BaseModel):
    """One row of the case list."""

    id: int
    reference: str
    status: str
    status_label: str
    version: int
    restricted: bool
    received_on: date
    sector_code: str
    primary_category_code: str
    employer: Employer | None
    adult: Adult | None
    concluded_on: date | None
    allocated_officer_id: int | None = Field(description="The officer the case is allocated to")

    @classmethod
    def of(cls, case: Case) -> CaseSummary:
        return cls(
            id=case.id,
            reference=case.reference,
            status=case.status,
            status_label=case.status_enum.label,
            version=case.version,
            restricted=case.restricted,
            received_on=case.received_on,
            sector_code=case.sector_code,
            primary_category_code=case.primary_category_code,
            employer=_employer(case),
            adult=_adult(case),
            concluded_on=case.concluded_on,
            allocated_officer_id=case.allocated_officer_id,
        )


class CaseOut(CaseSummary):
    """A case with everything recorded on it. Send `version` back with a step to be told (409)
    when someone else saved the case in between."""

    contact_method: str
    referrer: Referrer
    job_title: str
    children: list[ChildOut]
    secondary_category_codes: list[str]
    summary: str
    initial_consideration: InitialConsiderationOut | None
    allegations: list[AllegationOut]
    disposal_codes: list[str]
    referrals: list[ReferralOut]
    training_needs: bool | None
    nfa_after_investigation: bool = Field(
        default=False, description="Concluded with no further action after investigation"
    )
    conclusion_reason: str = Field(default="", description="Why, when concluded with no further action")
    notes: list[NoteOut] = Field(description="Newest first")
    allowed_steps: list[str] = Field(description="The journey steps the case's current status allows")
    co_worker_ids: list[int] = Field(description="The other officers who work the case (see its allocation)")
    incident_id: int | None = Field(
        default=None, description="The incident this case shares with other adults' cases (GET .../incident)"
    )

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        ic = None
        if case.decision is not None:
            ic = InitialConsiderationOut(
                harm_limbs=case.harm_limb_list,
                decision=case.decision,
                nfa_kind=case.nfa_kind,
                rationale=case.decision_rationale,
                decided_on=case.decided_on,
            )
        return cls(
            **CaseSummary.of(case).model_dump(),
            contact_method=case.contact_method,
            referrer=Referrer(
                name=case.referrer_name,
                organisation=case.referrer_organisation,
                role=case.referrer_role,
                phone=case.referrer_phone,
                email=case.referrer_email,
            ),
            job_title=case.job_title,
            children=[ChildOut.model_validate(c) for c in case.children],
            secondary_category_codes=[c.code for c in case.secondary_categories],
            summary=case.summary,
            initial_consideration=ic,
            allegations=[AllegationOut.model_validate(a) for a in case.allegations],
            disposal_codes=[d.code for d in case.disposals],
            referrals=[ReferralOut.model_validate(r) for r in case.referrals],
            training_needs=case.training_needs,
            nfa_after_investigation=case.nfa_after_investigation,
            conclusion_reason=case.conclusion_reason,
            notes=[_note(n) for n in sorted(case.notes, key=lambda n: n.id, reverse=True)],
            allowed_steps=[step for step in rules.STEPS if rules.can(case, step)],
            co_worker_ids=[u.id for u in case.co_workers],
            incident_id=case.incident_id,
        )


def _note(note: CaseNote) -> NoteOut:
    return NoteOut(
        id=note.id,
        body=note.body,
        author=note.author.name if note.author else None,
        created_at=note.created_at,
    )


class CasePage(BaseModel):
    items: list[CaseSummary]
    page: int
    page_size: int
    total: int = Field(
        description="Cases matching the filters, over all pages, counted up to 1,000 "
        "(see total_is_lower_bound)"
    )
    total_is_lower_bound: bool = Field(
        default=False, description="True when at least `total` cases match (the count stopped there)"
    )
    next_after: int | None = Field(
        default=None,
        description="Pass as `after` for the next page (cheaper than `page` deep in a long list); "
        "null on the last page",
    )


class HistoryEvent(BaseModel):
    time: datetime
    actor_label: str
    verb: str
    object_type: str
    object_id: str | None
    details: dict[str, Any]

    @classmethod
    def of(cls, event: AuditEvent) -> HistoryEvent:
        return cls(
            time=event.occurred_at,
            actor_label=event.actor_label,
            verb=event.verb,
            object_type=event.object_type,
            object_id=event.object_id,
            details=event.details or {},
        )


class CaseHistory(BaseModel):
    items: list[HistoryEvent] = Field(description="Oldest first")
