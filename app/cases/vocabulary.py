"""The case's stages, contact methods, decisions, harm-test limbs and referral statuses, with the
labels the pages show (re-exported by app/cases/models.py)."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    CONSULTATION = "consultation"  # advice given, no referral (yet): app/consultations
    OPEN = "open"  # contact received, awaiting initial consideration
    NFA = "nfa"  # closed after initial consideration
    THRESHOLD_MET = "threshold_met"  # full LADO process under way
    CONCLUDED = "concluded"
    TRANSFERRED = "transferred"  # closed here: another LADO leads it now (app/areas)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    CaseStatus.CONSULTATION: "Consultation",
    CaseStatus.OPEN: "Awaiting initial consideration",
    CaseStatus.NFA: "No further action",
    CaseStatus.THRESHOLD_MET: "Threshold met",
    CaseStatus.CONCLUDED: "Concluded",
    CaseStatus.TRANSFERRED: "Transferred to another LADO",
}


class ContactMethod(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ONLINE = "online"
    LETTER = "letter"
    IN_PERSON = "in_person"
    OTHER = "other"


CONTACT_METHOD_LABELS = {
    ContactMethod.PHONE: "Telephone",
    ContactMethod.EMAIL: "E-mail",
    ContactMethod.ONLINE: "Online referral",
    ContactMethod.LETTER: "Letter",
    ContactMethod.IN_PERSON: "In person",
    ContactMethod.OTHER: "Other",
}


class Decision(StrEnum):
    NFA = "nfa"
    THRESHOLD_MET = "threshold_met"


class NfaKind(StrEnum):
    ADVICE_GIVEN = "advice_given"
    CONSULTATION_ONLY = "consultation_only"
    REFERRED_TO_EMPLOYER = "referred_to_employer"


NFA_KIND_LABELS = {
    NfaKind.ADVICE_GIVEN: "Advice given",
    NfaKind.CONSULTATION_ONLY: "Consultation only",
    NfaKind.REFERRED_TO_EMPLOYER: "Referred back to employer (conduct or low-level matter)",
}

#: The four limbs of the harm test (KCSIE / Working Together).
HARM_LIMBS = {
    "harmed": "Harmed or may have harmed a child",
    "offence": "Possibly committed a criminal offence against or related to a child",
    "risk": "Behaved towards a child in a way that indicates they may pose a risk of harm",
    "suitability": "Behaved in a way that indicates they may not be suitable to work with children",
}


class ReferralStatus(StrEnum):
    RECOMMENDED = "recommended"
    MADE = "made"
    NOT_REQUIRED = "not_required"


REFERRAL_STATUS_LABELS = {
    CaseStatus.CONSULTATION: "Consultation",
    ReferralStatus.RECOMMENDED: "Recommended",
    ReferralStatus.MADE: "Made",
    ReferralStatus.NOT_REQUIRED: "Not required",
}
