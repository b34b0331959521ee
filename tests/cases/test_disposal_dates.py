"""Each disposal carries the date it took effect (annual-report.md: the report as at a date counts a
disposal from then): given with the disposals, or today; a disposal kept keeps its date."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.cases import outcomes, service
from app.cases.models import case_disposals
from app.cases.schemas import CaseCreate, DisposalsUpdate, InitialConsideration
from app.clock import today
from app.errors import ValidationFailed


@pytest.fixture
def case(db, factory):
    officer = factory.actor("lado")
    case = service.open_case(db, officer, CaseCreate.model_validate(factory.case_data()))
    service.record_initial_consideration(
        db,
        officer,
        case,
        InitialConsideration(
            harm_limbs=["harmed"], decision="threshold_met", rationale="Met", decided_on=case.received_on
        ),
    )
    return officer, case


def dates(db, case_id: int) -> dict[str, date]:
    rows = db.execute(
        select(case_disposals.c.disposal_code, case_disposals.c.effective_on).where(
            case_disposals.c.case_id == case_id
        )
    )
    return dict(rows.all())


def test_new_disposals_take_the_date_given_and_kept_ones_keep_theirs(db, case):
    officer, case = case
    outcomes.set_disposals(db, officer, case, DisposalsUpdate(disposal_codes=["dismissed"]))
    assert dates(db, case.id) == {"dismissed": today()}
    given = max(case.received_on, date(2026, 6, 1))
    both = DisposalsUpdate(disposal_codes=["dismissed", "training_support"], effective_on=given)
    outcomes.set_disposals(db, officer, case, both)
    assert dates(db, case.id) == {"dismissed": today(), "training_support": given}


def test_a_date_before_the_case_was_received_is_refused(db, case):
    officer, case = case
    with pytest.raises(ValidationFailed) as caught:
        outcomes.set_disposals(
            db, officer, case, DisposalsUpdate(disposal_codes=["dismissed"], effective_on=date(2000, 1, 1))
        )
    assert "on or after the date received" in caught.value.errors["effective_on"]
    assert dates(db, case.id) == {}
