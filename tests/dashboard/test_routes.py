"""Dashboard, its lists, search and the clock settings over HTTP."""

import re
from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.audit.models import AuditEvent
from app.clocks import service as clocks
from app.context import Actor
from app.meetings.models import CaseAction
from tests.helpers import sign_in
from tests.people.support import adult, open_case

TODAY = clock.today()


def count_of(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">(\d+)', html)
    assert match, element_id
    return int(match.group(1))


class TestDashboard:
    def test_an_overdue_case_and_action_are_counted_and_listed(self, client, db, factory):
        lado = factory.user("lado")
        actor = Actor(user=lado)
        overdue_on = clocks.latest_start_due_before(TODAY, 1)
        late = open_case(db, factory, actor, received_on=overdue_on.isoformat())
        db.add(
            CaseAction(
                case_id=late.id,
                description="Chase the school",
                owner_name="X",
                due_on=TODAY - timedelta(days=3),
            )
        )
        someone_elses = open_case(
            db, factory, Actor(user=factory.user("lado")), received_on=overdue_on.isoformat()
        )
        db.flush()
        sign_in(client, lado.email)
        page = client.get("/dashboard")
        assert page.status_code == 200
        assert count_of(page.text, "initial_consideration-overdue") == 1
        assert count_of(page.text, "actions-overdue") == 1
        assert count_of(page.text, "stage-open") == 1
        listing = client.get("/dashboard/cases", params={"list": "initial_consideration", "when": "overdue"})
        assert late.reference in listing.text and someone_elses.reference not in listing.text
        assert "Overdue" in listing.text
        actions = client.get("/dashboard/actions", params={"when": "overdue"})
        assert "Chase the school" in actions.text and late.reference in actions.text
        event = db.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "case_list").order_by(AuditEvent.id)
        ).all()[-1]
        assert event.details["shown"] == [late.reference]
        client.cookies.clear()
        sign_in(client, factory.user("manager").email)
        assert count_of(client.get("/dashboard").text, "initial_consideration-overdue") == 2

    def test_unknown_lists_are_not_found(self, client, factory):
        sign_in(client, factory.user("lado").email)
        assert client.get("/dashboard/cases", params={"list": "secrets"}).status_code == 404
        assert client.get("/dashboard/actions", params={"when": "someday"}).status_code == 404
        assert client.get("/dashboard/cases", params={"list": "stage:open", "page": "x"}).status_code == 200

    def test_other_roles_are_refused(self, client, factory):
        sign_in(client, factory.user("admin").email)
        assert client.get("/dashboard").status_code == 403
        assert client.get("/search", params={"q": "x"}).status_code == 403


class TestSearchPage:
    def test_tolerant_names_and_the_scope(self, client, db, factory):
        lado = factory.user("lado")
        mine = open_case(db, factory, Actor(user=lado), **adult("Catherine", "Smyth"))
        hidden = open_case(
            db, factory, Actor(user=factory.user("lado")), **adult("Catherine", "Smith"), restricted=True
        )
        sign_in(client, lado.email)
        page = client.get("/search", params={"q": "Kathryn Smith"})
        assert mine.reference in page.text and hidden.reference not in page.text
        assert f"/cases/{hidden.id}" not in client.get("/search", params={"q": hidden.reference}).text
        assert client.get("/search", params={"q": "x" * 201}).status_code == 200
        assert "200 characters or fewer" in client.get("/search", params={"q": "x" * 201}).text


class TestClockSettings:
    def test_admin_changes_the_conclusion_target(self, client, db, factory):
        csrf = sign_in(client, factory.user("admin").email)
        assert 'value="3"' in client.get("/admin/clocks").text
        bad = client.post(
            "/admin/clocks",
            data={"conclusion_target_months": "0", "review_interval_months": "1", "csrf_token": csrf},
        )
        assert bad.status_code == 422
        ok = client.post(
            "/admin/clocks",
            data={"conclusion_target_months": "4", "review_interval_months": "1", "csrf_token": csrf},
        )
        assert ok.status_code == 303
        assert clocks.conclusion_target_months(db) == 4
        assert db.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "setting").order_by(AuditEvent.id)
        ).all()[-1].details == {"conclusion_target_months": {"from": 3, "to": 4}}

    def test_only_admins(self, client, factory):
        sign_in(client, factory.user("lado").email)
        assert client.get("/admin/clocks").status_code == 403
