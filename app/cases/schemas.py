"""Inputs of the case journey: one schema per step, shared by the HTML forms and the JSON API.
Unknown fields are ignored (never stored): a posted `status` or `organisation_id` where the step
does not take one changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.cases.models import HARM_LIMBS, CaseStatus, ContactMethod, Decision, NfaKind, ReferralStatus
from app.corrections.plausibility import Confirmable
from app.errors import CHOICE, Ask, Asked, yes_if
from app.forms import blank_is_none, not_future

#: A reference-data code picked from radios or a select ("Select the primary category").
Code = Annotated[str, CHOICE]

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


def upper_initials(v: str) -> str:
    """Initials in capitals; upper case can be longer ("ß" is "SS"), so the stored length is checked."""
    v = v.upper()
    if len(v) > 10:
        raise PydanticCustomError("string_too_long", "Too long", {"max_length": 10})
    return v


class ChildIn(Input):
    #: Messages name the row: "Child 2's age must be between 0 and 17".
    item_name: ClassVar[str] = "Child"

    initials: str = Field(min_length=1, max_length=10, title="Initials")
    age: int | None = Field(default=None, ge=0, le=17, title="Age")
    gender: str = Field(default="", max_length=30, title="Gender")

    _upper = field_validator("initials")(upper_initials)


class OtherAdult(Input):
    """Another adult of the same incident, who gets a case of their own (app/incidents)."""

    #: Messages name the row: "Other adult 2's last name ...".
    item_name: ClassVar[str] = "Other adult"

    first_name: str = Field(min_length=1, max_length=100, title="First name")
    last_name: str = Field(min_length=1, max_length=100, title="Last name")
    date_of_birth: date | None = Field(default=None, title="Date of birth")
    job_title: str = Field(min_length=1, max_length=200, title="Job title or role")

    _blank = field_validator("date_of_birth", mode="before")(blank_is_none)

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, v: date | None) -> date | None:
        if v is not None and v.year < 1900:
            raise ValueError("Date of birth must be after 1900")
        return not_future(v)


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
        return not_future(v)

    @field_validator("referrer_email")
    @classmethod
    def _email(cls, v: str) -> str:
        if v and ("@" not in v or " " in v):
            raise ValueError(
                "Enter the referrer's e-mail address in the correct format, like name@example.org"
            )
        return v


class CaseCreate(ContactFields, Confirmable):
    organisation_id: Annotated[int | None, CHOICE] = Field(default=None, title="Employer")
    organisation_name: str = Field(
        default="", max_length=200, title="New employer's name", validate_default=True
    )
    sector_code: Code = Field(default="", max_length=40, title="Sector")
    subject_first_name: str = Field(min_length=1, max_length=100, title="Adult's first name")
    subject_last_name: str = Field(min_length=1, max_length=100, title="Adult's last name")
    subject_date_of_birth: date | None = Field(default=None, title="Adult's date of birth")
    job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")
    children: list[ChildIn] = Field(default_factory=list, max_length=30, title="Children")
    primary_category_code: Code = Field(min_length=1, max_length=40, title="Primary category")
    secondary_category_codes: Codes = Field(default_factory=list, title="Secondary categories")
    summary: str = Field(min_length=1, max_length=20000, title="Summary of the allegation")
    restricted: bool = Field(default=False, title="Restricted case")
    submission_key: str | None = Field(default=None, max_length=64, title="Submission key")
    #: The other adults of the same incident: each gets a case of their own, linked with this one
    #: as an incident group sharing the children and the summary (app/incidents/service.py).
    other_adults: list[OtherAdult] = Field(default_factory=list, max_length=10, title="Other adults")

    @field_validator("subject_date_of_birth")
    @classmethod
    def _dob(cls, v: date | None) -> date | None:
        if v is not None and v.year < 1900:
            raise ValueError("Adult's date of birth must be after 1900")
        return not_future(v)

    _blanks = field_validator("organisation_id", "submission_key", "subject_date_of_birth", mode="before")(
        blank_is_none
    )

    @field_validator("organisation_id")
    @classmethod
    def _id_in_range(cls, v: int | None) -> int | None:
        # An id no row can have would overflow the database's integer (a 500), not just miss.
        if v is not None and not 1 <= v <= 2**31 - 1:
            raise ValueError("Select the employer from the list")
        return v

    @field_validator("organisation_name")
    @classmethod
    def _employer(cls, v: str, info: ValidationInfo) -> str:
        # A rule across fields, checked as a field's so that it is told with the others at once.
        if not v and "organisation_id" in info.data and info.data["organisation_id"] is None:
            raise ValueError("organisation_id: Select the employer or enter the name of a new one")
        return v


class CaseDetailsUpdate(ContactFields, Versioned, Confirmable):
    sector_code: Code = Field(min_length=1, max_length=40, title="Sector")
    job_title: str = Field(min_length=1, max_length=200, title="Adult's job title or role")
    primary_category_code: Code = Field(min_length=1, max_length=40, title="Primary category")
    secondary_category_codes: Codes = Field(default_factory=list, title="Secondary categories")
    summary: str = Field(min_length=1, max_length=20000, title="Summary of the allegation")


class InitialConsideration(Versioned, Confirmable):
    # The decision first: the checks of the limbs and of the kind read it (they are told together
    # with the other fields' problems, not after them).
    decision: Decision = Field(title="Decision")
    harm_limbs: list[str] = Field(default_factory=list, title="Limbs of the harm test", validate_default=True)
    nfa_kind: NfaKind | None = Field(default=None, title="Kind of no further action", validate_default=True)
    rationale: str = Field(min_length=1, max_length=20000, title="Rationale")
    decided_on: date = Field(title="Date of the decision")

    _blanks = field_validator("nfa_kind", mode="before")(blank_is_none)

    @field_validator("harm_limbs")
    @classmethod
    def _limbs(cls, v: list[str], info: ValidationInfo) -> list[str]:
        unknown = [x for x in v if x not in HARM_LIMBS]
        if unknown:
            raise ValueError("Select the limbs of the harm test from the list")
        if not v and info.data.get("decision") == Decision.THRESHOLD_MET:
            raise ValueError("Select at least one limb of the harm test that is met")
        return list(dict.fromkeys(v))

    @field_validator("nfa_kind")
    @classmethod
    def _kind(cls, v: NfaKind | None, info: ValidationInfo) -> NfaKind | None:
        decision = info.data.get("decision")
        if decision == Decision.NFA and v is None:
            raise ValueError("Select the kind of no further action")
        return None if decision == Decision.THRESHOLD_MET else v

    @field_validator("decided_on")
    @classmethod
    def _decided(cls, v: date) -> date:
        return not_future(v)


class AllegationCreate(Input):
    description: str = Field(min_length=1, max_length=5000, title="Description of the allegation")
    category_code: Code = Field(min_length=1, max_length=40, title="Category")


class OutcomeRecord(Versioned, Confirmable):
    outcome_code: Code = Field(min_length=1, max_length=40, title="Outcome")
    outcome_on: date = Field(title="Date of the outcome")

    _outcome_on = field_validator("outcome_on")(not_future)


class DisposalsUpdate(Versioned):
    disposal_codes: Codes = Field(default_factory=list, title="Disposals")
    effective_on: date | None = Field(
        default=None,
        title="Date the disposals took effect",
        description="For the disposals newly recorded (default: today); the report as at a date counts "
        "a disposal from then",
    )

    _effective_blank = field_validator("effective_on", mode="before")(blank_is_none)
    _effective = field_validator("effective_on")(not_future)


class ReferralCreate(Input):
    regulator_code: Code = Field(min_length=1, max_length=40, title="Regulator")
    status: ReferralStatus = Field(title="Referral status")
    recommended_on: date | None = Field(default=None, title="Date recommended")
    made_on: date | None = Field(default=None, title="Date made", validate_default=True)
    reference: str = Field(default="", max_length=100, title="Regulator's reference")

    _rec = field_validator("recommended_on")(not_future)
    _made = field_validator("made_on")(not_future)

    @field_validator("made_on")
    @classmethod
    def _made_needs_date(cls, v: date | None, info: ValidationInfo) -> date | None:
        if v is None and info.data.get("status") == ReferralStatus.MADE:
            raise ValueError("Enter the date the referral was made")
        return v


class ReferralUpdate(ReferralCreate):
    regulator_code: Code = Field(default="", max_length=40, title="Regulator")
    decision: str = Field(default="", max_length=5000, title="Regulator's decision")
    decision_on: date | None = Field(default=None, title="Date of the regulator's decision")

    _dec = field_validator("decision_on")(not_future)


class Conclusion(Versioned):
    training_needs: Annotated[bool, yes_if("training needs were identified")] = Field(
        title="Training needs identified"
    )
    concluded_on: date = Field(title="Date concluded")
    nfa_after_investigation: Annotated[bool, Asked(Ask.CHOICE, "Select how the investigation ended")] = Field(
        default=False,
        title="No further action after investigation",
        description="Threshold met, then concluded with no further action and no allegation outcomes",
    )
    reason: str = Field(default="", max_length=5000, title="Why no further action")

    _concluded = field_validator("concluded_on")(not_future)


class Reopen(Versioned):
    reason: str = Field(min_length=1, max_length=5000, title="Reason for re-opening")


class NoteCreate(Input):
    body: str = Field(min_length=1, max_length=20000, title="Note")


#: The caseload's "open" filter: cases still being worked (open or threshold met).
ACTIVE = "active"
#: The case list's sortable columns (the SQL order of each is in app.cases.repository).
CASE_SORTS = ("reference", "received", "adult", "employer", "officer", "stage", "deadline", "days_open")


class CaseFilters(Input):
    status: str = Field(default="", max_length=20)
    sector: str = Field(default="", max_length=40)
    category: str = Field(default="", max_length=40)
    received_from: date | None = Field(default=None, title="Received from")
    received_to: date | None = Field(default=None, title="Received to")
    q: str = Field(default="", max_length=200)
    officer: str = Field(default="", max_length=20, title="Officer")
    overdue: bool = False
    sort: str = Field(default="received", max_length=20)
    order: str = Field(default="descending", max_length=20)
    page: int = Field(default=1, ge=1, le=100000)
    #: Keyset paging: the page after (or before) the case with this id, in the order chosen.
    after: int | None = Field(default=None, ge=1, le=2**31 - 1)
    before: int | None = Field(default=None, ge=1, le=2**31 - 1)

    _blanks = field_validator("received_from", "received_to", "after", "before", mode="before")(blank_is_none)

    @field_validator("status")
    @classmethod
    def _known_status(cls, v: str) -> str:
        v = v.strip()
        if v and v != ACTIVE and v not in set(CaseStatus):
            raise ValueError(f"Status must be one of: {ACTIVE}, {', '.join(CaseStatus)}")
        return v

    @field_validator("officer")
    @classmethod
    def _known_officer(cls, v: str) -> str:
        v = v.strip()
        if v and v not in ("me", "none") and not v.isdigit():
            raise ValueError("Officer must be me, none or an officer's user id")
        return v

    @field_validator("overdue", mode="before")
    @classmethod
    def _yes(cls, v: Any) -> Any:
        return {"yes": True, "": False, None: False}.get(v, v) if not isinstance(v, bool) else v

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, v: str) -> str:
        if v not in CASE_SORTS:
            raise ValueError(f"Sort must be one of: {', '.join(CASE_SORTS)}")
        return v

    @field_validator("order")
    @classmethod
    def _known_order(cls, v: str) -> str:
        if v not in ("ascending", "descending"):
            raise ValueError("Order must be ascending or descending")
        return v


@dataclass(frozen=True)
class CaseRow:
    """What a row of a list of cases shows (the case list, a dashboard list, search): read as
    columns, without loading the case and its joined relationships (which cost most of a list
    page's time)."""

    id: int
    reference: str
    restricted: bool
    received_on: date
    concluded_on: date | None
    status: str
    decided_on: date | None
    next_due_on: date | None
    next_due_label: str
    person_id: int | None
    adult_name: str | None  # None: the adult is not identified
    employer_name: str | None
    sector_label: str
    category_label: str  # the primary category
    officer_name: str | None  # the allocated officer

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)
