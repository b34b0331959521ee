"""/dashboard/actions: without `when` it lists every action due (overdue first, then today's);
with `when` one of the two lists; an unknown list is not found."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.audit.models import AuditEvent
from app.context import Actor
from app.meetings.models import CaseAction
from tests.helpers import sign_in
from tests.people.support import open_case


def test_the_actions_page_without_a_list_shows_overdue_and_due_today(client, db, factory):
    lado = factory.user("lado")
    case = open_case(db, factory, Actor(user=lado))
    today = clock.today()
    for description, due in (
        ("Due today: ring the head", today),
        ("Overdue: chase the school", today - timedelta(days=2)),
        ("Next week: read the report", today + timedelta(days=7)),
    ):
        db.add(CaseAction(case_id=case.id, description=description, owner_name="X", due_on=due))
    db.add(
        CaseAction(case_id=case.id, description="Done already", owner_name="X", due_on=today, done_on=today)
    )
    db.flush()
    sign_in(client, lado.email)

    page = client.get("/dashboard/actions")
    assert page.status_code == 200
    assert "Actions overdue or due today" in page.text and "2 actions" in page.text
    overdue, due_today = page.text.index("Overdue: chase"), page.text.index("Due today: ring")
    assert overdue < due_today  # soonest first
    assert "Next week" not in page.text and "Done already" not in page.text
    assert 'href="/dashboard/actions?when=overdue"' in page.text  # the narrower lists
    events = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "case_action_list")).all()
    assert sorted(e.details["when"] for e in events) == ["overdue", "today"]

    only_today = client.get("/dashboard/actions", params={"when": "today"})
    assert "Due today: ring" in only_today.text and "Overdue: chase" not in only_today.text
    only_overdue = client.get("/dashboard/actions", params={"when": "overdue"})
    assert "Overdue: chase" in only_overdue.text and "Due today: ring" not in only_overdue.text
    assert 'href="/dashboard/actions"' in only_overdue.text
    assert client.get("/dashboard/actions", params={"when": "someday"}).status_code == 404
