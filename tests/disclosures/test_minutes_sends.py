"""Minutes sent to a meeting's distribution list appear in the case's sharing log, read from the
send records (never retyped), with what was withheld from each recipient."""

from app.disclosures.presenters import LETTER_LAWFUL_BASIS, log_entries
from app.forms import validate
from app.meetings import minutes
from app.meetings.schemas import RecipientForm
from tests.letters.conftest import signed_in
from tests.meetings.test_minutes import final_minutes, send_form


def test_each_send_of_minutes_is_a_line_of_the_sharing_log(db, lado, case, meeting):
    final = final_minutes(db, lado, case, meeting)
    head = minutes.add_recipient(
        db, lado, case, meeting, validate(RecipientForm, {"name": "Ann Head", "agency": "Northfield School"})
    )
    police = minutes.add_recipient(
        db, lado, case, meeting, validate(RecipientForm, {"name": "DS Example", "agency": "Police"})
    )
    withheld = next(s for s in final.sections if s.restriction == "police_sensitive")
    minutes.record_send(
        db,
        lado,
        case,
        final,
        send_form(head.id, withheld_section_ids=[withheld.id], withheld_reason="Police-sensitive"),
    )
    minutes.record_send(db, lado, case, final, send_form(police.id, sent_on="2026-05-21"))
    sent = [e for e in log_entries(db, case) if e.source == "minutes"]
    assert [(e.recipient_name, e.agency_name, e.shared_on.isoformat()) for e in sent] == [
        ("Ann Head", "Northfield School", "2026-05-20"),
        ("DS Example", "Police", "2026-05-21"),
    ]
    assert sent[0].notes == "Withheld: Police update (Police-sensitive)" and sent[1].notes == "Sent in full"
    assert {e.what for e in sent} == {"Minutes, version 1"} and {e.meeting_id for e in sent} == {meeting.id}
    assert {e.lawful_basis_code for e in sent} == {LETTER_LAWFUL_BASIS}


def test_the_sharing_log_page_links_each_send(db, lado, case, meeting, open_client):
    final = final_minutes(db, lado, case, meeting)
    head = minutes.add_recipient(
        db, lado, case, meeting, validate(RecipientForm, {"name": "Ann Head", "agency": "Northfield School"})
    )
    send = minutes.record_send(db, lado, case, final, send_form(head.id))
    client, _ = signed_in(open_client, lado.user)
    page = client.get(f"/cases/{case.id}/disclosures")
    assert page.status_code == 200
    assert f'id="minutes-send-{send.id}"' in page.text
    assert f"/cases/{case.id}/meetings/{meeting.id}/minutes/sends/{send.id}" in page.text
