"""`lado retention schedule --as MANAGER`: dates the closed cases that have none, on committed
data, as the manager named."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.cli import main
from app.retention.models import CaseRetention
from app.users.service import create_user
from tests.factories import PASSWORD
from tests.reports import dataset

pytestmark = pytest.mark.committed


def run(*args):
    return CliRunner().invoke(main, ["retention", "schedule", *args], catch_exceptions=False)


def test_dates_every_closed_case_once(committed_engine):
    with Session(committed_engine) as session:
        ids = dataset.build(session)
        for email, role in (("mgr@example.test", "manager"), ("lee@example.test", "lado")):
            create_user(session, None, email=email, name=role.title(), role=role, password=PASSWORD)
        session.commit()
    assert run("--as", "lee@example.test").exit_code == 2  # an officer may not
    result = run("--as", "mgr@example.test")
    assert result.exit_code == 0, result.output
    assert "Retention review dates set for" in result.output
    with Session(committed_engine) as session:
        a2 = session.get(CaseRetention, ids["A2"])  # concluded 1 September 2017, sexual
        assert a2 is not None and (a2.review_on, a2.rule) == (date(2042, 9, 1), "category")
        b1 = session.get(CaseRetention, ids["B1"])  # NFA on 1 April 2018
        assert b1 is not None and b1.review_on == date(2028, 4, 1)
        event = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "case_retention")).one()
        assert event.actor_label.startswith("Manager")
    again = run("--as", "mgr@example.test")
    assert "for 0 closed cases" in again.output
