"""Inputs of the case journey: one schema per step, shared by the HTML forms and the JSON API.
Unknown fields are ignored (never stored): a posted `status` or `organisation_id` where the step
does not take one changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from app.cases.models import HARM_LIMBS, CaseStatus, ContactMethod, Decision, NfaKind, ReferralStatus
from app.clock import today
from app.forms import blank_is_none

D = TypeVar("D", date, date | None)


def not_future(value: D, what: str) -> D:
    if value is not None and value > today():
        raise ValueError(f"{what} must be today or in the past")
    return value


Short = Annotated[str, Field(max_length=200)]


def _without_blanks(codes: list[str]) -> list[str]:
    return [c for c in codes if c]


#: A list of reference codes; blank entries (an empty option, spaces) are no choice at all.
Codes = Annotated[list[str], AfterValidator(_without_blanks)]


class Input(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Versioned(Input):
    #: The case version the user loaded; a different current version means someone else saved first.
    version: int | None = Field(default=None, title="Version")


class ChildIn(Input):
    initials: str = Field(min_length=1, max_length=10, title="Child's initials")
    age: int | None = Field(default=None, ge=0, le=17, title="Child's age")
    gender: str = Field(default="", max_length=30, title="Child's gender")

    @field_validator("initials")
    @classmethod
    def _upper(cls, v: str) -> str:
        # Upper case can be longer ("ß" -> "SS"): check the length of what will be stored.
        v = v.upper()
        if len(v) > 10:
            raise ValueError("Child's initials must be 10 characters or fewer")
        return v


class ContactFields(Input):
    """When and how the contact came, and who made it (recording and changing a case)."""

    received_on: date = Field(title="Date received")
    contact_method: ContactMethod = Field(title="How it was received")
    referrer_name: str = Field(min_length=1, max_length=200, title="Referrer's name")
    referrer_organisation: Short = Field(default="", title="Referrer's organisation")
    referrer_role: Short = Field(default="", title="Referrer's role")
    referrer_phone: str = Field(default="", max_length=50, title="Referrer's phone number")
    referrer_email: str = Field(default="", max_length=254, title="Referrer's e-mail address")

    @field_validator("received_on")
    @classmethod
    def _received_not_future(cls, v: date) -> date:
        return not_future(v, "The date received")

    @field_validator("referrer_email")
    @classmethod
    def _email(cls, v: str) -> str:
        if v and ("@" not in v or " " in v):
            raise ValueError(
                "Enter the referrer's e-mail address in the correct format, like name@example.org"
            )
        return v


class CaseCreate(ContactFields):
    organisation_id: int | None = Field(default=None, title="Employer")
    organisation_name: str = Field(default="", max_length=200, title="New employer's name")
    sector_code: str = Field(default="", max_length=40, title="Sector")
    subject_first_name: str = Field(min_length=1, max_length=100, title="Adult's first name")
    subject_last_name: str = Field(min_length=1, max_length=100, title="Adult's last name")
    subject_date_of_birth: date | None = Field(default=None, title="Adult's date of birth")
    job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")
    children: list[ChildIn] = Field(default_factory=list, max_length=30, title="Children")
    primary_category_code: str = Field(min_length=1, max_length=40, title="Primary category")
    secondary_category_codes: Codes = Field(default_factory=list, title="Secondary categories")
    summary: str = Field(min_length=1, max_length=20000, title="Summary of the allegation")
    restricted: bool = Field(default=False, title="Restricted case")
    submission_key: str | None = Field(default=None, max_length=64, title="Submission key")

    @field_validator("subject_date_of_birth")
    @classmethod
    def _dob(cls, v: date | None) -> date | None:
        if v is not None and v.year < 1900:
            raise ValueError("Adult's date of birth must be after 1900")
        return not_future(v, "Adult's date of birth")

    _blanks = field_validator("organisation_id", "submission_key", "subject_date_of_birth", mode="before")(
        blank_is_none
    )

    @field_validator("organisation_id")
    @classmethod
    def _id_in_range(cls, v: int | None) -> int | None:
        # An id no row can have would overflow the database's integer (a 500), not just miss.
        if v is not None and not 1 <= v <= 2**31 - 1:
            raise ValueError("Choose the employer from the list")
        return v

    @model_validator(mode="after")
    def _employer(self) -> CaseCreate:
        if self.organisation_id is None and not self.organisation_name:
            raise ValueError("organisation_id: Choose the employer or enter the name of a new one")
        return self


class CaseDetailsUpdate(ContactFields, Versioned):
    sector_code: str = Field(min_length=1, max_length=40, title="Sector")
    job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")
    primary_category_code: str = Field(min_length=1, max_length=40, title="Primary category")
    secondary_category_codes: Codes = Field(default_factory=list, title="Secondary categories")
    summary: str = Field(min_length=1, max_length=20000, title="Summary of the allegation")


class InitialConsideration(Versioned):
    harm_limbs: list[str] = Field(default_factory=list, title="Harm test")
    decision: Decision = Field(title="Decision")
    nfa_kind: NfaKind | None = Field(default=None, title="Kind of no further action")
    rationale: str = Field(min_length=1, max_length=20000, title="Rationale")
    decided_on: date = Field(title="Date of the decision")

    _blanks = field_validator("nfa_kind", mode="before")(blank_is_none)

    @field_validator("harm_limbs")
    @classmethod
    def _limbs(cls, v: list[str]) -> list[str]:
        unknown = [x for x in v if x not in HARM_LIMBS]
        if unknown:
            raise ValueError("Choose harm-test limbs from the list")
        return list(dict.fromkeys(v))

    @field_validator("decided_on")
    @classmethod
    def _decided(cls, v: date) -> date:
        return not_future(v, "The date of the decision")

    @model_validator(mode="after")
    def _kind(self) -> InitialConsideration:
        if self.decision == Decision.NFA and self.nfa_kind is None:
            raise ValueError("nfa_kind: Choose the kind of no further action")
        if self.decision == Decision.THRESHOLD_MET:
            self.nfa_kind = None
            if not self.harm_limbs:
                raise ValueError("harm_limbs: Choose at least one limb of the harm test that is met")
        return self


class AllegationCreate(Input):
    description: str = Field(min_length=1, max_length=5000, title="Description of the allegation")
    category_code: str = Field(min_length=1, max_length=40, title="Category")


class OutcomeRecord(Versioned):
    outcome_code: str = Field(min_length=1, max_length=40, title="Outcome")
    outcome_on: date = Field(title="Date of the outcome")

    _outcome_on = field_validator("outcome_on")(lambda v: not_future(v, "The date of the outcome"))


class DisposalsUpdate(Versioned):
    disposal_codes: Codes = Field(default_factory=list, title="Disposals")


class ReferralCreate(Input):
    regulator_code: str = Field(min_length=1, max_length=40, title="Regulator")
    status: ReferralStatus = Field(title="Referral status")
    recommended_on: date | None = Field(default=None, title="Date recommended")
    made_on: date | None = Field(default=None, title="Date made")
    reference: str = Field(default="", max_length=100, title="Regulator's reference")

    _rec = field_validator("recommended_on")(lambda v: not_future(v, "The date recommended"))
    _made = field_validator("made_on")(lambda v: not_future(v, "The date made"))

    @model_validator(mode="after")
    def _made_needs_date(self):
        if self.status == ReferralStatus.MADE and self.made_on is None:
            raise ValueError("made_on: Enter the date the referral was made")
        return self


class ReferralUpdate(ReferralCreate):
    regulator_code: str = Field(default="", max_length=40, title="Regulator")
    decision: str = Field(default="", max_length=5000, title="Regulator's decision")
    decision_on: date | None = Field(default=None, title="Date of the regulator's decision")

    _dec = field_validator("decision_on")(lambda v: not_future(v, "The date of the regulator's decision"))


class Conclusion(Versioned):
    training_needs: bool = Field(title="Training needs identified")
    concluded_on: date = Field(title="Date concluded")

    _concluded = field_validator("concluded_on")(lambda v: not_future(v, "The date concluded"))


class Reopen(Versioned):
    reason: str = Field(min_length=1, max_length=5000, title="Reason for re-opening")


class NoteCreate(Input):
    body: str = Field(min_length=1, max_length=20000, title="Note")


class CaseFilters(Input):
    status: str = Field(default="", max_length=20)
    sector: str = Field(default="", max_length=40)
    category: str = Field(default="", max_length=40)
    received_from: date | None = None
    received_to: date | None = None
    q: str = Field(default="", max_length=200)
    page: int = Field(default=1, ge=1, le=100000)

    _blanks = field_validator("received_from", "received_to", mode="before")(blank_is_none)

    @field_validator("status")
    @classmethod
    def _known_status(cls, v: str) -> str:
        v = v.strip()
        if v and v not in set(CaseStatus):
            raise ValueError(f"Status must be one of: {', '.join(CaseStatus)}")
        return v
