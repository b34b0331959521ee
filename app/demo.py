"""Synthetic demo data: users for each role and cases spread over the last three reporting years.
Every person here is invented."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app import clock
from app.cases import outcomes, service
from app.cases import repository as cases_repository
from app.cases.models import CaseStatus, ContactMethod, Decision, NfaKind, ReferralStatus
from app.cases.schemas import (
    AllegationCreate,
    CaseCreate,
    ChildIn,
    Conclusion,
    DisposalsUpdate,
    InitialConsideration,
    OtherAdult,
    OutcomeRecord,
    ReferralCreate,
)
from app.context import Actor
from app.db import session_scope
from app.incidents import service as incidents
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.organisations import contacts
from app.organisations import repository as organisations_repository
from app.organisations import service as organisations
from app.organisations.schemas import ContactForm, OrganisationForm
from app.publications import service as publications
from app.settings.service import reporting_year_start_month
from app.users import repository as users_repository
from app.users.models import User
from app.users.service import create_user

FIRST = [
    "Alex",
    "Sam",
    "Jordan",
    "Casey",
    "Robin",
    "Morgan",
    "Taylor",
    "Jamie",
    "Charlie",
    "Riley",
    "Avery",
    "Quinn",
]
LAST = [
    "Ashdown",
    "Brackley",
    "Cowling",
    "Dunmore",
    "Elsworth",
    "Fairbairn",
    "Gosforth",
    "Holloway",
    "Ingleby",
    "Jessop",
    "Kettering",
    "Lytham",
    "Marchant",
    "Northcote",
    "Ormsby",
    "Pendle",
]
EMPLOYERS = [
    ("Meadowbank Primary School", "primary_school"),
    ("Hilltop Academy", "secondary_school"),
    ("Riverside College", "further_education"),
    ("Little Acorns Nursery", "early_years"),
    ("Oakfield Children's Home", "residential_non_la"),
    ("Borough Fostering Service", "foster_carer_in_house"),
    ("Northside Football Club", "leisure_sport"),
    ("County Constabulary", "police"),
    ("St Anne's Church", "faith_group"),
    ("Community Health Trust", "health"),
    ("Safe Journeys Taxis", "transport"),
    ("Youth Action Charity", "voluntary"),
]
SUMMARIES = [
    "Reported to have grabbed a pupil by the arm during a lunchtime incident.",
    "Alleged to have sent inappropriate messages to a young person on social media.",
    "Concerns about shouting at and belittling children in the group.",
    "Left children unsupervised on a trip; one child was injured.",
    "Arrested for an offence outside work; transferable risk to be considered.",
]
OUTCOME_CODES = ["substantiated", "unsubstantiated", "unfounded", "false", "malicious"]


def _password() -> str:
    return secrets.token_urlsafe(12)


def load_demo_data(count: int, echo: Callable[[str], None] = print, seed: int = 20261125) -> None:
    rnd = random.Random(seed)
    with session_scope() as session:
        if users_repository.get_user_by_email(session, "lado@example.test") is not None:
            echo("Demo data is already loaded (lado@example.test exists).")
            return
        system = Actor(user=None, via="cli")
        orgs = [
            organisations.create(session, system, OrganisationForm(name=name, sector_code=sector))
            for name, sector in EMPLOYERS
        ]
        people = [
            ("lado@example.test", "Lee Officer (demo)", "lado", []),
            ("lado2@example.test", "Pat Second (demo)", "lado", []),
            ("manager@example.test", "Morgan Manager (demo)", "manager", []),
            ("hr@example.test", "Harper Liaison (demo)", "hr_liaison", [EMPLOYERS[1][0]]),
            ("admin@example.test", "Ash Admin (demo)", "admin", []),
        ]
        echo("Demo users (these passwords are shown once; keep them somewhere safe):")
        users: dict[str, User] = {}
        for email, name, role, member_of in people:
            password = _password()
            users[email] = create_user(
                session,
                system,
                email=email,
                name=name,
                role=role,
                password=password,
                organisation_names=member_of,
            )
            echo(f"  {role:<11} {email:<24} {password}")
        officer = Actor(user=users["lado@example.test"], ip="127.0.0.1")
        today = clock.today()
        start = date(today.year - (2 if today.month >= 4 else 3), 4, 1)
        span = (today - start).days
        for i in range(count):
            received = start + timedelta(days=rnd.randrange(max(span - 14, 1)))
            org = rnd.choice(orgs)
            # Every 25th referral names a second adult of the same incident (two staff in one
            # restraint): a case each, linked (app/incidents).
            case = incidents.open_together(
                session,
                officer,
                CaseCreate(
                    received_on=received,
                    contact_method=ContactMethod(rnd.choice(["phone", "email", "online"])),
                    referrer_name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                    referrer_organisation=org.name,
                    referrer_role="Designated safeguarding lead",
                    referrer_phone="01632 960000",
                    referrer_email="dsl@example.test",
                    organisation_id=org.id,
                    subject_first_name=rnd.choice(FIRST),
                    subject_last_name=rnd.choice(LAST),
                    subject_date_of_birth=date(
                        1970 + rnd.randrange(30), 1 + rnd.randrange(12), 1 + rnd.randrange(28)
                    ),
                    job_title=rnd.choice(
                        ["Teacher", "Teaching assistant", "Foster carer", "Coach", "Driver", "Nurse"]
                    ),
                    children=[
                        ChildIn(
                            initials=rnd.choice("ABCDEFGH") + rnd.choice("JKLMNPRS"),
                            age=rnd.randrange(3, 17),
                            gender=rnd.choice(["female", "male"]),
                        )
                    ],
                    primary_category_code=rnd.choice(
                        ["conduct", "emotional", "neglect", "physical", "sexual", "other"]
                    ),
                    summary=rnd.choice(SUMMARIES),
                    other_adults=[
                        OtherAdult(first_name="Sam", last_name=f"Second{i}", job_title="Teaching assistant")
                    ]
                    if i % 25 == 3
                    else [],
                ),
            )
            if i % 7 == 6:
                continue  # awaiting initial consideration
            decided = received + timedelta(days=rnd.randrange(0, 3))
            if rnd.random() < 0.6:
                service.record_initial_consideration(
                    session,
                    officer,
                    case,
                    InitialConsideration(
                        decision=Decision.NFA,
                        nfa_kind=NfaKind(
                            rnd.choice(["advice_given", "consultation_only", "referred_to_employer"])
                        ),
                        rationale="Harm threshold not met; advice given to the employer.",
                        decided_on=min(decided, today),
                    ),
                )
                continue
            service.record_initial_consideration(
                session,
                officer,
                case,
                InitialConsideration(
                    decision=Decision.THRESHOLD_MET,
                    harm_limbs=rnd.sample(["harmed", "offence", "risk", "suitability"], 2),
                    rationale="Harm threshold met.",
                    decided_on=min(decided, today),
                ),
            )
            concluded = received + timedelta(days=rnd.randrange(20, 200))
            allegations = [
                outcomes.add_allegation(
                    session,
                    officer,
                    case,
                    AllegationCreate(
                        description=f"Allegation {n + 1}: {case.summary}",
                        category_code=case.primary_category_code,
                    ),
                )
                for n in range(rnd.choice([1, 1, 2]))
            ]
            if concluded >= today:
                continue  # investigation continuing
            for allegation in allegations:
                outcomes.record_outcome(
                    session,
                    officer,
                    case,
                    allegation,
                    OutcomeRecord(outcome_code=rnd.choice(OUTCOME_CODES), outcome_on=concluded),
                )
            if any(a.outcome_code == "substantiated" for a in allegations):
                outcomes.set_disposals(
                    session,
                    officer,
                    case,
                    DisposalsUpdate(
                        disposal_codes=rnd.sample(["dismissed", "training_support", "written_warning"], 1),
                        effective_on=concluded,
                    ),
                )
                made = rnd.random() < 0.5
                outcomes.add_referral(
                    session,
                    officer,
                    case,
                    ReferralCreate(
                        regulator_code="dbs",
                        status=ReferralStatus.MADE if made else ReferralStatus.RECOMMENDED,
                        recommended_on=concluded,
                        made_on=concluded if made else None,
                    ),
                )
            outcomes.conclude_case(
                session, officer, case, Conclusion(training_needs=rnd.random() < 0.3, concluded_on=concluded)
            )
        _letters_for_demo(session, system, officer, users["hr@example.test"], echo)
        # Last complete reporting year's statistics, published as a partnership would.
        month = reporting_year_start_month(session)
        last_year = (today.year if today.month >= month else today.year - 1) - 1
        manager = Actor(user=users["manager@example.test"], ip="127.0.0.1")
        publications.publish(session, manager, last_year, None, note="Demo: the partnership's annual report")
        echo(f"Created {count} synthetic cases from {start:%-d %B %Y}.")


def _letters_for_demo(
    session: Session, system: Actor, officer: Actor, hr_user: User, echo: Callable[[str], None]
) -> None:
    """An HR liaison contact at every employer (the demo HR user at Hilltop Academy) and one
    finalised outcome letter, so the HR portal has something to show."""
    hilltop = None
    for org in organisations_repository.all_by_name(session):
        linked = org.name == EMPLOYERS[1][0]
        hilltop = org if linked else hilltop
        contacts.add_contact(
            session,
            system,
            org,
            ContactForm(
                name=hr_user.name if linked else f"HR team, {org.name}",
                role="HR liaison",
                email=hr_user.email if linked else "hr-team@example.test",
                is_primary=True,
                user_id=hr_user.id if linked else None,
            ),
        )
    case = (
        cases_repository.first_case_of(session, officer, hilltop.id, CaseStatus.CONCLUDED)
        if hilltop
        else None
    )
    if case is None:
        return
    letter = letters.create_draft(session, officer, case, LetterKind.EMPLOYER_OUTCOME)
    letters.finalise(session, officer, case, letter, Finalise(checked_against_case=True))
    echo(f"Finalised an outcome letter on {case.reference} for the HR portal (sign in as hr@example.test).")
