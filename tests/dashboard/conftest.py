"""The dashboard's world: one officer's cases at every deadline on a fixed day, another officer's
ordinary and restricted cases, and actions due, done and later."""

from datetime import date

import pytest

from app.cases import service as cases
from app.cases.schemas import InitialConsideration
from app.forms import validate
from app.meetings import service as meetings
from app.meetings.models import CaseAction
from app.meetings.schemas import MeetingForm
from tests.people.support import adult, open_case, threshold_met

TODAY = date(2026, 6, 10)  # a Wednesday


def meeting(db, actor, case, held_on: str, kind: str = "evaluation", delay: str = "Police enquiry"):
    return meetings.record_meeting(
        db,
        actor,
        case,
        validate(
            MeetingForm,
            {
                "meeting_type_code": kind,
                "held_on": held_on,
                "held_time": "10:00",
                "suspension_considered": False,
                "delay_reason": delay,
            },
        ),
    )


@pytest.fixture
def world(db, factory):
    me, other = factory.actor("lado"), factory.actor("lado")
    c = {}
    c["ic_today"] = open_case(db, factory, me, received_on="2026-06-09")
    c["ic_overdue"] = open_case(db, factory, me, received_on="2026-06-08")
    c["ev_today"] = open_case(db, factory, me, received_on="2026-06-02")
    threshold_met(db, me, c["ev_today"], date(2026, 6, 3))
    c["ev_overdue"] = open_case(db, factory, me, received_on="2026-06-01")
    threshold_met(db, me, c["ev_overdue"], date(2026, 6, 2))
    c["ev_held"] = open_case(db, factory, me, received_on="2026-06-01")
    threshold_met(db, me, c["ev_held"], date(2026, 6, 2))
    meeting(db, me, c["ev_held"], "2026-06-05")
    c["target_today"] = open_case(db, factory, me, received_on="2026-03-10")
    threshold_met(db, me, c["target_today"], date(2026, 3, 10))
    meeting(db, me, c["target_today"], "2026-03-12")
    meeting(db, me, c["target_today"], "2026-06-01", "review")
    c["no_review"] = open_case(db, factory, me, received_on="2026-03-01")
    threshold_met(db, me, c["no_review"], date(2026, 3, 2))
    meeting(db, me, c["no_review"], "2026-03-04")
    meeting(db, me, c["no_review"], "2026-05-01", "review")
    c["concluded_nfa"] = open_case(db, factory, me, received_on="2026-06-01")
    cases.record_initial_consideration(
        db,
        me,
        c["concluded_nfa"],
        InitialConsideration(
            decision="nfa", nfa_kind="advice_given", rationale="Advice", decided_on=date(2026, 6, 1)
        ),
    )
    for name, due in (("today", TODAY), ("overdue", date(2026, 6, 1)), ("later", date(2026, 7, 1))):
        db.add(CaseAction(case_id=c["ev_held"].id, description=f"Action {name}", owner_name="X", due_on=due))
    db.add(
        CaseAction(
            case_id=c["ev_held"].id,
            description="Done",
            owner_name="X",
            due_on=date(2026, 6, 1),
            done_on=date(2026, 6, 2),
        )
    )
    # another officer's cases: one ordinary, one restricted, both overdue
    c["others"] = open_case(db, factory, other, received_on="2026-06-08")
    c["others_restricted"] = open_case(
        db, factory, other, received_on="2026-06-08", restricted=True, **adult("Secret", "Hiddenname")
    )
    db.add(
        CaseAction(
            case_id=c["others_restricted"].id,
            description="Secret action",
            owner_name="X",
            due_on=date(2026, 6, 1),
        )
    )
    db.flush()
    return me, other, c
