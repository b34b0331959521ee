"""Fixtures for letters: a case taken through the journey to its outcomes, an employer with an HR
liaison contact and user, a real SMTP server (shared with tests/outbox)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.cases import outcomes as findings
from app.cases import service as cases
from app.cases.models import Case
from app.cases.schemas import (
    AllegationCreate,
    CaseCreate,
    Conclusion,
    DisposalsUpdate,
    InitialConsideration,
    OutcomeRecord,
    ReferralCreate,
)
from app.context import Actor
from app.organisations import contacts
from app.organisations.models import Organisation
from app.organisations.schemas import ContactForm
from tests.outbox.conftest import mail_settings, smtp_down, smtp_port, smtp_server  # noqa: F401 (fixtures)


class Journey:
    """Builds cases through the real case services, as a LADO would."""

    def __init__(self, db: Session, factory, lado: Actor) -> None:
        self.db, self.factory, self.lado = db, factory, lado

    def employer(
        self, name: str | None = None, *, contact: bool = True, attach_pdf: bool = False
    ) -> Organisation:
        org = self.factory.organisation(name)
        org.email_attach_pdf = attach_pdf
        if contact:
            admin = Actor(user=None, via="test")
            contacts.add_contact(
                self.db,
                admin,
                org,
                ContactForm(
                    name="Jo Liaison",
                    role="HR manager",
                    email="jo.liaison@school.example.test",
                    is_primary=True,
                ),
            )
        self.db.flush()
        return org

    def hr_user(self, org: Organisation, **kwargs):
        return self.factory.user("hr_liaison", organisations=[org.name], **kwargs)

    def case(
        self,
        org: Organisation | None = None,
        *,
        outcomes: tuple[str | None, ...] = ("substantiated", "malicious"),
        training: bool | None = True,
        dbs: bool = True,
        conclude: bool = True,
        **case_data,
    ) -> Case:
        org = org or self.employer()
        data = self.factory.case_data(
            organisation_id=org.id,
            organisation_name="",
            subject_first_name="Sam",
            job_title="Teaching assistant",
            **case_data,
        )
        case = cases.open_case(self.db, self.lado, CaseCreate.model_validate(data))
        cases.record_initial_consideration(
            self.db,
            self.lado,
            case,
            InitialConsideration(
                harm_limbs=["harmed"],
                decision="threshold_met",
                rationale="Synthetic rationale.",
                decided_on=date(2026, 5, 12),
            ),
        )
        for n, outcome in enumerate(outcomes, start=1):
            allegation = findings.add_allegation(
                self.db,
                self.lado,
                case,
                AllegationCreate(
                    description=f"Synthetic allegation number {n} about conduct in class.",
                    category_code="physical",
                ),
            )
            if outcome:
                findings.record_outcome(
                    self.db,
                    self.lado,
                    case,
                    allegation,
                    OutcomeRecord(outcome_code=outcome, outcome_on=date(2026, 6, 1)),
                )
        if dbs:
            findings.add_referral(
                self.db,
                self.lado,
                case,
                ReferralCreate(
                    regulator_code="dbs", status="made", made_on=date(2026, 6, 2), reference="DBS-SYN-1"
                ),
            )
            findings.add_referral(
                self.db, self.lado, case, ReferralCreate(regulator_code="tra", status="recommended")
            )
        findings.set_disposals(self.db, self.lado, case, DisposalsUpdate(disposal_codes=["written_warning"]))
        if conclude and all(outcomes) and outcomes:
            findings.conclude_case(
                self.db,
                self.lado,
                case,
                Conclusion(training_needs=bool(training), concluded_on=date(2026, 6, 3)),
            )
        self.db.flush()
        return case


@pytest.fixture
def journey(db, factory, lado) -> Journey:
    return Journey(db, factory, lado)


@pytest.fixture
def open_client(app):
    """Another browser session (its own cookies): open_client() -> TestClient; closed after the test."""
    from fastapi.testclient import TestClient

    opened: list[TestClient] = []

    def open_one() -> TestClient:
        c = TestClient(app, base_url="http://testserver", follow_redirects=False)
        c.__enter__()
        opened.append(c)
        return c

    yield open_one
    for c in opened:
        c.__exit__(None, None, None)


def signed_in(open_client, user) -> tuple:
    """(client, csrf) for `user` in a fresh client."""
    from tests.helpers import sign_in

    c = open_client()
    return c, sign_in(c, user.email)
