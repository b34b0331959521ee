"""Real concurrency on both databases: two officers saving one case at once, and one form submitted ten
times at once. Each thread has its own connection and commits for real."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.cases import service
from app.cases.models import Case
from app.cases.schemas import CaseCreate, CaseDetailsUpdate
from app.context import Actor
from app.errors import Conflict
from tests.factories import Factory

pytestmark = pytest.mark.committed


@pytest.fixture
def pg_engine(committed_engine):
    """Both databases: PostgreSQL with row locks, SQLite with writers queued for the write lock."""
    return committed_engine


def _setup(engine):
    with Session(engine, expire_on_commit=False) as s:
        f = Factory(s)
        user = f.user("lado")
        data = f.case_data()
        s.commit()
    return user, data


def test_two_concurrent_edits_exactly_one_wins(pg_engine):
    user, data = _setup(pg_engine)
    with Session(pg_engine) as s:
        case = service.open_case(s, Actor(user=s.merge(user)), CaseCreate.model_validate(data))
        s.commit()
        case_id, version = case.id, case.version
    barrier = threading.Barrier(2)

    def edit(summary: str) -> str:
        with Session(pg_engine) as s:
            actor = Actor(user=s.merge(user))
            case = service.get_case(s, actor, case_id)
            barrier.wait()
            try:
                service.update_details(
                    s,
                    actor,
                    case,
                    CaseDetailsUpdate.model_validate(
                        {
                            "received_on": data["received_on"],
                            "contact_method": "email",
                            "referrer_name": "R",
                            "sector_code": data["sector_code"],
                            "job_title": "Teacher",
                            "primary_category_code": "physical",
                            "summary": summary,
                            "version": version,
                        }
                    ),
                )
                s.commit()
                return "won"
            except (Conflict, StaleDataError):
                s.rollback()
                return "conflict"

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(edit, ["from thread A", "from thread B"]))
    assert sorted(results) == ["conflict", "won"]
    with Session(pg_engine) as s:
        case = s.get(Case, case_id)
        assert case.summary == ("from thread A" if results[0] == "won" else "from thread B")
        assert case.version == version + 1


def test_same_form_submitted_ten_times_at_once_creates_one_case(pg_engine):
    user, data = _setup(pg_engine)
    data = {**data, "submission_key": "same-form-submission-0001"}
    barrier = threading.Barrier(10)

    def submit(_):
        with Session(pg_engine) as s:
            actor = Actor(user=s.merge(user))
            barrier.wait()
            case = service.open_case(s, actor, CaseCreate.model_validate(data))
            s.commit()
            return case.id

    with ThreadPoolExecutor(10) as pool:
        ids = list(pool.map(submit, range(10)))
    assert len(set(ids)) == 1
    with Session(pg_engine) as s:
        assert (
            s.scalar(
                select(func.count()).select_from(Case).where(Case.submission_key == data["submission_key"])
            )
            == 1
        )


def test_concurrent_creations_get_distinct_references(pg_engine):
    user, data = _setup(pg_engine)

    def submit(i):
        with Session(pg_engine) as s:
            case = service.open_case(s, Actor(user=s.merge(user)), CaseCreate.model_validate(data))
            s.commit()
            return case.reference

    with ThreadPoolExecutor(8) as pool:
        refs = list(pool.map(submit, range(16)))
    assert len(set(refs)) == 16
