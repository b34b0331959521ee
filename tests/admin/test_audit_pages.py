"""The audit search: filters, paging, London times, escaped details; reading it is not audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.models import Case


def _event(db, *, at: datetime, verb: str = "viewed", actor=None, case_id=None, details=None, object_type="case",
           object_id="1", ip="192.0.2.10") -> AuditEvent:
    event = AuditEvent(occurred_at=at, actor_id=actor.id if actor else None,
                       actor_label=f"{actor.name} <{actor.email}>" if actor else "anonymous", ip=ip, verb=verb,
                       object_type=object_type, object_id=object_id, case_id=case_id, details=details or {})
    db.add(event)
    db.flush()
    return event


def _marker_rows(html: str) -> list[str]:
    return [part.split("</code>")[0] for part in html.split('<code class="app-audit-details">')[1:]]


class TestSearch:
    def test_newest_first_with_time_in_london_actor_ip_verb_object_case_and_details(self, client, csrf, factory, db):
        officer = factory.user("lado", name="Olive Officer")
        _event(db, at=datetime(2026, 1, 10, 9, 0, tzinfo=UTC), actor=officer, case_id=7, details={"n": "older"})
        _event(db, at=datetime(2026, 7, 10, 9, 0, tzinfo=UTC), actor=officer, case_id=7, verb="updated",
               details={"n": "newer"}, ip="198.51.100.7")
        html = client.get("/admin/audit", params={"user": officer.email}).text
        assert [r for r in _marker_rows(html)] == ['{&#34;n&#34;: &#34;newer&#34;}', '{&#34;n&#34;: &#34;older&#34;}']
        assert "10/07/2026 10:00:00" in html  # BST
        assert "10/01/2026 09:00:00" in html  # GMT
        assert "Olive Officer &lt;" in html and "198.51.100.7" in html and "case 1" in html

    def test_filters_by_user_case_number_and_reference_and_verb(self, client, csrf, factory, db):
        a, b = factory.user("lado"), factory.user("manager")
        case = Case(reference="LADO-2026-0042", received_on=date(2026, 5, 1), sector_code="primary_school",
                    primary_category_code="physical")
        db.add(case)
        db.flush()
        at = datetime(2026, 5, 1, 12, tzinfo=UTC)
        _event(db, at=at, actor=a, case_id=case.id, details={"m": "a-case"})
        _event(db, at=at, actor=b, case_id=case.id, verb="exported", details={"m": "b-case"})
        _event(db, at=at, actor=a, case_id=case.id + 1, details={"m": "a-other"})
        get = lambda **p: set(_marker_rows(client.get("/admin/audit", params=p).text))  # noqa: E731
        q = '{&#34;m&#34;: &#34;%s&#34;}'
        assert get(user=a.email.upper()) >= {q % "a-case", q % "a-other"}
        assert q % "b-case" not in get(user=a.email)
        assert get(case=str(case.id)) == {q % "a-case", q % "b-case"}
        assert get(case="lado-2026-0042") == {q % "a-case", q % "b-case"}
        assert get(case="LADO-2026-0042", verb="exported") == {q % "b-case"}

    def test_dates_are_london_days_inclusive(self, client, csrf, db):
        # 23:30 UTC on 1 June is 00:30 on 2 June in London.
        _event(db, at=datetime(2026, 6, 1, 23, 30, tzinfo=UTC), details={"d": "late"})
        _event(db, at=datetime(2026, 6, 1, 22, 30, tzinfo=UTC), details={"d": "early"})

        def get(name, day):
            params = {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}
            return [r for r in _marker_rows(client.get("/admin/audit", params=params).text) if "&#34;d&#34;" in r]

        assert get("date_from", date(2026, 6, 2)) == ['{&#34;d&#34;: &#34;late&#34;}']
        assert get("date_to", date(2026, 6, 1)) == ['{&#34;d&#34;: &#34;early&#34;}']

    def test_fifty_to_a_page(self, client, csrf, db):
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for n in range(51):
            _event(db, at=start + timedelta(minutes=n), verb="deleted", details={"n": n})
        first = client.get("/admin/audit", params={"verb": "deleted"}).text
        rows = _marker_rows(first)
        assert len(rows) == 50 and rows[0] == '{&#34;n&#34;: 50}'
        assert 'href="/admin/audit?verb=deleted&amp;page=2"' in first
        second = _marker_rows(client.get("/admin/audit", params={"verb": "deleted", "page": "2"}).text)
        assert second == ['{&#34;n&#34;: 0}']

    def test_details_are_shown_as_text(self, client, csrf, db):
        _event(db, at=datetime(2026, 2, 2, tzinfo=UTC), details={"label": "<script>alert(1)</script>"},
               object_id="<b>x</b>")
        html = client.get("/admin/audit").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert" not in html and "<b>x</b>" not in html

    def test_reading_the_audit_is_not_audited(self, client, csrf, db):
        count = lambda: db.scalar(select(func.count()).select_from(AuditEvent))  # noqa: E731
        before = count()
        assert client.get("/admin/audit").status_code == 200
        assert client.get("/admin/audit", params={"verb": "viewed", "page": "3"}).status_code == 200
        db.expire_all()
        assert count() == before


class TestBadFilters:
    def test_unknown_user_or_case_is_reported(self, client, csrf):
        resp = client.get("/admin/audit", params={"user": "nobody@example.test", "case": "LADO-1999-0001"})
        assert resp.status_code == 422
        assert "No user has this e-mail address" in resp.text
        assert "No case has this reference or number" in resp.text
        assert 'value="nobody@example.test"' in resp.text

    def test_impossible_or_reversed_dates_are_reported(self, client, csrf):
        resp = client.get("/admin/audit", params={"date_from-day": "31", "date_from-month": "2", "date_from-year": "2026"})
        assert resp.status_code == 422 and "From date must be a real date" in resp.text
        resp = client.get("/admin/audit", params={"date_from-day": "2", "date_from-month": "2", "date_from-year": "2026",
                                                  "date_to-day": "1", "date_to-month": "2", "date_to-year": "2026"})
        assert resp.status_code == 422 and "The to date must be the same as or after the from date" in resp.text
        resp = client.get("/admin/audit", params={"date_to-day": "31", "date_to-month": "12", "date_to-year": "9999"})
        assert resp.status_code == 422 and "between 2000 and 2100" in resp.text

    def test_unknown_verb_and_huge_case_number(self, client, csrf):
        resp = client.get("/admin/audit", params={"verb": "<script>"})
        assert resp.status_code == 422 and "Select an action from the list" in resp.text
        assert "<script>" not in resp.text.split("<main")[1]
        resp = client.get("/admin/audit", params={"case": "99999999999999999999"})
        assert resp.status_code == 422 and "No case has this reference or number" in resp.text
