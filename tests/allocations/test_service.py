"""The rules of allocation and cover, and who sees a restricted case, on a real database."""

from __future__ import annotations

import pytest

from app.allocations import service
from app.allocations.models import CaseAllocation, CoverOutcome
from app.allocations.schemas import CoverEnd, CoverStart, CoWorkerChange, Reallocation
from app.cases import repository as cases_repository
from app.cases import service as cases
from app.cases.chronology import entries
from app.cases.models import CaseStatus
from app.context import Actor
from app.errors import Conflict, Forbidden, ValidationFailed
from app.forms import validate
from tests.helpers import audit_events

pytestmark = pytest.mark.usefixtures("password_only")


def sees(db, actor: Actor, case) -> bool:
    return cases_repository.get_visible(db, actor, case.id) is not None


def history(db, case) -> list[tuple[str, int | None, int | None]]:
    rows = db.query(CaseAllocation).filter_by(case_id=case.id).order_by(CaseAllocation.id)
    return [(r.kind, r.from_officer_id, r.to_officer_id) for r in rows]


class TestRecording:
    def test_the_recording_officer_is_allocated_and_it_is_in_the_history(self, db, team, open_case):
        ann = team["Ann"]
        case = open_case(ann)
        assert case.allocated_officer_id == ann.user.id and case.allocated_officer is ann.user
        assert case.co_workers == []
        assert history(db, case) == [("allocated", None, ann.user.id)]


class TestReallocation:
    def test_a_manager_reallocates_with_a_reason(self, db, team, open_case):
        ann, bea, manager = team["Ann"], team["Bea"], team["manager"]
        case = open_case(ann)
        version = case.version
        service.reallocate(
            db, manager, case, Reallocation(officer_id=bea.user.id, reason="Rebalancing", version=version)
        )
        db.flush()
        assert case.allocated_officer_id == bea.user.id and case.version == version + 1
        assert [u.id for u in case.officers] == [bea.user.id]  # Ann is no longer named on it
        assert sees(db, bea, case) and not sees(db, ann, case) and sees(db, manager, case)
        assert history(db, case)[-1] == ("allocated", ann.user.id, bea.user.id)
        event = audit_events(db, "case_allocation", "updated")[-1]
        assert event.case_id == case.id and event.actor_id == manager.user.id
        assert event.details["allocated_officer_id"] == {"from": ann.user.id, "to": bea.user.id}
        assert event.details["reason"] == "Rebalancing"

    def test_an_officer_reallocates_their_own_case_but_not_another_officers(self, db, team, open_case):
        ann, bea, cal = team["Ann"], team["Bea"], team["Cal"]
        case = open_case(ann, restricted=False)
        with pytest.raises(Forbidden):  # Cal sees the unrestricted case, but it is not his
            service.reallocate(db, cal, case, Reallocation(officer_id=cal.user.id, reason="Mine now"))
        service.add_co_worker(db, ann, case, CoWorkerChange(officer_id=bea.user.id))
        with pytest.raises(Forbidden):  # a co-worker does not reallocate either
            service.reallocate(db, bea, case, Reallocation(officer_id=bea.user.id, reason="Mine now"))
        service.reallocate(db, ann, case, Reallocation(officer_id=bea.user.id, reason="Going part time"))
        assert case.allocated_officer_id == bea.user.id and case.co_workers == []

    def test_refused_without_a_reason_to_an_inactive_officer_or_on_a_stale_version(
        self, db, team, open_case, factory
    ):
        ann, manager = team["Ann"], team["manager"]
        case = open_case(ann)
        gone = factory.user("lado")
        gone.is_active = False
        with pytest.raises(ValidationFailed) as exc:
            validate(Reallocation, {"officer_id": str(team["Bea"].user.id), "reason": " "})
        assert exc.value.errors == {"reason": "Enter the reason"} or "reason" in exc.value.errors
        with pytest.raises(ValidationFailed) as exc:
            service.reallocate(db, manager, case, Reallocation(officer_id=gone.id, reason="Leaving"))
        assert "officer_id" in exc.value.errors
        with pytest.raises(ValidationFailed):  # a manager holds no caseload
            service.reallocate(db, manager, case, Reallocation(officer_id=manager.user.id, reason="x"))
        with pytest.raises(Conflict):
            service.reallocate(
                db,
                manager,
                case,
                Reallocation(officer_id=team["Bea"].user.id, reason="x", version=case.version - 1),
            )
        assert case.allocated_officer_id == ann.user.id


class TestRestrictedCases:
    def test_seen_by_the_allocated_officer_co_workers_and_managers_only(self, db, team, open_case, factory):
        ann, bea, cal, manager = team["Ann"], team["Bea"], team["Cal"], team["manager"]
        case = open_case(ann)
        assert sees(db, ann, case) and sees(db, manager, case)
        assert not sees(db, bea, case) and not sees(db, cal, case)
        service.add_co_worker(db, ann, case, CoWorkerChange(officer_id=bea.user.id, reason="Second officer"))
        db.flush()
        assert sees(db, bea, case) and not sees(db, cal, case)
        assert [u.id for u in case.co_workers] == [bea.user.id]
        service.remove_co_worker(db, manager, case, CoWorkerChange(officer_id=bea.user.id))
        db.flush()
        assert not sees(db, bea, case)
        for role in ("hr_liaison", "admin"):
            other = factory.user(
                role, organisations=[case.organisation.name] if role == "hr_liaison" else None
            )
            assert not sees(db, Actor(user=other), case)

    def test_a_co_worker_is_added_once_and_only_a_co_worker_is_removed(self, db, team, open_case):
        ann, bea = team["Ann"], team["Bea"]
        case = open_case(ann)
        with pytest.raises(ValidationFailed):
            service.add_co_worker(db, ann, case, CoWorkerChange(officer_id=ann.user.id))
        service.add_co_worker(db, ann, case, CoWorkerChange(officer_id=bea.user.id))
        with pytest.raises(ValidationFailed):
            service.add_co_worker(db, ann, case, CoWorkerChange(officer_id=bea.user.id))
        with pytest.raises(Exception, match="not a co-worker"):
            service.remove_co_worker(db, ann, case, CoWorkerChange(officer_id=ann.user.id))


def start(db, manager, absent, to=None, **kwargs):
    data = CoverStart(
        absent_officer_id=absent.user.id,
        covering_officer_id=to.user.id if to else None,
        reason="Annual leave",
        **kwargs,
    )
    return service.start_cover(db, manager, data)


class TestCover:
    def test_moves_every_open_case_in_one_step_and_hands_them_back(self, db, team, open_case):
        ann, bea, cal, manager = team["Ann"], team["Bea"], team["Cal"], team["manager"]
        first, second, third = open_case(ann), open_case(ann), open_case(ann, restricted=False)
        closed = open_case(ann)
        closed.status = CaseStatus.CONCLUDED.value
        other = open_case(bea)
        db.flush()
        cover = start(db, manager, ann, bea, assignments={second.id: cal.user.id})
        db.flush()
        assert sorted(r.case_id for r in cover.cases) == sorted([first.id, second.id, third.id])
        assert first.allocated_officer_id == bea.user.id and second.allocated_officer_id == cal.user.id
        assert closed.allocated_officer_id == ann.user.id and other.allocated_officer_id == bea.user.id
        # the covering officers see the restricted cases; the absent officer keeps them as a co-worker
        assert sees(db, bea, first) and sees(db, cal, second) and not sees(db, cal, first)
        assert [u.id for u in first.co_workers] == [ann.user.id] and sees(db, ann, first)
        assert history(db, first)[-1] == ("allocated", ann.user.id, bea.user.id)
        # during the cover, a manager gives the third case to Cal for good
        service.reallocate(db, manager, third, Reallocation(officer_id=cal.user.id, reason="Cal's area"))
        service.end_cover(db, manager, cover, CoverEnd(reason="Back from leave"))
        db.flush()
        assert first.allocated_officer_id == ann.user.id and second.allocated_officer_id == ann.user.id
        assert third.allocated_officer_id == cal.user.id
        outcomes = {r.case_id: r.outcome for r in cover.cases}
        assert outcomes == {
            first.id: CoverOutcome.HANDED_BACK,
            second.id: CoverOutcome.HANDED_BACK,
            third.id: CoverOutcome.KEPT,
        }
        assert not sees(db, bea, first) and not sees(db, cal, second)  # restricted again
        assert cover.ended_by_id == manager.user.id and cover.ended_at is not None
        ended = audit_events(db, "cover", "updated")[-1]
        assert ended.details["handed_back"] == [first.reference, second.reference]

    def test_a_covering_officer_who_was_a_co_worker_stays_one(self, db, team, open_case):
        ann, bea, manager = team["Ann"], team["Bea"], team["manager"]
        case = open_case(ann)
        service.add_co_worker(db, ann, case, CoWorkerChange(officer_id=bea.user.id))
        cover = start(db, manager, ann, bea)
        service.end_cover(db, manager, cover, CoverEnd())
        db.flush()
        assert case.allocated_officer_id == ann.user.id and [u.id for u in case.co_workers] == [bea.user.id]

    def test_refusals(self, db, team, open_case):
        ann, bea, cal, manager = team["Ann"], team["Bea"], team["Cal"], team["manager"]
        with pytest.raises(ValidationFailed):  # nothing to cover
            start(db, manager, ann, bea)
        case = open_case(ann)
        with pytest.raises(Forbidden):
            start(db, bea, ann, bea)
        with pytest.raises(ValidationFailed) as exc:  # nobody chosen for the case
            start(db, manager, ann)
        assert f"case-{case.id}" in exc.value.errors
        with pytest.raises(ValidationFailed):  # not to the absent officer
            start(db, manager, ann, ann)
        with pytest.raises(Conflict):  # the page showed other cases
            start(db, manager, ann, bea, case_ids=[case.id + 1])
        cover = start(db, manager, ann, bea, case_ids=[case.id])
        with pytest.raises(Conflict):  # one cover at a time
            start(db, manager, ann, cal)
        open_case(cal)
        with pytest.raises(ValidationFailed):  # Ann is away: she covers nobody
            start(db, manager, cal, ann)
        service.end_cover(db, manager, cover, CoverEnd())
        with pytest.raises(Conflict):
            service.end_cover(db, manager, cover, CoverEnd())

    def test_the_chronology_tells_the_allocation_changes(self, db, team, open_case):
        ann, bea, manager = team["Ann"], team["Bea"], team["manager"]
        case = open_case(ann)
        cover = start(db, manager, ann, bea)
        service.end_cover(db, manager, cover, CoverEnd())
        db.flush()
        titles = [e.title for e in entries(db, manager, case, ["allocation"], "oldest")]
        assert titles == [
            "Case reallocated: allocated officer from Ann Officer to Bea Officer",
            "Case reallocated: allocated officer from Bea Officer to Ann Officer",
        ]
        assert all(e.by == "Mia Manager" for e in entries(db, manager, case, ["allocation"], "oldest"))
        lines = entries(db, manager, case, ["allocation"], "oldest")[0].lines
        assert any("Annual leave" in line.value for line in lines)
        assert cases.get_case(db, ann, case.id) is case
