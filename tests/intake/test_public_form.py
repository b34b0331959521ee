"""The public online referral form: no sign-in, CSRF, a receipt shown and e-mailed with nothing
but the reference, every field limited, a honeypot, no uploads, a per-IP limit in the database."""

import html
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.clock import utcnow
from app.intake import service
from app.intake.models import Intake, IntakeAttempt
from app.outbox.models import OutboxMessage
from tests.intake.support import post, public_client, referral

XSS = "<script>alert(1)</script>"


def intakes(db) -> int:
    return db.scalar(select(func.count()).select_from(Intake))


class TestSubmit:
    def test_a_referral_gives_a_receipt_and_an_e_mail_with_only_the_reference(self, app, db):
        client, csrf = public_client(app)
        resp = post(client, csrf, referral(referrer_email="dsl@example.test", what_happened=XSS))
        assert resp.status_code == 200, resp.text
        intake = db.scalars(select(Intake)).one()
        assert intake.reference in resp.text and intake.status == "new" and intake.case_id is None
        assert intake.children == [{"initials": "AB", "age": 9}] and intake.suspended == "yes"
        assert intake.ip == "203.0.113.10"
        message = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "referral_receipt")).one()
        assert message.to_address == "dsl@example.test" and intake.reference in message.body_text
        assert (message.subject_type, message.subject_id) == ("intake", str(intake.id))
        for typed in ("Onlineperson", "grabbed", "Synthetic Valley", "Dana"):
            assert typed not in message.body_text and typed not in message.subject
        assert (
            db.scalars(select(AuditEvent).where(AuditEvent.object_type == "intake")).one().actor_label
            == "anonymous"
        )
        assert "Onlineperson" not in resp.text and XSS not in resp.text

    def test_the_same_form_sent_twice_makes_one_intake(self, app, db):
        client, csrf = public_client(app)
        data = referral()
        first, second = post(client, csrf, data), post(client, csrf, data)
        assert first.status_code == second.status_code == 200
        assert intakes(db) == 1

    def test_without_the_csrf_token_nothing_is_stored(self, app, db):
        client, _ = public_client(app)
        assert client.post("/refer", data=referral()).status_code == 403
        assert client.post("/refer", data={**referral(), "csrf_token": "forged"}).status_code == 403
        assert intakes(db) == 0

    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("referrer_email", "not-an-address", "Enter your e-mail address in the correct format"),
            ("adult_last_name", "", "Enter the adult's last name"),
            ("what_happened", "x" * 10001, "What happened must be 10000 characters or fewer"),
            ("adult_first_name", "x" * 101, "Adult's first name must be 100 characters or fewer"),
            ("organisation_address", "x" * 501, "must be 500 characters or fewer"),
            ("suspended", "perhaps", "Select whether the adult has been suspended"),
            ("adult_date_of_birth-day", "31", "Adult's date of birth must be a real date"),
            ("happened_on-year", "2999", "Date it happened must be today or in the past"),
            ("sector_code", "casino", "Choose the type of organisation from the list"),
            ("what_happened", "nul\x00byte", "Remove the control characters"),
            ("child_age", ["40", "", ""], "Child 1's age must be between 0 and 17"),
            ("child_initials", ["", "", ""], "Enter child 1's initials"),
        ],
    )
    def test_bad_input_is_refused_with_a_clear_message_and_kept(self, app, db, field, value, message):
        client, csrf = public_client(app)
        resp = post(client, csrf, referral(**{field: value}))
        assert resp.status_code == 422
        assert message in html.unescape(resp.text)
        assert "Dana Designated" in resp.text  # what was typed comes back
        assert intakes(db) == 0

    def test_unknown_fields_are_ignored(self, app, db):
        client, csrf = public_client(app)
        resp = post(client, csrf, referral(status="converted", case_id="1", reference="MINE", ip="1.1.1.1"))
        assert resp.status_code == 200
        intake = db.scalars(select(Intake)).one()
        assert intake.status == "new" and intake.case_id is None and intake.reference != "MINE"
        assert intake.ip == "203.0.113.10"

    def test_too_many_children_is_refused(self, app, db):
        client, csrf = public_client(app)
        data = referral(child_initials=["A", "B", "C", "D"], child_age=["1", "2", "3", "4"])
        resp = post(client, csrf, data)
        assert resp.status_code == 422 and intakes(db) == 0

    def test_a_filled_honeypot_is_refused(self, app, db):
        client, csrf = public_client(app)
        resp = post(client, csrf, referral(website="http://spam.example"))
        assert resp.status_code == 400 and "could not be accepted" in resp.text
        assert intakes(db) == 0


class TestLimits:
    def test_oversized_body_multipart_and_missing_length_are_refused_before_reading(self, app, db):
        client, csrf = public_client(app)
        big = post(client, csrf, referral(what_happened="x" * 300_000))
        assert big.status_code == 413
        upload = client.post("/refer", data={"csrf_token": csrf}, files={"evidence": ("a.txt", b"hello")})
        assert upload.status_code == 415
        chunked = client.post(
            "/refer",
            content=iter([b"csrf_token=" + csrf.encode()]),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert chunked.status_code == 411
        assert intakes(db) == 0
        assert "content-security-policy" in big.headers

    def test_per_ip_limits_count_every_attempt_and_hold_for_an_hour(self, app, db):
        client, csrf = public_client(app, ip="198.51.100.7")
        for _ in range(service.ACCEPTED_PER_HOUR):
            assert post(client, csrf, referral()).status_code == 200
        refused = post(client, csrf, referral())
        assert refused.status_code == 429 and "Too many referrals" in refused.text
        other, other_csrf = public_client(app, ip="198.51.100.8")
        assert post(other, other_csrf, referral()).status_code == 200  # another address is not affected
        assert intakes(db) == service.ACCEPTED_PER_HOUR + 1
        # attempts over an hour old no longer count; over a day old are pruned
        db.query(IntakeAttempt).filter(IntakeAttempt.ip == "198.51.100.7").update(
            {IntakeAttempt.attempted_at: utcnow() - timedelta(hours=2)}
        )
        assert post(client, csrf, referral()).status_code == 200
        db.query(IntakeAttempt).update({IntakeAttempt.attempted_at: utcnow() - timedelta(days=2)})
        post(client, csrf, referral())
        assert db.scalar(select(func.count()).select_from(IntakeAttempt)) == 1

    def test_invalid_attempts_count_too(self, app, db):
        client, csrf = public_client(app, ip="198.51.100.9")
        for _ in range(service.ATTEMPTS_PER_HOUR):
            assert post(client, csrf, referral(referrer_email="bad")).status_code == 422
        assert post(client, csrf, referral()).status_code == 429
        assert intakes(db) == 0
