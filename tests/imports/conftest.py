from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.cases.models import Allegation, Case, RegulatorReferral, case_disposals
from app.organisations.models import Organisation
from app.people.models import Person

TABLES = {
    "cases": Case.__table__,
    "people": Person.__table__,
    "organisations": Organisation.__table__,
    "allegations": Allegation.__table__,
    "case_disposals": case_disposals,
    "regulator_referrals": RegulatorReferral.__table__,
    "audit_events": AuditEvent.__table__,
}


def row_counts(session: Session) -> dict[str, int]:
    """Rows in every table an import writes to: equal before and after a rejected import."""
    return {name: session.scalar(select(func.count()).select_from(table)) for name, table in TABLES.items()}


@pytest.fixture
def counts(db):
    return lambda: row_counts(db)
