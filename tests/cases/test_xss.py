"""HTML typed into any case field is shown as text on every page that shows it."""

import re
from datetime import date

import pytest
from sqlalchemy import text

from app.cases import outcomes, service
from app.cases.schemas import AllegationCreate, CaseCreate, InitialConsideration, NoteCreate, ReferralCreate
from tests.helpers import sign_in

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def test_payload_in_every_text_field_is_escaped_everywhere(client, db, factory):
    user = factory.user("lado")
    actor = factory.actor("lado")
    actor.user = user
    text_fields = dict.fromkeys(
        (
            "referrer_name",
            "referrer_organisation",
            "referrer_role",
            "referrer_phone",
            "subject_first_name",
            "subject_last_name",
            "job_title",
            "summary",
            "organisation_name",
        ),
        PAYLOAD,
    )
    data = factory.case_data(**text_fields, children=[{"initials": "<b>", "age": 9, "gender": PAYLOAD[:30]}])
    data["referrer_email"] = "x@example.test"
    data["referrer_phone"] = PAYLOAD[:50]
    case = service.open_case(db, actor, CaseCreate.model_validate(data))
    service.record_initial_consideration(
        db,
        actor,
        case,
        InitialConsideration(
            harm_limbs=["harmed"], decision="threshold_met", rationale=PAYLOAD, decided_on=date(2026, 5, 12)
        ),
    )
    outcomes.add_allegation(db, actor, case, AllegationCreate(description=PAYLOAD, category_code="physical"))
    outcomes.add_referral(
        db, actor, case, ReferralCreate(regulator_code="dbs", status="recommended", reference=PAYLOAD[:100])
    )
    service.add_note(db, actor, case, NoteCreate(body=PAYLOAD))
    db.flush()
    sign_in(client, user.email)
    for path in (
        f"/cases/{case.id}",
        f"/cases/{case.id}/history",
        "/cases",
        f"/cases/{case.id}/edit",
        f"/cases/{case.id}/allegations/{case.allegations[0].id}/outcome",
    ):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
    assert ESCAPED in client.get(f"/cases/{case.id}").text


def test_audit_rows_cannot_be_changed_on_postgresql(db, factory):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the append-only trigger is a PostgreSQL feature")
    factory.user("lado")  # writes an audit row
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text("UPDATE audit_events SET verb = 'tampered'"))
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text("DELETE FROM audit_events"))


def test_line_breaks_kept_and_html_escaped_in_multiline_text(client, db, factory):
    user = factory.user("lado")
    actor = factory.actor("lado")
    actor.user = user
    case = service.open_case(
        db, actor, CaseCreate.model_validate(factory.case_data(summary="First line\n<b>second</b>"))
    )
    db.flush()
    sign_in(client, user.email)
    page = client.get(f"/cases/{case.id}").text
    assert re.search(r"First line<br>\s*&lt;b&gt;second&lt;/b&gt;", page)
