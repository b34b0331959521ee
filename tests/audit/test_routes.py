"""The audit search: filters, paging, London times, escaped details; reading it is not audited."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.models import Case
from tests.helpers import sign_in

pytestmark = pytest.mark.usefixtures("password_only")


def _event(
    db,
    *,
    at: datetime,
    verb: str = "viewed",
    actor=None,
    case_id=None,
    details=None,
    object_type="case",
    object_id="1",
    ip="192.0.2.10",
) -> AuditEvent:
    event = AuditEvent(
        occurred_at=at,
        actor_id=actor.id if actor else None,
        actor_label=f"{actor.name} <{actor.email}>" if actor else "anonymous",
        ip=ip,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        details=details or {},
    )
    db.add(event)
    db.flush()
    return event


def _marker_rows(html: str) -> list[str]:
    """Each row's details column: the values (administration records) or the field names (the rest)."""
    return re.findall(r'<(?:code class="app-audit-details"|span class="app-audit-fields")>([^<]*)<', html)


class TestSearch:
    def test_newest_first_with_time_in_london_actor_ip_verb_object_case_and_details(
        self, client, admin_csrf, factory, db
    ):
        officer = factory.user("lado", name="Olive Officer")
        _event(
            db, at=datetime(2026, 1, 10, 9, 0, tzinfo=UTC), actor=officer, case_id=7, details={"older": "x"}
        )
        _event(
            db,
            at=datetime(2026, 7, 10, 9, 0, tzinfo=UTC),
            actor=officer,
            case_id=7,
            verb="updated",
            details={"newer": "x"},
            ip="198.51.100.7",
        )
        html = client.get("/admin/audit", params={"user": officer.email}).text
        assert list(_marker_rows(html)) == ["newer", "older"]
        assert "10/07/2026 10:00:00" in html  # BST
        assert "10/01/2026 09:00:00" in html  # GMT
        assert "Olive Officer &lt;" in html and "198.51.100.7" in html and "case 1" in html

    def test_filters_by_user_case_number_and_reference_and_verb(self, client, admin_csrf, factory, db):
        a, b = factory.user("lado"), factory.user("manager")
        case = Case(
            reference="LADO-2026-0042",
            received_on=date(2026, 5, 1),
            sector_code="primary_school",
            primary_category_code="physical",
        )
        db.add(case)
        db.flush()
        at = datetime(2026, 5, 1, 12, tzinfo=UTC)
        _event(db, at=at, actor=a, case_id=case.id, details={"a_case": 1})
        _event(db, at=at, actor=b, case_id=case.id, verb="exported", details={"b_case": 1})
        _event(db, at=at, actor=a, case_id=case.id + 1, details={"a_other": 1})

        def get(**p):
            return set(_marker_rows(client.get("/admin/audit", params=p).text))

        q = "%s"
        assert get(user=a.email.upper()) >= {q % "a_case", q % "a_other"}
        assert q % "b_case" not in get(user=a.email)
        assert get(case=str(case.id)) == {q % "a_case", q % "b_case"}
        assert get(case="lado-2026-0042") == {q % "a_case", q % "b_case"}
        assert get(case="LADO-2026-0042", verb="exported") == {q % "b_case"}

    def test_dates_are_london_days_inclusive(self, client, admin_csrf, db):
        # 23:30 UTC on 1 June is 00:30 on 2 June in London.
        _event(db, at=datetime(2026, 6, 1, 23, 30, tzinfo=UTC), details={"d_late": 1})
        _event(db, at=datetime(2026, 6, 1, 22, 30, tzinfo=UTC), details={"d_early": 1})

        def get(name, day):
            params = {
                f"{name}-day": str(day.day),
                f"{name}-month": str(day.month),
                f"{name}-year": str(day.year),
            }
            rows = _marker_rows(client.get("/admin/audit", params=params).text)
            return [r for r in rows if r.startswith("d_")]

        assert get("date_from", date(2026, 6, 2)) == ["d_late"]
        assert get("date_to", date(2026, 6, 1)) == ["d_early"]

    def test_fifty_to_a_page(self, client, admin_csrf, db):
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for n in range(51):
            _event(db, at=start + timedelta(minutes=n), verb="deleted", details={f"n{n}": n})
        first = client.get("/admin/audit", params={"verb": "deleted"}).text
        rows = _marker_rows(first)
        assert len(rows) == 50 and rows[0] == "n50"
        assert 'href="/admin/audit?verb=deleted&amp;page=2"' in first
        second = _marker_rows(client.get("/admin/audit", params={"verb": "deleted", "page": "2"}).text)
        assert second == ["n0"]

    def test_details_are_shown_as_text(self, client, admin_csrf, db):
        _event(
            db,
            at=datetime(2026, 2, 2, tzinfo=UTC),
            details={"label": "<script>alert(1)</script>"},
            object_type="setting",
            object_id="<b>x</b>",
        )
        _event(db, at=datetime(2026, 2, 2, tzinfo=UTC), details={"<i>field</i>": "x"})
        html = client.get("/admin/audit").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;i&gt;field&lt;/i&gt;" in html
        assert "<script>alert" not in html and "<b>x</b>" not in html and "<i>field" not in html

    def test_reading_the_audit_is_not_audited(self, client, admin_csrf, db):
        def count():
            return db.scalar(select(func.count()).select_from(AuditEvent))

        before = count()
        assert client.get("/admin/audit").status_code == 200
        assert client.get("/admin/audit", params={"verb": "viewed", "page": "3"}).status_code == 200
        db.expire_all()
        assert count() == before


class TestBadFilters:
    def test_unknown_user_or_case_is_reported(self, client, admin_csrf):
        resp = client.get("/admin/audit", params={"user": "nobody@example.test", "case": "LADO-1999-0001"})
        assert resp.status_code == 422
        assert "No user has this e-mail address" in resp.text
        assert "No case has this reference or number" in resp.text
        assert 'value="nobody@example.test"' in resp.text

    def test_impossible_or_reversed_dates_are_reported(self, client, admin_csrf):
        resp = client.get(
            "/admin/audit", params={"date_from-day": "31", "date_from-month": "2", "date_from-year": "2026"}
        )
        assert resp.status_code == 422 and "From date must be a real date" in resp.text
        resp = client.get(
            "/admin/audit",
            params={
                "date_from-day": "2",
                "date_from-month": "2",
                "date_from-year": "2026",
                "date_to-day": "1",
                "date_to-month": "2",
                "date_to-year": "2026",
            },
        )
        assert (
            resp.status_code == 422 and "The to date must be the same as or after the from date" in resp.text
        )
        resp = client.get(
            "/admin/audit", params={"date_to-day": "31", "date_to-month": "12", "date_to-year": "9999"}
        )
        assert resp.status_code == 422 and "between 2000 and 2100" in resp.text

    def test_unknown_verb_and_huge_case_number(self, client, admin_csrf):
        resp = client.get("/admin/audit", params={"verb": "<script>"})
        assert resp.status_code == 422 and "Select an action from the list" in resp.text
        assert "<script>" not in resp.text.split("<main")[1]
        resp = client.get("/admin/audit", params={"case": "99999999999999999999"})
        assert resp.status_code == 422 and "No case has this reference or number" in resp.text


SECRETS = {
    "summary": "Synthetic secret summary 1",
    "rationale": "Synthetic secret rationale 2",
    "allegation": "Synthetic secret allegation 3",
    "note": "Synthetic secret note 4",
    "action": "Synthetic secret action 5",
    "minutes": "Synthetic secret minutes 6",
    "new summary": "Synthetic secret changed summary 7",
}


@pytest.fixture
def case_with_content(db, factory):
    """A restricted case whose every kind of content went through the services (so the audit rows
    are the real ones), each piece of text a marker that must never reach an administrator."""
    from app.cases import outcomes, service
    from app.cases import schemas as s
    from app.meetings import service as meetings
    from app.meetings.schemas import ActionForm, MeetingForm

    owner = factory.actor("lado")
    case = service.open_case(
        db, owner, s.CaseCreate.model_validate(factory.case_data(restricted=True, summary=SECRETS["summary"]))
    )
    service.record_initial_consideration(
        db,
        owner,
        case,
        s.InitialConsideration(
            harm_limbs=["harmed"],
            decision="threshold_met",
            rationale=SECRETS["rationale"],
            decided_on=date(2026, 5, 12),
        ),
    )
    outcomes.add_allegation(
        db, owner, case, s.AllegationCreate(description=SECRETS["allegation"], category_code="physical")
    )
    service.add_note(db, owner, case, s.NoteCreate(body=SECRETS["note"]))
    meetings.add_action(
        db,
        owner,
        case,
        ActionForm(description=SECRETS["action"], owner_user_id=owner.user.id, due_on=date(2026, 6, 1)),
    )
    meetings.record_meeting(
        db,
        owner,
        case,
        MeetingForm(
            meeting_type_code="evaluation",
            held_on=date(2026, 5, 13),
            held_time="10:00",
            minutes=SECRETS["minutes"],
            suspension_considered=False,
        ),
    )
    service.update_details(
        db,
        owner,
        case,
        s.CaseDetailsUpdate.model_validate(
            {**factory.case_data(summary=SECRETS["new summary"]), "version": case.version}
        ),
    )
    db.flush()
    return owner, case


class TestCaseContent:
    """An administrator investigating access sees who, when, which record, which verb and which
    fields changed; the values stay with those who may read the case (its history page)."""

    def test_the_audit_search_shows_fields_not_values(self, client, admin_csrf, case_with_content):
        _, case = case_with_content
        html = client.get("/admin/audit", params={"case": case.reference}).text
        shown = [text for text in SECRETS.values() if text in html]
        assert shown == [], f"case content on /admin/audit: {shown}"
        assert "Synthetic secret" not in html
        fields = " ".join(_field_rows(html))
        for name in ("summary", "rationale", "description", "body", "minutes"):
            assert name in fields, name
        assert "note_added" in html and case_with_content[0].user.email in html

    def test_records_administrators_look_after_keep_their_values(self, client, admin_csrf, db):
        at = datetime(2026, 3, 3, tzinfo=UTC)
        _event(db, at=at, object_type="user", details={"role": {"from": "lado", "to": "manager"}})
        _event(
            db, at=at, object_type="reference:sectors", details={"label": {"from": "Old", "to": "New label"}}
        )
        _event(db, at=at, object_type="intake", details={"advice": "Synthetic advice to the referrer"})
        _event(db, at=at, object_type="case_list", details={"filters": {"q": "Synthetic surname"}, "page": 1})
        html = client.get("/admin/audit").text
        assert "&#34;to&#34;: &#34;manager&#34;" in html and "New label" in html
        assert "Synthetic advice" not in html and "Synthetic surname" not in html
        assert {"advice", "filters.q, page"} <= set(_marker_rows(html))

    def test_the_history_page_keeps_the_values_for_the_cases_readers(self, other_client, case_with_content):
        owner, case = case_with_content
        sign_in(other_client, owner.user.email)
        html = other_client.get(f"/cases/{case.id}/history").text
        assert [text for text in SECRETS.values() if text not in html] == []
        api = other_client.get(f"/api/v1/cases/{case.id}/history").text
        assert SECRETS["note"] in api and SECRETS["minutes"] in api

    def test_never_for_a_restricted_case_outside_the_readers_scope(
        self, other_client, factory, case_with_content
    ):
        _, case = case_with_content
        sign_in(other_client, factory.user("lado").email)
        for url in (f"/cases/{case.id}/history", f"/api/v1/cases/{case.id}/history"):
            resp = other_client.get(url)
            assert resp.status_code == 404 and "Synthetic secret" not in resp.text, url


def _field_rows(html: str) -> list[str]:
    return [part.split("</span>")[0] for part in html.split('<span class="app-audit-fields">')[1:]]
