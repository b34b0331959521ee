"""Organisations: find_or_create (one row per name) and search."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.errors import ValidationFailed
from app.organisations import service
from app.organisations.models import Organisation
from app.reference.models import Sector


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


class TestFindOrCreate:
    def test_a_new_name_makes_an_audited_organisation(self, db, factory):
        actor = factory.actor("lado")
        org = service.find_or_create(db, actor, "  Sycamore   High School ", "secondary_school")
        assert (org.name, org.name_key, org.sector_code) == (
            "Sycamore High School",
            "sycamore high school",
            "secondary_school",
        )
        event = db.scalar(select(AuditEvent).where(AuditEvent.object_type == "organisation"))
        assert (event.verb, event.object_id, event.actor_id) == ("created", str(org.id), actor.user.id)

    def test_the_same_name_in_other_letters_and_spacing_finds_the_existing_one(self, db, factory):
        existing = factory.organisation("Sycamore High School", sector_code="secondary_school")
        before = _count(db, AuditEvent)
        found = service.find_or_create(db, factory.actor("lado"), "SYCAMORE high  school", "health")
        assert found.id == existing.id
        assert found.sector_code == "secondary_school"  # an existing organisation keeps its own sector
        assert _count(db, AuditEvent) == before + 1  # only the factory's new user, no organisation row

    def test_a_blank_name_or_an_inactive_sector_is_refused(self, db, factory):
        actor = factory.actor("lado")
        db.get(Sector, "transport").active = False
        before = _count(db, Organisation)
        with pytest.raises(ValidationFailed) as exc:
            service.find_or_create(db, actor, "   ", "health")
        assert exc.value.errors == {"organisation_name": "Enter the organisation's name"}
        with pytest.raises(ValidationFailed) as exc:
            service.find_or_create(db, actor, "Tamarisk Coaches", "transport")
        assert "sector_code" in exc.value.errors
        with pytest.raises(ValidationFailed):
            service.find_or_create(db, actor, "x" * 201, "health")
        assert _count(db, Organisation) == before

    def test_the_sector_may_be_left_unknown(self, db, factory):
        org = service.find_or_create(db, factory.actor("lado"), "Umbrella Services Ltd", None)
        assert org.sector_code is None


class TestSearch:
    def test_names_that_start_with_the_query_come_first(self, db, factory):
        factory.organisation("Willow Oak Academy")
        factory.organisation("Oakfield Nursery")
        factory.organisation("Vine School")
        assert [o.name for o in service.search(db, "oak")] == ["Oakfield Nursery", "Willow Oak Academy"]

    def test_limit_is_respected(self, db, factory):
        for n in range(5):
            factory.organisation(f"Yew Learning Trust {n}")
        assert len(service.search(db, "yew learning", limit=3)) == 3
        assert service.search(db, "   ") == []


@pytest.mark.committed
class TestConcurrency:
    def test_two_requests_adding_one_new_name_at_once_make_one_organisation(self, committed_engine):
        """Two LADOs record referrals about the same new employer at the same moment (both
        databases: on SQLite the second writer queues for the write lock)."""
        import threading

        from sqlalchemy.orm import Session

        from app.context import Actor

        barrier = threading.Barrier(4)
        ids: list[int] = []
        errors: list[BaseException] = []

        def worker():
            try:
                with Session(committed_engine, expire_on_commit=False) as session:
                    barrier.wait()
                    org = service.find_or_create(
                        session, Actor(user=None, ip="127.0.0.1"), "Zelkova Free School", "secondary_school"
                    )
                    session.commit()
                    ids.append(org.id)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert len(ids) == 4 and len(set(ids)) == 1
        with Session(committed_engine) as session:
            assert session.scalar(select(func.count()).select_from(Organisation)) == 1
            created = session.scalars(
                select(AuditEvent).where(AuditEvent.object_type == "organisation")
            ).all()
            assert len(created) == 1
