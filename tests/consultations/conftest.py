"""Fixtures of consultations: a valid form, and a consultation recorded by an officer."""

from __future__ import annotations

from typing import Any

import pytest

from app.consultations import service
from app.consultations.schemas import ConsultationCreate
from app.context import Actor


def consultation_data(**overrides: Any) -> dict[str, Any]:
    """A valid consultation (synthetic people only), the adult unnamed."""
    data: dict[str, Any] = {
        "received_on": "2026-05-11",
        "contact_method": "phone",
        "referrer_name": "Dana Asker",
        "referrer_organisation": "Synthetic Academy Trust",
        "sector_code": "secondary_school",
        "primary_category_code": "conduct",
        "question": "A teacher shared a personal phone number with a pupil: what should we do?",
        "advice": "Follow the staff code of conduct; refer back if more comes to light.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def consult(db):
    """consult(actor, **overrides): a consultation recorded by actor (flushed)."""

    def make(actor: Actor, **overrides: Any):
        case = service.record_consultation(
            db, actor, ConsultationCreate.model_validate(consultation_data(**overrides))
        )
        db.flush()
        return case

    return make
