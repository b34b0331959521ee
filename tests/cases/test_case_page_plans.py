"""The case page reads what it shows, and nothing more: none of the statements of its summary and
its other tabs plans a sequential scan of cases (tests/plan_check.py), and their number is fixed
and small: the same for a case with several allegations, children, referrals, meetings, actions,
notes and letters as for a case with one of each (no statement per row shown), whether the reader
is the officer or a manager."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.cases import outcomes
from app.cases import schemas as s
from app.cases import service as cases
from app.context import Actor
from app.forms import validate
from app.letters import service as letters
from app.letters.models import LetterKind
from app.meetings import service as meetings
from app.meetings.models import CaseAction
from app.meetings.schemas import MeetingForm
from tests.helpers import sign_in
from tests.people.support import adult, open_case, threshold_met
from tests.plan_check import planned, seq_scans

TABS = ("", "/allegations", "/referrals", "/letters", "/notes", "/meetings", "/history")
TABS += ("/documents", "/disclosures", "/retention")
#: The most statements a tab of the case page may run, the request's own included (the session,
#: the view's audit record): the summary reads the case, its officers, children and secondary
#: categories, one statement of counts for its task list, and the person check (the adult's other
#: cases, the candidates, the matches and their outcomes, and its audit record); the chronology
#: the reference data its wording names (one statement per kind: referrer agencies, app/areas,
#: added the 19th; lawful bases, app/disclosures, the 20th) and the records its events are
#: about; the meetings tab its planned meetings too (app/meetings/plans.py, the 10th) and each
#: meeting's latest minutes (app/meetings/minutes.py, one statement for all of them). Every tab
#: reads the case's retention row as well (app/retention: the header says when its personal data
#: was destroyed), one statement more. The sharing log reads the recorded disclosures, the
#: letters sent, the minutes sent, the letters' lawful basis, and its form's agencies and bases.
MOST = {"": 17, "/history": 21, "/meetings": 12, "/disclosures": 11}
OTHERWISE = 10


def busy_case(db, factory, actor: Actor, n: int):
    """A threshold-met case with `n` of each record a tab shows, and an earlier case about an
    adult of the same name, so that the person check finds a match."""
    person = adult("Morgan", f"Plansworth{n}", "1980-03-04")
    open_case(db, factory, actor, **person, received_on="2024-01-08")
    children = [{"initials": f"C{i}", "age": 9, "gender": ""} for i in range(n)]
    case = open_case(db, factory, actor, **person, children=children, received_on="2026-05-04")
    threshold_met(db, actor, case, date(2026, 5, 5))
    for i in range(n):
        outcomes.add_allegation(
            db, actor, case, s.AllegationCreate(description=f"Allegation {i}", category_code="physical")
        )
        outcomes.add_referral(db, actor, case, s.ReferralCreate(regulator_code="dbs", status="recommended"))
        cases.add_note(db, actor, case, s.NoteCreate(body=f"Note {i}"))
        meeting = meetings.record_meeting(
            db,
            actor,
            case,
            validate(
                MeetingForm,
                {
                    "meeting_type_code": "evaluation" if i == 0 else "review",
                    "held_on": (date(2026, 5, 7) + timedelta(days=7 * i)).isoformat(),
                    "held_time": "10:00",
                    "suspension_considered": False,
                    "delay_reason": "Police enquiry",
                },
            ),
        )
        db.add(
            CaseAction(
                case_id=case.id,
                meeting_id=meeting.id,
                description=f"Action {i}",
                owner_name="X",
                due_on=date(2026, 6, 1) + timedelta(days=i),
            )
        )
    letters.create_draft(db, actor, case, LetterKind.ADULT)
    letters.create_draft(db, actor, case, LetterKind.EMPLOYER_OUTCOME)
    db.flush()
    return case


class Counter:
    """The statements run on the test's connection (savepoints left out)."""

    def __init__(self, db):
        self.connection = db.connection()
        self.statements: list[str] = []

    def __enter__(self):
        event.listen(self.connection, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.connection, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)


def statements_per_tab(client, db, case) -> dict[str, int]:
    counts = {}
    for tab in TABS:
        db.expunge_all()  # each request starts with nothing loaded, as in a request of its own
        with Counter(db) as counter:
            page = client.get(f"/cases/{case.id}{tab}")
        assert page.status_code == 200, (tab, page.text[:300])
        counts[tab] = len(counter.statements)
    return counts


@pytest.mark.parametrize("role", ["lado", "manager"])
def test_each_tab_runs_a_few_statements_however_much_the_case_holds(client, db, factory, role):
    officer = factory.user("lado")
    actor = Actor(user=officer)
    small, large = busy_case(db, factory, actor, 1), busy_case(db, factory, actor, 4)
    sign_in(client, officer.email if role == "lado" else factory.user("manager").email)
    counts = statements_per_tab(client, db, small)
    assert statements_per_tab(client, db, large) == counts
    for tab, n in counts.items():
        assert n <= MOST.get(tab, OTHERWISE), (tab, n)
    page = client.get(f"/cases/{large.id}")
    assert "4 recorded" in page.text and "1 of 4 outcomes recorded" not in page.text  # the counts
    assert "0 of 4 outcomes recorded" in page.text and "Plansworth4" in page.text


def test_no_statement_of_the_case_page_reads_every_case(client, db, factory):
    officer = factory.user("lado")
    case = busy_case(db, factory, Actor(user=officer), 2)
    sign_in(client, officer.email)
    with planned(db) as plans:
        for tab in TABS:
            db.expunge_all()
            assert client.get(f"/cases/{case.id}{tab}").status_code == 200, tab
    assert plans
    scans = seq_scans(plans, "cases")
    assert scans == [], "\n\n".join(str(p) for p in scans)
