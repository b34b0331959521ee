"""A finalised outcome letter reaches the HR liaison through a real SMTP server (aiosmtpd on
127.0.0.1): no case detail in the e-mail, the PDF only where the organisation chose it, nothing lost
while the server is down, and the LADO sees the delivery state on the case."""

from __future__ import annotations

from datetime import timedelta

from app.clock import utcnow
from app.letters import service
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.outbox.models import MessageStatus
from app.outbox.worker import deliver_due
from tests.letters.conftest import signed_in


def finalised(db, lado, case):
    letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    service.finalise(db, lado, case, letter, Finalise())
    return letter


def all_text(message) -> str:
    parts = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


def test_the_email_says_a_letter_is_ready_and_nothing_of_the_case(
    db, journey, lado, smtp_server, mail_settings
):
    case = journey.case()
    letter = finalised(db, lado, case)
    report = deliver_due(db, utcnow(), settings=mail_settings)
    assert report.sent == [letter.delivery_message_id]
    [email] = smtp_server.inbox.messages
    assert smtp_server.inbox.envelopes == [("lado@council.example.test", ["jo.liaison@school.example.test"])]
    text = all_text(email)
    assert "http://127.0.0.1:8000/portal/letters" in text and "Dear Jo Liaison," in text
    for detail in (
        case.reference,
        case.person.first_name,
        case.person.last_name,
        case.organisation.name,
        "Teaching assistant",
        "Substantiated",
        "Malicious",
        "Synthetic allegation",
        "DBS",
    ):
        assert detail not in text, detail
    assert list(email.iter_attachments()) == []


def test_the_pdf_is_attached_only_when_the_organisation_chose_it(
    db, journey, lado, smtp_server, mail_settings
):
    with_pdf = finalised(db, lado, journey.case(journey.employer(attach_pdf=True)))
    without = finalised(db, lado, journey.case(journey.employer(attach_pdf=False)))
    deliver_due(db, utcnow(), settings=mail_settings)
    by_id = {m["Message-ID"].split("-")[1]: m for m in smtp_server.inbox.messages}
    [attachment] = list(by_id[str(with_pdf.delivery_message_id)].iter_attachments())
    assert attachment.get_content_type() == "application/pdf" and attachment.get_content() == with_pdf.pdf
    assert list(by_id[str(without.delivery_message_id)].iter_attachments()) == []


def test_server_down_nothing_lost_then_delivered_and_the_lado_sees_each_state(
    db, journey, lado, smtp_down, mail_settings, open_client
):
    case = journey.case()
    letter = finalised(db, lado, case)
    officer, _ = signed_in(open_client, lado.user)
    assert "Queued" in officer.get(f"/cases/{case.id}/letters").text

    now = utcnow()
    assert deliver_due(db, now, settings=mail_settings).retrying == [letter.delivery_message_id]
    message = letter.delivery
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    page = officer.get(f"/cases/{case.id}/letters/{letter.id}")
    assert "Not sent yet: 1 failed attempt" in page.text and "refused" in page.text.lower()

    smtp_down.start()
    assert (
        deliver_due(db, now + timedelta(seconds=30), settings=mail_settings).tried == 0
    )  # still backing off
    assert deliver_due(db, message.next_attempt_at, settings=mail_settings).sent == [message.id]
    assert len(smtp_down.inbox.messages) == 1
    assert "E-mailed to jo.liaison@school.example.test" in officer.get(f"/cases/{case.id}/letters").text


def test_failed_after_the_last_attempt_is_shown_as_failed(
    db, journey, lado, smtp_down, mail_settings, open_client
):
    case = journey.case()
    letter = finalised(db, lado, case)
    when = utcnow()
    for _ in range(mail_settings.outbox_max_attempts):
        deliver_due(db, when, settings=mail_settings)
        when = letter.delivery.next_attempt_at
    assert letter.delivery.status == MessageStatus.FAILED
    officer, _ = signed_in(open_client, lado.user)
    page = officer.get(f"/cases/{case.id}/letters")
    assert "Failed" in page.text and f"Failed after {mail_settings.outbox_max_attempts} attempts" in page.text
